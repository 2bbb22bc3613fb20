"""The items of a plan: objectives, targets and measurements, actions, engagement
activities, risks."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import (
    Max,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.event_text import EventText, day
from accounts.models import AccountEvent
from accounts.selectors import user_today
from accounts.services import account_event_record
from common.conflicts import bump_revision
from discovery.models import Stakeholder
from discovery.services import stakeholder_quick_add

from ..models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    PlanRisk,
    Target,
)
from ..signals import (
    action_assigned,
    measurement_recorded,
    send_after_commit,
)
from .base import _check_owner, _ensure_editable, _lock_plan, _plan_edited, _plan_link, _save_item
from .health import plan_write

OBJECTIVE_FIELDS = ("title", "rationale", "owner", "due_on", "is_internal")


@plan_write
def objective_save(
    *,
    plan: AccountPlan,
    data: dict,
    acting_user,
    objective: Objective | None = None,
    revision: int | None = None,
) -> Objective:
    plan = _lock_plan(plan, owner=data.get("owner"))
    _ensure_editable(plan)
    _check_owner(plan, data.get("owner"))
    if objective is None:
        position = (plan.objectives.aggregate(m=Max("position"))["m"] or 0) + 1
        objective = Objective(plan=plan, position=position)
    objective = _save_item(objective, data=data, fields=OBJECTIVE_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    return objective


@plan_write
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
    "aim",
    "due_on",
)


def _check_target_dates(data: dict) -> None:
    baseline_on, due_on = data.get("baseline_on"), data.get("due_on")
    if baseline_on and due_on and due_on < baseline_on:
        raise ValidationError({"due_on": _("The due date must be on or after the baseline date.")})


@plan_write
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
        raise ValidationError(_("This target is archived; start a new target instead."))
    if target is None:
        target = Target(objective=objective)
    target = _save_item(target, data=data, fields=TARGET_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    # The plan as this save left it (its status), for the caller: through its objective.
    target.objective = objective
    objective.plan = plan
    return target


@plan_write
def target_archive(*, target: Target, acting_user) -> Target:
    plan = _lock_plan(target.objective.plan)
    _ensure_editable(plan)
    if target.archived_at is None:
        target.archived_at = timezone.now()
        bump_revision(target)
        target.save(update_fields=["archived_at", "revision"])
        _plan_edited(plan, acting_user)
    return target


@plan_write
def measurement_record(
    *, target: Target, measured_on: date, actual, comment: str = "", acting_user
) -> Measurement:
    plan = _lock_plan(target.objective.plan)
    _ensure_editable(plan)
    target = Target.objects.select_for_update(of=("self",)).get(pk=target.pk)
    if target.archived_at is not None:
        raise ValidationError(
            _("The target “%(kpi)s” is archived; measurements can only be added to active targets.")
            % {"kpi": target.kpi}
        )
    if measured_on < target.baseline_on:
        raise ValidationError(
            {"measured_on": _("A measurement cannot be dated before the target's baseline date.")}
        )
    # The future of whoever records it, in their time zone (as the form's default date is).
    if measured_on > user_today(acting_user):
        raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})
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
    send_after_commit(
        measurement_recorded, sender=Measurement, measurement=measurement, acting_user=acting_user
    )
    return measurement


# ---- actions ------------------------------------------------------------------------------

ACTION_FIELDS = (
    "title",
    "opportunity",
    "objective",
    "owner",
    "customer_owner",
    "due_on",
    "is_internal",
)


def _check_action_links(plan: AccountPlan, data: dict) -> None:
    opportunity = data.get("opportunity")
    if opportunity is not None and opportunity.key_account_id != plan.key_account_id:
        raise ValidationError({"opportunity": _("That opportunity belongs to another account.")})
    objective = data.get("objective")
    if objective is not None and objective.plan_id != plan.pk:
        raise ValidationError({"objective": _("That objective belongs to another plan.")})
    theirs = data.get("customer_owner")
    if theirs is not None and theirs.key_account_id != plan.key_account_id:
        raise ValidationError({"customer_owner": _("That stakeholder belongs to another account.")})
    if theirs is not None and data.get("owner") is not None:
        raise ValidationError(_("An action is ours or theirs: pick one owner."))


@plan_write
def action_save(
    *,
    plan: AccountPlan,
    data: dict,
    acting_user,
    action: Action | None = None,
    revision: int | None = None,
    notes: str = "",
) -> Action:
    """Create or edit an action (what, owner, due date, links). Progress is Delivery's.
    `notes`: a new action's first notes, written by the step that adds it (a mentoring session
    says where it was agreed); the editor's form has none."""
    plan = _lock_plan(plan, owner=data.get("owner"))
    _ensure_editable(plan)
    _check_owner(plan, data.get("owner"))
    _check_action_links(plan, data)
    created = action is None
    if created:
        action = Action(plan=plan, notes=notes)
    elif action.status == Action.Status.CANCELLED:
        raise ValidationError(_("This action is cancelled; add a new action instead."))
    # The owners as saved, read from the locked row (the editor's form has already put the new
    # owner on `action`).
    previous = {"owners": (None, None)}

    def remember_owners(saved: Action) -> None:
        previous["owners"] = (saved.owner_id, saved.customer_owner_id)

    action = _save_item(
        action, data=data, fields=ACTION_FIELDS, revision=revision, before_save=remember_owners
    )
    _plan_edited(plan, acting_user)
    action.plan = plan  # the plan as this save left it (its status), for the caller
    if created or (action.owner_id, action.customer_owner_id) != previous["owners"]:
        account_event_record(
            account=plan.key_account,
            kind=AccountEvent.Kind.ACTION,
            summary=_action_owned_text(action, created=created),
            acting_user=acting_user,
            link=_plan_link(plan.key_account),
        )
        if action.owner_id is not None:
            send_after_commit(
                action_assigned, sender=Action, action=action, acting_user=acting_user
            )
    return action


