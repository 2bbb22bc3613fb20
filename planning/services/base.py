"""What every plan write shares: the plan link, editability and team checks, the edit
mark, locks and the item save."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.query import MAX_GET_RESULTS
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.event_text import EventText
from accounts.models import AccountEvent, KeyAccount, Membership
from accounts.services import account_event_record
from common.compiled import CompiledOnce
from common.conflicts import bump_revision, check_revision, lock_for_edit
from common.links import checked_elsewhere

from ..models import (
    AccountPlan,
    PlanVersion,
)
from ..printing import plan_pdf_predraw_after_commit
from ..signals import (
    plan_withdrawn,
    send_after_commit,
)
from .health import plan_health_mark_in_save

# Plan sections edited as one piece each (key -> (title, fields)).
SECTIONS = {
    "value_proposition": (gettext_lazy("Value proposition"), ("value_proposition",)),
    "swot": (
        gettext_lazy("Situation analysis (SWOT)"),
        ("strengths", "weaknesses", "opportunities_swot", "threats"),
    ),
    "csf": (gettext_lazy("Critical success factors"), ("critical_success_factors",)),
}


# ---- helpers ------------------------------------------------------------------------------

PLAN_CHANGED = gettext_lazy(
    "The plan changed (or was submitted again) after your page was loaded, so your decision "
    "was not applied: look at the plan as it is now and decide again."
)


def _plan_link(account: KeyAccount) -> str:
    return reverse("planning:plan", args=[account.pk])


def _ensure_editable(plan: AccountPlan) -> None:
    if not plan.is_current or plan.status == AccountPlan.Status.ARCHIVED:
        raise ValidationError(_("This plan is archived and can no longer be edited."))


def _team_ids(account: KeyAccount) -> set[int]:
    return set(account.memberships.values_list("user_id", flat=True))


def _check_owner(plan: AccountPlan, user, field: str = "owner") -> None:
    """`user` (an owner a save sets, or None) must be on the plan's account team. Read with the
    plan's lock when `_lock_plan(plan, owner=user)` asked for it, else one query."""
    if user is None:
        return
    checked_pk, on_team = getattr(plan, "owner_checked", (None, None))
    if checked_pk != user.pk:
        on_team = user.pk in _team_ids(plan.key_account)
    if not on_team:
        raise ValidationError(
            {
                field: _("%(user)s is not on the %(account)s account team; pick a team member.")
                % {"user": user, "account": plan.key_account}
            }
        )


def _plan_edited(plan: AccountPlan, acting_user) -> None:
    """Bookkeeping after any content change: revision, who, and leaving approval states."""
    previous = plan.status
    bump_revision(plan)
    plan.updated_by = acting_user
    # Every content change may move the plan's health: marked stale in the same UPDATE.
    fields = ["revision", "updated_by", "updated_at", *plan_health_mark_in_save(plan)]
    if previous in (
        AccountPlan.Status.SUBMITTED,
        AccountPlan.Status.APPROVED,
        AccountPlan.Status.RETURNED,
    ):
        plan.status = AccountPlan.Status.DRAFT
        fields.append("status")
        plan.save(update_fields=fields)
    else:
        # Only the edit counter moved: the audit history records the item that changed
        # (and who changed it), not an empty save of the plan besides.
        plan.save_without_historical_record(update_fields=fields)
    if previous == AccountPlan.Status.APPROVED:
        latest = plan.latest_approval_number  # read with the lock (_lock_plan)
        account_event_record(
            account=plan.key_account,
            kind=AccountEvent.Kind.PLAN,
            summary=EventText(
                gettext_noop(
                    "Plan %(period)s edited after approval: back to draft "
                    "(approved version %(number)s stays frozen)"
                ),
                period=plan.period,
                number=latest,
            ),
            acting_user=acting_user,
            old_value=previous,
            new_value=plan.status,
            link=_plan_link(plan.key_account),
        )
    elif previous == AccountPlan.Status.SUBMITTED:
        account_event_record(
            account=plan.key_account,
            kind=AccountEvent.Kind.PLAN,
            summary=EventText(
                gettext_noop("Plan %(period)s edited while submitted: back to draft"),
                period=plan.period,
            ),
            acting_user=acting_user,
            old_value=previous,
            new_value=plan.status,
            link=_plan_link(plan.key_account),
        )
        send_after_commit(plan_withdrawn, sender=AccountPlan, plan=plan, acting_user=acting_user)


@functools.cache
def _plans_to_lock() -> QuerySet[AccountPlan]:
    """Plans read under a row lock with their latest approved version's number, built once per
    process (building the subquery cost a quarter of the lock's time; bench/README.md, finding
    27). Each lock filters a copy, as a view's class-level queryset is."""
    latest_approval = (
        PlanVersion.objects.approvals()
        .filter(plan=OuterRef("pk"))
        .order_by("-number")
        .values("number")[:1]
    )
    return AccountPlan.objects.select_for_update(of=("self",)).annotate(
        latest_approval_number=Subquery(latest_approval)
    )


