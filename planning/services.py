"""Every write to an account plan: content editing, the approval workflow, archiving.

Rules that live here (and are shown to users where they act):
- One current plan per key account; a plan is started for a period by its director/manager.
- Content edits are refused on archived plans. Editing a submitted, returned or approved plan
  moves it back to draft; an approved version stays frozen in `PlanVersion`.
- Concurrent edits: every editable thing carries a revision (plan sections in
  `AccountPlan.section_revisions`, items in their `revision` field). A save that started from
  an older revision raises `common.conflicts.EditConflict`, never overwrites silently.
- Workflow: draft/returned → submitted (manager or director) → approved (director only; a new
  immutable version) or returned with comments (director). Submitting and approving are refused
  while the plan lacks a part the method requires (rules.PLAN_PARTS), with the list of them.
- Owners of objectives, actions, engagement activities and risks must be on the account team.
- Workflow steps (submit, return, approve) and actions given a new owner are announced through
  `planning.signals` after the transaction commits; later stages react (delivery notifies).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import (
    Case,
    DateField,
    F,
    Max,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.models import AccountEvent, KeyAccount
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision, lock_for_edit
from discovery.models import Stakeholder
from discovery.services import stakeholder_quick_add

from . import rules
from .models import (
    AccountPlan,
    Action,
    EngagementActivity,
    HealthRecord,
    Measurement,
    Objective,
    PlanRisk,
    PlanVersion,
    Target,
)
from .selectors import content_of_loaded_plan, health_for_plans
from .signals import (
    action_assigned,
    plan_approved,
    plan_returned,
    plan_submitted,
    plan_withdrawn,
    send_after_commit,
)
from .snapshot import load_plan, plan_to_dict

log = logging.getLogger(__name__)

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


@transaction.atomic
def plan_start(*, account: KeyAccount, period: str, acting_user) -> AccountPlan:
    """Open the current plan of an account for a period (e.g. FY2027)."""
    period = period.strip()
    if not account.is_active:
        raise ValidationError("This account has been de-selected; it no longer gets a plan.")
    if AccountPlan.objects.filter(key_account=account, is_current=True).exists():
        raise ValidationError("This account already has a current plan.")
    if AccountPlan.objects.filter(key_account=account, period=period).exists():
        raise ValidationError({"period": f"A plan for {period} already exists (archived)."})
    plan = AccountPlan(key_account=account, period=period, updated_by=acting_user)
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError("Someone else started this plan a moment ago.") from None
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.PLAN,
        summary=f"Plan {period} started",
        acting_user=acting_user,
        new_value=plan.status,
        link=_plan_link(account),
    )
    return plan


@dataclass(frozen=True)
class QuickStart:
    """A new plan's first content, typed on one screen (the plan page's quick start). Each part
    is optional; the rest of the plan is written on the plan page as usual."""

    period: str
    sections: dict = dataclasses.field(
        default_factory=dict
    )  # field name -> text (SECTIONS' fields)
    objective: dict | None = None  # OBJECTIVE_FIELDS
    target: dict | None = None  # TARGET_FIELDS, under the objective
    actions: list = dataclasses.field(default_factory=list)  # ACTION_FIELDS each
    engagement: dict | None = None  # ENGAGEMENT_FIELDS
    new_stakeholder: dict | None = None  # for the engagement: stakeholder_quick_add's fields


@transaction.atomic
def plan_quick_start(*, account: KeyAccount, start: QuickStart, acting_user) -> AccountPlan:
    """Start the plan and write its first parts in one transaction, through the same services
    as the plan page (so the same checks, history and notifications apply)."""
    plan = plan_start(account=account, period=start.period, acting_user=acting_user)
    for section, (_title, fields) in SECTIONS.items():
        if any(start.sections.get(f) for f in fields):
            data = {f: start.sections.get(f, "") for f in fields}
            plan = plan_section_update(
                plan=plan, section=section, data=data, revision=None, acting_user=acting_user
            )
    objective = None
    if start.objective:
        objective = objective_save(plan=plan, data=start.objective, acting_user=acting_user)
        if start.target:
            target_save(objective=objective, data=start.target, acting_user=acting_user)
    for action in start.actions:
        action_save(plan=plan, data={"objective": objective, **action}, acting_user=acting_user)
    if start.engagement:
        engagement_save(
            plan=plan,
            data=start.engagement,
            new_stakeholder=start.new_stakeholder,
            acting_user=acting_user,
        )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_archive_current(*, account: KeyAccount, acting_user=None, reason: str = "") -> None:
    """Archive the account's current plan (e.g. after de-selection). No plan: nothing to do."""
    plan = (
        AccountPlan.objects.select_for_update(of=("self",))
        .filter(key_account=account, is_current=True)
        .first()
    )
    if plan is None:
        return
    previous = plan.status
    plan.status = AccountPlan.Status.ARCHIVED
    plan.is_current = False
    plan.updated_by = acting_user
    plan.save(update_fields=["status", "is_current", "updated_by", "updated_at"])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.PLAN,
        summary=f"Plan {plan.period} archived",
        reason=reason,
        acting_user=acting_user,
        old_value=previous,
        new_value=plan.status,
    )


