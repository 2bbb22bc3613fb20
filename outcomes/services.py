"""Writes of value delivered and customer issues.

Rules kept here:
- Value delivered belongs to one key account; its opportunity and objective must be that
  account's (the objective of its current plan, or the one already linked). Money is in the
  programme's currency (stored with the entry), another unit needs its name.
- Confirmation: a stakeholder of the same account confirms an entry, on a date (the customer
  workspace calls `confirm_value_delivered` with `via="workspace"`; the team records an
  e-mailed confirmation with `via="email"`). Editing what was delivered, when or how much
  after the confirmation takes the confirmation back (the customer confirmed other figures).
- A customer issue's owner is someone on the account team (they must see the account to act).
  Resolving or closing stamps `resolved_at`; reopening clears it.
- Overdue open high and critical issues are escalated to the account's director(s) once:
  `escalated_at` is set in the transaction that writes their notifications, on rows locked with
  SKIP LOCKED, so a retry, a second run or a task delivered again after a crash escalates
  nothing twice (rhythm's job "escalate_issues" runs it).
- Everything lands on the account timeline; plan health is recomputed (receivers.py).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts import permissions
from accounts.event_text import EventText, amount, day, money, term
from accounts.models import AccountEvent, KeyAccount, Programme, Role
from accounts.selectors import team_user_ids
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit
from discovery.models import Stakeholder
from notifications.services import Message, notify_account_team, notify_many

from .models import CustomerIssue, ValueDelivered

VALUE_FIELDS = (
    "title",
    "delivered_on",
    "measure",
    "amount",
    "unit",
    "opportunity",
    "objective",
    "description",
    "evidence",
    "evidence_url",
)
# A change to one of these after the customer confirmed takes the confirmation back.
CONFIRMED_FIGURES = ("delivered_on", "measure", "amount", "unit")
ISSUE_FIELDS = (
    "title",
    "severity",
    "owner",
    "raised_on",
    "due_on",
    "status",
    "description",
    "resolution",
    "customer_visible",
)


def value_amount(entry: ValueDelivered) -> dict:
    """ "EUR 12,500" or "340 hours saved": the quantity as people say it, for the account's
    timeline (shown with the reader's separators); pages show `selectors.shown_quantity`."""
    if entry.is_money:
        return money(entry.amount or 0, entry.currency)
    number = format(entry.amount.normalize(), "f") if entry.amount is not None else "0"
    return amount(number, after=f" {entry.unit}" if entry.unit else "")


def _check_links(account: KeyAccount, entry: ValueDelivered) -> None:
    errors = {}
    if entry.opportunity_id and entry.opportunity.key_account_id != account.pk:
        errors["opportunity"] = _("Only this account's opportunities can be linked.")
    if entry.objective_id and entry.objective.plan.key_account_id != account.pk:
        errors["objective"] = _("Only this account's plan objectives can be linked.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def value_delivered_save(
    *,
    account: KeyAccount,
    entry: ValueDelivered | None,
    fields: dict,
    acting_user,
    revision: int | None = None,
) -> ValueDelivered:
    """Record value delivered (entry None) or edit it as the form saw it (`revision`)."""
    new = entry is None
    entry = entry or ValueDelivered(key_account=account, created_by=acting_user)
    if entry.key_account_id != account.pk:
        raise ValidationError(_("That entry belongs to another account."))
    if not new:
        entry = lock_for_edit(entry, revision)
        bump_revision(entry)
    before = {name: getattr(entry, name) for name in CONFIRMED_FIGURES}
    for name in VALUE_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    if entry.measure == ValueDelivered.Measure.MONEY:
        entry.unit = ""
        if new or before["measure"] != entry.measure or not entry.currency:
            entry.currency = Programme.current().currency
    else:
        entry.currency = ""
        entry.unit = entry.unit.strip()
        if not entry.unit:
            raise ValidationError({"unit": _("Name the unit of a quantity that is not money.")})
    # Value delivered is what the customer has had: a date still to come is a plan, and it
    # counted as delivered this year (on the account, the dashboard and in plan health).
    if entry.delivered_on is not None and entry.delivered_on > timezone.localdate():
        raise ValidationError(
            {"delivered_on": _("Value cannot be recorded as delivered on a date still to come.")}
        )
    unconfirmed = False
    if entry.is_confirmed and any(getattr(entry, n) != before[n] for n in CONFIRMED_FIGURES):
        _clear_confirmation(entry)
        unconfirmed = True
    entry.updated_by = acting_user
    _check_links(account, entry)
    entry.full_clean()
    entry.save()
    if new:
        summary = EventText(
            gettext_noop("Value delivered recorded: %(title)s (%(value)s, %(day)s)"),
            title=entry.title,
            value=value_amount(entry),
            day=day(entry.delivered_on),
        )
    else:
        summary = EventText(
            gettext_noop(
                "Value delivered changed: %(title)s (%(value)s) — the customer's confirmation "
                "was taken back"
            )
            if unconfirmed
            else gettext_noop("Value delivered changed: %(title)s (%(value)s)"),
            title=entry.title,
            value=value_amount(entry),
        )
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.VALUE,
        summary=summary,
        acting_user=acting_user,
        link=entry.get_absolute_url(),
    )
    return entry


