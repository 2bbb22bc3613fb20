"""Sums in whole units are rounded half up on every page, as the project rounds every figure
(common.formats.half_up): Python's round() rounds halves to even, so a net profit of
2,500.50 read "EUR 2,500" on the pages while 2,501.50 read "EUR 2,502", and the performance
CSV's 2500.50, rounded by hand, is 2,501. Planted amounts, expected figures worked out here."""

import csv
import io
import re
from decimal import Decimal

from django.urls import reverse

from tests.factories import ProfitabilityYearFactory

# Each year: gross sales, cost of goods; no cost to serve, so net profit = gross margin.
YEARS = {2023: ("62501.50", "60000.00"), 2024: ("62500.50", "60000.00")}


def _plant(account):
    for year, (sales, goods) in YEARS.items():
        ProfitabilityYearFactory(
            key_account=account,
            year=year,
            gross_sales=Decimal(sales),
            cost_of_goods=Decimal(goods),
            discounts=0,
            rebates=0,
            transport=0,
            returns=0,
            customer_service=0,
            kam_team_cost=0,
            other_costs=0,
        )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_whole_unit_sums_round_halves_up_on_every_page(client_for, people, account):
    _plant(account)
    # By hand: 2023 net 62,501.50 − 60,000 = 2,501.50 -> 2,502; 2024 net 2,500.50 -> 2,501
    # (half to even wrote 2,500); 2024 gross sales 62,500.50 -> 62,501 (was 62,500).
    director = client_for(people.director)

    page = _text(
        director.get(reverse("discovery:profitability", args=[account.pk])).content.decode()
    )
    assert "Gross sales EUR 62,502 EUR 62,501 " in page
    assert "Net account profit (gross margin − cost to serve) EUR 2,502 EUR 2,501 " in page

    listed = _text(director.get(reverse("discovery:index")).content.decode())
    assert "EUR 2,501 (2024)" in listed

    overview = director.get(reverse("accounts:account_detail", args=[account.pk]))
    section = overview.content.decode().split('id="ov-money"', 1)[1].split("</table>", 1)[0]
    assert "2024 EUR 62,501 " in _text(section)
    assert " EUR 2,501 " in _text(section)

    dashboard = _text(director.get(reverse("portfolio:dashboard")).content.decode())
    assert "EUR 2,501" in dashboard and "EUR 2,500 " not in dashboard

    # The CSV keeps the cents; rounded half up by hand, they are the pages' figure.
    rows = list(
        csv.reader(
            io.StringIO(
                director.get(reverse("portfolio:performance_csv")).content.decode("utf-8-sig")
            )
        )
    )
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Net profit 2024"] == "2500.50"
    assert row["Revenue 2024"] == "62500.50"
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert (total["Net profit 2024"], total["Net profit 2023"]) == ("2500.50", "2501.50")
