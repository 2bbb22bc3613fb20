"""A cancellation reason too long to keep was dropped, and the meeting cancelled without it (the
form's errors were never read). Now nothing is cancelled and the meeting's page comes back (400)
with the reason in its box and the limit said at it."""

from html import unescape

import pytest
from django.urls import reverse

from delivery.models import Meeting
from tests.factories import MeetingFactory
from tests.html_checks import page_problems

pytestmark = pytest.mark.django_db


def test_a_reason_over_the_limit_cancels_nothing_and_is_given_back(client_for, people, account):
    meeting = MeetingFactory(key_account=account, title="Quarterly business review")
    reason = "The customer's buyer is away on the day. " * 13  # 546 characters
    response = client_for(people.coordinator).post(
        reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk]),
        {"reason": reason, "revision": meeting.revision},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 500 characters" in html
    assert reason.strip() in unescape(html)
    assert (
        "autofocus" in html.split('name="reason"')[1].split(">")[0]
        or "autofocus" in (html.split('name="reason"')[0].rsplit("<", 1)[1])
    )
    assert not page_problems(html)
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None


def test_a_reason_within_the_limit_cancels_and_is_on_the_timeline(client_for, people, account):
    meeting = MeetingFactory(key_account=account, title="Quarterly business review")
    response = client_for(people.coordinator).post(
        reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk]),
        {"reason": "The buyer is away", "revision": meeting.revision},
    )
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is not None
    assert account.events.filter(reason="The buyer is away").exists()
