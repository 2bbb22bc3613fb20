"""My work asks a manager to measure again the targets of the plans they manage that are due a
new measurement (planning.rules.MEASURE_EVERY_DAYS, 92 days), whatever their status: before,
a stale target on track was flagged only on its plan page and in its PDF, and the "why" lists
name off-track targets only. Days planted and worked out by hand."""

import re
from html import unescape

from django.urls import reverse

from accounts.selectors import user_today
from tests.factories import AccountPlanFactory, ObjectiveFactory
from tests.planning.factories import dated_target

URL = reverse("delivery:index")


def _target(plan, kpi, today, **days):
    """A target of its own objective on `plan` (tests.planning.factories.dated_target)."""
    return dated_target(
        ObjectiveFactory(plan=plan, title=f"Objective of {kpi}"), kpi, today, **days
    )


def _box(html: str) -> str:
    box = html[html.rindex("<h2", 0, html.index('id="my-targets"')) :]
    return box[: box.index("</ul>")]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(html)).split())


def test_my_work_lists_the_targets_of_my_plans_due_a_new_measurement(
    client_for, people, account, other_account
):
    today = user_today(people.manager)
    plan = AccountPlanFactory(key_account=account, is_current=True)
    # Measured 150 days ago, 50 days after its start (50 of 300 days: 17 % expected), 30 % of
    # the way: on track, and 150 > 92 days old.
    stale = _target(plan, "Chilled SKUs listed", today, start=200, due=100, measured=150, actual=30)
    # Started 120 days ago, never measured: no measurement yet, 120 > 92 days since its start.
    never = _target(plan, "Depots on VMI", today, start=120, due=240)
    # Measured 10 days ago: not due.
    _target(plan, "Fresh count", today, start=200, due=100, measured=10, actual="60")
    # Measured 92 days ago, a quarter to the day: not yet older than MEASURE_EVERY_DAYS.
    _target(plan, "Quarter old", today, start=200, due=100, measured=92, actual="40")
    # Reached 150 days ago: nothing left to measure.
    _target(plan, "Already there", today, start=200, due=100, measured=150, actual="100")
    # Stale too, on an account whose team the manager is not on.
    hidden = AccountPlanFactory(key_account=other_account, is_current=True)
    _target(hidden, "Not my account", today, start=200, due=100, measured=150, actual="30")
    # Stale, on the manager's account but an archived plan.
    old = AccountPlanFactory(key_account=account, is_current=False, period="FY2020")
    _target(old, "Old plan target", today, start=200, due=100, measured=150, actual="30")

    html = client_for(people.manager).get(URL).content.decode()
    box = _box(html)
    assert _text(box) == (
        "Targets to measure again "
        "Targets of the plans you manage whose latest measurement (or start, if never "
        "measured) is more than 92 days old, whatever their status; the longest waiting first. "
        "Chilled SKUs listed — Northwind Foods On track · Last measured 150 days ago: measure "
        "again "
        "Depots on VMI — Northwind Foods No measurement yet · Not measured in the 120 days "
        "since its start: measure it"
    )
    # Each links to its target's measurement form on the account's progress page, where a
    # measurement leaves the plan's approval as it is.
    progress = reverse("delivery:progress", args=[account.pk])
    assert f'href="{progress}?measure={stale.pk}#target-{stale.pk}"' in box
    assert f'href="{progress}?measure={never.pk}#target-{never.pk}"' in box
    # The link opens that target's form, and only that one's.
    page = client_for(people.manager).get(progress, {"measure": stale.pk}).content.decode()
    assert f'id="target-{stale.pk}"' in page and "Save measurement" in page
    opened = re.findall(r'<details open>.*?action="([^"]+)"', page, re.S)
    assert opened == [reverse("delivery:measurement_create", args=[account.pk, stale.pk])]
    closed = client_for(people.manager).get(progress, {"measure": "x"}).content.decode()
    assert "<details open>" not in closed


def test_only_the_plans_manager_is_asked(client_for, people, account):
    today = user_today(people.manager)
    plan = AccountPlanFactory(key_account=account, is_current=True)
    _target(plan, "Chilled SKUs listed", today, start=200, due=100, measured=150, actual="30")
    for user in (people.director, people.coordinator, people.team_member):
        box = _text(_box(client_for(user).get(URL).content.decode()))
        assert "Chilled SKUs listed" not in box
        assert "No target of the plans you manage is due a new measurement." in box
