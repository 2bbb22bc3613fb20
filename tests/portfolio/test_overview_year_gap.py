"""The account overview's "change on the year before" is the calendar year before, as the
portfolio dashboard compares years: a year whose year before was not recorded shows no change,
never a change on an older year across the gap (which read as a one-year change)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ProfitabilityYearFactory

pytestmark = pytest.mark.django_db


def _year(account, year, sales, other_costs):
    ProfitabilityYearFactory(
        key_account=account,
        year=year,
        gross_sales=Decimal(sales),
        other_costs=Decimal(other_costs),
    )


def _money_rows(html: str) -> dict[str, str]:
    """Year -> the text of its row in the overview's revenue and net profit table."""
    section = html.split('id="ov-money"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(\d{4})</th>(.*?)</tr>", section, re.S):
        rows[row[0]] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row[1])).strip()
    return rows


def test_a_year_after_a_gap_shows_no_change(client_for, people, account):
    # 2022 and 2024 recorded, 2023 not; 2025 follows 2024.
    _year(account, 2022, "1000000", "800000")  # net 200,000
    _year(account, 2024, "1500000", "1200000")  # net 300,000
    _year(account, 2025, "1800000", "1440000")  # net 360,000
    response = client_for(people.director).get(
        reverse("accounts:account_detail", args=[account.pk])
    )
    assert response.status_code == 200
    rows = _money_rows(response.content.decode())
    # 2024's year before (2023) is missing: no change. Before the fix it showed +50.0 % and
    # +50.0 %, 2024 on 2022, under a caption that says "change on the year before".
    assert rows["2024"] == "EUR 1,500,000 EUR 300,000"
    # 2025 on 2024, worked out by hand: revenue 300,000 / 1,500,000 = +20.0 %; net profit
    # 60,000 / 300,000 = +20.0 %.
    assert rows["2025"] == "EUR 1,800,000 +20.0 % EUR 360,000 +20.0 %"
    assert rows["2022"] == "EUR 1,000,000 EUR 200,000"
