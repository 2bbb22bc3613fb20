"""A customer attendee's CANCEL e-mail says which of the two it is: the meeting is cancelled, or
it takes place without them. It said "is cancelled, or you are no longer on its list of
attendees" in both cases, so a buyer taken off the list could not tell whether the meeting
still took place."""

from datetime import datetime, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from delivery.models import Meeting
from tests.factories import StakeholderFactory

from .test_meeting_attendees import meeting_data


def _mail_to(address: str):
    (message,) = [m for m in mail.outbox if address in m.to]
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    return message, Calendar.from_ical(part.get_payload(decode=True))


def _when() -> str:
    """meeting_data's start, 10:00-11:00 London in five days, as the e-mail writes it."""
    day = timezone.localdate() + timedelta(days=5)
    start = datetime(day.year, day.month, day.day, 10)
    return f"{start:%a} {start.day:02d} {start:%b %Y}, 10:00–11:00 Europe/London"


def test_a_buyer_taken_off_is_told_the_meeting_goes_on_and_one_cancelled_that_it_is(
    client_for, people, account, django_capture_on_commit_callbacks
):
    first = StakeholderFactory(
        key_account=account, name="Greta", email="greta@nw.example", language="fr"
    )
    second = StakeholderFactory(key_account=account, name="Hans", email="hans@nw.example")
    manager = client_for(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("delivery:meeting_create", args=[account.pk]),
            meeting_data(people, attendees=[people.manager.pk], stakeholders=[first.pk, second.pk]),
        )
    meeting = Meeting.objects.get()
    when = _when()

    # Greta is taken off; the meeting stays.
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
    message, calendar = _mail_to("greta@nw.example")
    assert calendar["method"] == "CANCEL"
    # Greta reads French ("sam. 12 déc. 2026, 10:00–11:00 Europe/London").
    day = timezone.localdate() + timedelta(days=5)
    weekdays = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
              "nov.", "déc."]  # fmt: skip
    quand = (
        f"{weekdays[day.weekday()]} {day.day:02d} {months[day.month - 1]} {day.year}, "
        "10:00–11:00 Europe/London"
    )
    assert message.subject == (
        f"Vous ne figurez plus parmi les participants\u00a0: Winter range review ({quand})"
    )
    assert (
        f"La réunion Winter range review du {quand} a lieu comme prévu, mais vous ne figurez "
        "plus parmi ses participants." in message.body
    )
    assert "annulée" not in message.body
    assert not [m for m in mail.outbox if "hans@nw.example" in m.to]  # nothing changed for Hans

    # Then the meeting is cancelled: Hans reads that it is, and nothing else.
    mail.outbox.clear()
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk]),
            {"reason": "", "revision": meeting.revision},
        )
    message, calendar = _mail_to("hans@nw.example")
    assert calendar["method"] == "CANCEL"
    assert message.subject == f"Cancelled: Winter range review ({when})"
    assert f"The meeting Winter range review on {when} is cancelled.\n" in message.body
    assert "list of attendees" not in message.body
