"""Plans as a whole: starting (and the quick start), archiving, section edits, the approval
workflow."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts import permissions
from accounts.event_text import EventText, term
from accounts.models import AccountEvent, Classification, KeyAccount
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision
from common.constraints import refused_as

from .. import rules
from ..models import (
    AccountPlan,
    PlanVersion,
    Review,
)
from ..selectors import content_of_loaded_plan
from ..signals import (
    plan_approved,
    plan_returned,
    plan_submitted,
    send_after_commit,
)
from ..snapshot import load_plan, plan_to_dict
from .base import PLAN_CHANGED, SECTIONS, _ensure_editable, _lock_plan, _plan_edited, _plan_link
from .health import plan_write
from .items import (
    action_save,
    engagement_save,
    objective_save,
    target_save,
)

STARTED_MEANWHILE = gettext_lazy("Someone else started this plan a moment ago.")


def _start_refused(account: KeyAccount, period: str):
    """Why the account's plan for `period` cannot start (one current plan per account, one
    plan per period: the database's rules too), or None. One statement, so one snapshot: as
    two, a plan started by someone else between them read as "already exists (archived)"."""
    found = list(
        AccountPlan.objects.filter(
            Q(is_current=True) | Q(period=period), key_account=account
        ).values_list("is_current", flat=True)
    )
    if any(found):
        return _("This account already has a current plan.")
    if found:
        archived = _("A plan for %(period)s already exists (archived).")
        return {"period": archived % {"period": period}}
    return None


@plan_write
def plan_start(*, account: KeyAccount, period: str, acting_user) -> AccountPlan:
    """Open the current plan of an account for a period (e.g. FY2027)."""
    period = period.strip()
    if not account.is_active:
        raise ValidationError(_("This account has been de-selected; it no longer gets a plan."))
    if refusal := _start_refused(account, period):
        raise ValidationError(refusal)
    plan = AccountPlan(key_account=account, period=period, updated_by=acting_user)
    plan.full_clean(validate_constraints=False)  # its constraints: the rules checked above
    # A plan started meanwhile (past the check) is refused by the database: the same sentence.
    with refused_as(lambda: _start_refused(account, period) or STARTED_MEANWHILE):
        plan.save()
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.PLAN,
        summary=EventText(gettext_noop("Plan %(period)s started"), period=period),
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


@plan_write
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


@plan_write
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
        summary=EventText(gettext_noop("Plan %(period)s archived"), period=plan.period),
        reason=reason,
        acting_user=acting_user,
        old_value=previous,
        new_value=plan.status,
    )


# ---- sections -----------------------------------------------------------------------------


@plan_write
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


def review_completed_text(*, quarter: str, decision: str, number: int, proposed_class: str = ""):
    """The timeline's words for a completed quarterly review and its snapshot."""
    values = {
        "quarter": quarter,
        "decision": term(Review.Decision(decision).label),
        "number": number,
    }
    if proposed_class:
        return EventText(
            gettext_noop(
                "Quarterly review %(quarter)s completed: %(decision)s to %(class)s "
                "(review snapshot %(number)s)"
            ),
            **values,
            **{"class": term(Classification(proposed_class).label)},
        )
    return EventText(
        gettext_noop(
            "Quarterly review %(quarter)s completed: %(decision)s (review snapshot %(number)s)"
        ),
        **values,
    )


@plan_write
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
        parts = rules.missing_parts_text(missing)
        if verb == "approved":
            message = _("This plan cannot be approved yet. It still needs %(parts)s.")
        else:
            message = _("This plan cannot be submitted yet. It still needs %(parts)s.")
        super().__init__(message % {"parts": parts})


def plan_missing_parts(*, plan: AccountPlan) -> list[str]:
    """The keys of rules.PLAN_PARTS the plan lacks (empty: it may be submitted)."""
    return rules.missing_parts(content_of_loaded_plan(load_plan(plan)))


def _check_complete(plan: AccountPlan, *, verb: str) -> None:
    missing = plan_missing_parts(plan=plan)
    if missing:
        raise PlanIncomplete(missing, verb=verb)


def _transition(plan: AccountPlan, *, allowed_from: tuple[str, ...], verb: str) -> None:
    _ensure_editable(plan)
    if plan.status not in allowed_from:
        messages = {
            "submitted": _("A plan that is %(status)s cannot be submitted."),
            "approved": _("A plan that is %(status)s cannot be approved."),
            "returned": _("A plan that is %(status)s cannot be returned."),
        }
        raise ValidationError(messages[verb] % {"status": plan.get_status_display().lower()})


@plan_write
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
        summary=EventText(
            gettext_noop("Plan %(period)s submitted for approval"), period=plan.period
        ),
        acting_user=acting_user,
        old_value=previous,
        new_value=plan.status,
        link=_plan_link(plan.key_account),
    )
    send_after_commit(plan_submitted, sender=AccountPlan, plan=plan, acting_user=acting_user)
    return plan


@plan_write
def plan_approve(
    *, plan: AccountPlan, acting_user, comment: str = "", revision: int | None = None
) -> PlanVersion:
    """Approve a submitted plan and freeze it as the next immutable version: the version the
    director's page showed (`revision`), or nothing (`EditConflict`)."""
    plan = _lock_plan(plan)
    check_revision(plan, revision, message=PLAN_CHANGED)
    if permissions.manages_account(acting_user, plan.key_account):
        raise ValidationError(
            _("A key account manager cannot approve their own plan; the account's director does.")
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
        summary=EventText(
            gettext_noop("Plan %(period)s approved as version %(number)s"),
            period=plan.period,
            number=number,
        ),
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


@plan_write
def plan_return(
    *, plan: AccountPlan, comment: str, acting_user, revision: int | None = None
) -> AccountPlan:
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change before returning the plan.")})
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
        summary=EventText(
            gettext_noop("Plan %(period)s returned with comments"), period=plan.period
        ),
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
