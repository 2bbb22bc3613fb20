"""The end of a quote's validity, and what follows it.

- `quotes_expire_lapsed` (the daily job `rhythm.expire_quotes`): a quote sent and still
  unanswered when its validity has ended — today, in the programme's time zone, is after its
  `valid_until` — becomes expired, recorded on its history and the account's timeline like a
  decision taken by hand (with no person: the system), and its author and the account's
  manager(s) are told, each once. Exactly once: the rows are claimed with
  `SELECT … FOR UPDATE SKIP LOCKED` in batches of `RHYTHM_BATCH_SIZE`, and each batch's status
  change, history, timeline entries and notifications (the e-mail outbox) commit together, so
  a second run, a retry or a task delivered again after a crash finds nothing left to do.
- `quote_renew` ("Renew" on an expired quote): a new draft with the same lines, a new number
  and a new validity, linked to the quote it renews; one renewal per quote.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import permissions
from accounts.event_text import EventText, amount, day
from accounts.models import AccountEvent, Role
from accounts.services import account_event_record
from common import formats
from common.conflicts import bump_revision
from common.faults import checkpoint
from notifications.services import Message, notify_many
from opportunities import selectors as opportunity_selectors

from ..models import Quote
from .quotes import QuoteLineData, quote_create

BATCH_SIZE = settings.RHYTHM_BATCH_SIZE

# A renewal is valid for as long as the quote it renews was (from sending to its end), or this
# many days when that cannot be told.
DEFAULT_VALIDITY_DAYS = 30


def lapsed_quotes_q(today: date) -> Q:
    """Sent, unanswered, and past their validity on `today` (the programme's date)."""
    return Q(status=Quote.Status.SENT, valid_until__lt=today)


def quotes_expire_lapsed(*, today: date | None = None) -> dict[str, int]:
    """Expire every sent quote whose validity has ended, in batches (see the module's
    docstring). Returns how many quotes expired and how many people were notified."""
    today = today or timezone.localdate()
    expired = notified = 0
    while True:
        batch = _expire_batch(today)
        if batch is None:
            break
        expired += batch[0]
        notified += batch[1]
    return {"expired": expired, "notified": notified}


@transaction.atomic
def _expire_batch(today: date) -> tuple[int, int] | None:
    """One transaction: claim up to BATCH_SIZE lapsed quotes no other run holds, expire them,
    write their history, timeline entries and notifications. None when none was left."""
    quotes = list(
        Quote.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(lapsed_quotes_q(today))
        .select_related("key_account__customer", "prepared_by")
        .prefetch_related("lines")
        .order_by("valid_until", "pk")[:BATCH_SIZE]
    )
    if not quotes:
        return None
    now = timezone.now()
    team = permissions.people_to_tell(account_ids={q.key_account_id for q in quotes})
    managers = permissions.people_to_tell(
        account_ids={q.key_account_id for q in quotes}, roles=(Role.MANAGER,)
    )
    messages = []
    for quote in quotes:
        quote.status = Quote.Status.EXPIRED
        quote.decided_at = now
        bump_revision(quote)
        quote._history_user = None  # the system: no person decided
        quote.save(update_fields=["status", "decided_at", "revision", "updated_at"])
        totals = quote.totals(quote.lines.all())
        account_event_record(
            account=quote.key_account,
            kind=AccountEvent.Kind.QUOTE,
            summary=EventText(
                gettext_noop(
                    "Quote %(number)s expired unanswered, its validity having ended on "
                    "%(date)s: %(title)s (%(total)s)"
                ),
                number=quote.number,
                date=day(quote.valid_until),
                title=quote.title,
                total=amount(totals.total, places=2, before=f"{quote.currency} "),
            ),
            new_value=f"{quote.currency} {totals.total}",
            link=quote.get_absolute_url(),
            occurred_at=now,
        )
        on_team = {user.pk for user in team.get(quote.key_account_id, [])}
        told = set()
        author = quote.prepared_by
        if author is not None and author.pk in on_team:
            messages.append(Message(author, partial(_author_text, quote), quote.get_absolute_url()))
            told.add(author.pk)
        for manager in managers.get(quote.key_account_id, []):
            if manager.pk not in told:
                messages.append(
                    Message(manager, partial(_manager_text, quote), quote.get_absolute_url())
                )
                told.add(manager.pk)
    # (test-only) a worker killed here has committed the batch but handed over no e-mail
    transaction.on_commit(lambda: checkpoint("quotes:batch-committed"))
    notify_many(messages=messages)
    return len(quotes), len(messages)


def _author_text(quote: Quote) -> str:  # in the recipient's language, by the outbox
    return _(
        "Your quote %(number)s for %(account)s expired on %(date)s without an answer from the "
        "customer (“%(title)s”, %(total)s): renew it to offer again."
    ) % _expiry_names(quote)


def _manager_text(quote: Quote) -> str:
    return _(
        "Quote %(number)s for %(account)s expired on %(date)s without an answer from the "
        "customer (“%(title)s”, %(total)s, prepared by %(author)s): ask them whether to renew it."
    ) % {**_expiry_names(quote), "author": quote.prepared_by or _("someone who has left")}


def _expiry_names(quote: Quote) -> dict:
    """The quote named as its reader knows it: number, title, total with its currency (in the
    reader's number format) and the day it expired."""
    return {
        "number": quote.number,
        "title": quote.title,
        "account": quote.key_account.name,
        "total": formats.money_cents(quote.totals(quote.lines.all()).total, quote.currency),
        "date": date_format(quote.expired_on, "PADDED_DATE_FORMAT"),
    }


def renewal_valid_until(quote: Quote, today: date | None = None) -> date:
    """A renewal is valid for as long as the quote it renews was, from today."""
    today = today or timezone.localdate()
    start = timezone.localdate(quote.sent_at or quote.created_at)
    days = (quote.valid_until - start).days
    return today + timedelta(days=days if days > 0 else DEFAULT_VALIDITY_DAYS)


class AlreadyRenewed(Exception):
    """The quote already has its renewal (`renewal`): a second click, or someone else's."""

    def __init__(self, renewal: Quote):
        super().__init__(renewal.number)
        self.renewal = renewal


@transaction.atomic
def quote_renew(*, quote: Quote, acting_user, valid_until: date | None = None) -> Quote:
    """A new draft from an expired quote: the same title, lines (offering, description,
    quantity, unit price offered, extra discount), overall discount and notes, a new number
    and a validity as long as the original's. Lines from an offering take today's list price,
    so their discount is worked out again (and a director asked above the limit, as for any
    new quote). The linked opportunity is kept while it is still open. The original's row is
    locked while this runs: two clicks make one renewal (`AlreadyRenewed` names it)."""
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("key_account", "opportunity")
        .get(pk=quote.pk)
    )
    existing = Quote.objects.filter(renewed_from=quote).first()
    if existing is not None:
        raise AlreadyRenewed(existing)
    if quote.status != Quote.Status.EXPIRED:
        raise ValidationError(
            _("Only an expired quote can be renewed; this one is %(status)s.")
            % {"status": quote.get_status_display().lower()}
        )
    opportunity = None
    if quote.opportunity_id is not None:
        opportunity = (
            opportunity_selectors.opportunities_to_link(account=quote.key_account)
            .filter(pk=quote.opportunity_id)
            .first()
        )
    renewal = quote_create(
        account=quote.key_account,
        title=quote.title,
        valid_until=valid_until or renewal_valid_until(quote),
        overall_discount_percent=quote.overall_discount_percent,
        opportunity=opportunity,
        notes=quote.notes,
        lines=[
            QuoteLineData(
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                offering=line.offering,
            )
            for line in quote.lines.select_related("offering").order_by("position", "pk")
        ],
        renewed_from=quote,
        acting_user=acting_user,
    )
    account_event_record(
        account=quote.key_account,
        kind=AccountEvent.Kind.QUOTE,
        summary=EventText(
            gettext_noop("Quote %(number)s renewed as %(renewal)s, valid until %(date)s"),
            number=quote.number,
            renewal=renewal.number,
            date=day(renewal.valid_until),
        ),
        acting_user=acting_user,
        link=renewal.get_absolute_url(),
    )
    return renewal
