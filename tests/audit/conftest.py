import pytest
from django.urls import reverse

from tests.factories import AccountPlanFactory


@pytest.fixture
def plan(account, people):
    return AccountPlanFactory(key_account=account, period="FY2027", updated_by=people.manager)


@pytest.fixture
def history_url(account):
    return reverse("audit:account_history", args=[account.pk])


def restore_url(account, object_type, object_id):
    return reverse("audit:restore", args=[account.pk, object_type, object_id])
