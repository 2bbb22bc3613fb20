"""Gross margin and cost to serve are shown apart, as domain.md splits them:

    gross margin       = gross sales − cost of goods
    cost to serve      = discounts + rebates + transport + returns + customer service
                         + KAM team + other cost to serve (never the cost of goods)
    net account profit = gross margin − cost to serve

and the lifetime value says which base it starts from. Every figure is recomputed here by hand
from the planted amounts and read from the page the user sees."""

import importlib
import re
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.urls import reverse

from discovery.models import LifetimeValueAssumption, ProfitabilityYear
from discovery.services import lifetime_value
from tests.factories import ProfitabilityYearFactory

YEAR = {
    "year": "2025",
    "gross_sales": "2400000",
    "cost_of_goods": "1632000",
    "discounts": "60000",
    "rebates": "36000",
    "transport": "72000",
    "returns": "12000",
    "customer_service": "24000",
    "kam_team_cost": "36000",
    "other_costs": "12000",
}
SERVE = ("discounts", "rebates", "transport", "returns", "customer_service", "kam_team_cost")


def _money(value: Decimal) -> str:
    sign = "−" if value < 0 else ""
    return f"{sign}EUR {abs(value):,.0f}"


def _percent(part: Decimal, whole: Decimal) -> str:
    return f"{(part / whole * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)} %"


def _row(html: str, label: str) -> list[str]:
    """The cells of the table row whose heading is `label`."""
    match = re.search(
        r"<tr[^>]*>\s*<th scope=\"row\"[^>]*>" + re.escape(label) + r"</th>(.*?)</tr>", html, re.S
    )
    assert match, label
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", match[1])]


def test_the_profitability_page_shows_gross_margin_and_cost_to_serve_apart(
    client_for, people, account
):
    response = client_for(people.manager).post(
        reverse("discovery:year_create", args=[account.pk]), YEAR
    )
    assert response.status_code == 302
    amounts = {k: Decimal(v) for k, v in YEAR.items() if k != "year"}
    sales = amounts["gross_sales"]
    gross_margin = sales - amounts["cost_of_goods"]  # 768,000
    cost_to_serve = sum(amounts[k] for k in (*SERVE, "other_costs"))  # 252,000
    net = gross_margin - cost_to_serve  # 516,000
    assert (gross_margin, cost_to_serve, net) == (768000, 252000, 516000)

    html = client_for(people.team_member).get(reverse("discovery:profitability", args=[account.pk]))
    html = html.content.decode()
    assert _row(html, "Gross sales") == [_money(sales)]
    assert _row(html, "− Cost of goods") == [_money(amounts["cost_of_goods"])]
    assert _row(html, "Gross margin") == [_money(gross_margin)]
    assert _row(html, "Gross margin %") == [_percent(gross_margin, sales)]  # 32.0 %
    assert _row(html, "Transport") == [_money(amounts["transport"])]
    assert _row(html, "Other cost to serve") == [_money(amounts["other_costs"])]
    assert _row(html, "Cost to serve, total") == [_money(cost_to_serve)]
    assert _row(html, "Cost to serve, % of sales") == [_percent(cost_to_serve, sales)]  # 10.5 %
    assert _row(html, "Net account profit (gross margin − cost to serve)") == [_money(net)]
    assert _row(html, "Net margin %") == [_percent(net, sales)]  # 21.5 %
    # The chart reads the same figures, each under its own name.
    assert (
        f"2025: gross sales {_money(sales)}, gross margin {_money(gross_margin)}, cost to serve "
        f"{_money(cost_to_serve)}, net profit {_money(net)}." in html
    )
    assert "No cost of goods recorded" not in html


def test_the_chart_draws_each_figure_to_one_scale(client_for, people, account):
    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("1000000"),
        cost_of_goods=Decimal("680000"),
        transport=Decimal("100000"),
    )
    chart = (
        client_for(people.manager)
        .get(reverse("discovery:profitability", args=[account.pk]))
        .context["chart"]
    )
    heights = {bar["title"].split(":")[0]: bar["height"] for bar in chart["bars"]}
    # Gross margin 320,000, cost to serve 100,000, net profit 220,000: bars in that proportion
    # to the 1,000,000 of gross sales (one decimal of rounding per bar).
    sales = heights["2025 Gross sales"]
    for label, amount in (
        ("Gross margin", 320000),
        ("Cost to serve", 100000),
        ("Net profit", 220000),
    ):
        assert abs(heights[f"2025 {label}"] - sales * amount / 1000000) <= 0.2, label
    assert [item["label"] for item in chart["legend"]] == [
        "Gross sales",
        "Gross margin",
        "Cost to serve",
        "Net profit",
    ]


