"""The health table sorts every account on the sort's own columns and computes the other
columns for the rows of its page only (bench/README.md, finding 23); the CSV computes them for
every row. Both must show the same figures, worked out here by hand from planted data."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    KeyAccountFactory,
    MembershipFactory,
    ObjectiveFactory,
    TargetFactory,
    UserFactory,
)
from tests.planning.factories import MeasurementFactory

URL = reverse("portfolio:dashboard")
CSV_URL = reverse("portfolio:health_csv")


def _csv_rows(client, **params) -> dict[str, dict[str, str]]:
    response = client.get(CSV_URL, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {row["Account"]: row for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}


def _directed(people, name: str):
    account = KeyAccountFactory(customer__name=name)
    MembershipFactory(user=people.director, key_account=account, role=Role.DIRECTOR)
    return account


@pytest.fixture
def accounts_with_overdue_actions(people):
    """27 accounts, "Acct 00" … "Acct 26"; account i has i % 4 overdue actions and one action
    not yet due, and its own manager "Manager i"."""
    today = timezone.localdate()
    for i in range(27):
        account = _directed(people, f"Acct {i:02d}")
        manager = UserFactory(first_name="Manager", last_name=str(i))
        MembershipFactory(user=manager, key_account=account, role=Role.MANAGER)
        plan = AccountPlanFactory(key_account=account, status="draft")
        ActionFactory.create_batch(i % 4, plan=plan, due_on=today - timedelta(days=3))
        ActionFactory(plan=plan, due_on=today + timedelta(days=3))


def test_a_later_page_shows_its_own_rows_with_their_figures(
    client_for, people, accounts_with_overdue_actions
):
    # By overdue actions, fewest first, then name: 7 accounts with 0 (i = 0, 4, …, 24),
    # 7 with 1, 7 with 2, 6 with 3 (i = 3, 7, 11, 15, 19, 23). Rows 26 and 27, page 2: the
    # last two with 3, by name.
    client = client_for(people.director)
    response = client.get(URL, {"sort": "overdue", "page": 2})
    rows = response.context["page"].object_list
    assert [row.name for row in rows] == ["Acct 19", "Acct 23"]
    assert [row.overdue_actions for row in rows] == [3, 3]
    assert [row.manager_name for row in rows] == ["Manager 19", "Manager 23"]
    assert [row.director_name for row in rows] == [people.director.get_full_name()] * 2
    html = response.content.decode()
    page = html[html.index('id="health"') : html.index('id="pipeline"')]  # the table's section
    assert "Acct 19" in page and "Acct 23" in page and "Acct 15" not in page
    assert "Manager 19" in page and "Manager 23" in page
    # The CSV has every account, each with its own figures.
    exported = _csv_rows(client, sort="overdue")
    assert len(exported) == 27
    for i in range(27):
        assert exported[f"Acct {i:02d}"]["Overdue actions"] == str(i % 4)
        assert exported[f"Acct {i:02d}"]["Manager"] == f"Manager {i}"


def test_first_page_by_overdue_descending(client_for, people, accounts_with_overdue_actions):
    client = client_for(people.director)
    rows = client.get(URL, {"sort": "-overdue"}).context["page"].object_list
    # 6 with 3, 7 with 2, 7 with 1, then the first 5 of the 7 with none.
    assert [row.overdue_actions for row in rows] == [3] * 6 + [2] * 7 + [1] * 7 + [0] * 5
    assert [row.name for row in rows[:6]] == [f"Acct {i:02d}" for i in (3, 7, 11, 15, 19, 23)]


def test_on_track_targets_count_when_nothing_is_off_track_or_overdue(client_for, people):
    """A plan with on-track targets and nothing off track or overdue (its "why" is empty)
    still shows its on-track count. It used to show 0: the empty "why" was replaced."""
    account = _directed(people, "Quiet Waters")
    plan = AccountPlanFactory(key_account=account, status="draft")
    objective = ObjectiveFactory(plan=plan)
    # Baseline 100 ninety days ago, target 200 in 270 days: 25 % of the time has passed.
    # Measured 150 yesterday: 50 % of the way, ahead of the 25 % expected, so on track.
    for kpi in ("Volume", "Share of wallet"):
        MeasurementFactory(target=TargetFactory(objective=objective, kpi=kpi), actual=150)
    ActionFactory(plan=plan, due_on=timezone.localdate() + timedelta(days=7))
    client = client_for(people.director)
    [row] = client.get(URL).context["page"].object_list
    assert (row.on_track, row.at_risk, row.off_track) == (2, 0, 0)
    assert not row.why  # nothing to explain: no "Why" to open
    assert "Quiet Waters is off track" not in client.get(URL).content.decode()
    exported = _csv_rows(client)["Quiet Waters"]
    assert exported["Targets on track"] == "2"
    assert exported["Targets at risk"] == "0"
    assert exported["Targets off track"] == "0"
    assert exported["Overdue actions"] == "0"
