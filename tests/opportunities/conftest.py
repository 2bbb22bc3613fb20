from decimal import Decimal

import pytest

from opportunities import services


@pytest.fixture
def make_opportunity(people):
    """make_opportunity(account, **values) -> an Opportunity created through the service."""

    def make(account, acting_user=None, **values):
        values.setdefault("title", "Vendor-managed inventory")
        values.setdefault("annual_value", Decimal("100000"))
        values.setdefault("profit_potential", Decimal("20000"))
        # Scored unless told otherwise (pass the four scores as None for "not scored yet").
        for name in services.SCORE_FIELDS:
            values.setdefault(name, 3)
        return services.opportunity_create(
            account=account, values=values, acting_user=acting_user or people.manager
        )

    return make


@pytest.fixture
def opportunity(account, make_opportunity):
    return make_opportunity(account)


@pytest.fixture
def other_opportunity(other_account, make_opportunity, people):
    return make_opportunity(
        other_account, title="Helios secret deal", acting_user=people.other_manager
    )