def test_a_year_without_cost_of_goods_says_so(client_for, people, account):
    ProfitabilityYearFactory(key_account=account, year=2024, gross_sales=Decimal("500000"))
    html = client_for(people.manager).get(reverse("discovery:profitability", args=[account.pk]))
    assert (
        "No cost of goods recorded for 2024: the gross margin there is the whole of the gross "
        "sales; edit the year to add it." in html.content.decode()
    )


def test_the_discovery_list_shows_net_profit_after_the_cost_of_goods(client_for, people, account):
    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("800000"),
        cost_of_goods=Decimal("560000"),
        discounts=Decimal("40000"),
        kam_team_cost=Decimal("24000"),
    )
    net = Decimal(800000 - 560000 - 40000 - 24000)  # 176,000
    html = client_for(people.manager).get(reverse("discovery:index")).content.decode()
    assert "Latest net profit" in html and "Net margin" in html
    assert f">{_money(net)}</a>" in html
    assert _percent(net, Decimal(800000)) in html  # 22.0 %


def test_existing_other_costs_move_to_cost_of_goods_with_net_profit_unchanged(account):
    """The data migration: rows entered under "Other costs (incl. cost of goods)" keep their
    net profit, and their cost to serve no longer counts the product cost."""
    row = ProfitabilityYearFactory(
        key_account=account,
        year=2024,
        gross_sales=Decimal("1000000"),
        discounts=Decimal("40000"),
        other_costs=Decimal("700000"),
    )
    history = row.history.get()
    net_before = row.net_profit  # 260,000 with the old meaning too: nothing else was in it
    migration = importlib.import_module("discovery.migrations.0004_profitability_cost_of_goods")
    migration.move_cost_of_goods_out_of_other_costs(apps, None)
    row.refresh_from_db()
    history.refresh_from_db()
    assert (row.cost_of_goods, row.other_costs) == (Decimal("700000"), Decimal("0"))
    assert (history.cost_of_goods, history.other_costs) == (Decimal("700000"), Decimal("0"))
    assert row.net_profit == net_before == Decimal("260000")
    assert row.cost_to_serve == Decimal("40000")
    assert row.gross_margin == Decimal("300000")


def test_an_entered_lifetime_value_base_is_not_called_a_net_profit(client_for, people, account):
    # Net profit 2025: 600,000 − 420,000 − 120,000 = 60,000; the team entered 180,000.
    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("600000"),
        cost_of_goods=Decimal("420000"),
        kam_team_cost=Decimal("120000"),
    )
    LifetimeValueAssumption.objects.create(
        key_account=account,
        base_profit=Decimal("180000"),
        growth_rate_percent=Decimal("12"),
        discount_rate_percent=Decimal("10"),
        horizon_years=8,
    )
    html = client_for(people.manager).get(reverse("discovery:profitability", args=[account.pk]))
    html = html.content.decode()
    source = re.search(r'id="clv-base-source">(.*?)</dd>', html, re.S)[1]
    assert source == (
        "Entered base profit, set in the assumptions — not a recorded figure: the computed net "
        "profit of 2025 is EUR 60,000"
    )
    expected = lifetime_value(
        base_profit=Decimal("180000"),
        growth_rate_percent=Decimal("12"),
        discount_rate_percent=Decimal("10"),
        horizon_years=8,
    )
    assert f"EUR {expected.npv:,.2f}" in html
    assert "EUR 180,000.00" in html


def test_a_computed_lifetime_value_base_names_its_year(client_for, people, account):
    ProfitabilityYearFactory(key_account=account, year=2024, gross_sales=Decimal("900000"))
    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("500000"),
        cost_of_goods=Decimal("340000"),
        transport=Decimal("40000"),
    )
    # A saved growth rate without a base still starts from the computed net profit.
    LifetimeValueAssumption.objects.create(key_account=account, growth_rate_percent=Decimal("5"))
    html = client_for(people.manager).get(reverse("discovery:profitability", args=[account.pk]))
    html = html.content.decode()
    source = re.search(r'id="clv-base-source">(.*?)</dd>', html, re.S)[1]
    assert source == "Computed net profit of 2025 (gross margin − cost to serve)"
    assert "EUR 120,000.00" in html  # 500,000 − 340,000 − 40,000
    assert ProfitabilityYear.objects.count() == 2
