"""The health table's sort and the performance rows' sort read their keys through one LEFT JOIN
(the current plan; this year's profitability row) instead of a subquery per account
(bench/README.md, finding 45). The order and the figures must be those worked out here by
hand, with plans that are not current and years that are not this one beside them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import KeyAccount
from planning.models import AccountPlan
from portfolio.selectors.performance import performance
from portfolio.selectors.scope import PortfolioFilters
from portfolio.selectors.table import health_table_all, health_table_page
from tests.factories import AccountPlanFactory, KeyAccountFactory, ProfitabilityYearFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


def _account(name, *plans):
    """`plans`: (is_current, health score) per plan of the account."""
    account = KeyAccountFactory(customer__name=name)
    for is_current, score in plans:
        plan = AccountPlanFactory(key_account=account, is_current=is_current)
        AccountPlan.objects.filter(pk=plan.pk).update(health_score=score)
    return account


@pytest.fixture
def planted():
    # An archived plan scored 95 must not lift Aspen (current 40), nor give Birch (only an
    # archived plan) a score: Birch has no plan, ranked -1, first in the health sort.
    _account("Aspen", (False, 95), (True, 40))
    _account("Birch", (False, 90))
    _account("Cedar", (True, 70))
    _account("Delta", (True, 40))
    _account("Elm", (True, None))  # current plan never scored: ranked -1 with Birch


def _page(sort):
    accounts = KeyAccount.objects.active()
    filters = PortfolioFilters(sort=sort)
    page = health_table_page(
        accounts=accounts,
        filters=filters,
        today=timezone.localdate(),
        number=1,
        count=accounts.count(),
    )
    return [(row.name, row.health_score) for row in page.object_list]


def test_the_health_sort_reads_the_current_plan_only(planted):
    # Rank: no score -1 (Birch, Elm by name), then 40 (Aspen, Delta by name), then 70.
    expected = [("Birch", None), ("Elm", None), ("Aspen", 40), ("Delta", 40), ("Cedar", 70)]
    assert _page("health") == expected
    assert _page("-health") == [
        ("Cedar", 70),
        ("Aspen", 40),
        ("Delta", 40),
        ("Birch", None),
        ("Elm", None),
    ]


def test_the_health_sort_joins_the_current_plan_once(planted):
    with CaptureQueriesContext(connection) as queries:
        _page("health")
    sort = next(q["sql"] for q in queries.captured_queries if "ORDER BY COALESCE" in q["sql"])
    assert sort.count('LEFT OUTER JOIN "planning_accountplan"') == 1
    assert 'FROM "planning_accountplan" U0' not in sort  # no subquery per account


def test_the_rows_and_the_csv_show_the_current_plan(planted):
    """Every row's plan columns come from its current plan (one LEFT JOIN), never from an
    archived one: Aspen's archived plan (95) and Birch's only plan (archived) are not shown."""
    current = {
        plan.key_account.name: plan
        for plan in AccountPlan.objects.filter(is_current=True).select_related("key_account")
    }
    with CaptureQueriesContext(connection) as queries:
        rows = health_table_all(
            accounts=KeyAccount.objects.active(),
            filters=PortfolioFilters(sort="account"),
            today=timezone.localdate(),
        )
    got = [(r.name, r.plan_id, r.health_score, r.plan_period, r.plan_status) for r in rows]
    expected = []
    for name in ("Aspen", "Birch", "Cedar", "Delta", "Elm"):
        plan = current.get(name)
        expected.append(
            (name, plan.pk, plan.health_score, plan.period, plan.status)
            if plan
            else (name, None, None, None, None)
        )
    assert got == expected
    assert [score for _, _, score, _, _ in got] == [40, None, 70, 40, None]
    table = next(q["sql"] for q in queries.captured_queries if "health_rank" in q["sql"])
    assert table.count('LEFT OUTER JOIN "planning_accountplan"') == 1


@pytest.fixture
def figures():
    """net = gross sales − other costs; None: no row for that year."""
    rows = {
        # name: {year: (sales, costs)}
        "Aspen": {YEAR: (500, 100), YEAR - 1: (400, 100), YEAR + 1: (9_000, 0)},
        "Birch": {YEAR - 1: (800, 0), YEAR - 2: (50, 0)},  # nothing this year: last
        "Cedar": {YEAR: (700, 100)},
        "Delta": {YEAR: (450, 50), YEAR - 1: (300, 0)},
        "Elm": {YEAR: (1_000, 1_400)},  # a loss
    }
    for name, years in rows.items():
        account = KeyAccountFactory(customer__name=name)
        for year, (sales, costs) in years.items():
            ProfitabilityYearFactory(
                key_account=account,
                year=year,
                gross_sales=Decimal(sales),
                other_costs=Decimal(costs),
            )


def performance_of_every_account() -> dict:
    return performance(
        accounts=KeyAccount.objects.active(),
        accounts_total=5,
        today=timezone.localdate(),
        year=YEAR,
    )


def test_the_performance_rows_sort_on_this_years_net_profit(figures):
    with CaptureQueriesContext(connection) as queries:
        result = performance_of_every_account()
    rows_sql = next(q["sql"] for q in queries.captured_queries if "revenue_target" in q["sql"])
    # This year's row joined once; the year before stays a subquery (run for the kept rows).
    assert rows_sql.count('LEFT OUTER JOIN "discovery_profitabilityyear"') == 1
    got = [
        (
            row.name,
            row.sales_now,
            row.profit_now,
            row.sales_before,
            row.profit_before,
        )
        for row in result["rows"]
    ]
    d = Decimal
    # By this year's net profit, highest first, no figures last: Cedar 600, Aspen 400,
    # Delta 400 (by name), Elm −400, Birch none.
    assert got == [
        ("Cedar", d("700.00"), d("600.00"), None, None),
        ("Aspen", d("500.00"), d("400.00"), d("400.00"), d("300.00")),
        ("Delta", d("450.00"), d("400.00"), d("300.00"), d("300.00")),
        ("Elm", d("1000.00"), d("-400.00"), None, None),
        ("Birch", None, None, d("800.00"), d("800.00")),
    ]
    assert [str(row.profit_change) for row in result["rows"][:3]] == ["None", "33.3", "33.3"]


WIDE_COLUMNS = (
    '"accounts_customer"."notes"',
    '"accounts_keyaccount"."selection_rationale"',
    '"planning_accountplan"."strengths"',
)


def test_the_long_lists_carry_only_the_columns_they_show(client_for, people, portfolio):
    """The approvals, the matrix, the performance rows and the lifetime value ranking take
    every account in view (or every submitted plan) through a window or a sort: they select
    what they show, not every text column (finding 45); the page still shows each of them."""
    with CaptureQueriesContext(connection) as queries:
        response = client_for(people.executive).get("/portfolio/")
    assert response.status_code == 200
    marks = {
        "approvals": 'AS "waiting"',
        "matrix": '"scored_total"',
        "performance rows": '"revenue_target"',
        "lifetime value": '"clv_approx"',
    }
    for part, mark in marks.items():
        sql = next(q["sql"] for q in queries.captured_queries if mark in q["sql"])
        for column in WIDE_COLUMNS:
            assert column not in sql, (part, column)


def test_the_year_totals_compare_like_for_like_by_counting_each_accounts_years(figures):
    """Aspen and Delta have both years; Birch only the year before, Cedar and Elm only this
    year (Aspen's later year and Birch's earlier one are outside the two years)."""
    with CaptureQueriesContext(connection) as queries:
        totals = performance_of_every_account()["totals"]
    d = Decimal
    assert (totals["sales_now"], totals["sales_before"]) == (d(2650), d(1500))
    assert (totals["profit_now"], totals["profit_before"]) == (d(1000), d(1400))
    assert (totals["like_sales_now"], totals["like_sales_before"]) == (d(950), d(700))
    assert (totals["like_profit_now"], totals["like_profit_before"]) == (d(800), d(600))
    assert (totals["with_figures"], totals["with_before"], totals["compared"]) == (4, 3, 2)
    assert str(totals["sales_change"]) == "35.7"  # 950 against 700
    assert str(totals["profit_change"]) == "33.3"  # 800 against 600
    assert totals["like_for_like"] is True
    summed = next(
        q["sql"]
        for q in queries.captured_queries
        if "like_sales_now" in q["sql"] or "PARTITION BY" in q["sql"]
    )
    # One window over the rows aggregated, not a hashed IN subquery per FILTER (finding 45).
    assert "PARTITION BY" in summed
    assert summed.count('SELECT U0."key_account_id"') == 0
