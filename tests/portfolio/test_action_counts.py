"""Open and overdue actions are stored on each current plan with its health score (the manager
workload and the health table's "Overdue actions" read them): what the page and the CSV show
follows every kind of write at once, and the days passing, against hand-counted figures.

The portfolio (conftest.py): Max manages Northwind (two open actions due in three days, one
done), Baltic (one open, due in two weeks) and Castello (five open, ten days overdue).
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.services.progress import action_progress_update
from planning.models import AccountPlan, Action
from planning.services import action_cancel, action_save, plan_archive_current, plan_start
from planning.services import health as health_services
from portfolio.selectors.programme import manager_workload
from portfolio.selectors.scope import portfolio_scope
from tests.factories import ActionFactory

URL = reverse("portfolio:dashboard")
CSV_URL = reverse("portfolio:health_csv")
WORKLOAD_ROW = re.compile(
    r'<tr><td>([^<]*)</td><td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>'
    r'<td class="text-end">(?:<span class="text-overdue">)?(\d+)'
)


def _workload(client) -> list[tuple[str, int, int, int]]:
    """The manager workload table as the page prints it: (manager, accounts, open, overdue)."""
    html = client.get(URL).content.decode()
    table = html[html.index("Manager workload.") :]
    table = table[: table.index("</table>")]
    return [(name, int(a), int(o), int(d)) for name, a, o, d in WORKLOAD_ROW.findall(table)]


def _overdue_cells(client) -> dict[str, str]:
    response = client.get(CSV_URL)
    body = b"".join(response) if response.streaming else response.content
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return {row["Account"]: row["Overdue actions"] for row in rows}


def _plan(account) -> AccountPlan:
    return AccountPlan.objects.get(key_account=account, is_current=True)


def _seen(client, open_: int, overdue: int, cells: dict[str, str]) -> None:
    assert _workload(client) == [("Max Manager", 3, open_, overdue)]
    assert _overdue_cells(client) == {
        "Northwind Foods": cells.get("Northwind Foods", "0"),
        "Baltic Marine": cells.get("Baltic Marine", "0"),
        "Castello Hotels": cells.get("Castello Hotels", "0"),
        "Dover Tools": "0",  # no plan
    }


@pytest.fixture
def dana(client_for, people, portfolio):
    return client_for(people.director)


def test_the_counts_follow_every_kind_of_write(dana, people, portfolio):
    today = timezone.localdate()
    _seen(dana, 8, 5, {"Castello Hotels": "5"})
    castello = _plan(portfolio.castello)
    assert (castello.open_actions, castello.overdue_actions) == (5, 5)  # stored by the view

    # Created, already overdue.
    new = action_save(
        plan=castello,
        data={
            "title": "Call the hotel group",
            "owner": people.manager,
            "due_on": today - timedelta(days=1),
        },  # fmt: skip
        acting_user=people.manager,
    )
    _seen(dana, 9, 6, {"Castello Hotels": "6"})

    # Edited: its due date moves to next week.
    new.due_on = today + timedelta(days=7)
    action_save(
        plan=_plan(portfolio.castello),
        action=new,
        data={"title": new.title, "owner": people.manager, "due_on": new.due_on},
        acting_user=people.manager,
    )
    _seen(dana, 9, 5, {"Castello Hotels": "5"})

    # Closed (done) through Delivery, and cancelled in the plan.
    overdue_one, overdue_two = _plan(portfolio.castello).actions.filter(due_on__lt=today)[:2]
    action_progress_update(
        action=overdue_one, status="done", progress_percent=100, note="", revision=None,
        acting_user=people.manager,
    )  # fmt: skip
    _seen(dana, 8, 4, {"Castello Hotels": "4"})
    action_cancel(action=overdue_two, reason="Not needed", acting_user=people.manager)
    _seen(dana, 7, 3, {"Castello Hotels": "3"})

    # Deleted (the admin deletes the row).
    _plan(portfolio.northwind).actions.filter(status="open").first().delete()
    _seen(dana, 6, 3, {"Castello Hotels": "3"})

    # Another plan made current: Castello's new plan has one action, due yesterday.
    plan_archive_current(account=portfolio.castello, acting_user=people.manager)
    _seen(dana, 2, 0, {})
    fresh = plan_start(account=portfolio.castello, period="FY2099", acting_user=people.manager)
    ActionFactory(plan=fresh, owner=people.manager, due_on=today - timedelta(days=1))
    _seen(dana, 3, 1, {"Castello Hotels": "1"})


def test_actions_become_overdue_as_the_days_pass(dana, portfolio, monkeypatch):
    today = timezone.localdate()
    _seen(dana, 8, 5, {"Castello Hotels": "5"})
    # Four days on, with no write at all: Northwind's two actions due in three days are overdue;
    # Baltic's, due in two weeks, is not.
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=4))
    _seen(dana, 8, 7, {"Castello Hotels": "5", "Northwind Foods": "2"})
    assert _plan(portfolio.northwind).overdue_actions == 2  # stored for the new day


def test_counts_not_refreshed_today_are_counted_from_the_actions(people, portfolio):
    """The stored counts are read only for a plan refreshed today; any other plan (stale, or
    not yet refreshed since midnight) is counted, so the figures never depend on a refresh."""
    today = timezone.localdate()
    health_services.plan_health_refresh(today=today - timedelta(days=1))
    AccountPlan.objects.filter(is_current=True).update(open_actions=99, overdue_actions=99)
    Action.objects.filter(plan=_plan(portfolio.baltic)).update(due_on=today - timedelta(days=2))
    accounts = portfolio_scope(user=people.director)
    rows = manager_workload(accounts=accounts, today=today)["rows"]
    assert [(r["manager"], r["accounts"], r["open"], r["overdue"]) for r in rows] == [
        (people.manager, 3, 8, 6)
    ]
