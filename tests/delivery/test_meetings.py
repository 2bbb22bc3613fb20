"""Meetings that coordinators schedule: validation, double bookings, notes and follow-ups."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from delivery.models import Meeting
from planning.models import Action
from tests.factories import (
    KeyAccountFactory,
    MeetingFactory,
    ObjectiveFactory,
    StakeholderFactory,
)

from .conftest import at, local_input


def create_url(account):
    return reverse("delivery:meeting_create", args=[account.pk])


def meeting_data(people, **over):
    data = {
        "kind": "customer",
        "title": "Clean-label pilot kick-off",
        "starts_at": local_input(5, 10),
        "ends_at": local_input(5, 11),
        "time_zone": "Europe/London",
        "location": "Northwind HQ, Hamburg",
        "attendees": [people.manager.pk, people.coordinator.pk],
        "agenda": "Scope, timeline, owners",
    }
    data.update(over)
    return data


def test_coordinator_schedules_a_meeting(client_for, people, account, stakeholder):
    data = meeting_data(people, stakeholders=[stakeholder.pk], time_zone="Europe/Berlin")
    response = client_for(people.coordinator).post(create_url(account), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.scheduled_by == people.coordinator
    assert set(meeting.attendees.all()) == {people.manager, people.coordinator}
    assert list(meeting.stakeholders.all()) == [stakeholder]
    # 10:00 in Berlin, stored as an absolute instant.
    assert meeting.local_starts_at.hour == 10
    assert meeting.starts_at == at(5, 10, zone=meeting.local_starts_at.tzinfo)
    assert AccountEvent.objects.filter(kind="meeting", summary__startswith="Meeting scheduled")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("team_member", 403), ("executive", 403), ("outsider", 404), ("other_director", 404)],
)
def test_only_schedule_roles_may_create_meetings(client_for, people, account, persona, status):
    client = client_for(getattr(people, persona))
    assert client.get(create_url(account)).status_code == status
    assert client.post(create_url(account), meeting_data(people)).status_code == status
    assert not Meeting.objects.exists()


def test_anonymous_is_sent_to_login(client, people, account):
    response = client.post(create_url(account), meeting_data(people))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize(
    "persona", ["director", "manager", "coordinator", "team_member", "executive"]
)
def test_every_role_on_the_account_sees_its_meetings(client_for, people, account, persona):
    MeetingFactory(key_account=account, title="Depot walk")
    response = client_for(getattr(people, persona)).get(
        reverse("delivery:account_meetings", args=[account.pk])
    )
    assert response.status_code == 200 and "Depot walk" in response.content.decode()


def test_end_before_start_is_refused_and_the_form_keeps_the_input(client_for, people, account):
    data = meeting_data(people, ends_at=local_input(5, 9))
    response = client_for(people.coordinator).post(create_url(account), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The meeting must end after it starts." in html
    assert "Clean-label pilot kick-off" in html and "Northwind HQ, Hamburg" in html
    assert not Meeting.objects.exists()


def test_attendees_must_be_team_and_stakeholders_of_this_account(
    client_for, people, account, other_account
):
    foreign = StakeholderFactory(key_account=other_account)
    data = meeting_data(people, attendees=[people.outsider.pk], stakeholders=[foreign.pk])
    response = client_for(people.coordinator).post(create_url(account), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Internal attendees must be on the account team." in html
    assert "Customer attendees must be stakeholders of this account." in html
    assert not Meeting.objects.exists()


def test_double_booking_is_warned_and_can_be_confirmed(client_for, people, account, other_account):
    busy = MeetingFactory(
        key_account=other_account,
        title="Helios pricing call",
        starts_at=at(5, 10, 30),
        ends_at=at(5, 11, 30),
    )
    busy.attendees.add(people.manager)
    client = client_for(people.coordinator)
    response = client.post(create_url(account), meeting_data(people))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Double booking" in html and "Max Manager" in html
    # The coordinator cannot see Helios: the warning does not reveal its meeting.
    assert "Helios pricing call" not in html and "a meeting on another account" in html
    assert not Meeting.objects.filter(key_account=account).exists()
    response = client.post(create_url(account), meeting_data(people, confirm_double_booking="on"))
    assert response.status_code == 302
    assert Meeting.objects.filter(key_account=account).count() == 1


def test_back_to_back_and_cancelled_meetings_are_not_double_bookings(client_for, people, account):
    before = MeetingFactory(key_account=account, starts_at=at(5, 9), ends_at=at(5, 10))
    cancelled = MeetingFactory(
        key_account=account, starts_at=at(5, 10), ends_at=at(5, 11), cancelled_at=timezone.now()
    )
    for meeting in (before, cancelled):
        meeting.attendees.add(people.manager)
    response = client_for(people.coordinator).post(create_url(account), meeting_data(people))
    assert response.status_code == 302


def test_editing_warns_about_overlaps_but_not_with_itself(client_for, people, account):
    meeting = MeetingFactory(key_account=account, starts_at=at(5, 10), ends_at=at(5, 11))
    meeting.attendees.add(people.manager)
    url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    data = meeting_data(people, title="Renamed", revision=0)
    assert client_for(people.coordinator).post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Renamed" and meeting.revision == 1
    stale = client_for(people.coordinator).post(url, meeting_data(people, title="Mine", revision=0))
    assert stale.status_code == 409
    assert "Someone else changed this meeting" in stale.content.decode()
    assert "Mine" in stale.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"


def test_another_accounts_meeting_is_404_on_every_page(client_for, people, account, other_account):
    foreign = MeetingFactory(key_account=other_account)
    client = client_for(people.director)
    for name in ("meeting_detail", "meeting_edit", "meeting_ics"):
        url = reverse(f"delivery:{name}", args=[account.pk, foreign.pk])
        assert client.get(url).status_code == 404
    for name in ("meeting_notes", "meeting_follow_up", "meeting_cancel"):
        url = reverse(f"delivery:{name}", args=[account.pk, foreign.pk])
        assert client.post(url, {"notes": "x"}).status_code == 404


def test_notes_update_stakeholders_last_contact_only_forwards(client_for, people, account):
    meeting = MeetingFactory(
        key_account=account, title="Plant tour", starts_at=at(-2, 10), ends_at=at(-2, 12)
    )
    never = StakeholderFactory(key_account=account)
    recent = StakeholderFactory(
        key_account=account, last_contact_on=timezone.localdate() - timedelta(days=1)
    )
    meeting.stakeholders.add(never, recent)
    url = reverse("delivery:meeting_notes", args=[account.pk, meeting.pk])
    response = client_for(people.coordinator).post(
        url, {"notes": "Saw the new line.", "decisions": "Pilot in March", "revision": 0}
    )
    assert response.status_code == 302
    never.refresh_from_db()
    recent.refresh_from_db()
    assert never.last_contact_on == timezone.localdate() - timedelta(days=2)
    assert recent.last_contact_on == timezone.localdate() - timedelta(days=1)
    event = AccountEvent.objects.get(summary="Meeting held: Plant tour")
    assert "Pilot in March" in event.reason


def test_notes_before_the_meeting_are_refused(client_for, people, account):
    meeting = MeetingFactory(key_account=account)
    url = reverse("delivery:meeting_notes", args=[account.pk, meeting.pk])
    response = client_for(people.coordinator).post(url, {"notes": "Early", "revision": 0})
    assert response.status_code == 400
    assert "once the meeting has started" in response.content.decode()


def test_team_member_cannot_record_notes(client_for, people, account):
    meeting = MeetingFactory(key_account=account, starts_at=at(-1, 9), ends_at=at(-1, 10))
    url = reverse("delivery:meeting_notes", args=[account.pk, meeting.pk])
    assert client_for(people.team_member).post(url, {"notes": "x"}).status_code == 403


def test_meeting_without_notes_three_days_later_is_flagged(client_for, people, account):
    MeetingFactory(
        key_account=account, title="Silent one", starts_at=at(-5, 10), ends_at=at(-5, 11)
    )
    MeetingFactory(key_account=account, title="Fresh one", starts_at=at(-1, 10), ends_at=at(-1, 11))
    MeetingFactory(
        key_account=account,
        title="Written",
        starts_at=at(-9, 10),
        ends_at=at(-9, 11),
        notes="All good",
    )
    response = client_for(people.manager).get(
        reverse("delivery:account_meetings", args=[account.pk]), {"when": "past"}
    )
    flagged = [m.title for m in response.context["page"] if m.follow_up_missing()]
    assert flagged == ["Silent one"]
    assert "Write-up missing" in response.content.decode()


def test_follow_up_becomes_an_action_on_the_current_plan(
    client_for, people, account, plan, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        key_account=account, title="QBR", starts_at=at(-1, 10), ends_at=at(-1, 11)
    )
    url = reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk])
    due = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(
            url, {"title": "Send price corridor", "owner": people.team_member.pk, "due_on": due}
        )
    assert response.status_code == 302
    action = Action.objects.get(title="Send price corridor")
    assert action.plan == plan and action.owner == people.team_member and action.due_on == due
    assert list(meeting.follow_ups.all()) == [action]
    assert (
        people.team_member.notifications.filter(text__contains="Send price corridor").count() == 1
    )
    assert not people.coordinator.notifications.exists()


def test_follow_up_without_a_current_plan_is_refused_clearly(client_for, people, account):
    meeting = MeetingFactory(key_account=account, starts_at=at(-1, 10), ends_at=at(-1, 11))
    url = reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk])
    response = client_for(people.coordinator).post(
        url,
        {
            "title": "Send price corridor",
            "owner": people.manager.pk,
            "due_on": timezone.localdate() + timedelta(days=3),
        },
    )
    assert response.status_code == 400
    assert "has no current account plan" in response.content.decode()
    assert not Action.objects.exists()


def test_follow_up_owner_must_be_on_the_team(client_for, people, account, plan):
    meeting = MeetingFactory(key_account=account, starts_at=at(-1, 10), ends_at=at(-1, 11))
    url = reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk])
    response = client_for(people.coordinator).post(
        url, {"title": "X", "owner": people.outsider.pk, "due_on": timezone.localdate()}
    )
    assert "The owner must be on the account team." in response.content.decode()
    assert not Action.objects.exists()


def test_coordinator_can_schedule_but_not_edit_plan_objectives(client_for, people, account, plan):
    from django.core.exceptions import PermissionDenied

    from accounts import permissions

    objective = ObjectiveFactory(plan=plan, title="Grow clean-label share")
    data = meeting_data(people, objectives=[objective.pk])
    assert client_for(people.coordinator).post(create_url(account), data).status_code == 302
    assert list(Meeting.objects.get().objectives.all()) == [objective]
    assert not permissions.can(people.coordinator, permissions.EDIT, account)
    with pytest.raises(PermissionDenied):
        permissions.check(people.coordinator, permissions.EDIT, account)
    objective.refresh_from_db()
    assert objective.title == "Grow clean-label share"


def test_cancelling_a_meeting(client_for, people, account):
    meeting = MeetingFactory(key_account=account, title="Visit")
    url = reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk])
    assert client_for(people.team_member).post(url).status_code == 403
    assert client_for(people.coordinator).post(url, {"reason": "Plant closed"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert AccountEvent.objects.filter(summary="Meeting cancelled: Visit").exists()


def test_meeting_links_only_to_this_accounts_opportunities(client_for, people, account):
    from tests.factories import OpportunityFactory

    foreign = OpportunityFactory(key_account=KeyAccountFactory())
    data = meeting_data(people, opportunities=[foreign.pk])
    response = client_for(people.coordinator).post(create_url(account), data)
    assert "Only this account&#x27;s opportunities can be linked." in response.content.decode()
