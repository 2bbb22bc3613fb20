"""Meeting attendees are told, and customer attendees are not silently dropped.

Scheduling, moving or cancelling a meeting notifies each internal attendee with an account in
the app exactly once (never the person who did it, never someone inactive or off the team),
saying what changed and linking to the meeting. A customer attendee without an e-mail address
is flagged on the form, can be given one there (saved on the stakeholder), and the invitation
lists them either way.
"""

from django.urls import reverse
from icalendar import Calendar

from delivery.models import Meeting
from discovery.models import Stakeholder
from notifications.models import Notification
from tests.factories import MeetingFactory, StakeholderFactory

from .conftest import at, local_input


def meeting_data(people, **over):
    data = {
        "kind": "customer",
        "title": "Winter range review",
        "starts_at": local_input(5, 10),
        "ends_at": local_input(5, 11),
        "time_zone": "Europe/London",
        "location": "Northwind HQ, Hamburg",
        "attendees": [people.manager.pk, people.coordinator.pk, people.team_member.pk],
        "agenda": "Listings and promotions",
    }
    data.update(over)
    return data


def told(users) -> dict[str, int]:
    """Notifications per user: the counts the test compares with what it expects."""
    return {u.username: Notification.objects.filter(user=u).count() for u in users}


def test_scheduling_tells_each_attendee_once_but_not_the_organiser(
    client_for, people, account, django_capture_on_commit_callbacks
):
    people.team_member.is_active = False  # left the company: not told
    people.team_member.save()
    everyone = [people.manager, people.coordinator, people.team_member, people.director]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(
            reverse("delivery:meeting_create", args=[account.pk]), meeting_data(people)
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    # Expected by hand: of the three attendees the coordinator scheduled it (not told) and the
    # team member is inactive; the director is not an attendee. Only the manager is told.
    assert told(everyone) == {"max": 1, "chloe": 0, "sven": 0, "dana": 0}
    note = Notification.objects.get(user=people.manager)
    assert "Winter range review" in note.text and "Northwind HQ, Hamburg" in note.text
    assert f"{meeting.local_starts_at:%a %d %b %Y, %H:%M}" in note.text
    assert note.link == meeting.get_absolute_url()


def test_moving_a_meeting_tells_what_changed(
    client_for, people, account, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        key_account=account,
        title="Winter range review",
        starts_at=at(5, 10),
        ends_at=at(5, 11),
        location="Hamburg",
        scheduled_by=people.coordinator,
    )
    meeting.attendees.add(people.manager, people.coordinator, people.director)
    data = meeting_data(
        people,
        starts_at=local_input(6, 14),
        ends_at=local_input(6, 15),
        location="Video call",
        attendees=[people.manager.pk, people.coordinator.pk, people.team_member.pk],
        revision=meeting.revision,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(
            reverse("delivery:meeting_edit", args=[account.pk, meeting.pk]), data
        )
    assert response.status_code == 302
    everyone = [people.manager, people.coordinator, people.team_member, people.director]
    # Manager stays (told the change), team member added (invited), director removed (told),
    # the coordinator moved it (not told): one each for the other three.
    assert told(everyone) == {"max": 1, "chloe": 0, "sven": 1, "dana": 1}
    change = Notification.objects.get(user=people.manager).text
    assert change.startswith("Meeting changed: Winter range review")
    assert "place Hamburg → Video call" in change
    assert "time " in change and "14:00–15:00" in change
    assert "You are invited" in Notification.objects.get(user=people.team_member).text
    assert "no longer on the attendee list" in Notification.objects.get(user=people.director).text


def test_an_edit_that_moves_nothing_tells_nobody(
    client_for, people, account, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        key_account=account, starts_at=at(5, 10), ends_at=at(5, 11), location="Hamburg"
    )
    meeting.attendees.add(people.manager)
    data = meeting_data(
        people,
        title="New title only",
        location="Hamburg",
        agenda=meeting.agenda,  # a changed agenda is told (test_agenda_update)
        attendees=[people.manager.pk],
        revision=meeting.revision,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(
            reverse("delivery:meeting_edit", args=[account.pk, meeting.pk]), data
        )
    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_cancelling_tells_every_attendee_once_with_the_reason(
    client_for, people, account, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        key_account=account, title="Pilot review", starts_at=at(3, 9), ends_at=at(3, 10)
    )
    meeting.attendees.add(people.manager, people.team_member, people.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.director).post(
            reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk]),
            {"reason": "Their buyer is ill"},
        )
    assert response.status_code == 302
    everyone = [people.manager, people.team_member, people.director, people.coordinator]
    assert told(everyone) == {"max": 1, "sven": 1, "dana": 0, "chloe": 0}
    text = Notification.objects.get(user=people.team_member).text
    assert text.startswith("Meeting cancelled: Pilot review")
    assert "Their buyer is ill" in text


# ---- customer attendees without an e-mail address -----------------------------------------


def test_the_form_flags_a_stakeholder_without_an_address_and_offers_a_field(
    client_for, people, account
):
    StakeholderFactory(key_account=account, name="Greta Hansen", email="greta@example.com")
    quiet = StakeholderFactory(key_account=account, name="Olaf Quiet", email="")
    response = client_for(people.coordinator).get(
        reverse("delivery:meeting_create", args=[account.pk])
    )
    page = response.content.decode()
    assert "Olaf Quiet, Head of procurement — no e-mail address: not on the invitation" in page
    assert "No e-mail address for Olaf Quiet: add it below" in page
    assert f'name="email_for_{quiet.pk}"' in page
    assert "E-mail address of Olaf Quiet" in page
    assert "Greta Hansen, Head of procurement</label>" in page or "Greta Hansen, Head" in page
    assert "E-mail address of Greta Hansen" not in page


def test_an_address_typed_on_the_form_is_saved_and_the_invitation_has_them(
    client_for, people, account, django_capture_on_commit_callbacks
):
    quiet = StakeholderFactory(key_account=account, name="Olaf Quiet", email="")
    client = client_for(people.coordinator)
    data = meeting_data(
        people, stakeholders=[quiet.pk], **{f"email_for_{quiet.pk}": "olaf@northwind.example"}
    )
    response = client.post(reverse("delivery:meeting_create", args=[account.pk]), data)
    assert response.status_code == 302
    assert Stakeholder.objects.get(pk=quiet.pk).email == "olaf@northwind.example"
    meeting = Meeting.objects.get()
    body = client.get(reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])).content
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert "mailto:olaf@northwind.example" in {str(a) for a in event.get("ATTENDEE")}


