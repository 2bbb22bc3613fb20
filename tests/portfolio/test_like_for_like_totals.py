"""A year not every account has reported: its total covers those that did, and its change is
like for like; the year before's total beside it covered every account ("Revenue EUR 2,530,000
(+10.0 % on 2025)", then "2025: EUR 23,100,000"), which no reader could make add up. The year
before is now also given over the accounts compared. Expected figures by hand."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from tests.factories import KeyAccountFactory, MembershipFactory, ProfitabilityYearFactory

THIS = timezone.localdate().year
LAST = THIS - 1


@pytest.fixture
def planted(people):
    # Alder reported both years (1.0 M then 1.1 M: +10.0 %); Birch only LAST (0.5 M).
    for name, years in (
        ("Alder Foods", {LAST: 1_000_000, THIS: 1_100_000}),
        ("Birch Marine", {LAST: 500_000}),
    ):
        account = KeyAccountFactory(customer__name=name)
        MembershipFactory(user=people.director, key_account=account, role=Role.DIRECTOR)
        for year, sales in years.items():
            ProfitabilityYearFactory(
                key_account=account, year=year, gross_sales=Decimal(sales), other_costs=0
            )


def test_the_year_before_is_given_like_for_like_beside_its_total(client_for, people, planted):
    client = client_for(people.director)
    page = " ".join(
        client.get(reverse("portfolio:dashboard"), {"year": THIS}).content.decode().split()
    )
    assert "(+10.0 % on" in page  # 1,100,000 against Alder's 1,000,000
    assert (
        f"{LAST}: EUR 1,500,000. Like for like, the 1 account compared made EUR 1,000,000 in "
        f"{LAST}."
    ) in page
    assert "like for like EUR 1,000,000" in page  # under the table's total of LAST
    pdf = client.get(reverse("portfolio:dashboard_pdf"), {"year": THIS})
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "EUR 1,500,000 like for like EUR 1,000,000 +10.0 %" in text


def test_a_complete_year_needs_no_like_for_like_line(client_for, people, planted):
    page = client_for(people.director).get(reverse("portfolio:dashboard"), {"year": LAST})
    assert "Like for like" not in page.content.decode()
