"""Quotes expire on their own: the daily job `rhythm.expire_quotes` (delivery.services.expiry)
moves a sent quote whose validity has ended to expired, records it like a decision taken by
the system, and tells its author and the account's manager once; "Renew" copies an expired
quote into a new draft."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from pypdf import PdfReader

from accounts.models import AccountEvent, Role
from delivery.models import Quote
from delivery.services.expiry import quotes_expire_lapsed
from notifications.models import Notification
from rhythm import jobs
from rhythm.models import JobRun
from tests.factories import (
    KeyAccountFactory,
    MembershipFactory,
    OpportunityFactory,
    QuoteFactory,
    QuoteLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


def sent_quote(account, author, *, valid_until, status=Quote.Status.SENT, **extra):
    quote = QuoteFactory(
        key_account=account,
        prepared_by=author,
        valid_until=valid_until,
        status=status,
        sent_at=timezone.now() - timedelta(days=30) if status != Quote.Status.DRAFT else None,
        **extra,
    )
    # 10 x 99.50 = 995.00; 2 x 250.00 less 10 % = 450.00; total 1,445.00
    QuoteLineFactory(quote=quote, description="Pallets of product", position=0)
    QuoteLineFactory(
        quote=quote,
        description="Line trial, days on site",
        quantity=Decimal("2"),
        unit_price=Decimal("250.00"),
        discount_percent=Decimal("10"),
        position=1,
    )
    return quote


def text_of(response) -> str:
    import re
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# ---- the job ------------------------------------------------------------------------------


def test_the_job_expires_sent_quotes_past_validity_and_tells_author_and_manager_once(
    account, other_account, people, mailoutbox
):
    lapsed = sent_quote(account, people.coordinator, valid_until=YESTERDAY, number="Q-2026-0101")
    last_day = sent_quote(account, people.coordinator, valid_until=TODAY, number="Q-2026-0102")
    draft = sent_quote(
        account, people.coordinator, valid_until=YESTERDAY, status=Quote.Status.DRAFT
    )
    accepted = sent_quote(
        account, people.coordinator, valid_until=YESTERDAY, status=Quote.Status.ACCEPTED
    )
    # On the other account its manager prepared the quote: told once, not once per role.
    theirs = sent_quote(other_account, people.other_manager, valid_until=TODAY - timedelta(days=5))

    run = jobs.run_job(JobRun.Job.EXPIRE_QUOTES, trigger="test")

    assert run.outcome == JobRun.Outcome.OK
    # By hand: two quotes expire; the coordinator and the manager of the first, the other
    # manager of the second: three notifications, three e-mails.
    assert run.counts == {"expired": 2, "notified": 3, "emails_sent": 3}
    for quote in (lapsed, last_day, draft, accepted, theirs):
        quote.refresh_from_db()
    assert (lapsed.status, theirs.status) == ("expired", "expired")
    assert (last_day.status, draft.status, accepted.status) == ("sent", "draft", "accepted")
    # It expired the day after its validity ended, whatever the hour the job ran.
    assert lapsed.expired_on == TODAY
    assert theirs.expired_on == TODAY - timedelta(days=4)
    assert lapsed.revision == 1
    # Its history records the change with no person: the system.
    record = lapsed.history.order_by("-history_id").first()
    assert (record.status, record.history_user_id) == ("expired", None)
    event = AccountEvent.objects.get(key_account=account, kind="quote")
    assert event.actor is None

    day = date_format(TODAY, "PADDED_DATE_FORMAT")
    mails = {m.to[0]: m for m in mailoutbox}
    assert sorted(mails) == sorted(
        [people.coordinator.email, people.manager.email, people.other_manager.email]
    )
    # The quote is named by its number, its title and its total with the currency (10 x 99.50
    # + 2 x 250.00 less 10 % = 1,445.00), and each reader is told what to do next.
    assert mails[people.coordinator.email].body.startswith(
        f"Your quote Q-2026-0101 for Northwind Foods expired on {day} without an answer from "
        "the customer (“Annual supply”, EUR 1,445.00): renew it to offer again.\n"
    )
    assert mails[people.manager.email].body.startswith(
        f"Quote Q-2026-0101 for Northwind Foods expired on {day} without an answer from the "
        f"customer (“Annual supply”, EUR 1,445.00, prepared by {people.coordinator}): ask them "
        "whether to renew it.\n"
    )
    assert lapsed.get_absolute_url() in mails[people.coordinator.email].body
    assert mails[people.coordinator.email].subject.startswith(
        "KAM Programme: Your quote Q-2026-0101 for Northwind Foods expired"
    )

    # A second run (a retry, a second beat, a task delivered again) does nothing, tells nobody.
    again = jobs.run_job(JobRun.Job.EXPIRE_QUOTES, trigger="test")
    assert again.counts == {"expired": 0, "notified": 0, "emails_sent": 0}
    assert len(mailoutbox) == 3
    assert Notification.objects.filter(user=people.coordinator).count() == 1


def test_validity_ends_at_midnight_in_the_programmes_time_zone(account, people, monkeypatch):
    """Valid until 1 July: still valid at 23:30 in London, expired at 00:30 on 2 July there
    (23:30 UTC, when a server on UTC would still call it 1 July)."""
    quote = sent_quote(account, people.coordinator, valid_until=date(2026, 7, 1))
    london = ZoneInfo("Europe/London")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 7, 1, 23, 30, tzinfo=london))
    assert quotes_expire_lapsed() == {"expired": 0, "notified": 0}
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 7, 2, 0, 30, tzinfo=london))
    assert quotes_expire_lapsed() == {"expired": 1, "notified": 2}
    quote.refresh_from_db()
    assert (quote.status, quote.expired_on) == ("expired", date(2026, 7, 2))


def test_my_work_reads_a_quotes_validity_in_the_programmes_time_zone(
    client_for, account, people, monkeypatch
):
    """Noon in London on 1 July is already 2 July at Kiritimati (UTC+14): for a reader there
    the quote valid until 1 July still has its last day, as the job and the accept rule say."""
    people.coordinator.time_zone = "Pacific/Kiritimati"
    people.coordinator.save(update_fields=["time_zone"])
    sent_quote(account, people.coordinator, valid_until=date(2026, 7, 1), number="Q-2026-0110")
    client = client_for(people.coordinator)
    noon = datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    work = text_of(client.get(reverse("delivery:index")))
    assert "Sent, awaiting the customer's answer; valid until 1 Jul 2026" in work
    assert "validity passed" not in work


def test_people_who_left_the_team_are_not_told_and_the_quote_still_expires(account, people):
    author = UserFactory(username="leaver", is_active=False)
    MembershipFactory(user=author, key_account=account, role=Role.COORDINATOR)
    quote = sent_quote(account, author, valid_until=YESTERDAY)
    assert quotes_expire_lapsed() == {"expired": 1, "notified": 1}  # the manager alone
    assert Notification.objects.get().user == people.manager
    quote.refresh_from_db()
    assert quote.status == "expired"


def test_the_notification_reads_in_the_authors_language(account, people):
    people.coordinator.language = "fr"
    people.coordinator.save(update_fields=["language"])
    sent_quote(account, people.coordinator, valid_until=YESTERDAY, number="Q-2026-0103")
    quotes_expire_lapsed()
    told = Notification.objects.get(user=people.coordinator)
    with override("fr"):
        day = date_format(TODAY, "PADDED_DATE_FORMAT")
    assert told.text == (
        f"Votre devis Q-2026-0103 pour Northwind Foods a expiré le {day} sans réponse du "
        "client («\u00a0Annual supply\u00a0», 1\u00a0445,00\u00a0€)\u00a0: renouvelez-le "
        "pour le proposer à nouveau."
    )
    # The manager's, in French too: who prepared it and what to do.
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    sent_quote(account, people.coordinator, valid_until=YESTERDAY, number="Q-2026-0104")
    quotes_expire_lapsed()
    to_manager = Notification.objects.get(user=people.manager, text__contains="Q-2026-0104")
    assert to_manager.text == (
        f"Le devis Q-2026-0104 pour Northwind Foods a expiré le {day} sans réponse du client "
        f"(«\u00a0Annual supply\u00a0», 1\u00a0445,00\u00a0€, préparé par {people.coordinator})"
        "\u00a0: demandez-lui s’il faut le renouveler."
    )
    assert to_manager.email_subject.startswith("KAM Programme\u00a0: Le devis Q-2026-0104")


def test_the_job_is_on_beats_schedule_daily_after_midnight(settings):
    (entry,) = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "rhythm.expire_quotes"
    ]
    assert entry["schedule"].hour == {0} and entry["schedule"].minute == {20}
    assert JobRun.Job.EXPIRE_QUOTES in jobs.DUE_JOBS


# ---- what people see ----------------------------------------------------------------------


def test_list_page_and_my_work_show_expired_with_its_date(client_for, account, people):
    quote = sent_quote(account, people.coordinator, valid_until=YESTERDAY, number="Q-2026-0104")
    quotes_expire_lapsed()
    on = date_format(TODAY, "SHORT_DATE_FORMAT")
    client = client_for(people.coordinator)

    listed = text_of(client.get(reverse("delivery:account_quotes", args=[account.pk])))
    assert f"Q-2026-0104 Annual supply — Expired on {on}" in listed

    page = text_of(client.get(quote.get_absolute_url()))
    assert f"Expired on {on}, when its validity ended, without an answer from the customer" in (
        page
    )
    assert "Renew A new draft with the same lines and a new number" in page

    work = client.get(reverse("delivery:index"))
    assert f"Expired on {on} without an answer: renew it to offer again" in text_of(work)
    renew = reverse("delivery:quote_renew", args=[account.pk, quote.pk])
    assert f'action="{renew}"' in work.content.decode()

    timeline = text_of(client.get(reverse("delivery:timeline", args=[account.pk])))
    day = date_format(YESTERDAY, "SHORT_DATE_FORMAT")
    assert (
        f"Quote Q-2026-0104 expired unanswered, its validity having ended on {day}: "
        "Annual supply (EUR 1,445.00)"
    ) in timeline


def test_the_customers_copy_of_an_expired_quote_says_it_expired(client_for, account, people):
    quote = sent_quote(account, people.coordinator, valid_until=YESTERDAY)
    quotes_expire_lapsed()
    pdf = client_for(people.coordinator).get(
        reverse("delivery:quote_pdf", args=[account.pk, quote.pk])
    )
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    until, on = (date_format(d, "j F Y") for d in (YESTERDAY, TODAY))
    assert f"Valid until: {until} (expired on {on})" in text


def test_a_quote_marked_expired_early_says_so(client_for, account, people):
    quote = sent_quote(account, people.coordinator, valid_until=TODAY + timedelta(days=9))
    client = client_for(people.coordinator)
    client.post(
        reverse("delivery:quote_status", args=[account.pk, quote.pk]),
        {"status": "expired", "revision": quote.revision},
    )
    on = date_format(TODAY, "SHORT_DATE_FORMAT")
    assert f"Expired on {on}, before its validity ended" in text_of(
        client.get(quote.get_absolute_url())
    )


def test_my_work_lets_an_expired_quote_go_after_30_days_or_once_renewed(
    client_for, account, people
):
    old = sent_quote(account, people.coordinator, valid_until=YESTERDAY, number="Q-2026-0105")
    quotes_expire_lapsed()
    Quote.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=31))
    client = client_for(people.coordinator)
    assert "Q-2026-0105" not in client.get(reverse("delivery:index")).content.decode()


# ---- renew --------------------------------------------------------------------------------


def test_renew_drafts_a_copy_with_a_new_number_and_validity(client_for, account, people):
    opportunity = OpportunityFactory(key_account=account, status="pursuing")
    quote = sent_quote(
        account,
        people.coordinator,
        valid_until=YESTERDAY,
        number=f"Q-{TODAY.year}-0106",
        opportunity=opportunity,
        notes="Ex works Bremen.",
        overall_discount_percent=Decimal("2"),
    )
    # Sent 30 days ago, valid until yesterday: 29 days of validity, so the renewal too.
    Quote.objects.filter(pk=quote.pk).update(sent_at=timezone.now() - timedelta(days=30))
    quotes_expire_lapsed()
    client = client_for(people.coordinator)
    response = client.post(reverse("delivery:quote_renew", args=[account.pk, quote.pk]))

    renewal = Quote.objects.get(renewed_from=quote)
    assert response.status_code == 302 and response["Location"] == renewal.get_absolute_url()
    assert renewal.number == f"Q-{TODAY.year}-0107"  # one past the year's highest
    assert renewal.status == "draft" and renewal.prepared_by == people.coordinator
    assert renewal.valid_until == TODAY + timedelta(days=29)
    assert (renewal.title, renewal.notes, renewal.opportunity) == (
        "Annual supply",
        "Ex works Bremen.",
        opportunity,
    )
    assert renewal.overall_discount_percent == Decimal("2")
    assert [
        (line.description, line.quantity, line.unit_price, line.discount_percent)
        for line in renewal.lines.all()
    ] == [
        ("Pallets of product", Decimal("10"), Decimal("99.50"), Decimal("0")),
        ("Line trial, days on site", Decimal("2"), Decimal("250.00"), Decimal("10")),
    ]
    # 1,445.00 less 2 % (28.90) = 1,416.10, as on the quote it renews.
    assert renewal.totals().total == Decimal("1416.10")

    page = text_of(client.get(renewal.get_absolute_url()))
    until = date_format(renewal.valid_until, "SHORT_DATE_FORMAT")
    assert f"Quote {renewal.number} drafted from Q-{TODAY.year}-0106, valid until {until}" in page
    on = date_format(TODAY, "SHORT_DATE_FORMAT")
    assert f"Renews Q-{TODAY.year}-0106 (expired on {on})" in page
    original = text_of(client.get(quote.get_absolute_url()))
    assert f"Renewed as {renewal.number} (draft)" in original
    assert "A new draft with the same lines" not in original
    # My work no longer asks for it to be renewed.
    assert f"Q-{TODAY.year}-0106" not in client.get(reverse("delivery:index")).content.decode()

    # A second click (or a colleague's) leads to the same renewal.
    again = client.post(reverse("delivery:quote_renew", args=[account.pk, quote.pk]))
    assert again["Location"] == renewal.get_absolute_url()
    assert Quote.objects.filter(renewed_from=quote).count() == 1
    assert f"Quote Q-{TODAY.year}-0106 was already renewed as {renewal.number}." in text_of(
        client.get(again["Location"])
    )


def test_only_an_expired_quote_is_renewed(client_for, account, people):
    quote = sent_quote(account, people.coordinator, valid_until=TODAY + timedelta(days=5))
    client = client_for(people.coordinator)
    response = client.post(
        reverse("delivery:quote_renew", args=[account.pk, quote.pk]), follow=True
    )
    assert "Only an expired quote can be renewed; this one is sent." in text_of(response)
    assert Quote.objects.count() == 1


def test_renewing_needs_the_right_to_edit_quotes(client_for, account, people):
    quote = sent_quote(account, people.coordinator, valid_until=YESTERDAY)
    quotes_expire_lapsed()
    url = reverse("delivery:quote_renew", args=[account.pk, quote.pk])
    assert client_for(people.team_member).post(url).status_code == 403
    assert client_for(people.outsider).post(url).status_code == 404
    assert client_for(people.team_member).get(url).status_code == 405
    assert Quote.objects.count() == 1
    page = client_for(people.team_member).get(quote.get_absolute_url()).content.decode()
    assert url not in page


def test_a_deselected_accounts_quote_is_not_renewed(client_for, account, people):
    quote = sent_quote(account, people.coordinator, valid_until=YESTERDAY)
    quotes_expire_lapsed()
    account.status = "deselected"
    account.deselection_reason = "Moved to a distributor."
    account.save(update_fields=["status", "deselection_reason"])
    url = reverse("delivery:quote_renew", args=[account.pk, quote.pk])
    assert url not in client_for(people.coordinator).get(quote.get_absolute_url()).content.decode()
    client_for(people.coordinator).post(url)
    assert Quote.objects.count() == 1


QUOTE_LIST_QUERIES = 8


def test_quote_list_queries_stay_bounded_with_expired_and_renewed_quotes(
    client_for, account, people, django_assert_max_num_queries
):
    client = client_for(people.coordinator)
    url = reverse("delivery:account_quotes", args=[account.pk])

    def plant(n):
        for _ in range(n):
            sent_quote(account, people.coordinator, valid_until=YESTERDAY)
        quotes_expire_lapsed()
        for quote in Quote.objects.filter(status="expired", renewal__isnull=True)[: n // 2]:
            client.post(reverse("delivery:quote_renew", args=[account.pk, quote.pk]))

    plant(2)
    with django_assert_max_num_queries(QUOTE_LIST_QUERIES):
        assert client.get(url).status_code == 200
    plant(8)
    with django_assert_max_num_queries(QUOTE_LIST_QUERIES):
        assert client.get(url).status_code == 200


def test_an_account_on_another_team_keeps_its_own_people(people):
    """Managers are told per account: a manager of another account hears nothing."""
    account = KeyAccountFactory(customer__name="Albion Dairies")
    MembershipFactory(user=people.manager, key_account=account, role=Role.MANAGER)
    MembershipFactory(user=people.coordinator, key_account=account, role=Role.COORDINATOR)
    other = KeyAccountFactory(customer__name="Borealis")
    MembershipFactory(user=people.other_manager, key_account=other, role=Role.MANAGER)
    sent_quote(account, people.coordinator, valid_until=YESTERDAY)
    quotes_expire_lapsed()
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "chloe",
        "max",
    ]


def test_a_renewal_prices_offering_lines_from_todays_list_and_asks_again_above_the_limit(
    client_for, account, people, django_capture_on_commit_callbacks
):
    """The trays were 100.00 on the list and offered at 95.00 (5 %, within the 10 % limit).
    The list now says 120.00: the same 95.00 is 20.83 % off it, so the director is asked."""
    from opportunities.models import ListPrice
    from tests.opportunities.factories import OfferingFactory

    trays = OfferingFactory(name="Mono-material trays")
    old = ListPrice.objects.create(
        offering=trays,
        currency="EUR",
        unit="1,000 trays",
        unit_price=Decimal("100.00"),
        valid_from=TODAY - timedelta(days=90),
        valid_until=TODAY - timedelta(days=1),
    )
    ListPrice.objects.create(
        offering=trays,
        currency="EUR",
        unit="1,000 trays",
        unit_price=Decimal("120.00"),
        valid_from=TODAY,
    )
    quote = QuoteFactory(
        key_account=account,
        prepared_by=people.coordinator,
        status=Quote.Status.EXPIRED,
        valid_until=YESTERDAY,
        decided_at=timezone.now(),
    )
    QuoteLineFactory(
        quote=quote,
        offering=trays,
        description="Trays",
        quantity=Decimal("10"),
        unit_price=Decimal("95.00"),
        list_price=old,
        list_unit_price=Decimal("100.00"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.coordinator).post(
            reverse("delivery:quote_renew", args=[account.pk, quote.pk])
        )
    renewal = Quote.objects.get(renewed_from=quote)
    (line,) = renewal.lines.all()
    assert (line.unit_price, line.list_unit_price) == (Decimal("95.0000"), Decimal("120.0000"))
    # 1 - 95 / 120 = 20.83 %
    assert line.computed_discount_percent == Decimal("20.83")
    told = Notification.objects.get(user=people.director)
    assert renewal.number in told.text and "20.83" in told.text
