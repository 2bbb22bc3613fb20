"""A new meeting whose start has passed: a slip of the year or month would have invited the
customer to a date gone by, without a word. The form asks; confirmed, the meeting is recorded
as having taken place and nobody is invited."""

from django.core import mail
from django.urls import reverse

from delivery.models import Meeting
from notifications.models import Notification
from tests.factories import StakeholderFactory

from .conftest import at, local_input
from .test_meeting_attendees import meeting_data


def create_url(account):
    return reverse("delivery:meeting_create", args=[account.pk])


def test_a_start_that_has_passed_is_asked_about_and_the_form_kept(client_for, people, account):
    data = meeting_data(people, starts_at=local_input(-40, 10), ends_at=local_input(-40, 11))
    response = client_for(people.coordinator).post(create_url(account), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "has passed. Correct it, or tick “It already took place”" in html
    assert 'type="checkbox" name="record_past"' in html
    assert 'value="Winter range review"' in html and f'value="{local_input(-40, 10)}"' in html
    assert not Meeting.objects.exists()


def test_a_meeting_recorded_after_it_took_place_invites_nobody(
    client_for, people, account, django_capture_on_commit_callbacks
):
    buyer = StakeholderFactory(key_account=account, name="Greta", email="greta@nw.example")
    data = meeting_data(
        people,
        starts_at=local_input(-2, 10),
        ends_at=local_input(-2, 11),
        stakeholders=[buyer.pk],
        record_past="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(create_url(account), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == at(-2, 10)
    assert not Notification.objects.exists() and mail.outbox == []
    # It is ready to be written up.
    page = client_for(people.coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "Save notes" in page


def test_a_future_meeting_is_not_asked_about_and_invites_as_before(
    client_for, people, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(create_url(account), meeting_data(people))
    assert response.status_code == 302
    assert Notification.objects.filter(user=people.manager).exists()


def test_editing_a_past_meeting_does_not_ask(client_for, people, account):
    """Correcting a held meeting's attendees or agenda is no slip."""
    client = client_for(people.coordinator)
    data = meeting_data(
        people, starts_at=local_input(-2, 10), ends_at=local_input(-2, 11), record_past="on"
    )
    client.post(create_url(account), data)
    meeting = Meeting.objects.get()
    edit = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    data = meeting_data(
        people,
        starts_at=local_input(-2, 10),
        ends_at=local_input(-2, 11),
        agenda="Listings, promotions and the pallet plan",
        revision=meeting.revision,
    )
    assert client.post(edit, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda == "Listings, promotions and the pallet plan"
