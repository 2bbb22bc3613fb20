"""E-mailed calendar invitations: scheduling, moving and cancelling a meeting e-mails each
attendee (ours and the customer's with an address) an iCalendar invitation through the
notification outbox, after the commit. The tests read the .ics attached to the e-mails sent
(Django's locmem outbox) with icalendar, as a calendar program would."""

from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from delivery.models import Meeting
from notifications.models import Notification
from tests.factories import StakeholderFactory

from .conftest import local_input
from .test_meeting_attendees import meeting_data


def _invites(address: str) -> list[Calendar]:
    """Every calendar attached to the e-mails sent to `address`, oldest first."""
    found = []
    for message in mail.outbox:
        if address not in message.to:
            continue
        for part in message.message().walk():
            if part.get_content_type() == "text/calendar":
                assert part.get_param("method") in ("REQUEST", "CANCEL")
                assert part.get_filename() == "invite.ics"
                found.append(Calendar.from_ical(part.get_payload(decode=True)))
    return found


def _event(calendar: Calendar):
    return next(c for c in calendar.walk() if c.name == "VEVENT")


def _attendees(event) -> set[str]:
    values = event.get("attendee")
    values = values if isinstance(values, list) else [values]
    return {str(v).removeprefix("mailto:") for v in values}


def test_schedule_move_and_cancel_send_request_request_cancel_with_one_uid_and_rising_sequence(
    client_for, people, account, django_capture_on_commit_callbacks
):
    buyer = StakeholderFactory(key_account=account, name="Greta Buyer", email="greta@nw.example")
    StakeholderFactory(key_account=account, name="No Mail", email="")
    no_mail = account.stakeholders.get(name="No Mail")
    coordinator = client_for(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("delivery:meeting_create", args=[account.pk]),
            meeting_data(
                people,
                attendees=[people.manager.pk, people.coordinator.pk],
                stakeholders=[buyer.pk, no_mail.pk],
            ),
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get()

    # Scheduled: the manager (in the notification's e-mail) and the buyer (an e-mail of their
    # own) get a REQUEST; the coordinator made the change and gets none.
    (manager_invite,) = _invites(people.manager.email)
    (buyer_invite,) = _invites("greta@nw.example")
    assert _invites(people.coordinator.email) == []
    for calendar in (manager_invite, buyer_invite):
        assert calendar["method"] == "REQUEST"
    event = _event(manager_invite)
    uid = str(event["uid"])
    assert uid == f"meeting-{meeting.pk}@kam-programme"
    assert int(event["sequence"]) == 0
    assert str(event["organizer"]) == f"mailto:{people.coordinator.email}"
    assert _attendees(event) == {
        people.manager.email,
        people.coordinator.email,
        "greta@nw.example",
    }
    # The customer's copy leaves out our note about attendees without an address.
    assert "invite them yourself" in str(event["description"])
    assert "invite them yourself" not in str(_event(buyer_invite)["description"])
    buyer_mail = next(m for m in mail.outbox if "greta@nw.example" in m.to)
    assert buyer_mail.subject.startswith("Invitation: Winter range review")
    assert "/accounts/" not in buyer_mail.body  # no link into the app for the customer
    # The outbox row of an outside recipient is no one's notification.
    row = Notification.objects.get(email_to="greta@nw.example")
    assert row.user is None and row.email_status == Notification.Email.SENT

    # Moved: the same UID with a higher SEQUENCE, to both again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("delivery:meeting_edit", args=[account.pk, meeting.pk]),
            meeting_data(
                people,
                starts_at=local_input(6, 14),
                ends_at=local_input(6, 15),
                attendees=[people.manager.pk, people.coordinator.pk],
                stakeholders=[buyer.pk, no_mail.pk],
                revision=meeting.revision,
            ),
        )
    assert response.status_code == 302
    (moved,) = _invites(people.manager.email)
    (moved_for_buyer,) = _invites("greta@nw.example")
    assert moved["method"] == "REQUEST"
    assert str(_event(moved)["uid"]) == uid == str(_event(moved_for_buyer)["uid"])
    assert int(_event(moved)["sequence"]) == 1
    assert next(m for m in mail.outbox if "greta@nw.example" in m.to).subject.startswith(
        "Updated invitation"
    )

    # Cancelled: METHOD:CANCEL, same UID, higher SEQUENCE again.
    mail.outbox.clear()
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk]),
            {"reason": "Their buyer is ill", "revision": meeting.revision},
        )
    assert response.status_code == 302
    (cancelled,) = _invites(people.manager.email)
    (cancelled_for_buyer,) = _invites("greta@nw.example")
    for calendar in (cancelled, cancelled_for_buyer):
        assert calendar["method"] == "CANCEL"
        assert str(_event(calendar)["uid"]) == uid
        assert int(_event(calendar)["sequence"]) == 2
        assert str(_event(calendar)["status"]) == "CANCELLED"


def test_a_customer_taken_off_the_meeting_gets_a_cancel_and_one_added_a_request(
    client_for, people, account, django_capture_on_commit_callbacks
):
    first = StakeholderFactory(key_account=account, name="First", email="first@nw.example")
    second = StakeholderFactory(key_account=account, name="Second", email="second@nw.example")
    manager = client_for(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("delivery:meeting_create", args=[account.pk]),
            meeting_data(people, attendees=[people.manager.pk], stakeholders=[first.pk]),
        )
    meeting = Meeting.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("delivery:meeting_edit", args=[account.pk, meeting.pk]),
            meeting_data(
                people,
                attendees=[people.manager.pk],
                stakeholders=[second.pk],
                revision=meeting.revision,
            ),
        )
    (gone,) = _invites("first@nw.example")
    (new,) = _invites("second@nw.example")
    assert gone["method"] == "CANCEL"
    assert new["method"] == "REQUEST"
    assert str(_event(gone)["uid"]) == str(_event(new)["uid"])


def test_the_private_feed_tells_calendar_programs_how_often_to_refresh(client, people):
    from delivery.services.calendar import calendar_feed_get_or_create

    feed = calendar_feed_get_or_create(user=people.manager)
    response = client.get(reverse("delivery:calendar_feed", args=[feed.token]))
    text = response.content.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text
    assert Calendar.from_ical(response.content).walk("VCALENDAR")  # still a valid calendar


def test_each_of_our_attendees_gets_the_invitation_in_their_own_language(
    client_for, people, account, django_capture_on_commit_callbacks
):
    # The coordinator works in English; the manager reads French. The e-mail's text followed
    # the manager's language, but the attached invitation's description was the coordinator's.
    people.manager.language = "fr"
    people.manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(
            reverse("delivery:meeting_create", args=[account.pk]),
            meeting_data(people, attendees=[people.manager.pk, people.team_member.pk]),
        )
    assert response.status_code == 302
    (french,) = _invites(people.manager.email)
    (english,) = _invites(people.team_member.email)
    assert str(_event(french)["description"]).splitlines()[:3] == [
        "Réunion client avec Northwind Foods.",
        "",
        "Ordre du jour\u00a0:",
    ]
    assert str(_event(english)["description"]).splitlines()[:3] == [
        "Customer meeting with Northwind Foods.",
        "",
        "Agenda:",
    ]
