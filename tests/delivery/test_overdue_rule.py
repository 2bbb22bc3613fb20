"""One meaning of "overdue" everywhere: still open (open, in progress or waiting on others)
and due before today in the reader's own time zone.

My work's "Overdue (N)" tab said 0 above a row marked "Overdue 27 Nov" (a waiting action):
the count and the label used two rules. These tests plant actions around today, count the
overdue ones by hand and read the count and the labels from the pages people see.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.selectors import user_today
from planning import rules
from planning.models import Action
from tests.factories import ActionFactory

MY_WORK = reverse("delivery:index")

# (title, days from the owner's today, status)
PLANTED = [
    ("Yesterday open", -1, "open"),
    ("Yesterday waiting", -1, "waiting"),  # waiting does not stop the clock
    ("Ten days late in progress", -10, "in_progress"),
    ("Yesterday done", -1, "done"),
    ("Yesterday cancelled", -1, "cancelled"),
    ("Today open", 0, "open"),
    ("Tomorrow in progress", 1, "in_progress"),
    ("In three days waiting", 3, "waiting"),
]
# By hand: the open/waiting/in-progress ones due before today.
EXPECTED_OVERDUE = {"Yesterday open", "Yesterday waiting", "Ten days late in progress"}


@pytest.fixture
def planted(plan, people):
    me = people.team_member
    today = user_today(me)
    for title, days, status in PLANTED:
        ActionFactory(
            plan=plan, owner=me, title=title, status=status, due_on=today + timedelta(days=days)
        )
    return me


def overdue_count(html: str) -> int:
    """The number on My work's "Overdue (N)" tab."""
    tab = re.search(r"Overdue \((.*?)\)</a>", html, re.S)[1]
    return int(re.sub(r"<[^>]+>", "", tab))


def overdue_rows(html: str) -> set[str]:
    """Titles of the rows labelled "Overdue" in My work's table."""
    rows = re.findall(r'<tr class="table-overdue">(.*?)</tr>', html, re.S)
    return {re.search(r'actions/\d+/">([^<]+)</a>', row)[1] for row in rows}


def test_the_rule_matches_the_model_statuses():
    assert set(rules.ACTION_OPEN_STATUSES) == set(Action.OPEN_STATUSES)


def test_my_work_count_and_row_labels_agree(client_for, planted):
    client = client_for(planted)
    html = client.get(MY_WORK).content.decode()
    count = overdue_count(html)
    assert count == len(EXPECTED_OVERDUE) == 3
    assert overdue_rows(html) == EXPECTED_OVERDUE
    tab = client.get(MY_WORK, {"show": "overdue"}).content.decode()
    assert overdue_rows(tab) == EXPECTED_OVERDUE
    assert "Today open" not in tab and "Yesterday done" not in tab
    # "Due this week" holds what is not overdue yet (and not waiting).
    week = client.get(MY_WORK, {"show": "week"}).content.decode()
    assert "Today open" in week and "Tomorrow in progress" in week
    assert not overdue_rows(week)


def test_action_page_labels_by_the_same_rule(client_for, planted, account):
    client = client_for(planted)
    for action in Action.objects.filter(owner=planted):
        url = reverse("delivery:action_detail", args=[account.pk, action.pk])
        html = client.get(url).content.decode()
        labelled = '<span class="text-overdue">Overdue</span>' in html
        assert labelled == (action.title in EXPECTED_OVERDUE), action.title


def test_home_page_overdue_labels_and_account_counts_agree(client_for, people, planted, account):
    # The team member's home lists their actions due soon; the manager's the account's count.
    html = client_for(planted).get("/").content.decode()
    assert html.count("<strong>Overdue</strong> since") == len(EXPECTED_OVERDUE)
    manager_home = client_for(people.manager).get("/").content.decode()
    row = re.search(r"Northwind Foods.*?</tr>", manager_home, re.S)[0]
    assert f'<span class="text-overdue">{len(EXPECTED_OVERDUE)}</span>' in row


def test_plan_page_marks_the_same_actions_overdue(client_for, people, planted, account):
    html = client_for(people.manager).get(reverse("planning:plan", args=[account.pk]))
    text = html.content.decode()
    assert text.count('<span class="text-overdue">overdue</span>') == len(EXPECTED_OVERDUE)


def test_today_is_the_readers_own_date(client_for, people, plan):
    """Someone in Kiritimati (UTC+14) is usually a day ahead of London: an action due on
    London's today is overdue for them exactly when their date is already later."""
    me = people.team_member
    me.time_zone = "Pacific/Kiritimati"
    me.save()
    london_today = datetime.now(ZoneInfo("Europe/London")).date()
    their_today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    ActionFactory(plan=plan, owner=me, title="Due on London's today", due_on=london_today)
    expected = 1 if their_today > london_today else 0
    html = client_for(me).get(MY_WORK).content.decode()
    count = overdue_count(html)
    assert count == expected
    assert len(overdue_rows(html)) == expected
