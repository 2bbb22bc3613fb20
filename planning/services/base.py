"""What every plan write shares: the plan link, editability and team checks, the edit
mark, locks and the item save."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import (
    Max,
)
from django.urls import reverse

from accounts.models import AccountEvent, KeyAccount
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision, lock_for_edit

from ..models import (
    AccountPlan,
)
from ..signals import (
    plan_withdrawn,
    send_after_commit,
)

# Plan sections edited as one piece each (key -> (title, fields)).
SECTIONS = {
    "value_proposition": ("Value proposition", ("value_proposition",)),
    "swot": (
        "Situation analysis (SWOT)",
        ("strengths", "weaknesses", "opportunities_swot", "threats"),
    ),
    "csf": ("Critical success factors", ("critical_success_factors",)),
}


# ---- helpers ------------------------------------------------------------------------------

PLAN_CHANGED = (
    "The plan changed (or was submitted again) after your page was loaded, so your decision "
    "was not applied: look at the plan as it is now and decide again."
)


def _plan_link(account: KeyAccount) -> str:
    return reverse("planning:plan", args=[account.pk])


def _ensure_editable(plan: AccountPlan) -> None:
    if not plan.is_current or plan.status == AccountPlan.Status.ARCHIVED:
        raise ValidationError("This plan is archived and can no longer be edited.")


def _team_ids(account: KeyAccount) -> set[int]:
    return set(account.memberships.values_list("user_id", flat=True))


def _check_owner(account: KeyAccount, user, field: str = "owner") -> None:
    if user is not None and user.pk not in _team_ids(account):
        raise ValidationError(
            {field: f"{user} is not on the {account} account team; pick a team member."}
        )


def _plan_edited(plan: AccountPlan, acting_user) -> None:
    """Bookkeeping after any content change: revision, who, and leaving approval states."""
    previous = plan.status
    bump_revision(plan)
    plan.updated_by = acting_user
    fields = ["revision", "updated_by", "updated_at"]
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
        latest = plan.versions.approvals().aggregate(n=Max("number"))["n"]
        account_event_record(
            account=plan.key_account,
            kind=AccountEvent.Kind.PLAN,
            summary=f"Plan {plan.period} edited after approval: back to draft "
            f"(approved version {latest} stays frozen)",
            acting_user=acting_user,
            old_value=previous,
            new_value=plan.status,
            link=_plan_link(plan.key_account),
        )
    elif previous == AccountPlan.Status.SUBMITTED:
        account_event_record(
            account=plan.key_account,
            kind=AccountEvent.Kind.PLAN,
            summary=f"Plan {plan.period} edited while submitted: back to draft",
            acting_user=acting_user,
            old_value=previous,
            new_value=plan.status,
            link=_plan_link(plan.key_account),
        )
        send_after_commit(plan_withdrawn, sender=AccountPlan, plan=plan, acting_user=acting_user)


def _lock_plan(plan: AccountPlan) -> AccountPlan:
    return (
        AccountPlan.objects.select_for_update(of=("self",))
        .select_related("key_account__customer")
        .get(pk=plan.pk)
    )


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


def _save_item(instance, *, data: dict, fields: tuple[str, ...], revision: int | None):
    """Apply `data` to an item after checking nobody saved it meanwhile; return the saved row.

    Existing rows are re-read under a lock and only `fields` are written, so changes made
    elsewhere (e.g. an action's progress from Delivery) are never overwritten.
    """
    if instance.pk is not None:
        instance = lock_for_edit(instance, revision)
        bump_revision(instance)
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    instance.full_clean()
    if instance._state.adding:
        instance.save()
    else:
        instance.save(update_fields=[*fields, "revision"])
    return instance


# ---- starting and archiving ---------------------------------------------------------------