# ---- sections -----------------------------------------------------------------------------


@transaction.atomic
def plan_section_update(
    *, plan: AccountPlan, section: str, data: dict, revision: int | None, acting_user
) -> AccountPlan:
    """Save one section. A changed value proposition gets today's refresh date."""
    _title, fields = SECTIONS[section]
    plan = _lock_plan(plan)
    _ensure_editable(plan)
    current_revision = plan.section_revisions.get(section, 0)
    check_revision(plan, revision, saved=current_revision)
    changed = [f for f in fields if getattr(plan, f) != data.get(f, "")]
    if not changed:
        return plan
    for field in changed:
        setattr(plan, field, data.get(field, ""))
    if "value_proposition" in changed:
        plan.value_proposition_refreshed_on = timezone.localdate()
    plan.section_revisions = {**plan.section_revisions, section: current_revision + 1}
    plan.full_clean()
    plan.save(
        update_fields=[*changed, "section_revisions", "value_proposition_refreshed_on"],
    )
    _plan_edited(plan, acting_user)
    return plan


# ---- objectives, targets, measurements ----------------------------------------------------

OBJECTIVE_FIELDS = ("title", "rationale", "owner", "due_on", "is_internal")


@transaction.atomic
def objective_save(
    *,
    plan: AccountPlan,
    data: dict,
    acting_user,
    objective: Objective | None = None,
    revision: int | None = None,
) -> Objective:
    plan = _lock_plan(plan)
    _ensure_editable(plan)
    _check_owner(plan.key_account, data.get("owner"))
    if objective is None:
        position = (plan.objectives.aggregate(m=Max("position"))["m"] or 0) + 1
        objective = Objective(plan=plan, position=position)
    objective = _save_item(objective, data=data, fields=OBJECTIVE_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective, acting_user) -> None:
    plan = _lock_plan(objective.plan)
    _ensure_editable(plan)
    objective.delete()
    _plan_edited(plan, acting_user)


TARGET_FIELDS = (
    "kpi",
    "kind",
    "measure",
    "currency",
    "unit",
    "baseline",
    "baseline_on",
    "target_value",
    "due_on",
)


def _check_target_dates(data: dict) -> None:
    baseline_on, due_on = data.get("baseline_on"), data.get("due_on")
    if baseline_on and due_on and due_on < baseline_on:
        raise ValidationError({"due_on": "The due date must be on or after the baseline date."})


@transaction.atomic
def target_save(
    *,
    objective: Objective,
    data: dict,
    acting_user,
    target: Target | None = None,
    revision: int | None = None,
) -> Target:
    plan = _lock_plan(objective.plan)
    _ensure_editable(plan)
    _check_target_dates(data)
    if target is not None and target.archived_at is not None:
        raise ValidationError("This target is archived; start a new target instead.")
    if target is None:
        target = Target(objective=objective)
    target = _save_item(target, data=data, fields=TARGET_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    return target


@transaction.atomic
def target_archive(*, target: Target, acting_user) -> Target:
    plan = _lock_plan(target.objective.plan)
    _ensure_editable(plan)
    if target.archived_at is None:
        target.archived_at = timezone.now()
        bump_revision(target)
        target.save(update_fields=["archived_at", "revision"])
        _plan_edited(plan, acting_user)
    return target


@transaction.atomic
def measurement_record(
    *, target: Target, measured_on: date, actual, comment: str = "", acting_user
) -> Measurement:
    plan = _lock_plan(target.objective.plan)
    _ensure_editable(plan)
    target = Target.objects.select_for_update(of=("self",)).get(pk=target.pk)
    if target.archived_at is not None:
        raise ValidationError(
            f"The target “{target.kpi}” is archived; measurements can only be added to "
            "active targets."
        )
    if measured_on < target.baseline_on:
        raise ValidationError(
            {"measured_on": "A measurement cannot be dated before the target's baseline date."}
        )
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "A measurement cannot be dated in the future."})
    measurement = Measurement(
        target=target,
        measured_on=measured_on,
        actual=actual,
        comment=comment,
        recorded_by=acting_user,
    )
    measurement.full_clean()
    measurement.save()
    _plan_edited(plan, acting_user)
    return measurement


