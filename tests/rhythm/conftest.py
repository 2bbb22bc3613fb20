import pytest

from ..factories import AccountPlanFactory


@pytest.fixture(autouse=True)
def _exports_in_tmp(request, settings, tmp_path):
    """Exports go to a temporary MEDIA_ROOT, except with a real worker (a separate process
    that reads the real setting)."""
    if request.node.get_closest_marker("celery_worker") is None:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(account, people):
    return AccountPlanFactory(key_account=account, period="FY2027", updated_by=people.manager)


@pytest.fixture
def other_plan(other_account, people):
    return AccountPlanFactory(key_account=other_account, period="FY2027")
