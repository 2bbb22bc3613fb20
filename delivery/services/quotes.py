"""Quotes: see `delivery.models.QuoteTotals` for the arithmetic. Discounts above the programme's
limit need a director's approval before sending; an expired quote cannot be accepted. A quote
that starts waiting for that approval notifies the account's director(s), their approval or
refusal its author (after commit). A change of prices or discounts withdraws an earlier
approval or refusal (`quote_discount_decision_withdraw`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.event_text import EventText, amount, term
from accounts.models import AccountEvent, KeyAccount, Programme, Role
from accounts.selectors import team_with_role
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit
from common.limits import NOTE_MAX_CHARS
from common.locks import serialise
from notifications.services import notify_account_team
from opportunities import selectors as opportunity_selectors
from opportunities import services as opportunity_services
from opportunities.models import ListPrice, Offering, Opportunity

from ..models import Quote, QuoteLine
from .shared import NULLABLE_AUTHORS, _ensure_active, _is_quick_win


@dataclass
class QuoteLineData:
    """A line as typed. `unit_price` None: take the offering's list price. The list price
    fields are filled by `_price_lines`, never by the user."""

    description: str
    quantity: Decimal
    unit_price: Decimal | None
    discount_percent: Decimal = Decimal("0")
    offering: Offering | None = None
    list_price: ListPrice | None = None
    list_unit_price: Decimal | None = None


def _price_lines(lines: list[QuoteLineData], *, currency: str, on: date) -> list[QuoteLineData]:
    """Each line chosen from an offering takes the offering's list price valid `on` that day
    in the quote's currency; a blank unit price becomes that list price. A free-text line
    keeps only what was typed. Where a unit price is missing and there is no list price to
    take, the line is refused with the reason."""
    prices = {
        offering_id: opportunity_selectors.list_price_on(
            offering_id=offering_id, currency=currency, on=on
        )
        for offering_id in {line.offering.pk for line in lines if line.offering is not None}
    }
    priced = []
    for n, line in enumerate(lines, start=1):
        price = prices.get(line.offering.pk) if line.offering is not None else None
        unit_price = line.unit_price
        if unit_price is None:
            if price is None:
                what = (
                    _("%(offering)s has no %(currency)s list price on %(date)s")
                    % {
                        "offering": line.offering.name,
                        "currency": currency,
                        "date": date_format(on, "PADDED_DATE_FORMAT"),
                    }
                    if line.offering is not None
                    else _("a line without an offering has no list price")
                )
                raise ValidationError(
                    {
                        "__all__": _("Line %(n)s: enter a unit price (%(what)s).")
                        % {"n": n, "what": what}
                    }
                )
            unit_price = price.unit_price
        priced.append(
            replace(
                line,
                unit_price=unit_price,
                list_price=price,
                list_unit_price=price.unit_price if price is not None else None,
            )
        )
    return priced


def _validate_quote(
    account: KeyAccount, opportunity: Opportunity | None, lines: list[QuoteLineData]
) -> None:
    _ensure_active(account)
    errors: dict[str, str] = {}
    if opportunity is not None and opportunity.key_account_id != account.pk:
        errors["opportunity"] = _("Only this account's opportunities can be linked.")
    for n, line in enumerate(lines, start=1):
        if line.quantity < 0:
            errors.setdefault("__all__", _("Line %(n)s: quantity cannot be negative.") % {"n": n})
        if line.unit_price < 0:
            errors.setdefault("__all__", _("Line %(n)s: unit price cannot be negative.") % {"n": n})
        if not Decimal("0") <= line.discount_percent <= Decimal("100"):
            errors.setdefault(
                "__all__", _("Line %(n)s: a discount must be between 0 and 100 %%.") % {"n": n}
            )
    if errors:
        raise ValidationError(errors)


def _next_quote_number(today: date) -> str:
    """The year's next number, one past the highest given (never a count, which repeats a
    number after a deletion). The year's numbering is held until the transaction ends, so two
    quotes created at the same moment take turns instead of both taking one number."""
    prefix = f"Q-{today.year}-"
    serialise(f"delivery.quote_number.{today.year}")
    last = (
        Quote.objects.filter(number__startswith=prefix)
        .annotate(width=Length("number"))
        .order_by("-width", "-number")
        .values_list("number", flat=True)
        .first()
    )
    n = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    while Quote.objects.filter(number=f"{prefix}{n:04d}").exists():  # a hand-made number
        n += 1
    return f"{prefix}{n:04d}"


LINE_FIELDS = (
    "offering_id",
    "description",
    "quantity",
    "unit_price",
    "discount_percent",
    "list_price_id",
    "list_unit_price",
)


def _replace_lines(quote: Quote, lines: list[QuoteLineData]) -> None:
    """Make the quote's lines the given ones, position by position.

    A line that stays the same is left alone, a changed one is updated, extra ones are added
    and surplus ones deleted: so the audit history shows what really changed on each line, and
    a removed line can be restored from it."""
    existing = list(quote.lines.order_by("position", "pk"))
    new_rows, changed = [], []
    for position, data in enumerate(lines):
        line = existing[position] if position < len(existing) else QuoteLine(quote=quote)
        before = tuple(getattr(line, f) for f in LINE_FIELDS) + (line.position,)
        line.offering = data.offering
        line.description = data.description.strip()
        line.quantity = data.quantity
        line.unit_price = data.unit_price
        line.discount_percent = data.discount_percent
        line.list_price = data.list_price
        line.list_unit_price = data.list_unit_price
        line.position = position
        line.full_clean()
        if line.pk is None:
            new_rows.append(line)
        elif before != tuple(getattr(line, f) for f in LINE_FIELDS) + (line.position,):
            changed.append(line)
    fields = [
        "offering",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "list_price",
        "list_unit_price",
        "position",
    ]
    if changed:
        bulk_update_with_history(changed, QuoteLine, fields)
    if new_rows:
        bulk_create_with_history(new_rows, QuoteLine)
    for surplus in existing[len(lines) :]:
        surplus.delete()


def _pricing_signature(overall: Decimal, lines) -> tuple:
    """What a director's approval was given on: quantities, prices offered, declared
    discounts and the list prices the discounts are worked out from."""

    def price(value):
        return None if value is None else Decimal(value)

    return (
        Decimal(overall),
        tuple(
            (
                Decimal(x.quantity),
                Decimal(x.unit_price),
                Decimal(x.discount_percent),
                price(x.list_unit_price),
            )
            for x in lines
        ),
    )


@transaction.atomic
def quote_create(
    *,
    account: KeyAccount,
    title: str,
    valid_until: date,
    overall_discount_percent: Decimal = Decimal("0"),
    opportunity: Opportunity | None = None,
    notes: str = "",
    lines: list[QuoteLineData],
    acting_user,
    renewed_from: Quote | None = None,
) -> Quote:
    """A draft quote in the programme's currency, numbered Q-<year>-<nnnn>. Lines chosen from
    an offering are priced from its list price of the day. `renewed_from`: the expired quote
    it renews (delivery.services.expiry.quote_renew)."""
    today = timezone.localdate()
    lines = _price_lines(lines, currency=Programme.current().currency, on=today)
    _validate_quote(account, opportunity, lines)
    if valid_until < today:
        raise ValidationError({"valid_until": _("A new quote cannot be valid only in the past.")})
    quote = Quote(
        key_account=account,
        number=_next_quote_number(today),
        title=title.strip(),
        opportunity=opportunity,
        currency=Programme.current().currency,
        overall_discount_percent=overall_discount_percent,
        valid_until=valid_until,
        notes=notes,
        prepared_by=acting_user,
        renewed_from=renewed_from,
    )
    quote.full_clean()
    quote.save()
    _replace_lines(quote, lines)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.QUOTE,
        summary=EventText(
            gettext_noop("Quote %(number)s drafted: %(title)s"),
            number=quote.number,
            title=quote.title,
        ),
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    if quote_needs_approval(quote):
        _ask_directors_to_approve(quote, acting_user)
    return quote


@transaction.atomic
def quote_update(
    *,
    quote: Quote,
    revision: int | None,
    title: str,
    valid_until: date,
    overall_discount_percent: Decimal,
    opportunity: Opportunity | None,
    notes: str,
    lines: list[QuoteLineData],
    acting_user,
) -> Quote:
    """Edit a draft. Changing prices or discounts withdraws an earlier discount approval."""
    quote = lock_for_edit(
        quote, revision, message=_("Someone else changed this quote while you were editing.")
    )
    if not quote.is_editable:
        raise ValidationError(
            _("Only draft quotes can be edited; this one is %(status)s.") % {"status": quote.status}
        )
    today = timezone.localdate()
    lines = _price_lines(lines, currency=quote.currency, on=today)
    _validate_quote(quote.key_account, opportunity, lines)
    if valid_until != quote.valid_until and valid_until < today:
        # As on a new quote: a date typed in the past is a slip (a lapsed draft kept as it was
        # may still be saved; it cannot be sent until it has a new date).
        raise ValidationError({"valid_until": _("A quote cannot be made valid only in the past.")})
    was_waiting = quote_waits_for_director(quote)
    before = _pricing_signature(quote.overall_discount_percent, quote.lines.all())
    after = _pricing_signature(overall_discount_percent, lines)
    quote.title = title.strip()
    quote.valid_until = valid_until
    quote.overall_discount_percent = overall_discount_percent
    quote.opportunity = opportunity
    quote.notes = notes
    if before != after:
        _clear_discount_decision(quote)
    bump_revision(quote)
    quote.full_clean(exclude=NULLABLE_AUTHORS)
    quote.save()
    _replace_lines(quote, lines)
    # Directors are asked once each time the quote starts waiting for them (a new discount
    # above the limit, or a price change that withdrew their approval), not on every save.
    if not was_waiting and quote_waits_for_director(quote):
        _ask_directors_to_approve(quote, acting_user)
    return quote


def _ask_directors_to_approve(quote: Quote, acting_user) -> None:
    """After commit: the account's director(s) are asked to approve the quote's discount."""
    account = quote.key_account
    totals = quote.totals()
    limit = quote_discount_limit()

    names = {"user": acting_user, "number": quote.number, "account": account.name}

    def text():  # called by the outbox in each recipient's language
        figures = {
            "discount": localize(totals.effective_discount_percent),
            "line": localize(totals.max_line_discount),
            "limit": localize(limit),
        }
        if totals.effective_discount_percent <= limit:
            # A single line's discount is what exceeds the limit: the quote's overall figure
            # alone ("9.29 % discount (limit 10 %)") reads as if nothing needed approving.
            return _(
                "%(user)s asks you to approve a %(line)s %% discount on a line of quote "
                "%(number)s for %(account)s (limit %(limit)s %%; %(discount)s %% on the whole "
                "quote)."
            ) % {**names, **figures}
        return _(
            "%(user)s asks you to approve a %(discount)s %% discount on quote %(number)s for "
            "%(account)s (limit %(limit)s %%)."
        ) % {**names, **figures}

    transaction.on_commit(
        lambda: notify_account_team(
            account=account,
            users=team_with_role(account=account, role=Role.DIRECTOR),
            text=text,
            link=quote.get_absolute_url(),
            acting_user=acting_user,
        ),
        robust=True,
    )


DISCOUNT_DECISION_FIELDS = [
    "discount_approved_by",
    "discount_approved_at",
    "discount_refused_by",
    "discount_refused_at",
    "discount_refusal_reason",
]


def _clear_discount_decision(quote: Quote) -> str | None:
    """The rule for new prices or discounts: a director's earlier approval or refusal of the
    discount no longer holds; it is decided again on the new prices. Which one was withdrawn."""
    withdrawn = (
        "approval"
        if quote.discount_approved_at is not None
        else "refusal"
        if quote.discount_refused_at is not None
        else None
    )
    quote.discount_approved_by = None
    quote.discount_approved_at = None
    quote.discount_refused_by = None
    quote.discount_refused_at = None
    quote.discount_refusal_reason = ""
    return withdrawn


@transaction.atomic
def quote_discount_decision_withdraw(*, quote: Quote, acting_user) -> str | None:
    """The quote's prices changed other than through `quote_update` (a line restored from
    history): withdraw a director's approval or refusal of its discount, as an edit would, and
    save the quote as edited (new revision). Returns "approval", "refusal" or None. The caller
    holds the quote's row lock and checked that it is a draft."""
    withdrawn = _clear_discount_decision(quote)
    bump_revision(quote)
    quote._history_user = acting_user
    quote.save(update_fields=[*DISCOUNT_DECISION_FIELDS, "revision", "updated_at"])
    return withdrawn