def _lock_plan(plan: AccountPlan, *, owner=None) -> AccountPlan:
    """The plan re-read under a row lock, with its latest approved version's number (what an
    edit of an approved plan names in the account's timeline) in the same query; with `owner`
    (a user a save makes an owner), also whether they are on the account team, for
    `_check_owner` (one query fewer a save)."""
    # The account (with its customer, whose name messages print) as the caller read it, if it
    # did: only the plan's row is locked, and joining the two again cost a third of the
    # query's building (bench/README.md, finding 27).
    account = _loaded_account(plan)
    lock = _plan_lock(join_account=account is None, with_owner=owner is not None)
    rows = lock(plan.pk, owner.pk) if owner is not None else lock(plan.pk)
    if not rows:
        raise AccountPlan.DoesNotExist("No such plan to lock.")
    [locked] = rows
    if account is not None:
        locked.key_account = account
    if owner is not None:
        locked.owner_checked = (owner.pk, locked.owner_on_team)
    # Every step that changes a plan locks it here: once it commits, the plan's PDF is drawn
    # ahead (nothing if it rolls back; planning.printing).
    plan_pdf_predraw_after_commit(locked.pk)
    return locked


@functools.cache
def _plan_lock(*, join_account: bool, with_owner: bool) -> CompiledOnce:
    """_lock_plan's statement (as `.get(pk=)` on _plans_to_lock), compiled once per process:
    building and compiling it was ~1 ms of a save's CPU (bench/README.md, finding 40). Its
    parameters: the approvals' kind (PlanVersion.objects.approvals()), the team check's
    (`SELECT 1` of EXISTS, the owner) and the plan; CompiledOnce checks the order."""

    def build(pk: int, *owner: int) -> QuerySet[AccountPlan]:
        rows = _plans_to_lock()
        if join_account:
            rows = rows.select_related("key_account__customer")
        if owner:
            team = Membership.objects.filter(key_account=OuterRef("key_account_id"), user=owner[0])
            rows = rows.annotate(owner_on_team=Exists(team))
        return rows.filter(pk=pk).order_by()[:MAX_GET_RESULTS]

    def params(pk: int, *owner: int) -> tuple:
        return (PlanVersion.Kind.APPROVAL, *((1, owner[0]) if owner else ()), pk)

    return CompiledOnce(AccountPlan, build, params)


def _loaded_account(plan: AccountPlan) -> KeyAccount | None:
    """The plan's key account with its customer, if both are already on `plan`."""
    if not AccountPlan.key_account.is_cached(plan):
        return None
    account = plan.key_account
    return account if KeyAccount.customer.is_cached(account) else None


def plan_lock_for_edit(*, plan: AccountPlan) -> AccountPlan:
    """The plan re-read under a row lock, for a change of its content made elsewhere (e.g. a
    restore from history); refused when the plan is archived. Call inside a transaction and
    finish with `plan_mark_edited`."""
    plan = _lock_plan(plan)
    _ensure_editable(plan)
    return plan


def plan_lock_for_decision(*, plan: AccountPlan, revision: int | None) -> AccountPlan:
    """The plan re-read under a row lock, if it is still at `revision` (what the deciding
    page showed, e.g. a quarterly review's walk-through); otherwise `EditConflict`."""
    plan = _lock_plan(plan)
    check_revision(plan, revision, message=PLAN_CHANGED)
    return plan


def plan_mark_edited(*, plan: AccountPlan, acting_user) -> None:
    """Bookkeeping after a content change made elsewhere: as after an edit on the plan page."""
    _plan_edited(plan, acting_user)


def _save_item(
    instance,
    *,
    data: dict,
    fields: tuple[str, ...],
    revision: int | None,
    before_save: Callable[[Any], None] | None = None,
):
    """Apply `data` to an item after checking nobody saved it meanwhile; return the saved row.

    Existing rows are re-read under a lock and only `fields` are written, so changes made
    elsewhere (e.g. an action's progress from Delivery) are never overwritten. `before_save`
    sees the locked row as saved (e.g. its owner before the edit) before `data` is applied.
    """
    if instance.pk is not None:
        instance = lock_for_edit(instance, revision)
        if before_save is not None:
            before_save(instance)
        bump_revision(instance)
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    instance.full_clean(exclude=checked_elsewhere(instance, fields))
    if instance._state.adding:
        instance.save()
    else:
        instance.save(update_fields=[*fields, "revision"])
    return instance


# ---- starting and archiving ---------------------------------------------------------------
