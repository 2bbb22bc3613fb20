"""A revenue or net profit target is compared only with the revenue or net profit of the year
it covers (its due date's year), on the dashboard, its PDF and its CSV: the demo's FY2027
revenue target of EUR 9.2 M read "66.3 %" against 2025's revenue, which a director took for
two-thirds of the way. While the target's year has no figures, every place says so.

Planted (the figures per year, the targets with their due dates), expected shares by hand."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from planning import rules
from tests.factories import (
    AccountPlanFactory,
    KeyAccountFactory,
    MembershipFactory,
    ObjectiveFactory,
    ProfitabilityYearFactory,
    TargetFactory,
)

TODAY = timezone.localdate()
LAST = TODAY.year - 1  # every planted account reports it: the year the dashboard compares
BEFORE = LAST - 1
NEXT = TODAY.year + 1  # nobody has figures for it


def _money(value, currency="EUR") -> str:
    return f"{'−' if value < 0 else ''}{currency} {abs(value):,}"


@pytest.fixture
def planted(people):
    """name: ({year: (gross sales, costs)}, [(kind, target, due date)])."""
    spec = {
        # Two revenue targets: the one covering LAST is the one shown for LAST.
        "Alder Foods": (
            {BEFORE: (800_000, 600_000), LAST: (1_000_000, 700_000)},
            [("revenue", 1_100_000, date(LAST, 12, 31)), ("revenue", 1_500_000, date(NEXT, 8, 31))],
        ),
        # The demo's case: a target of a year with no figures yet, beside LAST's revenue.
        "Birch Marine": (
            {LAST: (900_000, 800_000)},
            [("revenue", 2_000_000, date(NEXT, 8, 31))],
        ),
        # A target of the year before, and a profit target of LAST missed with a loss.
        "Cedar Hotels": (
            {BEFORE: (450_000, 400_000), LAST: (400_000, 450_000)},
            [("revenue", 500_000, date(BEFORE, 6, 30)), ("net_profit", 30_000, date(LAST, 6, 30))],
        ),
    }
    for name, (years, targets) in spec.items():
        account = KeyAccountFactory(customer__name=name)
        MembershipFactory(user=people.director, key_account=account, role=Role.DIRECTOR)
        for year, (sales, costs) in years.items():
            ProfitabilityYearFactory(
                key_account=account,
                year=year,
                gross_sales=Decimal(sales),
                other_costs=Decimal(costs),
            )
        objective = ObjectiveFactory(plan=AccountPlanFactory(key_account=account))
        for kind, value, due_on in targets:
            TargetFactory(
                objective=objective,
                kpi=f"{kind} {due_on.year}",
                kind=kind,
                measure="amount",
                currency="EUR",
                unit="EUR",
                baseline=Decimal(0),
                baseline_on=date(BEFORE - 1, 1, 1),
                target_value=Decimal(value),
                due_on=due_on,
            )
    return spec


def _page(client, **query) -> str:
    html = client.get(reverse("portfolio:dashboard"), query).content.decode()
    return " ".join(html.split())


def test_a_target_covers_the_year_of_its_due_date():
    assert rules.target_year(date(NEXT, 8, 31)) == NEXT
    assert rules.target_reached_percent(Decimal(1_100_000), Decimal(1_000_000)) == Decimal("90.9")
    assert rules.target_reached_percent(Decimal(30_000), Decimal(-50_000)) is None
    assert rules.target_reached_percent(Decimal(2_000_000), None) is None


def test_the_dashboard_compares_each_target_with_its_own_year(client_for, people, planted):
    page = _page(client_for(people.director))
    # The summary: per year covered, each compared with that year's revenue only.
    assert (
        f"1 account with a revenue target for {BEFORE} in EUR: {_money(500_000)}; the 1 account "
        f"that reported {BEFORE} made {_money(450_000)} against its {_money(500_000)} (90.0 %)."
    ) in page  # 450,000 ÷ 500,000
    assert (
        f"1 account with a revenue target for {LAST} in EUR: {_money(1_100_000)}; the 1 account "
        f"that reported {LAST} made {_money(1_000_000)} against its {_money(1_100_000)} (90.9 %)."
    ) in page  # 1,000,000 ÷ 1,100,000 = 90.909 %
    assert (
        f"1 account with a revenue target for {NEXT} in EUR: {_money(2_000_000)}; "
        f"no {NEXT} revenue recorded yet."
    ) in page
    # Cedar lost 50,000 in LAST against a 30,000 profit target: no share of a target.
    assert (
        f"1 account with a net profit target for {LAST} in EUR: {_money(30_000)}; the 1 account "
        f"that reported {LAST} made {_money(-50_000)} against its {_money(30_000)}."
    ) in page
    # Birch's 900,000 of LAST is never set against its NEXT target (45.0 % before).
    assert "45.0" not in page and "45,0" not in page
    # The rows: each account's target with its year and what that year brought (a note that
    # wraps between its sums and its share, never inside them).
    assert (
        f'<span class="text-nowrap">{_money(1_100_000)} for {LAST}</span><br>'
        f'<span class="text-body-secondary"><span class="text-nowrap">{_money(1_000_000)}</span>'
        f' in {LAST} <span class="text-nowrap">(90.9 % reached)</span></span>'
    ) in page
    assert (
        f'<span class="text-nowrap">{_money(2_000_000)} for {NEXT}</span><br>'
        f'<span class="text-body-secondary">no {NEXT} revenue recorded yet</span>'
    ) in page
    assert (
        f'<span class="text-nowrap">{_money(500_000)} for {BEFORE}</span><br>'
        f'<span class="text-body-secondary"><span class="text-nowrap">{_money(450_000)}</span>'
        f' in {BEFORE} <span class="text-nowrap">(90.0 % reached)</span></span>'
    ) in page
    # The column's total: per year, never one sum over several years.
    assert (
        f'<span class="text-nowrap">{_money(500_000)} for {BEFORE}</span><br>'
        f'<span class="text-nowrap">{_money(1_100_000)} for {LAST}</span><br>'
        f'<span class="text-nowrap">{_money(2_000_000)} for {NEXT}</span>'
    ) in page


def test_picking_another_year_shows_the_target_due_last_with_its_own_year(
    client_for, people, planted
):
    page = _page(client_for(people.director), year=BEFORE)
    # Alder has no BEFORE target: its row shows the one due last, against NEXT (no figures),
    # never against BEFORE's 800,000 or LAST's 1,000,000.
    assert (
        f'<span class="text-nowrap">{_money(1_500_000)} for {NEXT}</span><br>'
        f'<span class="text-body-secondary">no {NEXT} revenue recorded yet</span>'
    ) in page
    assert (
        f"2 accounts with a revenue target for {NEXT} in EUR: {_money(3_500_000)}; "
        f"no {NEXT} revenue recorded yet."
    ) in page


def test_the_pdf_says_so_too(client_for, people, planted):
    response = client_for(people.director).get(reverse("portfolio:dashboard_pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"{_money(2_000_000)} for {NEXT}" in text
    assert (
        f"1 account with a revenue target for {NEXT} in EUR: {_money(2_000_000)}; "
        f"no {NEXT} revenue recorded yet."
    ) in text
    assert f"made {_money(1_000_000)} against its {_money(1_100_000)} (90.9 %)" in text


def test_the_performance_csv_has_each_target_with_its_year(client_for, people, planted):
    response = client_for(people.director).get(reverse("portfolio:performance_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    # The columns read before keep their names and places; the new ones follow.
    assert header[:10] == [
        "Account",
        "Customer reference",
        f"Reported {LAST}",
        f"Revenue {LAST}",
        f"Revenue {BEFORE}",
        "Revenue change (%)",
        f"Net profit {LAST}",
        f"Net profit {BEFORE}",
        "Net profit change (%)",
        "Currency",
    ]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    alder, birch, cedar = (by_name[n] for n in ("Alder Foods", "Birch Marine", "Cedar Hotels"))
    assert alder["Currency"] == "EUR"
    assert (
        alder["Revenue target"],
        alder["Revenue target currency"],
        alder["Revenue target year"],
        alder["Revenue in the target's year"],
        alder["Revenue target reached (%)"],
    ) == ("1100000.00", "EUR", str(LAST), "1000000.00", "90.9")
    assert (
        birch["Revenue target"],
        birch["Revenue target year"],
        birch["Revenue in the target's year"],
        birch["Revenue target reached (%)"],
    ) == ("2000000.00", str(NEXT), "", "")
    assert (cedar["Revenue target year"], cedar["Revenue target reached (%)"]) == (
        str(BEFORE),
        "90.0",
    )
    assert (
        cedar["Net profit target"],
        cedar["Net profit target year"],
        cedar["Net profit in the target's year"],
        cedar["Net profit target reached (%)"],
    ) == ("30000.00", str(LAST), "-50000.00", "")
    total = dict(zip(header, rows[-1], strict=True))
    assert total["Currency"] == "EUR" and total["Revenue target"] == ""
