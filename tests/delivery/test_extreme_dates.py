"""Dates outside the sane window (common.dates: years 1900–2199) are refused by the meeting form,
and a meeting already stored at the far end of the calendar — 9999-12-31 in Pacific/Pago_Pago,
as the old form accepted — breaks none of the pages that show it and can be cancelled."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from delivery.models import CalendarFeed, Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PAGO_PAGO = ZoneInfo("Pacific/Pago_Pago")


def test_the_meeting_form_refuses_a_meeting_in_the_year_9999(client_for, people, account):
    data = {
        "kind": "customer",
        "title": "End of days",
        "starts_at": "9999-12-31T10:00",
        "ends_at": "9999-12-31T23:00",
        "time_zone": "Pacific/Pago_Pago",
        "attendees": [people.manager.pk],
    }
    response = client_for(people.coordinator).post(
        reverse("delivery:meeting_create", args=[account.pk]), data
    )
    assert response.status_code == 400  # the meeting form answers 400 with its errors
    page = response.content.decode()
    assert "Enter a date between 1900 and 2199." in page
    assert 'value="9999-12-31T10:00"' in page
    assert not Meeting.objects.exists()


@pytest.fixture
def far_meeting(people, account):
    """On PostgreSQL as the old form stored it: 9999-12-31 14:00–15:00 in Pago Pago is
    10000-01-01 UTC, which PostgreSQL keeps and Python cannot represent (its history row too).
    SQLite cannot hold that (Python converts to UTC before writing), so there the latest
    instant Python can store in that zone stands in."""
    meeting = MeetingFactory(
        key_account=account,
        title="End of days",
        time_zone="Pacific/Pago_Pago",
        starts_at=datetime(9999, 12, 31, 10, 0, tzinfo=PAGO_PAGO),
        ends_at=datetime(9999, 12, 31, 12, 0, tzinfo=PAGO_PAGO),
    )
    meeting.attendees.set([people.manager, people.coordinator])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("delivery_meeting", "delivery_historicalmeeting"):
                cursor.execute(
                    f"UPDATE {table} SET starts_at = '9999-12-31 14:00:00-11', "  # noqa: S608
                    "ends_at = '9999-12-31 15:00:00-11' WHERE id = %s",
                    [meeting.pk],
                )
    return meeting


def test_pages_that_show_a_meeting_stored_in_the_year_9999_still_open(
    client_for, people, account, far_meeting, django_user_model
):
    client = client_for(people.coordinator)
    pages = [
        reverse("delivery:account_meetings", args=[account.pk]),
        far_meeting.get_absolute_url(),
        reverse("delivery:meeting_edit", args=[account.pk, far_meeting.pk]),
        reverse("delivery:meeting_ics", args=[account.pk, far_meeting.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"End of days" in response.content, url
    for url in (reverse("delivery:index"), reverse("home")):
        assert client.get(url).status_code == 200, url
    feed = CalendarFeed.objects.create(user=people.manager, token="t" * 40)
    response = client.get(reverse("delivery:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert b"End of days" in response.content
    director = client_for(people.director)
    history = director.get(reverse("audit:account_history", args=[account.pk]))
    assert history.status_code == 200
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x" * 12)
    client = client_for(admin)
    for url in (
        reverse("admin:delivery_meeting_changelist"),
        reverse("admin:delivery_meeting_change", args=[far_meeting.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_a_meeting_stored_in_the_year_9999_can_be_cancelled(
    client_for, people, account, far_meeting
):
    response = client_for(people.coordinator).post(
        reverse("delivery:meeting_cancel", args=[account.pk, far_meeting.pk]),
        {"reason": "Entered by mistake"},
    )
    assert response.status_code == 302
    far_meeting.refresh_from_db()
    assert far_meeting.is_cancelled
