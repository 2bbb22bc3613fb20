"""Mentoring sessions and their next steps, one of which may become a plan action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import KeyAccount, Membership, Role, User
from planning.models import AccountPlan, Action
from planning.services import action_save

from ..models import MentoringNextStep, MentoringSession, MentoringTopic

# Timeline entries written before a step went through planning's action_save (which writes
# "Action “…” added to …") keep this text: named here so that it stays in the catalogues and
# those entries still read in each reader's language.
RECORDED_BEFORE = (gettext_noop("Action added for %(manager)s: %(text)s"),)


@dataclass(frozen=True)
class NextStep:
    text: str
    due_on: date


@transaction.atomic
def mentoring_session_record(
    *,
    manager: User,
    account: KeyAccount,
    held_on: date,
    topics: list[str],
    notes: str,
    next_steps: list[NextStep],
    acting_user: User,
) -> MentoringSession:
    """Log a mentoring session. The director must direct `account` and `manager` manage it."""
    roles = dict(
        Membership.objects.filter(key_account=account, user__in=[acting_user, manager]).values_list(
            "user_id", "role"
        )
    )
    errors: dict[str, list[str]] = {}
    if roles.get(acting_user.pk) != Role.DIRECTOR:
        errors.setdefault("key_account", []).append(
            _("You do not direct %(account)s.") % {"account": account}
        )
    elif roles.get(manager.pk) != Role.MANAGER:
        errors.setdefault("manager", []).append(
            _("%(manager)s does not manage %(account)s.") % {"manager": manager, "account": account}
        )
    if held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(_("Log a session after it took place."))
    unknown = [t for t in topics if t not in MentoringTopic.values]
    if not topics or unknown:
        errors.setdefault("topics", []).append(_("Choose at least one topic from the list."))
    if errors:
        raise ValidationError(errors)
    session = MentoringSession(
        director=acting_user,
        manager=manager,
        key_account=account,
        held_on=held_on,
        topics=[t for t in MentoringTopic.values if t in topics],
        notes=notes.strip(),
    )
    session.full_clean()
    session.save()
    steps = [MentoringNextStep(session=session, text=s.text, due_on=s.due_on) for s in next_steps]
    for step in steps:
        step.full_clean(exclude=["session"])
    MentoringNextStep.objects.bulk_create(steps)
    return session


@dataclass(frozen=True)
class StepAction:
    action: Action
    # The plan's status before the action was added: an approved or submitted plan is back
    # to draft now (planning's action_save), which the director is told.
    plan_was: str


@transaction.atomic
def mentoring_step_to_action(*, step: MentoringNextStep, acting_user: User) -> StepAction:
    """Turn an agreed next step into an action, owned by the manager, on the account's current
    plan, through planning's action_save. Refused when the account has no current plan or the
    step already is an action."""
    step = (
        MentoringNextStep.objects.select_for_update(of=("self",))
        .select_related("session__key_account__customer", "session__manager")
        .get(pk=step.pk)
    )
    session = step.session
    account = session.key_account
    if step.action_id is not None:
        raise ValidationError(
            _("“%(step)s” is already an action on the plan.") % {"step": step.text}
        )
    plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
    if plan is None:
        raise ValidationError(
            _(
                "%(account)s has no current account plan, so “%(step)s” cannot become a plan "
                "action yet. Once the manager has started the plan, add it from here."
            )
            % {"account": account, "step": step.text}
        )
    # Planning's rule for every action: its owner is on the account team. The manager may
    # have left it since the session (a reassignment, a hand-over).
    if not Membership.objects.filter(user=session.manager, key_account=account).exists():
        raise ValidationError(
            _(
                "%(manager)s is no longer on the %(account)s account team, so “%(step)s” cannot "
                "become their action. Add it on the plan with an owner from the team."
            )
            % {"manager": session.manager, "account": account, "step": step.text}
        )
    # Through planning's own service, like an action added in the plan editor: an approved or
    # submitted plan goes back to draft, the manager is told, the timeline and the history
    # record the action added.
    action = action_save(
        plan=plan,
        data={
            "title": step.text,
            "owner": session.manager,
            "due_on": step.due_on,
            "is_internal": True,
        },
        acting_user=acting_user,
        # Notes the team edits: in the language of whoever adds the action.
        notes=_("Agreed in mentoring on %(day)s.") % {"day": date_format(session.held_on)},
    )
    step.action = action
    step.save(update_fields=["action"])
    return StepAction(action=action, plan_was=plan.status)
