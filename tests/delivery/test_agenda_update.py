"""An agenda added (or changed) after the invitations went out reaches the attendees: the
meeting lists flag "No agenda yet" and ask for one, but a new agenda told nobody, and the
invitation in every calendar kept the description without it."""

from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from delivery.models import Meeting
from tests.factories import StakeholderFactory

from .test_meeting_attendees import meeting_data


def _invite(address: str) -> Calendar:
    (message,) = [m for m in mail.outbox if address in m.to]
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    return message, Calendar.from_ical(part.get_payload(decode=True))


def test_an_agenda_added_later_is_sent_to_every_attendee_with_the_invitation(
    client_for, people, account, django_capture_on_commit_callbacks
):
    buyer = StakeholderFactory(key_account=account, name="Greta", email="greta@nw.example")
    client = client_for(people.coordinator)
    data = meeting_data(
        people,
        attendees=[people.manager.pk, people.coordinator.pk],
        stakeholders=[buyer.pk],
        agenda="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delivery:meeting_create", args=[account.pk]), data)
    meeting = Meeting.objects.get()
    edit = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])

    mail.outbox.clear()
    agenda = "1. Volumes for 2027\n2. Promotions"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {**data, "agenda": agenda, "revision": meeting.revision})
    assert response.status_code == 302
    notice = people.manager.notifications.latest("pk")
    assert notice.text == (
        f"Meeting changed: Winter range review ({account.name}): agenda: {agenda}"
    )
    for address in (people.manager.email, "greta@nw.example"):
        message, calendar = _invite(address)
        assert calendar["method"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert int(event["sequence"]) == 1
        assert str(event["description"]).endswith(f"Agenda:\n{agenda}")
    message, _ = _invite("greta@nw.example")
    assert message.subject.startswith("Updated invitation: Winter range review")
    assert f"Agenda:\n{agenda}\n" in message.body
    assert not [m for m in mail.outbox if people.coordinator.email in m.to]  # who changed it

    # A change of the title alone is not worth a message.
    mail.outbox.clear()
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit,
            {**data, "agenda": agenda, "title": "Winter range", "revision": meeting.revision},
        )
    assert mail.outbox == []