def test_a_bad_address_is_refused_on_the_form(client_for, people, account):
    quiet = StakeholderFactory(key_account=account, name="Olaf Quiet", email="")
    data = meeting_data(people, stakeholders=[quiet.pk], **{f"email_for_{quiet.pk}": "not-mail"})
    response = client_for(people.coordinator).post(
        reverse("delivery:meeting_create", args=[account.pk]), data
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()
    assert Stakeholder.objects.get(pk=quiet.pk).email == ""


def test_the_invitation_lists_a_customer_attendee_without_an_address(client_for, people, account):
    greta = StakeholderFactory(key_account=account, name="Greta Hansen", email="greta@example.com")
    quiet = StakeholderFactory(key_account=account, name="Olaf Quiet", email="", title="Buyer")
    meeting = MeetingFactory(key_account=account, starts_at=at(4, 9), ends_at=at(4, 10))
    meeting.stakeholders.add(greta, quiet)
    client = client_for(people.manager)
    body = client.get(reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])).content
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "Customer attendees:" in description
    assert "- Greta Hansen, Head of procurement" in description
    assert "- Olaf Quiet, Buyer (no e-mail address on file: invite them yourself)" in description
    assert str(event["ATTENDEE"]) == "mailto:greta@example.com"  # the only address there is
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "no e-mail address, not on the invitation" in detail


def test_an_edit_keeps_attendees_who_left_the_team_or_were_archived(
    client_for, people, account, django_capture_on_commit_callbacks
):
    """The form offered only today's team and active stakeholders: a meeting's attendee who had
    left the team, or a customer attendee archived since, was drawn unticked, so an edit of
    the title alone took them off and told them they were no longer expected."""
    from accounts.models import Membership

    meeting = MeetingFactory(
        key_account=account,
        kind="customer",
        title="Winter range review",
        starts_at=at(5, 10),
        ends_at=at(5, 11),
        location="Hamburg",
        scheduled_by=people.coordinator,
    )
    buyer = StakeholderFactory(key_account=account, name="Jens Albrecht", email="j@nw.example")
    meeting.attendees.add(people.manager, people.team_member)
    meeting.stakeholders.add(buyer)
    Membership.objects.filter(user=people.team_member, key_account=account).delete()
    Stakeholder.objects.filter(pk=buyer.pk).update(archived_at=at(-1, 9))
    meeting.refresh_from_db()
    client = client_for(people.coordinator)
    url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    page = client.get(url).content.decode()
    assert f"{people.team_member} (no longer on the team)" in page
    assert f"Jens Albrecht{', ' + buyer.title if buyer.title else ''} (archived)" in page
    for name, pk in (("attendees", people.team_member.pk), ("stakeholders", buyer.pk)):
        box = page[page.index(f'name="{name}" value="{pk}"') :]
        assert "checked" in box[: box.index(">")], name
    data = meeting_data(
        people,
        title="Winter range review and listings",
        starts_at=local_input(5, 10),
        ends_at=local_input(5, 11),
        location="Hamburg",
        attendees=[people.manager.pk, people.team_member.pk],
        stakeholders=[buyer.pk],
        revision=meeting.revision,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.title == "Winter range review and listings"
    assert set(meeting.attendees.all()) == {people.manager, people.team_member}
    assert list(meeting.stakeholders.all()) == [buyer]
    assert not Notification.objects.filter(
        user=people.team_member, text__icontains="no longer"
    ).exists()
    # Someone never on the team is still refused.
    data.update(attendees=[people.manager.pk, people.outsider.pk], revision=meeting.revision)
    assert client.post(url, data).status_code == 400