def _clear_confirmation(entry: ValueDelivered) -> None:
    entry.status = ValueDelivered.Status.RECORDED
    entry.confirmed_by = None
    entry.confirmed_on = None
    entry.confirmed_via = ""
    entry.confirmation_note = ""
    entry.confirmation_recorded_by = None


@transaction.atomic
def value_delivered_delete(*, entry: ValueDelivered, acting_user) -> None:
    account = entry.key_account
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.VALUE,
        summary=EventText(
            gettext_noop("Value delivered removed: %(title)s (%(value)s)"),
            title=entry.title,
            value=value_amount(entry),
        ),
        acting_user=acting_user,
        link=reverse("outcomes:value_list", args=[account.pk]),
    )
    entry.delete()


@transaction.atomic
def confirm_value_delivered(
    entry: ValueDelivered,
    *,
    stakeholder: Stakeholder,
    confirmed_on: date | None = None,
    via: str = ValueDelivered.ConfirmedVia.WORKSPACE,
    note: str = "",
    acting_user=None,
    revision: int | None = None,
) -> ValueDelivered:
    """The customer confirms that `entry` was delivered as recorded: `stakeholder` (of the
    entry's account) on `confirmed_on` (today by default). The customer workspace calls it with
    no acting user; the team records an e-mailed confirmation with `via="email"` and themselves
    as `acting_user`. Confirming again replaces who and when. The team is told (never the person
    who recorded it)."""
    entry = lock_for_edit(
        entry,
        revision,
        queryset=ValueDelivered.objects.select_related("key_account"),
        message=_(
            "This entry changed after your page was loaded, so the confirmation was not "
            "recorded: look at it as it is now and confirm again."
        ),
    )
    account = entry.key_account
    if stakeholder.key_account_id != account.pk:
        raise ValidationError(
            {"confirmed_by": _("Only a stakeholder of this account can confirm.")}
        )
    if stakeholder.archived_at is not None:
        raise ValidationError(
            {"confirmed_by": _("%(name)s is archived.") % {"name": stakeholder.name}}
        )
    confirmed_on = confirmed_on or timezone.localdate()
    if confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": _("A confirmation cannot be dated in the future.")})
    if confirmed_on < entry.delivered_on:
        raise ValidationError(
            {"confirmed_on": _("The customer cannot confirm value before it was delivered.")}
        )
    if via not in ValueDelivered.ConfirmedVia.values:
        raise ValidationError(_("Unknown way of confirming: %(via)r.") % {"via": via})
    entry.status = ValueDelivered.Status.CONFIRMED
    entry.confirmed_by = stakeholder
    entry.confirmed_on = confirmed_on
    entry.confirmed_via = via
    entry.confirmation_note = note.strip()[:300]
    entry.confirmation_recorded_by = acting_user
    bump_revision(entry)
    entry.full_clean()
    entry.save()
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.VALUE,
        summary=EventText(
            gettext_noop("Value delivered confirmed by %(name)s (%(how)s): %(title)s (%(value)s)"),
            name=stakeholder.name,
            how=term(ValueDelivered.ConfirmedVia(via).label),
            title=entry.title,
            value=value_amount(entry),
        ),
        reason=entry.confirmation_note,
        acting_user=acting_user,
        link=entry.get_absolute_url(),
    )
    leaders = permissions.people_to_tell(
        account_ids=[account.pk], roles=(Role.MANAGER, Role.DIRECTOR)
    ).get(account.pk, [])

    def text():  # called by the outbox in each recipient's language
        return _("%(name)s (%(account)s) confirmed the value delivered: %(title)s") % {
            "name": stakeholder.name,
            "account": account.name,
            "title": entry.title,
        }

    link = entry.get_absolute_url()
    transaction.on_commit(
        lambda: notify_account_team(
            account=account, users=leaders, text=text, link=link, acting_user=acting_user
        ),
        robust=True,
    )
    return entry


