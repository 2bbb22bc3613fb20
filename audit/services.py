"""Putting a deleted item back from its last history row.

Rules (shown to the director in the messages):
- Only types whose `registry.Tracked.restore` is set, only the account's own objects, and only
  when the object's newest history row is its deletion and it does not exist now.
- The item comes back with the values it had when it was deleted and its old id (so its
  history reads on). Its own rules are checked again (`full_clean`: required fields, unique
  rows such as one profitability row per year, constraints).
- A parent it cannot live without (the plan, objective, target, quote, business unit,
  stakeholder, offering…) must still exist; if it is gone too, nothing is restored and the
  message says what to restore first. An optional link whose target is gone is left empty;
  people who have left the account team are taken off the item.
- Plan items follow the plan's rules: an archived plan takes nothing back, and a restore is an
  edit (revision, back to draft after approval — planning.services). A quote line goes back
  only onto a draft quote, at the end, and withdraws an earlier discount approval or refusal
  (the price changed), as an edit of the lines would (`delivery`'s own rule).
- The restore is recorded in the history ("Restored from history") and on the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.event_text import EventText, term
from accounts.models import AccountEvent, KeyAccount
from accounts.selectors import team_user_ids
from accounts.services import account_event_record
from common.constraints import refused_as
from common.locks import serialise
from delivery.models import Quote
from delivery.services.quotes import quote_discount_decision_withdraw
from planning.services import plan_lock_for_edit, plan_mark_edited

from . import selectors
from .registry import ACCOUNT_HISTORY, Tracked
from .selectors import Lookups

# Stored in English (the history row's change reason); the history page translates it.
RESTORE_REASON = gettext_noop("Restored from history")


@dataclass
class RestoreResult:
    instance: models.Model
    name: str
    notes: list[str] = field(default_factory=list)


def _name_of(model, pk) -> str:
    """A deleted parent's name from its own last history row, if it has history."""
    spec = ACCOUNT_HISTORY.by_model.get(model)
    label = str(model._meta.verbose_name)
    if spec is None:
        return label
    last = spec.history_model.objects.filter(id=pk).order_by("-history_date").first()
    return f"{label} “{_plain_name(spec, last)}”" if last is not None else label


def _plain_name(spec: Tracked, row) -> str:
    lookups = Lookups()
    for name in spec.name_fks:
        lookups.want_fk(row, name)
    lookups.load()
    return spec.name(row, lookups)


def _check_links(instance: models.Model, notes: list[str], cleared: list[str]) -> None:
    """Required parents must exist (else refuse); optional links to gone rows are cleared."""
    for model_field in instance._meta.concrete_fields:
        if not isinstance(model_field, models.ForeignKey):
            continue
        pk = getattr(instance, model_field.attname)
        if pk is None:
            continue
        if model_field.related_model._default_manager.filter(pk=pk).exists():
            continue
        if not model_field.null:
            raise ValidationError(
                gettext("The %(parent)s it belonged to was deleted too: restore that first.")
                % {"parent": _name_of(model_field.related_model, pk)}
            )
        setattr(instance, model_field.attname, None)
        cleared.append(model_field.name)
        notes.append(
            gettext("Its %(field)s no longer exists and was left empty.")
            % {"field": model_field.verbose_name}
        )


def _check_team(
    instance, account: KeyAccount, fields: tuple[str, ...], notes: list[str], cleared: list[str]
) -> None:
    team = team_user_ids(account=account)
    for name in fields:
        model_field = instance._meta.get_field(name)
        user_id = getattr(instance, model_field.attname)
        if user_id is not None and user_id not in team:
            setattr(instance, model_field.attname, None)
            cleared.append(model_field.name)
            notes.append(
                gettext(
                    "Its %(field)s has left the account team and was taken off: "
                    "pick someone when you next edit it."
                )
                % {"field": model_field.verbose_name}
            )


def _prepare_quote_line(line) -> Quote:
    quote = Quote.objects.select_for_update(of=("self",)).get(pk=line.quote_id)
    if not quote.is_editable:
        raise ValidationError(
            gettext("Quote %(number)s is %(status)s: only a draft quote's lines can be restored.")
            % {"number": quote.number, "status": quote.get_status_display().lower()}
        )
    last = quote.lines.order_by("-position").values_list("position", flat=True).first()
    line.position = 0 if last is None else last + 1
    return quote


def _quote_line_restored(quote: Quote, acting_user, notes: list[str]) -> None:
    # The quote's own rule: a change of prices withdraws a director's approval or refusal.
    withdrawn = quote_discount_decision_withdraw(quote=quote, acting_user=acting_user)
    if withdrawn is not None:
        notes.append(
            gettext("The quote's discount %(decision)s was withdrawn: its prices changed.")
            % {"decision": withdrawn}
        )


def _not_deleted(spec: Tracked, name: str) -> ValidationError:
    return ValidationError(
        gettext("%(type)s “%(name)s” is not deleted: there is nothing to restore.")
        % {"type": spec.label, "name": name}
    )


