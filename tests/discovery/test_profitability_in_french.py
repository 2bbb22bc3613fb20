"""The profitability page and the discovery list in French: the lifetime value's exact sums and
the margins in the reader's number format ('1 234,56 €', '32,0 %'), as every other sum on the
page, not 'EUR 1,234.56' and '32.0 %' beside '903 000 €'."""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse

from discovery.models import LifetimeValueAssumption
from tests.factories import ProfitabilityYearFactory

NBSP = "\u00a0"


def _french(value: Decimal, places: int) -> str:
    """The French way of writing a number: grouped by a no-break space, decimal comma."""
    text = f"{value:,.{places}f}"
    return text.replace(",", NBSP).replace(".", ",")


def _plant(account):
    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("1000000"),
        cost_of_goods=Decimal("680000"),
        discounts=Decimal("50000"),
        rebates=Decimal("20000"),
        transport=Decimal("30000"),
        returns=Decimal("10000"),
        customer_service=Decimal("15000"),
        kam_team_cost=Decimal("25000"),
        other_costs=Decimal("5000"),
    )
    LifetimeValueAssumption.objects.create(
        key_account=account,
        growth_rate_percent=Decimal("5"),
        discount_rate_percent=Decimal("10"),
        horizon_years=3,
    )


def test_the_lifetime_value_and_margins_are_written_the_french_way(client_for, people, account):
    _plant(account)
    # By hand: gross margin 1,000,000 − 680,000 = 320,000 (32.0 %); cost to serve 155,000
    # (15.5 %); net profit 165,000 (16.5 %), the year-1 base.
    # Year 1: 165,000 / 1.1 = 150,000.00; year 2: 173,250 / 1.21 = 143,181.818… → 143,181.82;
    # year 3: 181,912.50 / 1.331 = 136,673.553… → 136,673.55. NPV = 429,855.37.
    cent = Decimal("0.01")
    profits = [Decimal("165000") * Decimal("1.05") ** (n - 1) for n in (1, 2, 3)]
    present = [
        (p / Decimal("1.1") ** n).quantize(cent, ROUND_HALF_UP)
        for n, p in zip((1, 2, 3), profits, strict=True)
    ]
    npv = sum(present)
    assert npv == Decimal("429855.37")

    html = (
        client_for(people.manager)
        .get(reverse("discovery:profitability", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert f'<strong id="clv-npv">{_french(npv, 2)}{NBSP}€</strong>' in html
    assert f"{_french(Decimal('165000'), 2)}{NBSP}€" in html  # the year-1 base
    assert f"{_french(Decimal('143181.82'), 2)}{NBSP}€" in html  # year 2's present value
    for share in ("32,0 %", "15,5 %", "16,5 %"):
        assert share in html, share
    for english in ("EUR 429,855.37", "EUR 165,000.00", "32.0 %", "16.5 %"):
        assert english not in html, english

    listing = (
        client_for(people.manager)
        .get(reverse("discovery:index"), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert "16,5 %" in listing and "16.5 %" not in listing


def test_in_english_the_sums_keep_the_currency_code_first(client_for, people, account):
    _plant(account)
    html = (
        client_for(people.manager)
        .get(reverse("discovery:profitability", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert '<strong id="clv-npv">EUR 429,855.37</strong>' in html
    assert "32.0 %" in html
