"""Every write of the programme organisation, and the rules behind them.

Team rules (checked on every change to an account team, i.e. `accounts.Membership`):

* A person holds one role per account (adding someone twice is refused).
* An account has **exactly one director**. Making someone director while another person
  directs the account is refused unless the change is marked as a *hand-over*; then the previous
  director leaves the team. The director cannot be removed or given another role (hand the
  account over instead).
* An account keeps **at least one manager**: its last manager cannot be removed or given another
  role (reassign the account to another manager, or add a second manager first).
* A person's time shares across all their accounts add up to **at most 100 %**.

These rules read several rows before writing, so two changes at the same moment could each
pass them alone and break them together (write skew). Every team change therefore first locks
the account (`_lock_team`: the account row, then the people whose time shares it checks, as a
mutex, `common.locks.lock_rows`) and only then reads the team: a second change waits and then
sees the first.

Every team change is recorded on the account's timeline (TEAM_CHANGED) and clears the cached
roles of the people it touches, so permission checks in the same request see the new team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import (
    EXECUTIVE_GROUP,
    AccountEvent,
    Classification,
    KeyAccount,
    Membership,
    Role,
    User,
)
from accounts.permissions import forget_cached_roles
from accounts.services import account_event_record
from common.conflicts import EditConflict, bump_revision, lock_for_edit
from common.locks import lock_rows
from planning.models import AccountPlan, Action

from . import permissions
from .models import (
    FINANCIAL_AWARENESS,
    GRID_MAX,
    GRID_MIN,
    SKILL_MAX,
    SKILL_MIN,
    STRATEGIC_THINKING,
    AllocationDecision,
    Competence,
    CompetenceScore,
    ExecutiveSponsor,
    JobSpecification,
    MentoringNextStep,
    MentoringSession,
    MentoringTopic,
    SellingStyle,
    SkillsAssessment,
)

MAX_TIME_SHARE_PERCENT = 100


def _team_url(account: KeyAccount) -> str:
    return reverse("organisation:team", args=[account.pk])


def _role_label(role: str) -> str:
    return Role(role).label


def _share_text(function: str, percent: int) -> str:
    parts = [p for p in (function, f"{percent} %" if percent else "") if p]
    return f" ({', '.join(parts)})" if parts else ""


# ---- account teams ------------------------------------------------------------------------


def _lock_team(account: KeyAccount, *people: User) -> None:
    """Hold the account's team, and the time shares of `people`, until the transaction ends
    (the account first, then the people, always in that order)."""
    lock_rows(account)
    lock_rows(*people)


def _current_entry(membership: Membership) -> Membership:
    """The team entry as saved now (after `_lock_team`): someone may have removed it."""
    current = (
        Membership.objects.select_related("user", "key_account").filter(pk=membership.pk).first()
    )
    if current is None:
        raise ValidationError(
            {
                "role": _("%(user)s is no longer on the team: someone removed them meanwhile.")
                % {"user": membership.user}
            }
        )
    return current


def time_share_elsewhere(*, user: User, exclude: Membership | None = None) -> int:
    """The share of `user`'s time already promised to accounts other than `exclude`."""
    qs = Membership.objects.filter(user=user)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(total=Sum("time_share_percent"))["total"] or 0


def _check_time_share(*, user: User, percent: int, exclude: Membership | None) -> None:
    elsewhere = time_share_elsewhere(user=user, exclude=exclude)
    if elsewhere + percent > MAX_TIME_SHARE_PERCENT:
        raise ValidationError(
            {
                "time_share_percent": _(
                    "%(user)s already gives %(elsewhere)s %% of their time to other accounts; "
                    "%(percent)s %% more would make %(total)s %%. A person's time "
                    "shares add up to at most %(max)s %%."
                )
                % {
                    "user": user,
                    "elsewhere": elsewhere,
                    "percent": percent,
                    "total": elsewhere + percent,
                    "max": MAX_TIME_SHARE_PERCENT,
                }
            }
        )


def _others_with_role(account: KeyAccount, role: str, exclude: Membership | None):
    qs = account.memberships.filter(role=role).select_related("user")
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs)


def _check_keeps_leaders(*, membership: Membership, leaving_role: bool) -> None:
    """Refuse to take away the account's director or its last manager."""
    if not leaving_role:
        return
    account = membership.key_account
    if membership.role == Role.DIRECTOR:
        raise ValidationError(
            {
                "role": _(
                    "%(user)s is the director of %(account)s; an account keeps exactly "
                    "one director. Make another person director with 'hand over' instead."
                )
                % {"user": membership.user, "account": account}
            }
        )
    if membership.role == Role.MANAGER and not _others_with_role(account, Role.MANAGER, membership):
        raise ValidationError(
            {
                "role": _(
                    "%(user)s is the only manager of %(account)s; an account keeps at "
                    "least one manager. Reassign the account or add another manager first."
                )
                % {"user": membership.user, "account": account}
            }
        )


