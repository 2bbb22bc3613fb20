"""The portfolio reads discovery's net account profit: gross margin (gross sales − cost of
goods) − cost to serve. The performance table, the profit concentration, the matrix's profit
bubbles and the lifetime value ranking all show it; an entered lifetime value base is called
entered, beside the computed net profit. Figures recomputed by hand from the planted rows."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from discovery.models import LifetimeValueAssumption
from discovery.services import lifetime_value
from tests.factories import KeyAccountFactory, MembershipFactory, ProfitabilityYearFactory

URL = reverse("portfolio:dashboard")


@pytest.fixture
def planted(people, account):
    year = timezone.localdate().year - 1
    baltic = KeyAccountFactory(customer__name="Baltic Marine", classification="star")
    MembershipFactory(user=people.director, key_account=baltic, role=Role.DIRECTOR)
    for customer in (account.customer, baltic.customer):
        customer.attractiveness_score = Decimal("70")
        customer.strength_score = Decimal("60")
        customer.save()
    # Northwind: 1,000,000 − 700,000 cost of goods − 50,000 transport = 250,000.
    ProfitabilityYearFactory(
        key_account=account,
        year=year,
        gross_sales=Decimal("1000000"),
        cost_of_goods=Decimal("700000"),
        transport=Decimal("50000"),
    )
    # Baltic: 600,000 − 420,000 − 120,000 KAM team = 60,000; the team entered a base of 180,000.
    ProfitabilityYearFactory(
        key_account=baltic,
        year=year,
        gross_sales=Decimal("600000"),
        cost_of_goods=Decimal("420000"),
        kam_team_cost=Decimal("120000"),
    )
    LifetimeValueAssumption.objects.create(key_account=baltic, base_profit=Decimal("180000"))
    return year


def _cells(html: str, name: str) -> list[str]:
    row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if f">{name}</a>" in r)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", row, re.S)]


def test_the_portfolio_shows_net_profit_after_cost_of_goods(client_for, people, planted):
    html = client_for(people.director).get(URL).content.decode()
    performance = html[html.index("Revenue and net profit per account") :]
    northwind = _cells(performance, "Northwind Foods")
    assert northwind[1] == "EUR 1,000,000"  # revenue
    assert northwind[5] == "EUR 250,000"  # net profit, not 950,000
    assert _cells(performance, "Baltic Marine")[5] == "EUR 60,000"
    # Concentration: the top account earns 250,000 of 310,000 = 80.6 %.
    concentration = html[html.index("Profit concentration") :]
    assert "Share of the total net profit of EUR 310,000" in concentration
    top = re.search(r"Top 1 account</th><td[^>]*>(.*?)</td>", concentration)[1]
    assert top == f"{(Decimal(250000) / 310000 * 100).quantize(Decimal('0.1'))} %" == "80.6 %"


def test_the_matrix_profit_bubbles_use_net_profit(client_for, people, planted):
    html = client_for(people.director).get(URL, {"bubble": "profit"}).content.decode()
    assert f"net profit EUR 250,000 ({planted})" in html
    assert f"net profit EUR 60,000 ({planted})" in html


def test_the_lifetime_value_ranking_says_which_base_it_used(client_for, people, planted):
    html = client_for(people.director).get(URL).content.decode()
    ranking = html[html.index("Customer lifetime value") :]
    baltic = _cells(ranking, "Baltic Marine")
    entered = lifetime_value(
        base_profit=Decimal("180000"),
        growth_rate_percent=Decimal("3"),
        discount_rate_percent=Decimal("8"),
        horizon_years=5,
    )
    assert baltic[2] == f"EUR {entered.npv:,.0f}"
    assert baltic[3] == (
        f"entered base profit EUR 180,000 (computed net profit {planted}: EUR 60,000), "
        "3 % growth, 8 % discount, 5 years"
    )
    northwind = _cells(ranking, "Northwind Foods")
    computed = lifetime_value(
        base_profit=Decimal("250000"),
        growth_rate_percent=Decimal("3"),
        discount_rate_percent=Decimal("8"),
        horizon_years=5,
    )
    assert northwind[2] == f"EUR {computed.npv:,.0f}"
    assert northwind[3].startswith(f"computed net profit {planted}: EUR 250,000, 3 % growth")
