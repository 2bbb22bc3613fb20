"""My work's short lists (and home's actions due) showed their first 20 rows as if they were
all: a coordinator with 25 meetings in the next 30 days never saw the last five. Each now says
when rows are left out and offers the whole list (`?all=<list>`); the row limit is lowered
here so that three rows are one too many."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import user_today
from delivery import selectors
from kam import home
from planning.models import Action
from tests.factories import ActionFactory, MeetingFactory, ObjectiveFactory, QuoteFactory
from tests.planning.factories import dated_target

from .conftest import at

URL = reverse("delivery:index")


@pytest.fixture
def two_rows(monkeypatch):
    monkeypatch.setattr(selectors, "MY_WORK_ROWS", 2)
    monkeypatch.setattr(home, "HOME_ACTION_ROWS", 2)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(html: str, heading_id: str) -> str:
    """From a list's heading to the next heading."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("<h2", start)]


def test_each_short_list_says_it_left_rows_out_and_lists_them_all_on_request(
    two_rows, client_for, people, account, plan
):
    manager = people.manager
    for day in (1, 2, 3):
        meeting = MeetingFactory(
            key_account=account,
            title=f"Call {day}",
            starts_at=at(day, 10),
            ends_at=at(day, 11),
        )
        meeting.attendees.add(manager)
    for number in (1, 2, 3):
        QuoteFactory(key_account=account, number=f"Q-{number}", status="sent", prepared_by=manager)
    today = user_today(manager)
    objective = ObjectiveFactory(plan=plan)
    for days in (100, 110, 120):
        dated_target(objective, f"{days} days", today, start=200, due=100, measured=days, actual=1)
    client = client_for(manager)
    html = client.get(URL).content.decode()

    meetings = _section(html, "my-meetings")
    assert [m for m in ("Call 1", "Call 2", "Call 3") if m in meetings] == ["Call 1", "Call 2"]
    assert "Only the first 2 are listed. List them all" in _text(meetings)
    assert 'href="?all=meetings#my-meetings"' in meetings
    quotes = _section(html, "my-quotes")
    assert "Only the first 2 are listed." in _text(quotes)
    assert 'href="?all=quotes#my-quotes"' in quotes
    targets = _section(html, "my-targets")
    # The longest waiting first: 120 and 110 days; 100 is the one left out.
    assert "120 days" in targets and "110 days" in targets and "100 days" not in targets
    assert "Only the first 2 are listed." in _text(targets)
    # Lists that fit say nothing.
    assert "Only the first" not in _text(_section(html, "my-reviews"))

    # The whole list on request, the other lists as they were, the actions' filter kept.
    html = client.get(URL, {"all": "meetings", "show": "week"}).content.decode()
    meetings = _section(html, "my-meetings")
    assert all(m in meetings for m in ("Call 1", "Call 2", "Call 3"))
    assert "Only the first" not in _text(meetings)
    quotes = _section(html, "my-quotes")
    assert "Only the first 2 are listed." in _text(quotes)
    assert 'href="?all=quotes&amp;show=week#my-quotes"' in quotes


def test_home_says_when_actions_due_are_left_out(two_rows, client_for, people, account, plan):
    due = timezone.localdate() + timedelta(days=3)
    for title in ("Send trays", "Book plant visit", "Call buyer"):
        ActionFactory(plan=plan, owner=people.manager, title=title, due_on=due)
    html = client_for(people.manager).get("/").content.decode()
    assert "Only the first 2 are listed: My work lists them all." in _text(html)
    assert f'<a href="{URL}">My work</a> lists them all' in html
    Action.objects.filter(title="Call buyer").update(status=Action.Status.DONE)
    html = client_for(people.manager).get("/").content.decode()
    assert "Only the first" not in _text(html)