# ---- actions ------------------------------------------------------------------------------

ACTION_FIELDS = ("title", "opportunity", "objective", "owner", "due_on", "is_internal")


def _check_action_links(plan: AccountPlan, data: dict) -> None:
    opportunity = data.get("opportunity")
    if opportunity is not None and opportunity.key_account_id != plan.key_account_id:
        raise ValidationError({"opportunity": "That opportunity belongs to another account."})
    objective = data.get("objective")
    if objective is not None and objective.plan_id != plan.pk:
        raise ValidationError({"objective": "That objective belongs to another plan."})


@transaction.atomic
def action_save(
    *,
    plan: AccountPlan,
    data: dict,
    acting_user,
    action: Action | None = None,
    revision: int | None = None,
) -> Action:
    """Create or edit an action (what, owner, due date, links). Progress is Delivery's."""
    plan = _lock_plan(plan)
    _ensure_editable(plan)
    _check_owner(plan.key_account, data.get("owner"))
    _check_action_links(plan, data)
    created = action is None
    if created:
        action = Action(plan=plan)
    elif action.status == Action.Status.CANCELLED:
        raise ValidationError("This action is cancelled; add a new action instead.")
    # Read from the database: the editor's form has already put the new owner on `action`.
    # The plan is locked above, so nobody reassigns it between this read and the save.
    previous_owner_id = (
        None
        if created
        else Action.objects.filter(pk=action.pk).values_list("owner_id", flat=True).first()
    )
    action = _save_item(action, data=data, fields=ACTION_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    if created or action.owner_id != previous_owner_id:
        account_event_record(
            account=plan.key_account,
            kind=AccountEvent.Kind.ACTION,
            summary=(
                f"Action “{action.title}” {'added' if created else 'reassigned'}"
                f"{f' to {action.owner}' if action.owner else ''}, due {action.due_on:%d %b %Y}"
            ),
            acting_user=acting_user,
            link=_plan_link(plan.key_account),
        )
        if action.owner_id is not None:
            send_after_commit(
                action_assigned, sender=Action, action=action, acting_user=acting_user
            )
    return action


@transaction.atomic
def action_cancel(*, action: Action, reason: str, acting_user) -> Action:
    plan = _lock_plan(action.plan)
    _ensure_editable(plan)
    action = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if action.status == Action.Status.CANCELLED:
        return action
    if action.status == Action.Status.DONE:
        raise ValidationError("This action is done; a finished action cannot be cancelled.")
    action.status = Action.Status.CANCELLED
    bump_revision(action)
    action.save(update_fields=["status", "revision"])
    _plan_edited(plan, acting_user)
    account_event_record(
        account=plan.key_account,
        kind=AccountEvent.Kind.ACTION,
        summary=f"Action “{action.title}” cancelled",
        reason=reason,
        acting_user=acting_user,
        link=_plan_link(plan.key_account),
    )
    return action


# ---- engagement plan and risks ------------------------------------------------------------

ENGAGEMENT_FIELDS = (
    "our_person",
    "stakeholder",
    "purpose",
    "cadence",
    "next_due_on",
    "last_held_on",
    "is_internal",
)


@transaction.atomic
def engagement_save(
    *,
    plan: AccountPlan,
    data: dict,
    acting_user,
    activity: EngagementActivity | None = None,
    revision: int | None = None,
    new_stakeholder: dict | None = None,
) -> EngagementActivity:
    """`new_stakeholder` ({name, title, email}): a customer stakeholder typed in on the form,
    created here (discovery's stakeholder_quick_add) and met by this activity."""
    plan = _lock_plan(plan)
    _ensure_editable(plan)
    _check_owner(plan.key_account, data.get("our_person"), field="our_person")
    if new_stakeholder:
        created = stakeholder_quick_add(
            account=plan.key_account, acting_user=acting_user, **new_stakeholder
        )
        data = {**data, "stakeholder": created}
    stakeholder: Stakeholder | None = data.get("stakeholder")
    if stakeholder is None:
        raise ValidationError({"stakeholder": "Pick the customer stakeholder they meet."})
    if stakeholder is not None and stakeholder.key_account_id != plan.key_account_id:
        raise ValidationError({"stakeholder": "That stakeholder belongs to another account."})
    if activity is None:
        activity = EngagementActivity(plan=plan)
    activity = _save_item(activity, data=data, fields=ENGAGEMENT_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    return activity


@transaction.atomic
def engagement_held(*, activities, held_on: date) -> list[EngagementActivity]:
    """A meeting with these engagement plan items' people took place on `held_on`: each item's
    last-held date becomes that day and its next due date one cadence later (dates never move
    backwards; an item already held later keeps its dates). Archived plans are left alone.
    Returns the items that moved."""
    moved = []
    for activity in EngagementActivity.objects.select_for_update(of=("self",)).filter(
        pk__in=[a.pk for a in activities], plan__is_current=True
    ):
        if activity.last_held_on and activity.last_held_on >= held_on:
            continue
        activity.last_held_on = held_on
        due = held_on + timedelta(days=EngagementActivity.CADENCE_DAYS[activity.cadence])
        activity.next_due_on = max(activity.next_due_on, due)
        bump_revision(activity)
        activity.save(update_fields=["last_held_on", "next_due_on", "revision"])
        moved.append(activity)
    return moved


@transaction.atomic
def engagement_delete(*, activity: EngagementActivity, acting_user) -> None:
    plan = _lock_plan(activity.plan)
    _ensure_editable(plan)
    activity.delete()
    _plan_edited(plan, acting_user)


RISK_FIELDS = ("description", "likelihood", "impact", "mitigation", "owner", "is_internal")


@transaction.atomic
def risk_save(
    *,
    plan: AccountPlan,
    data: dict,
    acting_user,
    risk: PlanRisk | None = None,
    revision: int | None = None,
) -> PlanRisk:
    plan = _lock_plan(plan)
    _ensure_editable(plan)
    _check_owner(plan.key_account, data.get("owner"))
    if risk is None:
        risk = PlanRisk(plan=plan)
    risk = _save_item(risk, data=data, fields=RISK_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    return risk


@transaction.atomic
def risk_delete(*, risk: PlanRisk, acting_user) -> None:
    plan = _lock_plan(risk.plan)
    _ensure_editable(plan)
    risk.delete()
    _plan_edited(plan, acting_user)


# ---- frozen versions: approvals and review snapshots ----------------------------------------


def _freeze(plan: AccountPlan, *, kind: str, acting_user, comment: str = "", **header):
    """Freeze the (locked) plan as it is now as the next record of `kind`; approvals and
    review snapshots are numbered apart. The snapshot's header says which it is."""
    number = (plan.versions.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
    meta = {
        "kind": kind,
        "number": number,
        "created_at": timezone.now().isoformat(),
        "created_by": str(acting_user),
        "comment": comment,
        **header,
    }
    snapshot = plan_to_dict(load_plan(plan), version=meta)
    return PlanVersion.objects.create(
        plan=plan, kind=kind, number=number, snapshot=snapshot, created_by=acting_user
    )


@transaction.atomic
def plan_review_snapshot_record(
    *, plan: AccountPlan, quarter: str, acting_user, comment: str = ""
) -> PlanVersion:
    """A quarterly review froze the plan as it stood: a review snapshot, not an approval (the
    plan's status and approval are untouched). Called by rhythm when a review is completed."""
    plan = _lock_plan(plan)
    return _freeze(
        plan,
        kind=PlanVersion.Kind.REVIEW,
        acting_user=acting_user,
        comment=comment,
        quarter=quarter,
        plan_status=plan.status,
        plan_status_label=plan.get_status_display(),
    )


# ---- workflow -----------------------------------------------------------------------------


class PlanIncomplete(ValidationError):
    """The plan lacks parts the method requires (rules.PLAN_PARTS); `missing` lists their keys."""

    def __init__(self, missing: list[str], *, verb: str):
        self.missing = missing
        super().__init__(
            f"This plan cannot be {verb} yet. It still needs {rules.missing_parts_text(missing)}."
        )


def plan_missing_parts(*, plan: AccountPlan) -> list[str]:
    """The keys of rules.PLAN_PARTS the plan lacks (empty: it may be submitted)."""
    return rules.missing_parts(content_of_loaded_plan(load_plan(plan)))


def _check_complete(plan: AccountPlan, *, verb: str) -> None:
    missing = plan_missing_parts(plan=plan)
    if missing:
        raise PlanIncomplete(missing, verb=verb)


PLAN_CHANGED = (
    "The plan changed (or was submitted again) after your page was loaded, so your decision "
    "was not applied: look at the plan as it is now and decide again."
)


def _transition(plan: AccountPlan, *, allowed_from: tuple[str, ...], verb: str) -> None:
    _ensure_editable(plan)
    if plan.status not in allowed_from:
        raise ValidationError(
            f"A plan that is {plan.get_status_display().lower()} cannot be {verb}."
        )


@transaction.atomic
def plan_submit(*, plan: AccountPlan, acting_user, revision: int | None = None) -> AccountPlan:
    """Submit for approval the plan as the manager's page showed it (`revision`)."""
    plan = _lock_plan(plan)
    check_revision(plan, revision, message=PLAN_CHANGED)
    _transition(
        plan,
        allowed_from=(AccountPlan.Status.DRAFT, AccountPlan.Status.RETURNED),
        verb="submitted",
    )
    _check_complete(plan, verb="submitted")
    previous = plan.status
    plan.status = AccountPlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.updated_by = acting_user
    # A submission is a new version to decide on: an approval from a page loaded before it
    # (even of the same text, returned and submitted again) is refused.
    bump_revision(plan)
    plan.save(update_fields=["status", "submitted_at", "updated_by", "updated_at", "revision"])
    account_event_record(
        account=plan.key_account,
        kind=AccountEvent.Kind.PLAN,
        summary=f"Plan {plan.period} submitted for approval",
        acting_user=acting_user,
        old_value=previous,
        new_value=plan.status,
        link=_plan_link(plan.key_account),
    )
    send_after_commit(plan_submitted, sender=AccountPlan, plan=plan, acting_user=acting_user)
    return plan


@transaction.atomic
def plan_approve(
    *, plan: AccountPlan, acting_user, comment: str = "", revision: int | None = None
) -> PlanVersion:
    """Approve a submitted plan and freeze it as the next immutable version: the version the
    director's page showed (`revision`), or nothing (`EditConflict`)."""
    plan = _lock_plan(plan)
    check_revision(plan, revision, message=PLAN_CHANGED)
    if permissions.manages_account(acting_user, plan.key_account):
        raise ValidationError(
            "A key account manager cannot approve their own plan; the account's director does."
        )
    _transition(plan, allowed_from=(AccountPlan.Status.SUBMITTED,), verb="approved")
    # Checked again: the plan may have been submitted before this rule, or emptied by a
    # restore or an edit elsewhere that did not pass through the editor.
    _check_complete(plan, verb="approved")
    now = timezone.now()
    plan.status = AccountPlan.Status.APPROVED
    plan.approved_at = now
    plan.approved_by = acting_user
    plan.return_comment = ""
    plan.updated_by = acting_user
    bump_revision(plan)
    plan.save(
        update_fields=[
            "status",
            "approved_at",
            "approved_by",
            "return_comment",
            "updated_by",
            "updated_at",
            "revision",
        ]
    )
    version = _freeze(
        plan, kind=PlanVersion.Kind.APPROVAL, acting_user=acting_user, comment=comment
    )
    number = version.number
    account_event_record(
        account=plan.key_account,
        kind=AccountEvent.Kind.PLAN,
        summary=f"Plan {plan.period} approved as version {number}",
        reason=comment,
        acting_user=acting_user,
        old_value=AccountPlan.Status.SUBMITTED,
        new_value=plan.status,
        link=reverse("planning:version", args=[plan.key_account_id, number]),
    )
    send_after_commit(
        plan_approved, sender=AccountPlan, plan=plan, version=version, acting_user=acting_user
    )
    return version


@transaction.atomic
def plan_return(
    *, plan: AccountPlan, comment: str, acting_user, revision: int | None = None
) -> AccountPlan:
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Say what needs to change before returning the plan."})
    plan = _lock_plan(plan)
    check_revision(plan, revision, message=PLAN_CHANGED)
    _transition(plan, allowed_from=(AccountPlan.Status.SUBMITTED,), verb="returned")
    plan.status = AccountPlan.Status.RETURNED
    plan.return_comment = comment
    plan.updated_by = acting_user
    bump_revision(plan)
    plan.save(update_fields=["status", "return_comment", "updated_by", "updated_at", "revision"])
    account_event_record(
        account=plan.key_account,
        kind=AccountEvent.Kind.PLAN,
        summary=f"Plan {plan.period} returned with comments",
        reason=comment,
        acting_user=acting_user,
        old_value=AccountPlan.Status.SUBMITTED,
        new_value=plan.status,
        link=_plan_link(plan.key_account),
    )
    send_after_commit(
        plan_returned, sender=AccountPlan, plan=plan, comment=comment, acting_user=acting_user
    )
    return plan


# ---- stored plan health ----------------------------------------------------------------------

HEALTH_BATCH = 500
HEALTH_HISTORY_DAYS = 400  # a year of trend and a little more; older records are deleted
DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE


def plan_health_invalidate(*, plans: QuerySet[AccountPlan]) -> int:
    """Something a health rule reads has changed: the stored score is stale from now on and is
    recomputed on its next read. Bumping the version makes a refresh that read the old facts
    store nothing (see plan_health_refresh)."""
    return plans.update(health_on=None, health_version=F("health_version") + 1)


def plan_health_refresh(*, plans: QuerySet[AccountPlan] | None = None, today=None) -> int:
    """Store today's health score of every current plan (of `plans`, or all) whose stored
    score is not from today; returns how many were recomputed. Nothing to do costs one query;
    otherwise seven a batch of HEALTH_BATCH plans. A plan that changed while its facts were
    read keeps its stale mark (the version no longer matches) and is recomputed next time.

    Run daily by the job rhythm.refresh_plan_health just after midnight (scores depend on the
    date: due dates pass, reviews age), and by the portfolio dashboard for its own accounts
    before it reads them, so a score is never older than the last change or the day."""
    today = today or timezone.localdate()
    stale = AccountPlan.objects.filter(is_current=True).exclude(health_on=today)
    if plans is not None:
        stale = stale.filter(pk__in=plans.values("pk"))
    rows = list(
        stale.only(
            "pk",
            "key_account_id",
            "approved_at",
            "value_proposition",
            "value_proposition_refreshed_on",
            "critical_success_factors",
            "health_version",
        ).order_by("pk")
    )
    for start in range(0, len(rows), HEALTH_BATCH):
        batch = rows[start : start + HEALTH_BATCH]
        health = health_for_plans(batch, today=today)
        unchanged = {p.pk: Q(pk=p.pk, health_version=p.health_version) for p in batch}
        try:
            with transaction.atomic():  # a savepoint inside a caller's transaction
                _store_health(batch, health, unchanged, today)
        except OperationalError as error:
            # Two refreshes of overlapping plans (the nightly job and a dashboard view) may lock
            # rows in different orders; PostgreSQL then cancels one. Its plans stay stale and
            # are recomputed on their next read: no page fails for a cache fill.
            if getattr(error.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
                raise
            log.warning(
                "Plan health: lost a deadlock storing %s scores; they stay stale", len(batch)
            )
    return len(rows)


def _store_health(batch, health, unchanged, today) -> None:
    AccountPlan.objects.filter(pk__in=unchanged).update(
        health_score=Case(
            *[When(unchanged[p.pk], then=Value(health[p.pk].score)) for p in batch],
            default=F("health_score"),
            output_field=PositiveSmallIntegerField(),
        ),
        health_on=Case(
            When(reduce(or_, unchanged.values()), then=Value(today)),
            default=F("health_on"),
            output_field=DateField(),
        ),
    )


def plan_health_record(*, today=None) -> dict:
    """Keep today's stored score of every current plan as a HealthRecord (the dashboard's
    trend) and delete records older than HEALTH_HISTORY_DAYS. Run by the nightly job right
    after plan_health_refresh; a second run the same day records nothing (one record per plan
    and day, a database constraint)."""
    today = today or timezone.localdate()
    scored = AccountPlan.objects.filter(
        is_current=True, health_on=today, health_score__isnull=False
    ).values_list("pk", "health_score")
    recorded_today = HealthRecord.objects.filter(recorded_on=today)
    before = recorded_today.count()
    HealthRecord.objects.bulk_create(
        [HealthRecord(plan_id=pk, recorded_on=today, score=score) for pk, score in scored],
        ignore_conflicts=True,
        batch_size=1000,
    )
    cutoff = today - timedelta(days=HEALTH_HISTORY_DAYS)
    deleted, _ = HealthRecord.objects.filter(recorded_on__lt=cutoff).delete()
    return {"recorded": recorded_today.count() - before, "deleted": deleted}