@plan_write
def action_cancel(*, action: Action, reason: str, acting_user) -> Action:
    plan = _lock_plan(action.plan)
    _ensure_editable(plan)
    action = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if action.status == Action.Status.CANCELLED:
        return action
    if action.status == Action.Status.DONE:
        raise ValidationError(_("This action is done; a finished action cannot be cancelled."))
    action.status = Action.Status.CANCELLED
    bump_revision(action)
    action.save(update_fields=["status", "revision"])
    _plan_edited(plan, acting_user)
    account_event_record(
        account=plan.key_account,
        kind=AccountEvent.Kind.ACTION,
        summary=EventText(gettext_noop("Action “%(title)s” cancelled"), title=action.title),
        reason=reason,
        acting_user=acting_user,
        link=_plan_link(plan.key_account),
    )
    return action


def _action_owned_text(action: Action, *, created: bool) -> EventText:
    """The timeline's words for an action added or given to someone else."""
    values = {"title": action.title, "due": day(action.due_on)}
    if action.owner is not None:
        message = (
            gettext_noop("Action “%(title)s” added to %(owner)s, due %(due)s")
            if created
            else gettext_noop("Action “%(title)s” reassigned to %(owner)s, due %(due)s")
        )
        return EventText(message, owner=action.owner, **values)
    if action.customer_owner is not None:
        message = (
            gettext_noop("Action “%(title)s” added to %(owner)s (customer), due %(due)s")
            if created
            else gettext_noop("Action “%(title)s” reassigned to %(owner)s (customer), due %(due)s")
        )
        return EventText(message, owner=action.customer_owner.name, **values)
    message = (
        gettext_noop("Action “%(title)s” added, due %(due)s")
        if created
        else gettext_noop("Action “%(title)s” reassigned, due %(due)s")
    )
    return EventText(message, **values)


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


@plan_write
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
    plan = _lock_plan(plan, owner=data.get("our_person"))
    _ensure_editable(plan)
    _check_owner(plan, data.get("our_person"), field="our_person")
    if new_stakeholder:
        created = stakeholder_quick_add(
            account=plan.key_account, acting_user=acting_user, **new_stakeholder
        )
        data = {**data, "stakeholder": created}
    stakeholder: Stakeholder | None = data.get("stakeholder")
    if stakeholder is None:
        raise ValidationError({"stakeholder": _("Pick the customer stakeholder they meet.")})
    if stakeholder is not None and stakeholder.key_account_id != plan.key_account_id:
        raise ValidationError({"stakeholder": _("That stakeholder belongs to another account.")})
    if activity is None:
        activity = EngagementActivity(plan=plan)
    activity = _save_item(activity, data=data, fields=ENGAGEMENT_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    activity.plan = plan  # the plan as this save left it (its status), for the caller
    return activity


@plan_write
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


@plan_write
def engagement_delete(*, activity: EngagementActivity, acting_user) -> None:
    plan = _lock_plan(activity.plan)
    _ensure_editable(plan)
    activity.delete()
    _plan_edited(plan, acting_user)


RISK_FIELDS = ("description", "likelihood", "impact", "mitigation", "owner", "is_internal")


@plan_write
def risk_save(
    *,
    plan: AccountPlan,
    data: dict,
    acting_user,
    risk: PlanRisk | None = None,
    revision: int | None = None,
) -> PlanRisk:
    plan = _lock_plan(plan, owner=data.get("owner"))
    _ensure_editable(plan)
    _check_owner(plan, data.get("owner"))
    if risk is None:
        risk = PlanRisk(plan=plan)
    risk = _save_item(risk, data=data, fields=RISK_FIELDS, revision=revision)
    _plan_edited(plan, acting_user)
    return risk


@plan_write
def risk_delete(*, risk: PlanRisk, acting_user) -> None:
    plan = _lock_plan(risk.plan)
    _ensure_editable(plan)
    risk.delete()
    _plan_edited(plan, acting_user)


# ---- frozen versions: approvals and review snapshots ----------------------------------------
