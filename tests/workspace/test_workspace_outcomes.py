"""The customer in the workspace confirms value we delivered (outcomes' service) and reads the
customer issues the team marked visible, nothing else of them."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from outcomes.models import CustomerIssue, ValueDelivered

from .helpers import approved_plan, customer, invite, open_link

TODAY = timezone.localdate()


def _entry(account, title="Stock-outs halved"):
    return ValueDelivered.objects.create(
        key_account=account,
        title=title,
        delivered_on=TODAY - timedelta(days=3),
        amount=Decimal("120000"),
        currency="EUR",
    )


def _issue(account, people, title, visible):
    return CustomerIssue.objects.create(
        key_account=account,
        title=title,
        severity="high",
        owner=people.manager,
        raised_on=TODAY,
        due_on=TODAY + timedelta(days=5),
        customer_visible=visible,
    )


def test_the_customer_confirms_value_and_sees_only_visible_issues(client, people, account):
    approved_plan(account, people)
    clara = customer(account)
    entry = _entry(account)
    _issue(account, people, "Late deliveries to Erfurt", True)
    _issue(account, people, "Our margin on Erfurt", False)
    open_link(client, invite(account, clara, people))
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Stock-outs halved" in page and "EUR 120,000" in page
    assert "Late deliveries to Erfurt" in page
    assert "Our margin on Erfurt" not in page
    response = client.post(
        reverse("workspace:value_confirm", args=[entry.pk]), {"revision": entry.revision}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.confirmed_by, entry.confirmed_via) == (
        "confirmed",
        clara,
        "workspace",
    )
    assert entry.confirmed_on == TODAY


def test_a_stale_page_or_another_accounts_entry_confirms_nothing(
    client, people, account, other_account
):
    approved_plan(account, people)
    clara = customer(account)
    entry = _entry(account)
    foreign = _entry(other_account, title="Not theirs")
    open_link(client, invite(account, clara, people))
    url = reverse("workspace:value_confirm", args=[foreign.pk])
    assert client.post(url, {"revision": foreign.revision}).status_code == 404
    stale = client.post(
        reverse("workspace:value_confirm", args=[entry.pk]), {"revision": entry.revision + 1}
    )
    assert stale.status_code == 302
    entry.refresh_from_db()
    foreign.refresh_from_db()
    assert not entry.is_confirmed and not foreign.is_confirmed
