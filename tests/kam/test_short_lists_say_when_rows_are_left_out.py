"""Short lists that stopped at a fixed number of rows as if that were all (the coordinator's
home, the programme admin's roadmap, an account's relationship history, the plan's events
beside its versions, the customer's acceptances and comments) now say when rows are left out
and, where the page can, list them all on request (`?all=<list>`). The limits are lowered
here so that three rows are one too many."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Programme
from discovery.models import RelationshipChange
from kam import home
from strategy.models import RoadmapItem
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    MeetingFactory,
    StakeholderFactory,
)
from workspace import selectors as workspace_selectors
from workspace.models import WorkspaceComment

pytestmark = pytest.mark.django_db

# The modules (their packages export view functions of the same names).
relationship = import_module("discovery.views.relationship")
records = import_module("planning.views.records")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def two_rows(monkeypatch):
    monkeypatch.setattr(home, "HOME_LIST_ROWS", 2)
    monkeypatch.setattr(relationship, "HISTORY_ROWS", 2)
    monkeypatch.setattr(records, "VERSIONS_EVENT_ROWS", 2)
    monkeypatch.setattr(workspace_selectors, "COMMENT_ROWS", 2)


def test_the_coordinators_home_says_so_and_lists_them_all(two_rows, client_for, people, account):
    plan = AccountPlanFactory(key_account=account, is_current=True)
    now = timezone.now()
    for day in (1, 2, 3):
        MeetingFactory(
            key_account=account,
            title=f"Visit {day}",
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=1),
        )
        EngagementActivityFactory(
            plan=plan, our_person=people.manager, purpose=f"Review {day}",
            next_due_on=timezone.localdate() + timedelta(days=day),
        )  # fmt: skip
    client = client_for(people.coordinator)
    html = client.get("/").content.decode()
    text = _text(html)
    assert [v for v in ("Visit 1", "Visit 2", "Visit 3") if v in text] == ["Visit 1", "Visit 2"]
    assert [r for r in ("Review 1", "Review 2", "Review 3") if r in text] == [
        "Review 1",
        "Review 2",
    ]
    assert text.count("Only the first 2 are listed. List them all") == 2
    assert 'href="?all=meetings#meetings"' in html
    assert 'href="?all=engagements#engagements"' in html
    text = _text(client.get("/", {"all": "meetings"}).content.decode())
    assert all(v in text for v in ("Visit 1", "Visit 2", "Visit 3"))
    assert "Review 3" not in text and text.count("Only the first 2 are listed") == 1


def test_the_roadmap_on_the_admins_home_says_so(two_rows, client_for, people):
    programme = Programme.ensure()
    for day in (1, 2, 3):
        RoadmapItem.objects.create(
            programme=programme,
            kind=RoadmapItem.Kind.choices[0][0],
            title=f"Workshop {day}",
            due_on=timezone.localdate() + timedelta(days=day),
        )
    client = client_for(people.programme_admin)
    text = _text(client.get("/").content.decode())
    assert "Workshop 2" in text and "Workshop 3" not in text
    assert "Only the first 2 are listed. List them all" in text
    assert "Workshop 3" in _text(client.get("/", {"all": "roadmap"}).content.decode())


def test_the_relationship_history_says_so(two_rows, client_for, people, account):
    for day, reason in ((30, "Oldest"), (20, "Middle"), (10, "Newest")):
        RelationshipChange.objects.create(
            key_account=account,
            field=RelationshipChange.Field.choices[0][0],
            new_value="basic",
            changed_on=timezone.localdate() - timedelta(days=day),
            reason=reason,
        )
    url = reverse("discovery:relationship", args=[account.pk])
    client = client_for(people.manager)
    text = _text(client.get(url).content.decode())
    assert "Newest" in text and "Middle" in text and "Oldest" not in text
    assert "Only the latest 2 are listed. List them all" in text
    text = _text(client.get(url, {"all": "history"}).content.decode())
    assert "Oldest" in text and "Only the latest" not in text


def test_the_plan_events_beside_the_versions_point_to_the_timeline(
    two_rows, client_for, people, account
):
    AccountPlanFactory(key_account=account, is_current=True)
    for n in (1, 2, 3):
        AccountEvent.objects.create(
            key_account=account,
            kind=AccountEvent.Kind.PLAN,
            summary=f"Plan step {n}",
            occurred_at=timezone.now() - timedelta(hours=4 - n),
        )
    html = client_for(people.manager).get(reverse("planning:versions", args=[account.pk]))
    html = html.content.decode()
    timeline = reverse("delivery:timeline", args=[account.pk])
    assert "Only the latest 2 are listed. The timeline has them all" in _text(html)
    assert f'href="{timeline}?kind=plan"' in html and f'href="{timeline}?kind=review"' in html


def test_the_customers_comments_say_so(two_rows, client_for, people, account):
    stakeholder = StakeholderFactory(key_account=account, name="Greta Hansen")
    action = ActionFactory(plan=AccountPlanFactory(key_account=account, is_current=True))
    for n in (1, 2, 3):
        WorkspaceComment.objects.create(
            key_account=account, stakeholder=stakeholder, action=action, text=f"Remark {n}"
        )
    url = reverse("workspace_team:satisfaction", args=[account.pk])
    client = client_for(people.manager)
    text = _text(client.get(url).content.decode())
    assert "Remark 3" in text and "Remark 2" in text and "Remark 1" not in text
    assert "Only the latest 2 are listed. List them all" in text
    assert "Remark 1" in _text(client.get(url, {"all": "comments"}).content.decode())
