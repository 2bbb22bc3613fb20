"""My work: a person's own actions, meetings and reviews across their accounts."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from planning.models import Review
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    KeyAccountFactory,
    MeetingFactory,
    MembershipFactory,
)

from .conftest import at

URL = reverse("delivery:index")


def test_my_work_sorts_actions_into_overdue_this_week_and_waiting(client_for, people, plan):
    today = timezone.localdate()
    me = people.team_member
    ActionFactory(plan=plan, owner=me, title="Late report", due_on=today - timedelta(days=2))
    ActionFactory(plan=plan, owner=me, title="Friday call", due_on=today + timedelta(days=3))
    ActionFactory(
        plan=plan, owner=me, title="Await legal", due_on=today + timedelta(60), status="waiting"
    )
    ActionFactory(plan=plan, owner=me, title="Next quarter", due_on=today + timedelta(days=60))
    ActionFactory(plan=plan, owner=me, title="Finished", due_on=today, status="done")
    ActionFactory(plan=plan, owner=people.manager, title="Not mine", due_on=today)
    client = client_for(me)
    html = client.get(URL).content.decode()
    for title in ("Late report", "Friday call", "Await legal"):
        assert title in html
    for title in ("Next quarter", "Finished", "Not mine"):
        assert title not in html
    assert 'class="table-overdue"' in html and "Overdue" in html
    overdue = client.get(URL, {"show": "overdue"}).content.decode()
    assert "Late report" in overdue and "Friday call" not in overdue
    waiting = client.get(URL, {"show": "waiting"}).content.decode()
    assert "Await legal" in waiting and "Late report" not in waiting


def test_my_work_leaves_out_actions_of_archived_plans_and_hidden_accounts(
    client_for, people, account, other_account
):
    AccountPlanFactory(key_account=account, is_current=False, period="FY2020")
    old = AccountPlanFactory(key_account=account, is_current=False, period="FY2021")
    ActionFactory(
        plan=old, owner=people.manager, title="Old plan action", due_on=timezone.localdate()
    )
    hidden = AccountPlanFactory(key_account=other_account)
    ActionFactory(
        plan=hidden, owner=people.manager, title="Lost access", due_on=timezone.localdate()
    )
    html = client_for(people.manager).get(URL).content.decode()
    assert "Old plan action" not in html and "Lost access" not in html


def test_my_work_shows_my_meetings_missing_follow_ups_and_reviews(client_for, people, plan):
    upcoming = MeetingFactory(
        key_account=plan.key_account,
        title="Pricing workshop",
        starts_at=at(2, 10),
        ends_at=at(2, 11),
    )
    upcoming.attendees.add(people.manager)
    not_mine = MeetingFactory(key_account=plan.key_account, title="Depot walk")
    not_mine.attendees.add(people.team_member)
    silent = MeetingFactory(
        key_account=plan.key_account,
        title="Forgotten debrief",
        starts_at=at(-6, 10),
        ends_at=at(-6, 11),
    )
    silent.attendees.add(people.manager)
    today = timezone.localdate()
    Review.objects.create(plan=plan, quarter="2030-Q1", opened_on=today, due_on=today)
    html = client_for(people.manager).get(URL).content.decode()
    assert "Pricing workshop" in html
    assert "Depot walk" not in html
    assert "Forgotten debrief" in html
    assert "2030-Q1 review" in html
    # A coordinator does not review plans.
    assert "2030-Q1 review" not in client_for(people.coordinator).get(URL).content.decode()


def test_each_action_row_has_a_one_click_progress_form(client_for, people, plan):
    ActionFactory(plan=plan, owner=people.team_member, due_on=timezone.localdate())
    html = client_for(people.team_member).get(URL).content.decode()
    assert "Save</button>" in html


def _many_actions(user, n):
    for _ in range(n):
        account = KeyAccountFactory()
        MembershipFactory(user=user, key_account=account, role="manager")
        plan = AccountPlanFactory(key_account=account)
        ActionFactory(plan=plan, owner=user, due_on=timezone.localdate() - timedelta(days=1))
        meeting = MeetingFactory(key_account=account)
        meeting.attendees.add(user)
        Review.objects.create(
            plan=plan,
            quarter="2030-Q2",
            opened_on=timezone.localdate(),
            due_on=timezone.localdate(),
        )


def test_my_work_costs_the_same_queries_at_two_sizes(
    client_for, people, django_assert_max_num_queries
):
    client = client_for(people.manager)
    _many_actions(people.manager, 3)
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200
    _many_actions(people.manager, 30)
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url
