"""Which manager fits which account (the allocation rules), and reassigning an account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext
from django.utils.translation import gettext as _

from accounts.event_text import EventText
from accounts.models import AccountEvent, Classification, KeyAccount, Membership, Role, User
from accounts.permissions import forget_cached_roles
from accounts.services import account_event_record
from common.conflicts import bump_revision
from common.constraints import refused_as

from ..models import (
    FINANCIAL_AWARENESS,
    STRATEGIC_THINKING,
    AllocationDecision,
    SellingStyle,
    SkillsAssessment,
)
from .teams import _check_time_share, _current_entry, _lock_team, _team_url


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
            ngettext(
                "Manages %(count)s account (over %(max)s)",
                "Manages %(count)s accounts (over %(max)s)",
                account_count,
            )
            % {"count": account_count, "max": MAX_ACCOUNTS_PER_MANAGER}
        )
    if open_actions > MAX_OPEN_ACTIONS_PER_MANAGER:
        problems.append(
            ngettext(
                "%(count)s open action (over %(max)s)",
                "%(count)s open actions (over %(max)s)",
                open_actions,
            )
            % {"count": open_actions, "max": MAX_OPEN_ACTIONS_PER_MANAGER}
        )
    return problems


def _entry_to_manage(account: KeyAccount, new_manager: User) -> Membership | None:
    """`new_manager`'s entry on the team if any, which becomes the manager's; refused when they
    direct or already manage the account."""
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
    return existing


def _joined_meanwhile(account: KeyAccount, new_manager: User) -> dict:
    _entry_to_manage(account, new_manager)
    return {
        "new_manager": _("Someone else changed the %(account)s team meanwhile: look at it again.")
        % {"account": account}
    }


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
    existing = _entry_to_manage(account, new_manager)
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
        entry = Membership(
            user=new_manager, key_account=account, role=Role.MANAGER, time_share_percent=share
        )
        # Someone put them on the team meanwhile (a change that skipped the account's lock):
        # the checks above again, in their words, or "look at it again".
        with refused_as(lambda: _joined_meanwhile(account, new_manager)):
            entry.save()
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
        summary=EventText(
            gettext_noop("Account manager changed from %(previous)s to %(new)s"),
            previous=previous,
            new=new_manager,
        ),
        reason=reason,
        acting_user=acting_user,
        old_value=previous.username,
        new_value=new_manager.username,
        link=_team_url(account),
    )
    return decision