def _directors_to_replace(
    *, account: KeyAccount, membership: Membership | None, role: str, hand_over: bool
) -> list[Membership]:
    if role != Role.DIRECTOR:
        return []
    current = _others_with_role(account, Role.DIRECTOR, membership)
    if current and not hand_over:
        names = ", ".join(str(m.user) for m in current)
        raise ValidationError(
            {
                "role": _(
                    "%(names)s already directs %(account)s; an account has exactly one director. "
                    "Tick 'hand over' to make this person director instead (the current "
                    "director then leaves the team)."
                )
                % {"names": names, "account": account}
            }
        )
    return current


def _remove_replaced_directors(
    *, account: KeyAccount, replaced: list[Membership], acting_user: User
) -> None:
    for old in replaced:
        old.delete()
        forget_cached_roles(old.user)
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.TEAM_CHANGED,
            summary=f"{old.user} handed the account over and left the team",
            acting_user=acting_user,
            old_value=Role.DIRECTOR,
            link=_team_url(account),
        )


@transaction.atomic
def team_member_add(
    *,
    account: KeyAccount,
    user: User,
    role: str,
    function: str = "",
    time_share_percent: int = 0,
    hand_over: bool = False,
    acting_user: User,
) -> Membership:
    """Put `user` on the account team with `role`. See the module docstring for the rules."""
    _lock_team(account, user)
    existing = account.memberships.filter(user=user).first()
    if existing is not None:
        raise ValidationError(
            {
                "user": _(
                    "%(user)s is already on the %(account)s team as "
                    "%(role)s. Change their entry instead."
                )
                % {"user": user, "account": account, "role": existing.get_role_display().lower()}
            }
        )
    replaced = _directors_to_replace(
        account=account, membership=None, role=role, hand_over=hand_over
    )
    _check_time_share(user=user, percent=time_share_percent, exclude=None)
    membership = Membership(
        user=user,
        key_account=account,
        role=role,
        function=function.strip(),
        time_share_percent=time_share_percent,
    )
    membership.full_clean()
    _remove_replaced_directors(account=account, replaced=replaced, acting_user=acting_user)
    membership.save()
    forget_cached_roles(user)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.TEAM_CHANGED,
        summary=f"{user} joined the team as {_role_label(role).lower()}"
        + _share_text(membership.function, time_share_percent),
        acting_user=acting_user,
        new_value=role,
        link=_team_url(account),
    )
    return membership


def _team_conflict_message(saved: Membership) -> str:
    now = [
        saved.get_role_display(),
        saved.function,
        _("%(percent)s %% of their time") % {"percent": saved.time_share_percent},
    ]
    return _("Someone else changed this entry while you were editing: it is now %(entry)s.") % {
        "entry": ", ".join(str(part) for part in now if part)
    }


@transaction.atomic
def team_member_change(
    *,
    membership: Membership,
    role: str,
    function: str,
    time_share_percent: int,
    hand_over: bool = False,
    revision: int | None = None,
    acting_user: User,
) -> Membership:
    """Change someone's role, function or time share on one account.

    `revision` is what the form was opened at; if the entry moved on, `EditConflict`."""
    _lock_team(membership.key_account, membership.user)
    _current_entry(membership)
    membership = lock_for_edit(
        membership,
        revision,
        queryset=Membership.objects.select_related("user", "key_account"),
        message=_team_conflict_message,
    )
    account = membership.key_account
    old = (membership.role, membership.function, membership.time_share_percent)
    _check_keeps_leaders(membership=membership, leaving_role=role != membership.role)
    replaced = _directors_to_replace(
        account=account, membership=membership, role=role, hand_over=hand_over
    )
    _check_time_share(user=membership.user, percent=time_share_percent, exclude=membership)
    membership.role = role
    membership.function = function.strip()
    membership.time_share_percent = time_share_percent
    membership.full_clean()
    _remove_replaced_directors(account=account, replaced=replaced, acting_user=acting_user)
    membership.save(
        update_fields=["role", "function", "time_share_percent", bump_revision(membership)]
    )
    forget_cached_roles(membership.user)
    if old != (role, membership.function, time_share_percent):
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.TEAM_CHANGED,
            summary=f"{membership.user} is now {_role_label(role).lower()}"
            + _share_text(membership.function, time_share_percent),
            acting_user=acting_user,
            old_value=old[0],
            new_value=role,
            link=_team_url(account),
        )
    return membership


