"""A target past its due date that nobody ever measured is off track (planning.rules: "off
track once the due date has passed without reaching the target"), everywhere the director
reads it: the dashboard's counts and "Why", the plan's health, the targets CSV. It was "No
measurement yet" for ever: −5 instead of −10, and never named among the reasons."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AccountPlanFactory,
    ObjectiveFactory,
    TargetFactory,
)
from tests.portfolio import health_table


@pytest.fixture
def lapsed(account):
    """`account` is directed by people.director (tests/conftest.py)."""
    today = timezone.localdate()
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    objective = ObjectiveFactory(plan=plan, title="Prove the trial")
    TargetFactory(
        objective=objective,
        kpi="Trial lines running",
        baseline_on=today - timedelta(days=200),
        due_on=today - timedelta(days=10),
    )
    TargetFactory(
        objective=objective,
        kpi="Sites signed",
        baseline_on=today - timedelta(days=10),
        due_on=today + timedelta(days=200),
    )
    return plan


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_dashboard_counts_and_names_the_lapsed_target(client_for, people, account, lapsed):
    html = client_for(people.director).get(reverse("portfolio:dashboard")).content.decode()
    row = html[html.index(f">{account.name}</a>") :]
    row = row[: row.index("</tr>")]
    due = (timezone.localdate() - timedelta(days=10)).strftime("%-d %b %Y")
    assert f"Trial lines running (Prove the trial): never measured, due {due}" in _text(row)
    assert "Sites signed" not in row  # not due yet: not measured yet, not off track
    targets = health_table.row_cells(html, account.name)["on_track"]
    shown = [health_table.text(line) for line in health_table.lines(targets)]
    assert shown == ["0 on track", "0 at risk", "1 off track"]


def test_plan_health_takes_ten_points_for_it(client_for, people, account, lapsed):
    html = client_for(people.director).get(reverse("planning:plan", args=[account.pk]))
    text = _text(html.content.decode())
    # −10 for the lapsed target, −5 for the one not measured yet.
    assert "Targets 1 off track, 0 at risk, 1 not measured yet −15 / 25" in text


def test_targets_csv_says_off_track(client_for, people, account, lapsed):
    response = client_for(people.director).get(reverse("portfolio:targets_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    status = {row["KPI"]: row["Status"] for row in rows}
    assert status == {"Trial lines running": "Off track", "Sites signed": "No measurement yet"}