def quote_discount_limit() -> Decimal:
    return Programme.current().quote_discount_limit_percent


def quote_needs_approval(quote: Quote) -> bool:
    """True while the quote's discounts exceed the limit and no director has approved them."""
    return quote.totals().needs_approval(quote_discount_limit()) and not (
        quote.is_discount_approved
    )


def quote_waits_for_director(quote: Quote) -> bool:
    """Needs a director's approval and no director has refused these prices yet."""
    return quote_needs_approval(quote) and not quote.is_discount_refused


QUOTE_CHANGED = gettext_lazy(
    "The quote changed after your page was loaded, so your decision was not applied: look at "
    "the quote as it is now and decide again."
)


@transaction.atomic
def quote_refuse_discount(
    *, quote: Quote, reason: str, acting_user, revision: int | None = None
) -> Quote:
    """A director refuses a discount above the limit, saying why (view checks APPROVE). The
    quote stays a draft and cannot be sent; its author is told. New prices ask again. Of the
    quote as the director's page showed it (`revision`), or nothing (`EditConflict`)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so that the author knows what to change.")})
    if len(reason) > NOTE_MAX_CHARS:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(limit)s characters; nothing was saved.")
                % {"limit": f"{NOTE_MAX_CHARS:,}"}
            }
        )
    quote = lock_for_edit(quote, revision, message=QUOTE_CHANGED)
    if not quote.is_editable:
        raise ValidationError(_("Only a draft quote's discount can be refused."))
    limit = quote_discount_limit()
    if not quote.totals().needs_approval(limit) or quote.is_discount_approved:
        raise ValidationError(_("This quote's discount waits for nobody's approval."))
    if quote.is_discount_refused:
        raise ValidationError(_("This discount is already refused."))
    quote.discount_refused_by = acting_user
    quote.discount_refused_at = timezone.now()
    quote.discount_refusal_reason = reason
    bump_revision(quote)
    quote.save(
        update_fields=[
            "discount_refused_by",
            "discount_refused_at",
            "discount_refusal_reason",
            "revision",
            "updated_at",
        ]
    )
    account_event_record(
        account=quote.key_account,
        kind=AccountEvent.Kind.QUOTE,
        summary=EventText(
            gettext_noop("Discount on quote %(number)s refused"), number=quote.number
        ),
        reason=reason,
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    author = quote.prepared_by

    def text():  # called by the outbox in the recipient's language
        return _(
            "%(user)s refused the discount on your quote %(number)s for %(account)s: %(reason)s"
        ) % {
            "user": acting_user,
            "number": quote.number,
            "account": quote.key_account.name,
            "reason": reason,
        }

    transaction.on_commit(
        lambda: notify_account_team(
            account=quote.key_account,
            users=[author] if author else [],
            text=text,
            link=quote.get_absolute_url(),
            acting_user=acting_user,
        ),
        robust=True,
    )
    return quote


@transaction.atomic
def quote_approve_discount(*, quote: Quote, acting_user, revision: int | None = None) -> Quote:
    """A director approves discounts above the programme's limit (view checks APPROVE): those
    the director's page showed (`revision`), or nothing (`EditConflict`)."""
    quote = lock_for_edit(quote, revision, message=QUOTE_CHANGED)
    if not quote.is_editable:
        raise ValidationError(_("Only a draft quote's discount can be approved."))
    totals = quote.totals()
    limit = quote_discount_limit()
    if not totals.needs_approval(limit):
        raise ValidationError(
            _("This quote's discounts are within the %(limit)s %% limit.") % {"limit": limit}
        )
    if quote.is_discount_approved:
        raise ValidationError(_("This discount is already approved."))
    quote.discount_approved_by = acting_user
    quote.discount_approved_at = timezone.now()
    quote.discount_refused_by = None  # a director may change their mind
    quote.discount_refused_at = None
    quote.discount_refusal_reason = ""
    bump_revision(quote)
    quote.save(
        update_fields=[
            "discount_approved_by",
            "discount_approved_at",
            "discount_refused_by",
            "discount_refused_at",
            "discount_refusal_reason",
            "revision",
        ]
    )
    account_event_record(
        account=quote.key_account,
        kind=AccountEvent.Kind.QUOTE,
        summary=EventText(
            gettext_noop(
                "Discount on quote %(number)s approved "
                "(%(discount)s %% against a %(limit)s %% limit)"
            ),
            number=quote.number,
            discount=amount(totals.effective_discount_percent),
            limit=amount(limit),
        ),
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    author = quote.prepared_by

    def text():  # called by the outbox in the recipient's language
        return _(
            "%(user)s approved the discount on your quote %(number)s for %(account)s; "
            "it can now be sent."
        ) % {"user": acting_user, "number": quote.number, "account": quote.key_account.name}

    transaction.on_commit(
        lambda: notify_account_team(
            account=quote.key_account,
            users=[author],
            text=text,
            link=quote.get_absolute_url(),
            acting_user=acting_user,
        ),
        robust=True,
    )
    return quote


@transaction.atomic
def quote_change_status(
    *,
    quote: Quote,
    status: str,
    mark_opportunity_won: bool = False,
    acting_user,
    revision: int | None = None,
) -> Quote:
    """draft -> sent -> accepted / rejected / expired.

    Sending needs at least one line, a validity date not yet passed and, above the discount
    limit, a director's approval. A quote past its validity date cannot be accepted.
    An accepted quote may mark its linked opportunity won. Of the quote as the page showed it
    (`revision`), or nothing (`EditConflict`).
    """
    quote = lock_for_edit(
        quote,
        revision,
        queryset=Quote.objects.select_related("opportunity"),
        message=QUOTE_CHANGED,
    )
    if status not in quote.next_statuses():
        raise ValidationError(
            _("A %(status)s quote cannot become %(new)s.")
            % {
                "status": quote.get_status_display().lower(),
                "new": str(Quote.Status(status).label).lower()
                if status in Quote.Status.values
                else status,
            }
        )
    today = timezone.localdate()
    now = timezone.now()
    if status == Quote.Status.SENT:
        _ensure_active(quote.key_account)
        if not quote.lines.exists():
            raise ValidationError(_("Add at least one line before sending the quote."))
        if quote.valid_until < today:
            raise ValidationError(_("The validity date has passed; set a new one before sending."))
        if quote_needs_approval(quote) and quote.is_discount_refused:
            raise ValidationError(
                _(
                    "%(user)s refused this discount: %(reason)s "
                    "Change the prices or discounts first."
                )
                % {"user": quote.discount_refused_by, "reason": quote.discount_refusal_reason}
            )
        if quote_needs_approval(quote):
            raise ValidationError(
                _(
                    "The discount is above the programme's %(limit)s %% limit: "
                    "a director must approve it before the quote is sent."
                )
                % {"limit": quote_discount_limit()}
            )
        quote.sent_at = now
    elif status == Quote.Status.ACCEPTED and quote.valid_until < today:
        raise ValidationError(
            _(
                "This quote was valid until %(date)s; it cannot be accepted any more. "
                "Mark it expired (the daily job does it too), then renew it."
            )
            % {"date": date_format(quote.valid_until, "PADDED_DATE_FORMAT")}
        )
    if status in (Quote.Status.ACCEPTED, Quote.Status.REJECTED, Quote.Status.EXPIRED):
        quote.decided_at = now
    quote.status = status
    bump_revision(quote)
    quote.full_clean(exclude=NULLABLE_AUTHORS)
    quote.save(update_fields=["status", "sent_at", "decided_at", "revision", "updated_at"])
    totals = quote.totals()
    account_event_record(
        account=quote.key_account,
        kind=AccountEvent.Kind.QUOTE,
        summary=EventText(
            gettext_noop("Quote %(number)s %(status)s: %(title)s (%(total)s)"),
            number=quote.number,
            status=term(Quote.Status(quote.status).label, lower=True),
            title=quote.title,
            total=amount(totals.total, places=2, before=f"{quote.currency} "),
        ),
        new_value=f"{quote.currency} {totals.total}",
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    opportunity = quote.opportunity
    if (
        status == Quote.Status.ACCEPTED
        and mark_opportunity_won
        and opportunity is not None
        and opportunity.status != Opportunity.Status.WON
    ):
        # Through the opportunities' own service: a new revision, so an edit form open on
        # the opportunity meanwhile cannot quietly put it back to "pursuing".
        opportunity_services.opportunity_change_status(
            opportunity=opportunity,
            status=Opportunity.Status.WON,
            reason=EventText(
                gettext_noop("Quote %(number)s accepted (%(total)s)."),
                number=quote.number,
                total=amount(totals.total, places=2, before=f"{quote.currency} "),
            ),
            summary=EventText(
                gettext_noop("Quick win delivered: %(title)s (quote %(number)s accepted)")
                if _is_quick_win(opportunity)
                else gettext_noop("Opportunity won: %(title)s (quote %(number)s accepted)"),
                title=opportunity.title,
                number=quote.number,
            ),
            acting_user=acting_user,
        )
    return quote