@transaction.atomic
def team_member_remove(*, membership: Membership, acting_user: User) -> None:
    """Take someone off the account team (never its director or its last manager). Taking
    off someone who already left (a second click) changes nothing."""
    _lock_team(membership.key_account)
    membership = (
        Membership.objects.select_related("user", "key_account").filter(pk=membership.pk).first()
    )
    if membership is None:
        return
    try:
        _check_keeps_leaders(membership=membership, leaving_role=True)
    except ValidationError as error:
        raise ValidationError(error.message_dict["role"]) from None
    account = membership.key_account
    user = membership.user
    role = membership.role
    membership.delete()
    forget_cached_roles(user)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.TEAM_CHANGED,
        summary=f"{user} left the team ({_role_label(role).lower()})",
        acting_user=acting_user,
        old_value=role,
        link=_team_url(account),
    )


@transaction.atomic
def executive_sponsor_set(
    *, account: KeyAccount, user: User | None, acting_user: User, revision: int | None = None
) -> ExecutiveSponsor | None:
    """Name (or, with `user=None`, clear) the account's executive sponsor.

    The sponsor must be in the Executive group (they read every account). `revision` is the
    account's `sponsor_revision` the form was opened at (the sponsor row itself comes and
    goes): EditConflict, with the current sponsor (or None), if someone changed it since."""
    locked = KeyAccount.objects.select_for_update(of=("self",)).get(pk=account.pk)
    current = ExecutiveSponsor.objects.filter(key_account=account).select_related("user").first()
    if revision is not None and int(revision) != locked.sponsor_revision:
        raise EditConflict(
            current,
            revision=locked.sponsor_revision,
            message=_("Someone else changed the executive sponsor while you were choosing."),
        )
    if (current.user_id if current else None) != (user.pk if user else None):
        # The account row is locked, so a plain increment loses nothing; a refused sponsor
        # (ValidationError below) rolls it back with the rest.
        locked.sponsor_revision += 1
        locked.save(update_fields=["sponsor_revision"])
    if user is None:
        if current is not None:
            current.delete()
            account_event_record(
                account=account,
                kind=AccountEvent.Kind.TEAM_CHANGED,
                summary=f"{current.user} is no longer executive sponsor",
                acting_user=acting_user,
                link=_team_url(account),
            )
        return None
    if not user.groups.filter(name=EXECUTIVE_GROUP).exists():
        raise ValidationError(
            {
                "user": _("%(user)s is not an executive; sponsors come from the Executive group.")
                % {"user": user}
            }
        )
    if current is not None and current.user_id == user.pk:
        return current
    sponsor = current or ExecutiveSponsor(key_account=account)
    previous = current.user if current is not None else None
    sponsor.user = user
    sponsor.named_on = timezone.localdate()
    sponsor.named_by = acting_user
    sponsor.full_clean()
    sponsor.save()
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.TEAM_CHANGED,
        summary=f"{user} is now executive sponsor" + (f" (was {previous})" if previous else ""),
        acting_user=acting_user,
        link=_team_url(account),
    )
    return sponsor


# ---- skills assessments -------------------------------------------------------------------


@transaction.atomic
def skills_assessment_record(
    *,
    manager: User,
    assessed_on: date,
    scores: dict[str, int],
    concern_for_customer: int,
    concern_for_sale: int,
    comment: str = "",
    acting_user: User,
) -> SkillsAssessment:
    """Record a new assessment (history is kept: earlier ones are never changed).

    Only a director of the manager (director on an account the manager manages) assesses.
    `scores` maps competence code → 1–5 and must cover every active competence; the sales grid
    scores run 1–9. The date may not lie in the future."""
    if not permissions.directs_manager(acting_user, manager):
        raise ValidationError(
            _(
                "%(user)s is not a director of %(manager)s: only a director of an account "
                "%(manager)s manages can assess them."
            )
            % {"user": acting_user, "manager": manager}
        )
    errors: dict[str, list[str]] = {}
    if assessed_on > timezone.localdate():
        errors.setdefault("assessed_on", []).append(
            _("An assessment cannot be dated in the future.")
        )
    for field, value in (
        ("concern_for_customer", concern_for_customer),
        ("concern_for_sale", concern_for_sale),
    ):
        if value is None or not GRID_MIN <= value <= GRID_MAX:
            errors.setdefault(field, []).append(
                _("Sales grid scores run from %(low)s to %(high)s.")
                % {"low": GRID_MIN, "high": GRID_MAX}
            )
    competences = list(Competence.objects.filter(is_active=True))
    for competence in competences:
        value = scores.get(competence.code)
        if value is None or not SKILL_MIN <= value <= SKILL_MAX:
            errors.setdefault(f"skill_{competence.code}", []).append(
                _("Score %(competence)s from %(low)s to %(high)s.")
                % {"competence": competence.name, "low": SKILL_MIN, "high": SKILL_MAX}
            )
    if errors:
        raise ValidationError(errors)
    assessment = SkillsAssessment(
        manager=manager,
        assessed_by=acting_user,
        assessed_on=assessed_on,
        concern_for_customer=concern_for_customer,
        concern_for_sale=concern_for_sale,
        comment=comment.strip(),
    )
    assessment.full_clean()
    assessment.save()
    CompetenceScore.objects.bulk_create(
        CompetenceScore(assessment=assessment, competence=c, score=scores[c.code])
        for c in competences
    )
    return assessment


