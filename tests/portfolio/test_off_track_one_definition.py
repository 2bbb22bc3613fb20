""" "Off track" is one concept: the director's home, the plan page and the dashboard read it from
the same rule (planning.rules.target_status through portfolio.selectors.reasons.why_off_track
and planning's loaded targets) on the same live targets, and count the same overdue actions.
Planted targets, their statuses worked out by hand from TARGET_STATUS_RULE."""

import re
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.factories import AccountPlanFactory, ActionFactory, ObjectiveFactory, TargetFactory
from tests.portfolio import health_table


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _plant(account):
    today = timezone.localdate()
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    objective = ObjectiveFactory(plan=plan, title="Win the chilled range")
    way = {"baseline": Decimal("100"), "target_value": Decimal("200")}
    halfway = {"baseline_on": today - timedelta(days=100), "due_on": today + timedelta(days=100)}
    # Half the time gone (100 of 200 days), no progress: 50 points behind > 25: off track.
    behind = TargetFactory(objective=objective, kpi="Chilled revenue", **way, **halfway)
    behind.measurements.create(measured_on=today, actual=Decimal("100"))
    # 30 % of the way against 50 % expected: 20 points behind (10 < 20 <= 25): at risk.
    lagging = TargetFactory(objective=objective, kpi="Listings won", **way, **halfway)
    lagging.measurements.create(measured_on=today, actual=Decimal("130"))
    # Due yesterday and never measured: off track.
    TargetFactory(
        objective=objective,
        kpi="Ambient volume",
        baseline_on=today - timedelta(days=200),
        due_on=today - timedelta(days=1),
        **way,
    )
    # Not measured yet, not due: no measurement yet (not off track).
    TargetFactory(objective=objective, kpi="Depot count", **way, **halfway)
    # Archived, and would be off track: counted nowhere.
    archived = TargetFactory(
        objective=objective, kpi="Old KPI", archived_at=timezone.now(), **way, **halfway
    )
    archived.measurements.create(measured_on=today, actual=Decimal("100"))
    ActionFactory(plan=plan, title="Send the tray samples", due_on=today - timedelta(days=2))
    ActionFactory(plan=plan, title="Finished late", due_on=today - timedelta(days=5), status="done")
    return plan


def test_home_plan_page_and_dashboard_agree_on_what_is_off_track(client_for, people, account):
    _plant(account)
    client = client_for(people.director)

    home = client.get("/").content.decode()
    section = home[home.index('id="off-track"') :]
    section = _text(section[: section.index("</section>")])
    assert "Off track and why: 1 of 1 account" in section
    for named in ("Chilled revenue", "Ambient volume", "Send the tray samples"):
        assert named in section
    for not_named in ("Listings won", "Depot count", "Old KPI", "Finished late"):
        assert not_named not in section

    plan_page = client.get(reverse("planning:plan", args=[account.pk])).content.decode()
    objectives = plan_page[plan_page.index('id="objectives"') :]
    rows = {
        kpi: _text(objectives[objectives.index(f"<td>{kpi}") :].split("</tr>", 1)[0])
        for kpi in ("Chilled revenue", "Listings won", "Ambient volume", "Depot count")
    }
    assert "Off track" in rows["Chilled revenue"]
    assert "At risk" in rows["Listings won"]
    assert "Off track" in rows["Ambient volume"]
    assert "No measurement yet" in rows["Depot count"]
    assert "Old KPI" not in objectives[: objectives.index("</section>")]

    dashboard = client.get(reverse("portfolio:dashboard")).content.decode()
    cells = health_table.row_cells(dashboard, "Northwind Foods")
    assert health_table.text(cells["overdue"]) == "1"
    targets = [health_table.text(line) for line in health_table.lines(cells["on_track"])]
    assert targets == ["0 on track", "1 at risk", "2 off track"]
