"""The delivery forms edited in place (issue #19), for tests/common/test_in_place_editors.py:
scheduling a meeting (in the meeting list), editing it (its record: time, attendees, agenda),
its notes and decisions, and its follow-up actions (typed in a row)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from delivery.models import Meeting
from planning.models import Action
from tests.common.in_place import Case
from tests.factories import AccountPlanFactory, ActionFactory, MeetingFactory

from .conftest import local_input


def meeting_data(people, **changes):
    data = {
        "kind": "customer",
        "title": "Clean-label pilot kick-off",
        "starts_at": local_input(5, 10),
        "ends_at": "",  # one hour after the start
        "time_zone": "Europe/London",
        "location": "Northwind HQ, Hamburg",
        "attendees": [people.manager.pk, people.coordinator.pk],
        "agenda": "Scope, timeline, owners",
    }
    return {**data, **changes}


def follow_up_data(people, **changes):
    due = timezone.localdate() + timedelta(days=7)
    data = {"title": "Send the pilot offer", "owner": people.manager.pk, "due_on": due}
    return {**data, "opportunity": "", **changes}


def meetings_url(account):
    return reverse("delivery:account_meetings", args=[account.pk])


def _make_schedule(account, people):
    MeetingFactory(key_account=account, title="Quarterly review")
    return reverse("delivery:meeting_create", args=[account.pk]), None, meetings_url(account)


def _make_edit(account, people):
    meeting = MeetingFactory(key_account=account, title="Quarterly review")
    url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    return url, meeting, meeting.get_absolute_url()


def _held(account):
    start = timezone.now() - timedelta(days=2)
    return MeetingFactory(key_account=account, title="Pricing workshop", starts_at=start)


def _make_notes(account, people):
    meeting = _held(account)
    url = reverse("delivery:meeting_notes", args=[account.pk, meeting.pk])
    return url, meeting, meeting.get_absolute_url()


def _make_follow_up(account, people):
    AccountPlanFactory(key_account=account, is_current=True)
    meeting = _held(account)
    url = reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk])
    return url, None, meeting.get_absolute_url()


def _make_progress(account, people):
    plan = AccountPlanFactory(key_account=account, is_current=True)
    due = timezone.localdate() + timedelta(days=3)
    action = ActionFactory(plan=plan, owner=people.team_member, title="Map depots", due_on=due)
    url = reverse("delivery:action_progress", args=[account.pk, action.pk])
    return url, action, reverse("delivery:action_detail", args=[account.pk, action.pk])


# A meeting's save writes its row, its history, its links, the double-booking check, the
# timeline event and a customer attendee typed in; the block it answers with reads the list,
# and a new meeting's people for its invitation panel. 48 for both before issue #22's links
# read once (bench/README.md, finding 60: 44–45 done, now 38 and 23).
MEETING_SCHEDULE_QUERIES = 40
# An edit: the meeting and its links read once by the page's read, handed to the form and the
# service; the two attendees it adds read again to draw the record.
MEETING_EDIT_QUERIES = 24

CASES = [
    Case(
        "delivery:meeting_create",
        "meeting-list",
        _make_schedule,
        # A customer attendee typed in right there (created with the meeting).
        valid=lambda people, obj: meeting_data(
            people, new_stakeholder_name="Nora Blum", new_stakeholder_title="Buyer"
        ),
        shown="Clean-label pilot kick-off",
        invalid=lambda people, obj: meeting_data(people, title="", agenda="Bring the forecast"),
        typed="Bring the forecast",
        first_field="kind",
        announce="Meeting “Clean-label pilot kick-off” scheduled.",
        user="coordinator",
        round_trip_queries=MEETING_SCHEDULE_QUERIES,
    ),
    Case(
        "delivery:meeting_edit",
        "meeting-record",
        _make_edit,
        valid=lambda people, obj: meeting_data(
            people, title="Quarterly review (moved)", revision=obj.revision
        ),
        shown="Quarterly review (moved)",
        invalid=lambda people, obj: meeting_data(
            people, starts_at="", agenda="Volumes for 2027", revision=obj.revision
        ),
        typed="Volumes for 2027",
        first_field="kind",
        model=Meeting,
        announce="Meeting “Quarterly review (moved)” updated.",
        user="coordinator",
        round_trip_queries=MEETING_EDIT_QUERIES,
    ),
    Case(
        "delivery:meeting_notes",
        "meeting-notes",
        _make_notes,
        valid=lambda people, obj: {
            "notes": "Agreed a pilot in Hamburg",
            "decisions": "",
            "revision": obj.revision,
        },
        shown="Agreed a pilot in Hamburg",
        invalid=lambda people, obj: {
            "notes": "",
            "decisions": "Pilot starts in March",
            "revision": obj.revision,
        },
        typed="Pilot starts in March",
        first_field="notes",
        model=Meeting,
        announce="Meeting notes saved.",
        opens_by_get=False,
        user="coordinator",
    ),
    Case(
        "delivery:meeting_follow_up",
        "meeting-follow-ups",
        _make_follow_up,
        valid=lambda people, obj: follow_up_data(people),
        shown="Send the pilot offer",
        invalid=lambda people, obj: follow_up_data(people, due_on="", title="Call Nora back"),
        typed="Call Nora back",
        first_field="title",
        opens_by_get=False,
        user="coordinator",
        round_trip_queries=32,  # the action, its history, the plan's health marked stale
    ),
    # A follow-up (or any action) completed: "Done" sets 100 %.
    Case(
        "delivery:action_progress",
        "action-progress",
        _make_progress,
        valid=lambda people, obj: {
            "status": "done",
            "progress_percent": "100",
            "note": "Depots mapped with the customer",
            "revision": obj.revision,
        },
        shown="Depots mapped with the customer",
        invalid=lambda people, obj: {
            "status": "in_progress",
            "progress_percent": "150",
            "note": "Two depots left",
            "revision": obj.revision,
        },
        typed="Two depots left",
        first_field="status",
        model=Action,
        announce="Progress saved on “Map depots”.",
        opens_by_get=False,
        user="team_member",
    ),
]