# ---- allocation ---------------------------------------------------------------------------


def _lazy_format(message: str, **params) -> str:
    """`message` (marked with gettext_noop) translated and filled in when it is shown."""
    return lazy(lambda: gettext(message) % params, str)()


# A manager is overloaded above either limit (key account managers are usually dedicated to
# one account; a handful is the most a person can manage well).
MAX_ACCOUNTS_PER_MANAGER = 3
MAX_OPEN_ACTIONS_PER_MANAGER = 15
# Strategic accounts need strategic and financial scores at or above this (scale 1–5).
STRATEGIC_MIN_SKILL = 4
STAR_MIN_STRATEGIC = 3

ALLOCATION_RULES = [
    (
        Classification.STRATEGIC,
        _lazy_format(
            gettext_noop(
                "a problem solver with strategic thinking and financial awareness of at least "
                "%(score)s"
            ),
            score=STRATEGIC_MIN_SKILL,
        ),
    ),
    (
        Classification.STAR,
        _lazy_format(
            gettext_noop(
                "a problem solver or compromiser with strategic thinking of at least %(score)s"
            ),
            score=STAR_MIN_STRATEGIC,
        ),
    ),
    (
        Classification.STATUS,
        gettext_lazy(
            "a steady profile: problem solver, compromiser or customer friend (not a pressure "
            "seller, who strains a loyal relationship, nor an order taker, who stops investing)"
        ),
    ),
    (Classification.STREAMLINE, gettext_lazy("any style: the relationship is transactional")),
]


def manager_fit_problems(*, classification: str, assessment: SkillsAssessment | None) -> list[str]:
    """Why this manager does not suit an account of this class; empty when they fit.

    The rules (Cranfield: problem solvers on strategic-investment accounts, softer profiles on
    proactive maintenance) are listed in ALLOCATION_RULES and shown on the allocation page."""
    if assessment is None:
        return [_("Not assessed yet")]
    style = assessment.selling_style
    style_label = SellingStyle(style).label.lower()
    problems = []
    if classification == Classification.STRATEGIC:
        if style != SellingStyle.PROBLEM_SOLVER:
            problems.append(
                _("Strategic account needs a problem solver, not a %(style)s")
                % {"style": style_label}
            )
        for code, label in (
            (STRATEGIC_THINKING, _("Strategic thinking")),
            (FINANCIAL_AWARENESS, _("Financial awareness")),
        ):
            score = assessment.score_for(code)
            if score is None or score < STRATEGIC_MIN_SKILL:
                problems.append(
                    _("%(label)s %(score)s (needs %(min)s+)")
                    % {"label": label, "score": score or "—", "min": STRATEGIC_MIN_SKILL}
                )
    elif classification == Classification.STAR:
        if style not in (SellingStyle.PROBLEM_SOLVER, SellingStyle.COMPROMISER):
            problems.append(
                _("Star account needs a problem solver or compromiser, not a %(style)s")
                % {"style": style_label}
            )
        score = assessment.score_for(STRATEGIC_THINKING)
        if score is None or score < STAR_MIN_STRATEGIC:
            problems.append(
                _("%(label)s %(score)s (needs %(min)s+)")
                % {
                    "label": _("Strategic thinking"),
                    "score": score or "—",
                    "min": STAR_MIN_STRATEGIC,
                }
            )
    elif classification == Classification.STATUS:
        if style in (SellingStyle.PRESSURE_SELLER, SellingStyle.ORDER_TAKER):
            problems.append(
                _("Status account needs a steady profile, not a %(style)s") % {"style": style_label}
            )
    return problems


