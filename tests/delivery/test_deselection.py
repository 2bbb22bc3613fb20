"""A de-selected account keeps its history, but nothing goes on in its name any more."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AccountEvent
from delivery.models import Meeting, Quote
from delivery.services.quotes import quote_change_status
from strategy.services import key_account_deselect
from tests.factories import MeetingFactory, QuoteFactory

from .conftest import at, local_input
from .test_quotes import create_url, quote_post

DESELECTED = "This account has been de-selected from the programme: no new meetings or quotes."


def test_deselection_cancels_future_meetings_and_expires_sent_quotes(people, account):
    coming = MeetingFactory(
        key_account=account, title="QBR", starts_at=at(5, 10), ends_at=at(5, 11)
    )
    held = MeetingFactory(key_account=account, starts_at=at(-5, 10), ends_at=at(-5, 11))
    sent = QuoteFactory(key_account=account, status=Quote.Status.SENT)
    draft = QuoteFactory(key_account=account, status=Quote.Status.DRAFT)
    key_account_deselect(
        account=account, reason="Moved production abroad.", acting_user=people.director
    )
    coming.refresh_from_db()
    held.refresh_from_db()
    assert coming.cancelled_at is not None and held.cancelled_at is None
    assert Quote.objects.get(pk=sent.pk).status == Quote.Status.EXPIRED
    assert Quote.objects.get(pk=draft.pk).status == Quote.Status.DRAFT
    event = AccountEvent.objects.get(summary="Meeting cancelled: QBR")
    assert "Moved production abroad." in event.reason


def test_no_new_meetings_or_quotes_once_deselected(client_for, people, account):
    draft = QuoteFactory(key_account=account, status=Quote.Status.DRAFT)
    key_account_deselect(account=account, reason="Price buyer.", acting_user=people.director)
    coordinator = client_for(people.coordinator)
    meeting = coordinator.post(
        reverse("delivery:meeting_create", args=[account.pk]),
        {
            "kind": "customer",
            "title": "One more visit",
            "starts_at": local_input(3, 10),
            "ends_at": local_input(3, 11),
            "time_zone": "Europe/London",
        },
    )
    assert meeting.status_code == 400 and DESELECTED in meeting.content.decode()
    assert not Meeting.objects.exists()
    quote = coordinator.post(create_url(account), quote_post())
    assert quote.status_code == 400 and DESELECTED in quote.content.decode()
    with pytest.raises(ValidationError, match="de-selected from the programme"):
        quote_change_status(quote=draft, status=Quote.Status.SENT, acting_user=people.coordinator)


def test_a_deselected_account_offers_no_new_meeting_or_quote_and_says_why(
    client_for, people, account
):
    key_account_deselect(account=account, reason="Price buyer.", acting_user=people.director)
    coordinator = client_for(people.coordinator)
    meetings = coordinator.get(reverse("delivery:account_meetings", args=[account.pk]))
    html = meetings.content.decode()
    assert DESELECTED in html and "Schedule a meeting" not in html
    quotes = coordinator.get(reverse("delivery:account_quotes", args=[account.pk]))
    html = quotes.content.decode()
    assert DESELECTED in html and "New quote" not in html
    # The forms' addresses, opened directly, say the same instead of offering a blank form.
    for name, back in (
        ("delivery:meeting_create", "delivery:account_meetings"),
        ("delivery:quote_create", "delivery:account_quotes"),
    ):
        response = coordinator.get(reverse(name, args=[account.pk]), follow=True)
        assert response.redirect_chain == [(reverse(back, args=[account.pk]), 302)]
        assert DESELECTED in response.content.decode()


def test_an_active_account_still_offers_both(client_for, people, account):
    coordinator = client_for(people.coordinator)
    html = coordinator.get(reverse("delivery:account_meetings", args=[account.pk])).content
    assert b"Schedule a meeting" in html and DESELECTED.encode() not in html
    html = coordinator.get(reverse("delivery:account_quotes", args=[account.pk])).content
    assert b"New quote" in html and DESELECTED.encode() not in html
    response = coordinator.get(reverse("delivery:quote_create", args=[account.pk]))
    assert response.status_code == 200


def test_the_overview_of_a_deselected_account_offers_no_plan(client_for, people, account):
    key_account_deselect(account=account, reason="Price buyer.", acting_user=people.director)
    html = client_for(people.manager).get(reverse("accounts:account_detail", args=[account.pk]))
    text = " ".join(html.content.decode().split())
    assert "No current plan. The account has been de-selected, so it no longer gets a plan." in text
    assert "Start one" not in text