# ---- customer issues ------------------------------------------------------------------------


def _check_owner(account: KeyAccount, owner, *, before_id: int | None) -> None:
    if owner is None:
        raise ValidationError({"owner": _("Choose who follows the issue up.")})
    if owner.pk != before_id and (
        owner.pk not in team_user_ids(account=account) or not owner.is_active
    ):
        raise ValidationError({"owner": _("The owner must be on the account team.")})


@transaction.atomic
def customer_issue_save(
    *,
    account: KeyAccount,
    issue: CustomerIssue | None,
    fields: dict,
    acting_user,
    revision: int | None = None,
) -> CustomerIssue:
    """Log an issue (issue None) or update it as the form saw it (`revision`). A new owner is
    told (after the commit)."""
    new = issue is None
    issue = issue or CustomerIssue(key_account=account, created_by=acting_user)
    if issue.key_account_id != account.pk:
        raise ValidationError(_("That issue belongs to another account."))
    if not new:
        issue = lock_for_edit(issue, revision)
        bump_revision(issue)
    before_owner, before_status = issue.owner_id, issue.status
    for name in ISSUE_FIELDS:
        if name in fields:
            setattr(issue, name, fields[name])
    _check_owner(account, issue.owner, before_id=before_owner)
    if issue.due_on and issue.raised_on and issue.due_on < issue.raised_on:
        raise ValidationError({"due_on": _("The due date cannot be before the issue was raised.")})
    if issue.is_open:
        issue.resolved_at = None
    elif issue.resolved_at is None:
        issue.resolved_at = timezone.now()
    if issue.status in (CustomerIssue.Status.RESOLVED, CustomerIssue.Status.CLOSED) and not (
        issue.resolution.strip()
    ):
        raise ValidationError({"resolution": _("Say how the issue was resolved.")})
    issue.updated_by = acting_user
    issue.full_clean()
    issue.save()
    link = issue.get_absolute_url()
    if new:
        summary = EventText(
            gettext_noop("Customer issue logged (%(severity)s): %(title)s"),
            severity=term(CustomerIssue.Severity(issue.severity).label),
            title=issue.title,
        )
    elif issue.status != before_status:
        summary = EventText(
            gettext_noop("Customer issue %(status)s: %(title)s"),
            status=term(CustomerIssue.Status(issue.status).label, lower=True),
            title=issue.title,
        )
    else:
        summary = EventText(gettext_noop("Customer issue updated: %(title)s"), title=issue.title)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.ISSUE,
        summary=summary,
        reason=issue.resolution if issue.status != before_status and not issue.is_open else "",
        acting_user=acting_user,
        link=link,
    )
    if issue.owner_id != before_owner:
        owner = issue.owner

        def text():  # called by the outbox in the recipient's language
            return _(
                "A customer issue of %(account)s is yours to follow up: %(title)s "
                "(%(severity)s, due %(due)s)"
            ) % {
                "account": account.name,
                "title": issue.title,
                "severity": issue.get_severity_display(),
                "due": date_format(issue.due_on, "PADDED_DATE_FORMAT"),
            }

        transaction.on_commit(
            lambda: notify_account_team(
                account=account, users=[owner], text=text, link=link, acting_user=acting_user
            ),
            robust=True,
        )
    return issue


