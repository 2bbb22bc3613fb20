"""The dashboard's statements are compiled once per account scope (its SQL and parameters),
day or year, and kept for the process (common.compiled.CompiledPerKey; bench/README.md,
finding 52). Several people's dashboards and several days asked in turn, in one process, must
each show their own figures, worked out here by hand: a statement compiled for one scope or day
must never answer another."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from planning.models import AccountPlan
from portfolio.selectors import PortfolioFilters, dashboard
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    MembershipFactory,
    OpportunityFactory,
    ProfitabilityYearFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(people, account, other_account):
    """Dana directs Northwind (Max manages it), Otto directs Helios (Olga manages it).

    | account   | opportunity | net profit last year (year before) | plan      | actions          |
    |-----------|-------------|------------------------------------|-----------|------------------|
    | Northwind | 100,000     | 1,000,000 − 400,000 = 600,000 (1)  | draft     | 2 due yesterday  |
    | Helios    | 250,000     | 2,000,000 − 500,000 = 1,500,000 (1)| submitted | 1 due in 5 days  |
    """
    today = timezone.localdate()
    year = today.year - 1
    for ka, value, sales, costs in (
        (account, "100000", "1000000", "400000"),
        (other_account, "250000", "2000000", "500000"),
    ):
        OpportunityFactory(key_account=ka, annual_value=Decimal(value))
        ProfitabilityYearFactory(
            key_account=ka, year=year, gross_sales=Decimal(sales), other_costs=Decimal(costs)
        )
        ProfitabilityYearFactory(key_account=ka, year=year - 1, gross_sales=Decimal("1"))
        customer = ka.customer
        customer.attractiveness_score, customer.strength_score = Decimal(60), Decimal(60)
        customer.annual_revenue = Decimal(sales)
        customer.save()
    northwind_plan = AccountPlanFactory(key_account=account)
    helios_plan = AccountPlanFactory(
        key_account=other_account, status=AccountPlan.Status.SUBMITTED, submitted_at=timezone.now()
    )
    for title in ("Call the buyer", "Send the quote"):
        ActionFactory(plan=northwind_plan, title=title, due_on=today - timedelta(days=1))
    ActionFactory(plan=helios_plan, title="Book the visit", due_on=today + timedelta(days=5))
    MembershipFactory(user=people.executive, key_account=other_account, role=Role.TEAM_MEMBER)
    return today


def _figures(user, *, today, health=""):
    context = dashboard(user=user, filters=PortfolioFilters(health=health), today=today)
    performance = context["performance"]
    workload = context["programme"]["workload"]["rows"]
    return {
        "pipeline": context["pipeline"]["totals"]["grand_total"],
        "rows": [(row.name, row.profit_now) for row in performance["rows"]],
        "lifetime": [item["account"].name for item in performance["lifetime_values"]],
        "concentration": performance["concentration"]["total"],
        "targets_year": performance["year"],
        "directors": [name for _pk, name in context["choices"].directors],
        "managers": [name for _pk, name in context["choices"].managers],
        "approvals": context["programme"]["approvals"]["count"],
        "workload": [(str(r["manager"]), r["accounts"], r["open"], r["overdue"]) for r in workload],
        "plotted": sorted(point["account"].name for point in context["matrix"]["points"]),
        "page": [row.name for row in context["page"].object_list],
        "overdue": {row.name: [a.title for a in row.why.overdue] for row in context["page"]},
    }


DANA = {
    "pipeline": Decimal("100000"),
    "rows": [("Northwind Foods", Decimal("600000"))],
    "lifetime": ["Northwind Foods"],
    "concentration": Decimal("600000"),
    "directors": ["Dana Director"],
    "managers": ["Max Manager"],
    "approvals": 0,
    "workload": [("Max Manager", 1, 2, 2)],
    "plotted": ["Northwind Foods"],
    "page": ["Northwind Foods"],
    "overdue": {"Northwind Foods": ["Call the buyer", "Send the quote"]},
}
OTTO = {
    "pipeline": Decimal("250000"),
    "rows": [("Helios Retail", Decimal("1500000"))],
    "lifetime": ["Helios Retail"],
    "concentration": Decimal("1500000"),
    "directors": ["Otto Other"],
    "managers": ["Olga Other"],
    "approvals": 1,
    "workload": [("Olga Other", 1, 1, 0)],
    "plotted": ["Helios Retail"],
    "page": ["Helios Retail"],
    "overdue": {"Helios Retail": []},
}
EVERYONE = {
    "pipeline": Decimal("350000"),
    "rows": [("Helios Retail", Decimal("1500000")), ("Northwind Foods", Decimal("600000"))],
    "lifetime": ["Helios Retail", "Northwind Foods"],
    "concentration": Decimal("2100000"),
    "directors": ["Dana Director", "Otto Other"],
    "managers": ["Max Manager", "Olga Other"],
    "approvals": 1,
    # Max first: more overdue actions.
    "workload": [("Max Manager", 1, 2, 2), ("Olga Other", 1, 1, 0)],
    "plotted": ["Helios Retail", "Northwind Foods"],
    "page": ["Helios Retail", "Northwind Foods"],
    "overdue": {"Helios Retail": [], "Northwind Foods": ["Call the buyer", "Send the quote"]},
}


def _check(got, expected, year):
    assert got.pop("targets_year") == year
    assert got == expected


def test_each_scope_gets_its_own_figures_asked_in_turn(people, planted):
    today = planted
    for user, expected in (
        (people.director, DANA),
        (people.other_director, OTTO),
        (people.executive, EVERYONE),
        (people.director, DANA),  # compiled for her first: still hers after the others
        (people.executive, EVERYONE),
        (people.other_director, OTTO),
    ):
        _check(_figures(user, today=today), expected, today.year - 1)


def test_a_health_filter_is_its_own_scope(people, planted):
    today = planted
    _check(_figures(people.executive, today=today), EVERYONE, today.year - 1)
    # Neither plan has a score above "poor" (both lack most of what health reads): the
    # healthy filter leaves no account, so every list is empty.
    healthy = _figures(people.executive, today=today, health="good")
    assert (healthy["pipeline"], healthy["rows"], healthy["page"], healthy["workload"]) == (
        Decimal(0),
        [],
        [],
        [],
    )
    assert healthy["approvals"] == 0
    _check(_figures(people.executive, today=today), EVERYONE, today.year - 1)


def test_the_next_days_overdue_actions_are_that_days(people, planted):
    today = planted
    _check(_figures(people.other_director, today=today), OTTO, today.year - 1)
    # Six days on, Helios's action (due in five) is overdue: in the workload and in the why
    # list, though the statements were compiled for the day before.
    later = _figures(people.other_director, today=today + timedelta(days=6))
    assert later["workload"] == [("Olga Other", 1, 1, 1)]
    assert later["overdue"] == {"Helios Retail": ["Book the visit"]}
    assert _figures(people.other_director, today=today)["workload"] == [("Olga Other", 1, 1, 0)]
