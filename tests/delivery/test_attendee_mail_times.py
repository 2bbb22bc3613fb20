"""Our own attendees' e-mails about a meeting give its time in the meeting's zone and, when
their clock reads another, in theirs, named and in their language: the e-mail said only
"12:00–13:00 Europe/Paris" while the attached invitation put it at 00:00 the next day in an
Auckland calendar."""

from django.core import mail
from django.urls import reverse

from delivery.models import Meeting

from .test_meeting_attendees import meeting_data

# Tue 15 Jan 2036, 12:00–13:00 in Paris (CET, UTC+1) is 11:00–12:00 in London (GMT) and
# 00:00–01:00 on Wed 16 Jan in Auckland (NZDT, UTC+13). Far enough ahead never to be past.
PARIS = "Tue 15 Jan 2036, 12:00–13:00 Europe/Paris"
LONDON = "(your time: Tue 15 Jan 2036, 11:00–12:00 Europe/London)"
AUCKLAND_FR = "(votre heure locale\u00a0: mer. 16 janv. 2036, 00:00–01:00 Pacific/Auckland)"
PARIS_FR = "mar. 15 janv. 2036, 12:00–13:00 Europe/Paris"


def _zone(user, name, language=""):
    user.time_zone = name
    user.language = language
    user.save(update_fields=["time_zone", "language"])


def _body(user) -> str:
    (message,) = [m for m in mail.outbox if user.email in m.to]
    return message.body


def _paris(people, **over):
    return meeting_data(
        people,
        **{
            "starts_at": "2036-01-15T12:00",
            "ends_at": "2036-01-15T13:00",
            "time_zone": "Europe/Paris",
            "attendees": [
                people.manager.pk,
                people.coordinator.pk,
                people.team_member.pk,
                people.director.pk,
            ],
            **over,
        },
    )


def test_invitation_change_and_cancellation_give_each_attendee_their_own_time(
    client_for, people, account, django_capture_on_commit_callbacks
):
    _zone(people.manager, "Pacific/Auckland", "fr")  # reads French, in Auckland
    _zone(people.team_member, "Europe/London")  # the programme's zone
    _zone(people.director, "Europe/Paris")  # the meeting's own: nothing to add
    coordinator = client_for(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("delivery:meeting_create", args=[account.pk]),
            _paris(people),
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert f"{PARIS_FR} {AUCKLAND_FR}, " in _body(people.manager)
    assert f"{PARIS} {LONDON}, " in _body(people.team_member)
    director = _body(people.director)
    assert f"{PARIS}, " in director and "your time" not in director

    # Moved an hour later: before and after, each on the reader's clock too.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("delivery:meeting_edit", args=[account.pk, meeting.pk]),
            _paris(
                people,
                starts_at="2036-01-15T13:00",
                ends_at="2036-01-15T14:00",
                revision=meeting.revision,
            ),
        )
    assert response.status_code == 302
    later = "Tue 15 Jan 2036, 13:00–14:00 Europe/Paris"
    later_here = "(your time: Tue 15 Jan 2036, 12:00–13:00 Europe/London)"
    assert f"time {PARIS} {LONDON} → {later} {later_here}" in _body(people.team_member)
    assert (
        "mer. 16 janv. 2036, 00:00–01:00 Pacific/Auckland) → "
        "mar. 15 janv. 2036, 13:00–14:00 Europe/Paris "
        "(votre heure locale\u00a0: mer. 16 janv. 2036, 01:00–02:00 Pacific/Auckland)"
    ) in _body(people.manager)

    # Cancelled: the time it was, on each clock.
    mail.outbox.clear()
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk]),
            {"reason": "Their buyer is ill", "revision": meeting.revision},
        )
    assert response.status_code == 302
    assert f"{later} {later_here})." in _body(people.team_member)
    assert "01:00–02:00 Pacific/Auckland))." in _body(people.manager)
    assert f"{later})." in _body(people.director)
