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
  only onto a draft quote, at the end, and withdraws an earlier discount approval (the price
  changed), as an edit of the lines would.
- The restore is recorded in the history ("Restored from history") and on the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse

from accounts.models import AccountEvent, KeyAccount
from accounts.selectors import team_user_ids
from accounts.services import account_event_record
from common.conflicts import bump_revision
from delivery.models import Quote
from planning.services import _ensure_editable, _lock_plan, _plan_edited

from .registry import ACCOUNT_HISTORY, Tracked
from .selectors import Lookups

RESTORE_REASON = "Restored from history"


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
                f"The {_name_of(model_field.related_model, pk)} it belonged to was deleted "
                "too: restore that first."
            )
        setattr(instance, model_field.attname, None)
        cleared.append(model_field.name)
        notes.append(f"Its {model_field.verbose_name} no longer exists and was left empty.")


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
                f"Its {model_field.verbose_name} has left the account team and was taken off: "
                "pick someone when you next edit it."
            )


def _prepare_quote_line(line) -> Quote:
    quote = Quote.objects.select_for_update(of=("self",)).get(pk=line.quote_id)
    if not quote.is_editable:
        raise ValidationError(
            f"Quote {quote.number} is {quote.get_status_display().lower()}: only a draft "
            "quote's lines can be restored."
        )
    last = quote.lines.order_by("-position").values_list("position", flat=True).first()
    line.position = 0 if last is None else last + 1
    return quote


def _quote_line_restored(quote: Quote, notes: list[str]) -> None:
    # The same rule as quote_update: a change of prices or discounts withdraws an approval.
    fields = ["revision", "updated_at"]
    if quote.discount_approved_at is not None:
        quote.discount_approved_by = None
        quote.discount_approved_at = None
        fields += ["discount_approved_by", "discount_approved_at"]
        notes.append("The quote's discount approval was withdrawn: its prices changed.")
    bump_revision(quote)
    quote.save(update_fields=fields)


@transaction.atomic
def history_restore(*, account: KeyAccount, spec: Tracked, record, acting_user) -> RestoreResult:
    """Restore the object whose newest history row is `record` (a deletion). Raises
    ValidationError with a message for the director when it cannot be done."""
    rule = spec.restore
    if rule is None:
        raise ValidationError(f"{spec.label}s are not restored from history.")
    name = _plain_name(spec, record)
    if record.history_type != "-" or spec.model._default_manager.filter(pk=record.id).exists():
        raise ValidationError(f"{spec.label} “{name}” is not deleted: there is nothing to restore.")
    instance = record.instance
    notes: list[str] = []
    cleared: list[str] = []  # emptied links: the database allows that (SET_NULL), forms may not
    _check_links(instance, notes, cleared)
    plan = quote = None
    if rule.plan is not None:
        plan = _lock_plan(rule.plan(instance))
        _ensure_editable(plan)
    if rule.quote:
        quote = _prepare_quote_line(instance)
    if rule.team_fields:
        _check_team(instance, account, rule.team_fields, notes, cleared)
    instance.full_clean(exclude=cleared)
    instance._history_user = acting_user
    instance._change_reason = RESTORE_REASON
    instance.save(force_insert=True)
    if plan is not None:
        _plan_edited(plan, acting_user)
    if quote is not None:
        _quote_line_restored(quote, notes)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.RESTORED,
        summary=f"{spec.label} restored from history: {name}",
        acting_user=acting_user,
        reason=" ".join(notes),
        link=reverse("audit:account_history", args=[account.pk]),
    )
    return RestoreResult(instance=instance, name=name, notes=notes)