def _escalation_text(issue: CustomerIssue, days: int) -> str:
    """The directors' escalation notice, called by the outbox in each one's language (the
    daily job escalates an issue the day after it was due: "1 day overdue")."""
    names = {
        "severity": CustomerIssue.Severity(issue.severity).label.lower(),
        "title": issue.title,
        "account": issue.key_account.name,
        "days": days,
        "due": date_format(issue.due_on, "PADDED_DATE_FORMAT"),
        "owner": issue.owner,
    }
    if issue.owner:
        return (
            ngettext(
                "Escalated: the %(severity)s customer issue “%(title)s” of %(account)s is "
                "%(days)s day overdue (due %(due)s, owner %(owner)s): see that it is followed up.",
                "Escalated: the %(severity)s customer issue “%(title)s” of %(account)s is "
                "%(days)s days overdue (due %(due)s, owner %(owner)s): see that it is followed up.",
                days,
            )
            % names
        )
    return (
        ngettext(
            "Escalated: the %(severity)s customer issue “%(title)s” of %(account)s is %(days)s "
            "day overdue (due %(due)s): give it an owner to follow it up.",
            "Escalated: the %(severity)s customer issue “%(title)s” of %(account)s is %(days)s "
            "days overdue (due %(due)s): give it an owner to follow it up.",
            days,
        )
        % names
    )


# Escalations recorded before the entry said how many days overdue still carry this message;
# kept marked so that they still read in every language.
ESCALATED_BEFORE_COUNTED = gettext_noop("Customer issue escalated to the director: %(title)s")


@transaction.atomic
def customer_issues_escalate_overdue(*, today: date | None = None) -> dict[str, int]:
    """Escalate open high and critical issues past their due date to the account's
    director(s), once each: the rows are locked (a concurrent run skips them) and `escalated_at`
    is set in the same transaction as the notifications it writes."""
    today = today or timezone.localdate()
    issues = list(
        CustomerIssue.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            escalated_at__isnull=True,
            status__in=CustomerIssue.OPEN_STATUSES,
            severity__in=CustomerIssue.HIGH_SEVERITIES,
            due_on__lt=today,
            key_account__status=KeyAccount.Status.ACTIVE,
        )
        .select_related("key_account", "owner")
        .order_by("pk")
    )
    if not issues:
        return {"escalated": 0, "notified": 0}
    now = timezone.now()
    CustomerIssue.objects.filter(pk__in=[i.pk for i in issues]).update(escalated_at=now)
    directors = permissions.people_to_tell(
        account_ids={i.key_account_id for i in issues}, roles=(Role.DIRECTOR,)
    )
    rows = []
    for issue in issues:
        account = issue.key_account
        days = (today - issue.due_on).days
        text = partial(_escalation_text, issue, days)
        rows.extend(
            Message(user, text, issue.get_absolute_url()) for user in directors.get(account.pk, [])
        )
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.ISSUE,
            summary=EventText.ngettext(
                "Customer issue escalated to the director, %(days)s day overdue: %(title)s",
                "Customer issue escalated to the director, %(days)s days overdue: %(title)s",
                days,
                title=issue.title,
                days=days,
            ),
            link=issue.get_absolute_url(),
            occurred_at=now,
        )
    notify_many(messages=rows)
    return {"escalated": len(issues), "notified": len(rows)}
