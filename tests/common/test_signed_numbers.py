"""A negative number on a page or a PDF is written with the minus sign (U+2212), a change with
its sign ("+5", "−3"), in the reader's number format: one home, common.formats.number and
.signed (the `number` and `signed` filters). A CSV cell keeps the plain "-20.0" a spreadsheet
reads as a number."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import Role
from common import formats
from tests.factories import KeyAccountFactory, MembershipFactory, ProfitabilityYearFactory

MINUS = "\u2212"
THIS_YEAR = timezone.localdate().year
LAST, BEFORE = THIS_YEAR - 1, THIS_YEAR - 2


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-gb", ["−1,234.5", "+2.5", "−3", "0", "0", "−EUR 1,234"]),
        ("fr", ["−1\u00a0234,5", "+2,5", "−3", "0", "0", "−1\u00a0234\u00a0€"]),
    ],
)
def test_numbers_and_changes_are_written_with_the_minus_sign(language, expected):
    with translation.override(language):
        shown = [
            formats.number(Decimal("-1234.5"), 1),
            formats.signed(Decimal("2.5")),
            formats.signed(-3),
            formats.signed(0),
            formats.signed(-0.4, 0),  # rounds to 0: no sign on a zero
            formats.money(-1234, "EUR"),
        ]
    assert shown == expected
    assert not any("-" in text for text in shown)


@pytest.fixture
def falling(people):
    """Alder Foods sold 1,000,000 in BEFORE and 800,000 in LAST: −20.0 %."""
    account = KeyAccountFactory(customer__name="Alder Foods")
    for user, role in ((people.director, Role.DIRECTOR), (people.manager, Role.MANAGER)):
        MembershipFactory(user=user, key_account=account, role=role)
    for year, sales in ((BEFORE, 1_000_000), (LAST, 800_000)):
        ProfitabilityYearFactory(
            key_account=account, year=year, gross_sales=Decimal(sales), other_costs=Decimal(0)
        )
    return account


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def test_a_fall_is_written_with_the_minus_sign_on_the_pages_and_the_pdf(
    client_for, people, falling
):
    client = client_for(people.director)
    dashboard = _text(client.get(reverse("portfolio:dashboard")))
    assert f"({MINUS}20.0 % on {BEFORE})" in dashboard
    assert "-20.0" not in dashboard
    overview = _text(client.get(reverse("accounts:account_detail", args=[falling.pk])))
    assert f"{MINUS}20.0 %" in overview and "-20.0" not in overview
    pdf = PdfReader(io.BytesIO(client.get(reverse("portfolio:dashboard_pdf")).content))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert f"{MINUS}20.0 %" in text and "-20.0" not in text

    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    dashboard = _text(client_for(people.director).get(reverse("portfolio:dashboard")))
    assert f"({MINUS}20,0\u00a0% par rapport à {BEFORE})" in dashboard


def test_the_csv_cell_keeps_a_number_a_spreadsheet_reads(client_for, people, falling):
    response = client_for(people.director).get(reverse("portfolio:performance_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    alder = next(dict(zip(rows[0], row, strict=True)) for row in rows if row[0] == "Alder Foods")
    assert alder["Revenue change (%)"] == "-20.0"
    assert Decimal(alder["Revenue change (%)"]) == Decimal("-20.0")
