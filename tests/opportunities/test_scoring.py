"""The prioritisation rule, checked on cases computed by hand."""

from decimal import Decimal

import pytest

from opportunities import services
from opportunities.models import Opportunity, Quadrant


def scored(profit, us, customer, effort, risk) -> Opportunity:
    return Opportunity(
        profit_potential=Decimal(profit),
        strategic_value_us=us,
        strategic_value_customer=customer,
        effort=effort,
        risk=risk,
    )


@pytest.mark.parametrize(
    ("profit", "expected"),
    [
        (0, 1),
        (24_999.99, 1),
        (25_000, 2),
        (99_999, 2),
        (100_000, 3),
        (249_999, 3),
        (250_000, 4),
        (499_999, 4),
        (500_000, 5),
        (9_000_000, 5),
    ],
)
def test_money_score_bands(profit, expected):
    assert services.money_score(Decimal(str(profit))) == expected


@pytest.mark.parametrize(
    ("case", "priority"),
    [
        # V = (5+5+5)/3 = 5, ER = 1 -> 5 x 5 x 4 = 100
        ((600_000, 5, 5, 1, 1), Decimal("100.00")),
        # V = 1, ER = 5 -> 1 x 1 x 4 = 4
        ((0, 1, 1, 5, 5), Decimal("4.00")),
        # V = (3+4+2)/3 = 3, ER = 2.5 -> 3 x 3.5 x 4 = 42
        ((100_000, 4, 2, 2, 3), Decimal("42.00")),
        # V = (1+3+3)/3 = 2.333.., ER = 3 -> 7/3 x 3 x 4 = 28
        ((20_000, 3, 3, 3, 3), Decimal("28.00")),
        # V = (2+3+3)/3 = 2.666.., ER = 2 -> 8/3 x 4 x 4 = 42.666.. -> 42.67
        ((50_000, 3, 3, 2, 2), Decimal("42.67")),
    ],
)
def test_priority_formula_on_hand_computed_cases(case, priority):
    assert services.priority_for(scored(*case)) == priority


@pytest.mark.parametrize(
    ("case", "quadrant"),
    [
        # V exactly 3 counts as high value; ER 2.5 is easy.
        ((100_000, 3, 3, 2, 3), Quadrant.QUICK_WIN),
        # V exactly 3 and ER exactly 3: both count as high.
        ((100_000, 3, 3, 3, 3), Quadrant.MAJOR_PROJECT),
        # V 2.67 (just under 3), ER 2.5 (just under 3).
        ((100_000, 3, 2, 2, 3), Quadrant.FILL_IN),
        # V 2.67, ER exactly 3.
        ((100_000, 3, 2, 3, 3), Quadrant.DROP),
        # Corners.
        ((1_000_000, 5, 5, 1, 1), Quadrant.QUICK_WIN),
        ((1_000_000, 5, 5, 5, 5), Quadrant.MAJOR_PROJECT),
        ((0, 1, 1, 1, 1), Quadrant.FILL_IN),
        ((0, 1, 1, 5, 5), Quadrant.DROP),
    ],
)
def test_quadrant_edges(case, quadrant):
    assert services.quadrant_for(scored(*case)) == quadrant


def test_service_stores_priority_and_quadrant_on_create_and_update(
    account, make_opportunity, people
):
    opportunity = make_opportunity(
        account,
        profit_potential=Decimal("100000"),
        strategic_value_us=4,
        strategic_value_customer=2,
        effort=2,
        risk=3,
    )
    opportunity.refresh_from_db()
    assert opportunity.priority == Decimal("42.00")
    assert opportunity.quadrant == Quadrant.QUICK_WIN
    updated = services.opportunity_update(
        opportunity=opportunity,
        values={"effort": 5, "risk": 5},
        revision=opportunity.revision,
        acting_user=people.manager,
    )
    assert updated.priority == Decimal("12.00")  # V 3, ER 5 -> 3 x 1 x 4
    assert updated.quadrant == Quadrant.MAJOR_PROJECT


def test_lists_sort_by_stored_priority_in_the_database(account, make_opportunity):
    make_opportunity(account, title="Low", profit_potential=Decimal("0"), effort=5, risk=5)
    make_opportunity(account, title="High", profit_potential=Decimal("900000"), effort=1, risk=1)
    titles = list(Opportunity.objects.filter(key_account=account).values_list("title", flat=True))
    assert titles == ["High", "Low"]
