"""Profit and customer lifetime value against numbers worked out by hand."""

from decimal import Decimal

import pytest

from discovery.models import ProfitabilityYear
from discovery.services import lifetime_value


def test_net_profit_is_gross_margin_minus_cost_to_serve():
    row = ProfitabilityYear(
        gross_sales=Decimal("1000000"),
        cost_of_goods=Decimal("700000"),
        discounts=Decimal("50000"),
        rebates=Decimal("20000"),
        transport=Decimal("30000"),
        returns=Decimal("10000"),
        customer_service=Decimal("15000"),
        kam_team_cost=Decimal("25000"),
        other_costs=Decimal("5000"),
    )
    # Gross margin 1,000,000 − 700,000 = 300,000 (30.0 %); cost to serve 50,000 + 20,000 +
    # 30,000 + 10,000 + 15,000 + 25,000 + 5,000 = 155,000 (15.5 %) — the cost of goods is not
    # in it; net profit 300,000 − 155,000 = 145,000 (14.5 %).
    assert row.gross_margin == Decimal("300000")
    assert row.gross_margin_percent == Decimal("30.0")
    assert row.cost_to_serve == Decimal("155000")
    assert row.cost_to_serve_percent == Decimal("15.5")
    assert row.net_profit == Decimal("145000")
    assert row.margin_percent == Decimal("14.5")


def test_a_loss_making_year_has_negative_profit_and_margin():
    row = ProfitabilityYear(
        gross_sales=Decimal("400000"),
        cost_of_goods=Decimal("356000"),
        discounts=Decimal("36000"),
        transport=Decimal("32000"),
    )
    # Gross margin 44,000 − cost to serve 68,000 = −24,000 → −6.0 %
    assert row.net_profit == Decimal("-24000")
    assert row.margin_percent == Decimal("-6.0")


def test_lifetime_value_discounts_year_one_by_one_period():
    value = lifetime_value(
        base_profit=Decimal("100000"),
        growth_rate_percent=Decimal("10"),
        discount_rate_percent=Decimal("10"),
        horizon_years=3,
        first_calendar_year=2027,
    )
    # Profits 100,000 / 110,000 / 121,000, each discounted to 90,909.09.
    assert [y.expected_profit for y in value.years] == [
        Decimal("100000.00"),
        Decimal("110000.00"),
        Decimal("121000.00"),
    ]
    assert [y.present_value for y in value.years] == [Decimal("90909.09")] * 3
    assert value.npv == Decimal("272727.27")
    assert value.undiscounted_total == Decimal("331000.00")
    assert [y.calendar_year for y in value.years] == [2027, 2028, 2029]
    assert value.years[1].discount_factor == Decimal("0.826446")


def test_zero_discount_rate_makes_lifetime_value_the_plain_sum():
    value = lifetime_value(
        base_profit=Decimal("50000"),
        growth_rate_percent=Decimal("0"),
        discount_rate_percent=Decimal("0"),
        horizon_years=4,
    )
    assert value.npv == Decimal("200000.00") == value.undiscounted_total
    assert all(y.discount_factor == Decimal("1.000000") for y in value.years)


def test_a_loss_making_base_gives_a_negative_lifetime_value():
    value = lifetime_value(
        base_profit=Decimal("-50000"),
        growth_rate_percent=Decimal("0"),
        discount_rate_percent=Decimal("10"),
        horizon_years=2,
    )
    # −50,000 / 1.1 = −45,454.55 ; −50,000 / 1.21 = −41,322.31
    assert [y.present_value for y in value.years] == [Decimal("-45454.55"), Decimal("-41322.31")]
    assert value.npv == Decimal("-86776.86")


@pytest.mark.parametrize(
    ("rate", "horizon"),
    [(Decimal("-1"), 5), (Decimal("100.01"), 5), (Decimal("8"), 31), (Decimal("8"), 0)],
)
def test_out_of_range_inputs_are_refused(rate, horizon):
    with pytest.raises(ValueError, match="must be between"):
        lifetime_value(
            base_profit=Decimal("1000"),
            growth_rate_percent=Decimal("0"),
            discount_rate_percent=rate,
            horizon_years=horizon,
        )
