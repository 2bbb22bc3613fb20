"""The dashboard's lifetime value list writes each account's rates as the Profitability page
does: a negative growth with the minus sign ("−3.5 % growth"; it read "-3.5", a hyphen) and
the decimals the team typed, and its value is the page's NPV rounded half up."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse

from discovery.models import LifetimeValueAssumption
from tests.factories import ProfitabilityYearFactory


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_dashboard_writes_a_shrinking_accounts_rates_and_value(client_for, people, account):
    ProfitabilityYearFactory(
        key_account=account,
        year=2024,
        gross_sales=Decimal("1000000"),
        cost_of_goods=Decimal("800000"),
        discounts=0,
        rebates=0,
        transport=0,
        returns=0,
        customer_service=0,
        kam_team_cost=0,
        other_costs=Decimal("100000"),
    )
    LifetimeValueAssumption.objects.create(
        key_account=account,
        growth_rate_percent=Decimal("-3.50"),
        discount_rate_percent=Decimal("10.25"),
        horizon_years=3,
    )
    # By hand: base = 1,000,000 − 800,000 − 100,000 = 100,000 (2024's net profit).
    # Profits 100,000; 96,500; 93,122.50 (× 0.965 a year), each over 1.1025^n, in cents.
    cent = Decimal("0.01")
    profits = [Decimal("100000"), Decimal("96500"), Decimal("93122.50")]
    npv = sum(
        (p / Decimal("1.1025") ** n).quantize(cent, ROUND_HALF_UP)
        for n, p in enumerate(profits, start=1)
    )
    whole = npv.quantize(Decimal(1), ROUND_HALF_UP)
    client = client_for(people.director)
    page = _text(client.get(reverse("discovery:profitability", args=[account.pk])).content.decode())
    assert f"Lifetime value (NPV) EUR {npv:,.2f}" in page
    assert "Yearly growth −3.50 %" in page
    dashboard = _text(client.get(reverse("portfolio:dashboard")).content.decode())
    assert (
        f"EUR {whole:,} computed net profit 2024: EUR 100,000, "
        "−3.5 % growth, 10.25 % discount, 3 years"
    ) in dashboard
    french = _text(
        client.get(reverse("portfolio:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    assert "−3,5 %" in french and "10,25 %" in french
