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


def test_an_old_entry_to_confirm_comes_first_and_a_long_list_says_so(
    client, people, account, monkeypatch
):
    """The workspace listed the 20 latest entries: an older one still to confirm was out of the
    customer's reach. Entries waiting come first; a list cut short says so and lists them all
    on request. (The limit is lowered to 2 here.)"""
    from outcomes import selectors as outcomes_selectors

    monkeypatch.setattr(outcomes_selectors, "WORKSPACE_VALUE_SHOWN", 2)
    approved_plan(account, people)
    clara = customer(account)
    old = _entry(account, title="Old saving to confirm")
    ValueDelivered.objects.filter(pk=old.pk).update(delivered_on=TODAY - timedelta(days=400))
    for days, title in ((30, "Freight pooled"), (20, "Returns halved"), (10, "Shelf life up")):
        made = _entry(account, title=title)
        ValueDelivered.objects.filter(pk=made.pk).update(
            delivered_on=TODAY - timedelta(days=days),
            status="confirmed",
            confirmed_on=TODAY - timedelta(days=days - 1),
        )
    open_link(client, invite(account, clara, people))
    page = client.get(reverse("workspace:home")).content.decode()
    shown = [t for t in ("Old saving", "Shelf life up", "Returns halved", "Freight") if t in page]
    assert shown == ["Old saving", "Shelf life up"]
    assert page.index("Old saving") < page.index("Shelf life up")
    assert reverse("workspace:value_confirm", args=[old.pk]) in page
    assert "Only the first 2 are listed." in page and 'href="?all=value#value"' in page
    page = client.get(reverse("workspace:home"), {"all": "value"}).content.decode()
    assert all(t in page for t in ("Old saving", "Shelf life up", "Returns halved", "Freight"))
    assert "Only the first" not in page