def _refused(spec: Tracked, instance: models.Model, name: str, cleared: list[str]) -> str:
    """Why the database refused a restore its checks had let through: a second click restored
    it first, or a row saved meanwhile takes its unique place (the rule's own message)."""
    if spec.model._default_manager.filter(pk=instance.pk).exists():
        raise _not_deleted(spec, name)
    instance.validate_constraints(exclude=set(cleared))
    instance.validate_unique(exclude=cleared)
    return gettext("Someone saved a change meanwhile: look at the history again.")


@transaction.atomic
def history_restore(*, account: KeyAccount, spec: Tracked, record, acting_user) -> RestoreResult:
    """Restore the object whose newest history row is `record` (a deletion). Raises
    ValidationError with a message for the director when it cannot be done."""
    rule = spec.restore
    if rule is None:
        raise ValidationError(
            gettext("%(type)s: not restored from history.") % {"type": spec.label}
        )
    name = _plain_name(spec, record)
    # Clicks on one item's restore run one after the other: a later one finds it restored and
    # says so (its checks below would otherwise meet the restored row's own name or id).
    serialise(f"history-restore:{spec.model._meta.label}:{record.id}")
    if record.history_type != "-" or spec.model._default_manager.filter(pk=record.id).exists():
        raise _not_deleted(spec, name)
    instance = record.instance
    notes: list[str] = []
    cleared: list[str] = []  # emptied links: the database allows that (SET_NULL), forms may not
    _check_links(instance, notes, cleared)
    plan = quote = None
    if rule.plan is not None:
        plan = plan_lock_for_edit(plan=rule.plan(instance))
    if rule.quote:
        quote = _prepare_quote_line(instance)
    if rule.team_fields:
        _check_team(instance, account, rule.team_fields, notes, cleared)
    instance.full_clean(exclude=cleared)
    instance._history_user = acting_user
    instance._change_reason = RESTORE_REASON
    # A second click that restored it first, or a row that took its unique place meanwhile (a
    # unit of its name): said as the checks above say it, not a server error.
    with refused_as(lambda: _refused(spec, instance, name, cleared)):
        instance.save(force_insert=True)
    if plan is not None:
        plan_mark_edited(plan=plan, acting_user=acting_user)
    if quote is not None:
        _quote_line_restored(quote, acting_user, notes)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.RESTORED,
        summary=EventText(
            gettext_noop("%(type)s restored from history: %(name)s"),
            type=term(spec.label),
            name=name,
        ),
        acting_user=acting_user,
        reason=" ".join(notes),
        link=reverse("audit:account_history", args=[account.pk]),
    )
    return RestoreResult(instance=instance, name=name, notes=notes)


# ---- undoing one's own deletion -------------------------------------------------------------

UNDO_WINDOW = timedelta(minutes=30)
SAME_DELETION = timedelta(seconds=5)  # rows removed by one cascade are recorded together


@transaction.atomic
def history_undo_removal(
    *, account: KeyAccount, spec: Tracked, record, acting_user, now=None
) -> RestoreResult:
    """Put back what `acting_user` deleted themselves within UNDO_WINDOW — the item and what
    the database's cascade removed with it (RestoreRule.cascade, e.g. an objective's targets
    and their measurements) — through history_restore, so every rule of a restore applies.
    Later, or someone else's deletion: the account's director restores it from the history."""
    now = now or timezone.now()
    if record.history_type != "-" or record.history_user_id != acting_user.pk:
        raise ValidationError(
            gettext(
                "Only the person who removed an item can undo it; the account's director can "
                "restore it from the history."
            )
        )
    if now - record.history_date > UNDO_WINDOW:
        raise ValidationError(
            gettext(
                "It is too late to undo this removal; the account's director can restore it "
                "from the history."
            )
        )
    result = history_restore(account=account, spec=spec, record=record, acting_user=acting_user)
    counts: dict[str, int] = {}
    _undo_cascade(account, spec, record, acting_user, counts)
    if counts:
        result.notes.insert(
            0,
            gettext("With it: %(items)s.")
            % {"items": ", ".join(f"{n} × {label.lower()}" for label, n in counts.items())},
        )
    return result


def _undo_cascade(account, spec: Tracked, record, acting_user, counts: dict[str, int]) -> None:
    for child_key, parent_field in spec.restore.cascade:
        child = ACCOUNT_HISTORY.by_key[child_key]
        deleted = child.rows(account).filter(
            history_type="-",
            history_date__gte=record.history_date - SAME_DELETION,
            history_date__lte=record.history_date + SAME_DELETION,
            **{parent_field: record.id},
        )
        for child_record in deleted.order_by("history_date", "history_id"):
            latest = selectors.latest_record(account, child, child_record.id)
            if latest is None or latest.history_id != child_record.history_id:
                continue  # it came back, or changed, since
            history_restore(
                account=account, spec=child, record=child_record, acting_user=acting_user
            )
            counts[child.label] = counts.get(child.label, 0) + 1
            _undo_cascade(account, child, child_record, acting_user, counts)
