"""Scheduling a meeting with fewer steps (issue #19): it ends an hour after it starts unless
told otherwise, one scheduled from an engagement item starts on the item's due day at 10:00, and
a customer attendee who is not a stakeholder yet is typed in on the form itself."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from delivery.models import Meeting
from discovery.models import Stakeholder
from tests.factories import EngagementActivityFactory

from .conftest import at, local_input


def _post(client, account, **data):
    return client.post(
        reverse("delivery:meeting_create", args=[account.pk]),
        {
            "kind": "customer",
            "title": "Forecast review",
            "starts_at": local_input(4, 10),
            "time_zone": "Europe/London",
            **data,
        },
    )


def test_a_meeting_without_an_end_lasts_one_hour(client_for, people, account):
    response = _post(client_for(people.coordinator), account, attendees=[people.manager.pk])
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.starts_at, meeting.ends_at) == (at(4, 10), at(4, 11))


def test_a_typed_end_is_kept(client_for, people, account):
    _post(client_for(people.coordinator), account, ends_at=local_input(4, 12, 30))
    assert Meeting.objects.get().ends_at == at(4, 12, 30)


def test_a_new_customer_attendee_typed_on_the_form_is_added_and_invited(
    client_for, people, account, stakeholder
):
    client = client_for(people.coordinator)
    response = _post(
        client,
        account,
        stakeholders=[stakeholder.pk],
        new_stakeholder_name="Ingrid Berg",
        new_stakeholder_title="Head of category",
        new_stakeholder_email="ingrid@example.com",
    )
    assert response.status_code == 302
    ingrid = Stakeholder.objects.get(name="Ingrid Berg")
    assert (ingrid.key_account, ingrid.title, ingrid.email) == (
        account,
        "Head of category",
        "ingrid@example.com",
    )
    meeting = Meeting.objects.get()
    assert set(meeting.stakeholders.values_list("name", flat=True)) == {
        "Greta Hansen",
        "Ingrid Berg",
    }
    ics = client.get(reverse("delivery:meeting_ics", args=[account.pk, meeting.pk]))
    assert "ingrid@example.com" in ics.content.decode()


def test_a_new_attendee_needs_a_name(client_for, people, account):
    response = _post(
        client_for(people.coordinator), account, new_stakeholder_email="ingrid@example.com"
    )
    assert response.status_code == 400
    assert "Give the new stakeholder&#x27;s name." in response.content.decode()
    assert not Meeting.objects.exists() and not Stakeholder.objects.exists()


def test_a_meeting_for_an_engagement_item_starts_when_it_is_due(
    client_for, people, account, plan, stakeholder
):
    due = timezone.localdate() + timedelta(days=9)
    item = EngagementActivityFactory(
        plan=plan, our_person=people.manager, stakeholder=stakeholder, next_due_on=due
    )
    client = client_for(people.coordinator)
    url = reverse("delivery:meeting_create", args=[account.pk]) + f"?engagement={item.pk}"
    assert client.get(url).context["form"].initial["starts_at"] == datetime.combine(due, time(10))
    item.next_due_on = timezone.localdate() - timedelta(days=3)  # missed: tomorrow instead
    item.save()
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert client.get(url).context["form"].initial["starts_at"] == datetime.combine(
        tomorrow, time(10)
    )