def overload_problems(*, account_count: int, open_actions: int) -> list[str]:
    problems = []
    if account_count > MAX_ACCOUNTS_PER_MANAGER:
        problems.append(
            _("Manages %(count)s accounts (over %(max)s)")
            % {"count": account_count, "max": MAX_ACCOUNTS_PER_MANAGER}
        )
    if open_actions > MAX_OPEN_ACTIONS_PER_MANAGER:
        problems.append(
            _("%(count)s open actions (over %(max)s)")
            % {"count": open_actions, "max": MAX_OPEN_ACTIONS_PER_MANAGER}
        )
    return problems


@transaction.atomic
def account_manager_reassign(
    *,
    account: KeyAccount,
    outgoing: Membership,
    new_manager: User,
    reason: str,
    acting_user: User,
) -> AllocationDecision:
    """Hand an account from one manager to another; the director's reason is kept.

    The incoming manager takes over the outgoing manager's time share (checked against the
    100 % limit); if they were already on the team in another role, that entry becomes the
    manager entry. The outgoing manager leaves the team."""
    _lock_team(account, new_manager)
    outgoing = _current_entry(outgoing)
    if outgoing.key_account_id != account.pk or outgoing.role != Role.MANAGER:
        raise ValidationError({"outgoing": _("Choose one of this account's managers.")})
    if new_manager.pk == outgoing.user_id:
        raise ValidationError(
            {
                "new_manager": _("%(user)s already manages %(account)s.")
                % {"user": new_manager, "account": account}
            }
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the decision is kept with its reason.")})
    existing = account.memberships.filter(user=new_manager).first()
    if existing is not None and existing.role == Role.DIRECTOR:
        raise ValidationError(
            {
                "new_manager": _("%(user)s directs %(account)s; a director cannot also manage it.")
                % {"user": new_manager, "account": account}
            }
        )
    if existing is not None and existing.role == Role.MANAGER:
        raise ValidationError(
            {
                "new_manager": _("%(user)s already manages %(account)s.")
                % {"user": new_manager, "account": account}
            }
        )
    share = outgoing.time_share_percent
    try:
        _check_time_share(user=new_manager, percent=share, exclude=existing)
    except ValidationError as error:
        raise ValidationError({"new_manager": error.message_dict["time_share_percent"]}) from None
    previous = outgoing.user
    outgoing.delete()
    if existing is not None:
        existing.role = Role.MANAGER
        existing.time_share_percent = share
        existing.full_clean()
        existing.save(update_fields=["role", "time_share_percent", bump_revision(existing)])
    else:
        Membership(
            user=new_manager, key_account=account, role=Role.MANAGER, time_share_percent=share
        ).save()
    forget_cached_roles(previous)
    forget_cached_roles(new_manager)
    decision = AllocationDecision(
        key_account=account,
        previous_manager=previous,
        new_manager=new_manager,
        reason=reason,
        decided_by=acting_user,
        decided_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.TEAM_CHANGED,
        summary=f"Account manager changed from {previous} to {new_manager}",
        reason=reason,
        acting_user=acting_user,
        old_value=previous.username,
        new_value=new_manager.username,
        link=_team_url(account),
    )
    return decision


# ---- job specifications -------------------------------------------------------------------


@transaction.atomic
def job_specification_update(
    *,
    spec: JobSpecification,
    purpose: str,
    skills: str,
    day_to_day: str,
    long_term: str,
    revision: int | None,
    acting_user: User,
) -> JobSpecification:
    """Save new texts; `revision` is what the editor started from (`EditConflict` if it
    moved on)."""
    spec = lock_for_edit(
        spec,
        revision,
        queryset=JobSpecification.objects.select_related("updated_by"),
        message=_("Someone else saved this job specification while you were editing."),
    )
    spec.purpose, spec.skills = purpose.strip(), skills.strip()
    spec.day_to_day, spec.long_term = day_to_day.strip(), long_term.strip()
    bump_revision(spec)
    spec.updated_by = acting_user
    spec.full_clean()
    spec.save()
    return spec


# ---- mentoring ----------------------------------------------------------------------------


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


@transaction.atomic
def mentoring_step_to_action(*, step: MentoringNextStep, acting_user: User) -> Action:
    """Turn an agreed next step into an action, owned by the manager, on the account's current
    plan. Refused when the account has no current plan or the step already is an action."""
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
    action = Action(
        plan=plan,
        title=step.text,
        owner=session.manager,
        due_on=step.due_on,
        notes=f"Agreed in mentoring on {session.held_on:%d %b %Y}.",
        is_internal=True,
    )
    action.full_clean()
    action.save()
    step.action = action
    step.save(update_fields=["action"])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.ACTION,
        summary=f"Action added for {session.manager}: {step.text}",
        acting_user=acting_user,
    )
    return action
