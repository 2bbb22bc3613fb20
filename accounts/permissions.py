"""Who may do what. Every view and queryset in every app asks this module.

The rules are the design's permission table:

| capability          | director | manager | coordinator | team member | executive | others |
|---------------------|----------|---------|-------------|-------------|-----------|--------|
| VIEW account        | yes      | yes     | yes         | yes         | yes       | 404    |
| EDIT (profile, stakeholders, opportunities, plan) | yes | yes | no | no | no   | 404    |
| APPROVE a plan      | yes      | no      | no          | no          | no        | 404    |
| SCHEDULE meetings, edit quotes | yes | yes | yes     | no          | no        | 404    |
| PROGRESS any action | yes      | yes     | yes         | own only    | no        | 404    |

A key account manager never approves the plan of an account they manage, whatever else they
are (`can_approve_plan`). A few capabilities on one account are held by programme admins on
every account, team or not (they look after the programme's data and staffing) and otherwise
by the account's director (`EDIT_TEAM`, `VIEW_HISTORY`, `CHANGE_SELECTION`) or by everyone who
sees the account (`VIEW_TEAM`); see `get_account_for_user`.

Outsiders (no role on the account, not an executive) get 404 so that an account's existence
is not revealed; members lacking a capability get 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from common.compiled import CompiledOnce

from .models import (
    EXECUTIVE_GROUP,
    PROGRAMME_ADMIN_GROUP,
    KeyAccount,
    KeyAccountQuerySet,
    Membership,
    Role,
)

VIEW = "view"
EDIT = "edit"
APPROVE = "approve"
SCHEDULE = "schedule"
PROGRESS = "progress"  # update progress on any action of the account
PROGRESS_OWN = "progress_own"  # update progress on actions one owns
INVITE_CUSTOMER = "invite_customer"  # invite customer stakeholders to the workspace, revoke

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset(
        {VIEW, EDIT, APPROVE, SCHEDULE, PROGRESS, PROGRESS_OWN, INVITE_CUSTOMER}
    ),
    Role.MANAGER: frozenset({VIEW, EDIT, SCHEDULE, PROGRESS, PROGRESS_OWN, INVITE_CUSTOMER}),
    Role.COORDINATOR: frozenset({VIEW, SCHEDULE, PROGRESS, PROGRESS_OWN}),
    Role.TEAM_MEMBER: frozenset({VIEW, PROGRESS_OWN}),
}
EXECUTIVE_CAPABILITIES = frozenset({VIEW})
ALL_CAPABILITIES = frozenset(
    {VIEW, EDIT, APPROVE, SCHEDULE, PROGRESS, PROGRESS_OWN, INVITE_CUSTOMER}
)

# Capabilities programme admins hold on every account (see the module's docstring).
VIEW_TEAM = "view_team"
EDIT_TEAM = "edit_team"
VIEW_HISTORY = "view_history"
CHANGE_SELECTION = "change_selection"  # de-select or re-classify the account


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_kam_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._kam_group_names = cached
    return cached


def _roles(user) -> dict[int, str]:
    """account id -> role, loaded once per user object (one query per request). Unordered: the
    memberships' default order (customer name, role, user name) joined three tables to sort
    rows that only fill a dict."""
    cached = getattr(user, "_kam_roles", None)
    if cached is None:
        rows = Membership.objects.filter(user=user).order_by()
        cached = dict(rows.values_list("key_account_id", "role"))
        user._kam_roles = cached
    return cached


def roles_held(user) -> frozenset[str]:
    """Every role `user` holds on some key account."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(_roles(user).values())


def account_ids_with_role(user, role: str) -> set[int]:
    """The ids of the accounts on which `user` holds `role`."""
    if not user.is_authenticated:
        return set()
    return {account_id for account_id, held in _roles(user).items() if held == role}


def account_ids_with(user, capability: str) -> set[int]:
    """The ids of the accounts on which `user`'s role carries `capability` (their own team
    places, not a programme admin's reach)."""
    if not user.is_authenticated:
        return set()
    return {
        account_id
        for account_id, role in _roles(user).items()
        if capability in ROLE_CAPABILITIES[role]
    }


def _remember_role(user, account_id: int, role: str | None) -> None:
    """The role on one account, read with the account (get_account_for_user), so that a page
    about one account asks for the user's other roles only if it needs them."""
    known = getattr(user, "_kam_role_on", None)
    if known is None:
        known = user._kam_role_on = {}
    known[account_id] = role


def forget_cached_roles(user) -> None:
    """Call after changing a user's memberships or groups within the same request."""
    for attr in ("_kam_roles", "_kam_role_on", "_kam_group_names"):
        if hasattr(user, attr):
            delattr(user, attr)


# ---- global roles -------------------------------------------------------------------------


def is_programme_admin(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or PROGRAMME_ADMIN_GROUP in _group_names(user)
    )


def is_executive(user) -> bool:
    return user.is_authenticated and EXECUTIVE_GROUP in _group_names(user)


def sees_all_accounts(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_executive(user))


def accounts_visible_to(user) -> KeyAccountQuerySet:
    """Accounts `user` may see at all. Everything else is a 404 for them. The rule lives here
    rather than on the model's queryset so that the models never ask the permission module."""
    if not user.is_authenticated:
        return KeyAccount.objects.none()
    if sees_all_accounts(user):
        return KeyAccount.objects.all()
    return KeyAccount.objects.filter(memberships__user=user).distinct()


def is_director(user) -> bool:
    """Directs at least one key account."""
    return Role.DIRECTOR in roles_held(user)


def has_any_role(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or bool(_group_names(user)) or bool(_roles(user))
    )


def can_edit_programme(user) -> bool:
    return is_programme_admin(user)


def can_view_candidates(user) -> bool:
    """The candidate customer list, scores and classification matrix."""
    return is_executive(user) or can_score_customers(user)


def can_score_customers(user) -> bool:
    return is_programme_admin(user) or bool(roles_held(user) & {Role.DIRECTOR, Role.MANAGER})


def can_select_accounts(user) -> bool:
    """Promote a customer to key account, de-select one."""
    return is_programme_admin(user) or is_director(user)


def can_view_portfolio(user) -> bool:
    return sees_all_accounts(user) or is_director(user)


def can_manage_offerings(user) -> bool:
    """Add, edit and archive the offering catalogue (and see its archived entries)."""
    return is_programme_admin(user)


# ---- per-account roles --------------------------------------------------------------------


def role_on(user, account: KeyAccount | int) -> str | None:
    if not user.is_authenticated:
        return None
    account_id = account if isinstance(account, int) else account.pk
    if getattr(user, "_kam_roles", None) is None:
        known = getattr(user, "_kam_role_on", None)
        if known is not None and account_id in known:
            return known[account_id]
    return _roles(user).get(account_id)


def capabilities_on(user, account: KeyAccount | int) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_CAPABILITIES
    role = role_on(user, account)
    if role is not None:
        return ROLE_CAPABILITIES[role]
    if is_executive(user):
        return EXECUTIVE_CAPABILITIES
    return frozenset()


def directs_account(user, account: KeyAccount | int) -> bool:
    return role_on(user, account) == Role.DIRECTOR


def manages_account(user, account: KeyAccount | int) -> bool:
    return role_on(user, account) == Role.MANAGER


def is_on_team(user, account: KeyAccount | int) -> bool:
    """Holds a role on the account (executives read every account but are on no team)."""
    return role_on(user, account) is not None


class _AdminCapability(NamedTuple):
    """A capability programme admins hold on every account. Anyone else needs to see the
    account and pass `allows`; `refusal` is the 403's message."""

    allows: Callable[[Any, KeyAccount | int], bool]
    refusal: str


def _sees_account(user, account: KeyAccount | int) -> bool:
    return True  # seeing the account (checked first) is enough


_ADMIN_CAPABILITIES: dict[str, _AdminCapability] = {
    VIEW_TEAM: _AdminCapability(_sees_account, ""),
    EDIT_TEAM: _AdminCapability(
        directs_account,
        _("Only the account's director or a programme admin changes the team."),
    ),
    VIEW_HISTORY: _AdminCapability(
        directs_account,
        _("Only the account's director or a programme admin sees its history."),
    ),
    CHANGE_SELECTION: _AdminCapability(
        directs_account,
        _("Only the account's director or a programme admin may do this."),
    ),
}


def can(user, capability: str, account: KeyAccount | int) -> bool:
    if capability in _ADMIN_CAPABILITIES:
        rule = _ADMIN_CAPABILITIES[capability]
        # The account's own rule first: a team member who passes it is answered from the roles
        # already read, without the groups query (every account page's tabs ask for VIEW_TEAM).
        return (can(user, VIEW, account) and rule.allows(user, account)) or is_programme_admin(user)
    return capability in capabilities_on(user, account)


def can_update_action(user, account: KeyAccount | int, owner_id: int | None) -> bool:
    caps = capabilities_on(user, account)
    return PROGRESS in caps or (PROGRESS_OWN in caps and owner_id == user.pk)


def can_update_customer_issue(user, account: KeyAccount | int, owner_id: int | None) -> bool:
    """A customer issue (outcomes) is logged and edited by those who edit the account
    (directors, managers); its owner, while on the team, updates it too (status, resolution)."""
    return EDIT in capabilities_on(user, account) or (
        owner_id is not None and owner_id == user.pk and is_on_team(user, account)
    )


def check_customer_issue(user, account: KeyAccount, owner_id: int | None) -> None:
    """404 for those who may not see the account, 403 for members who may not update it."""
    check(user, VIEW, account)
    if not can_update_customer_issue(user, account, owner_id):
        raise PermissionDenied(
            _("Only the account's director or manager, or the issue's owner, updates an issue.")
        )


def can_approve_plan(user, account: KeyAccount | int) -> bool:
    """Directors approve plans; the account's manager never approves their own plan, even as
    a superuser."""
    return can(user, APPROVE, account) and not manages_account(user, account)


DECISIONS_RULE = _(
    "On the accounts you direct: plans submitted for approval, quote "
    "discounts above the programme's limit, quarterly reviews escalated to you (open past their "
    "due date), and class changes or de-selections proposed in a review until the account is "
    "re-classified, de-selected or reviewed again."
)


def decision_account_ids(user) -> set[int]:
    """The accounts whose decisions wait for `user`: those on which their role carries APPROVE
    (directors). Executives and programme admins read or fix an account but do not decide for
    its director, and nobody decides on a plan they manage."""
    if not user.is_authenticated:
        return set()
    return {account_id for account_id, role in _roles(user).items() if role_decides(role)}


def role_decides(role: str) -> bool:
    """Whether a place on an account in `role` makes its holder decide for the account (the
    decision inbox, the directors' digest): APPROVE, and not the plan's own manager."""
    return APPROVE in ROLE_CAPABILITIES[role] and role != Role.MANAGER


def can_view_team(user, account: KeyAccount | int) -> bool:
    return can(user, VIEW_TEAM, account)


def can_edit_team(user, account: KeyAccount | int) -> bool:
    return can(user, EDIT_TEAM, account)


def check(user, capability: str, account: KeyAccount | int, refusal: str = "") -> None:
    """404 for those who may not see the account, 403 for those who see it but lack
    `capability` (with `refusal` as the message, if given)."""
    admin_reached = capability in _ADMIN_CAPABILITIES and is_programme_admin(user)
    if not admin_reached and not can(user, VIEW, account):
        raise Http404("No such key account.")
    if not can(user, capability, account):
        rule = _ADMIN_CAPABILITIES.get(capability)
        raise PermissionDenied(
            refusal
            or (rule and rule.refusal)
            or _("Your role on this account does not allow '%(capability)s'.")
            % {"capability": capability}
        )


def get_account_for_user(user, pk, capability: str = VIEW, *, refusal: str = "") -> KeyAccount:
    """The one way views load an account: 404 if invisible, 403 if the role falls short. The
    user's role on it is read in the same query (unless all their roles are read already):
    a page about one account asks for no other role (bench/README.md, finding 27). The
    statement is compiled once per process (finding 43)."""
    with_role = user.is_authenticated and getattr(user, "_kam_roles", None) is None
    try:
        pk = int(pk)  # as the ORM's `pk=` lookup prepares it; not a number: no such account
    except (ValueError, TypeError):
        raise Http404("No such key account.") from None
    rows = _account_read(with_role)(pk, user.pk) if with_role else _account_read(False)(pk)
    if not rows:
        raise Http404("No such key account.")
    [account] = rows
    if with_role:
        _remember_role(user, account.pk, account.viewer_role)
    check(user, capability, account, refusal)
    return account


@functools.cache
def _account_read(with_role: bool) -> CompiledOnce:
    """get_account_for_user's statement, as `.get(pk=)` on the account with its customer (and
    the user's role on it), compiled once per process: building and compiling its ~50 columns
    was most of the access check's CPU on every page about one account (finding 43)."""

    def build(pk: int, *user_pk: int) -> QuerySet[KeyAccount]:
        rows = KeyAccount.objects.select_related("customer")
        if user_pk:
            role = Membership.objects.filter(user=user_pk[0], key_account=OuterRef("pk"))
            rows = rows.annotate(viewer_role=Subquery(role.order_by().values("role")[:1]))
        return rows.filter(pk=pk).order_by()[:MAX_GET_RESULTS]

    def params(pk: int, *user_pk: int) -> tuple:
        return (*user_pk, pk)

    return CompiledOnce(KeyAccount, build, params)


def account_flags(user, account: KeyAccount) -> dict[str, bool]:
    """Template flags: show a button only when the rule above allows it."""
    caps = capabilities_on(user, account)
    return {
        "can_edit": EDIT in caps,
        "can_approve": APPROVE in caps,
        "can_schedule": SCHEDULE in caps,
        "can_progress": PROGRESS in caps,
    }


def plan_flags(user, account: KeyAccount) -> dict[str, bool]:
    """Template flags for the plan's approval step."""
    return {
        "can_approve_plan": can_approve_plan(user, account),
        "can_return_plan": can(user, APPROVE, account),
        "own_plan": manages_account(user, account),
    }


def may_be_told_about(user, account: KeyAccount | int) -> bool:
    """Workflow notifications (a plan submitted, an action assigned, a discount to approve)
    name the account and link into it: they go only to active people on its team. Executives
    read every account but are not on its team, so they are not told."""
    return user is not None and user.is_active and is_on_team(user, account)


def people_to_tell(*, account_ids, roles=tuple(Role)) -> dict[int, list]:
    """`may_be_told_about` for many accounts at once (the jobs): account id -> the active
    people with one of `roles` on its team. One query."""
    told: dict[int, list] = {}
    for membership in (
        Membership.objects.filter(
            key_account_id__in=account_ids, role__in=roles, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    ):
        told.setdefault(membership.key_account_id, []).append(membership.user)
    return told


# ---- Stage 1: programme, candidates and selection ------------------------------------------
#
# | page or action                                   | who                                     |
# |--------------------------------------------------|-----------------------------------------|
# | programme page, roadmap, criteria (read)         | every logged-in user                    |
# | edit programme, roadmap, criteria, thresholds    | programme admins                        |
# | candidate list, customer page, scores, matrix    | can_view_candidates                     |
# | score a customer                                 | can_score_customers                     |
# | add/edit/import customers                        | programme admins                        |
# | select a customer as key account                 | can_select_accounts                     |
# | de-select or re-classify a key account           | programme admins, or that account's     |
# |                                                  | director                                |
# Pages that are not about one account answer 403; the de-select and re-classify pages are
# about one account and answer 404 to people who cannot see it.


def can_manage_integrations(user) -> bool:
    """Webhook subscriptions and CRM imports/exports: programme-wide data, programme admins."""
    return is_programme_admin(user)


def can_manage_customers(user) -> bool:
    """Add, edit and import candidate customers."""
    return is_programme_admin(user)


def can_change_selection(user, account: KeyAccount) -> bool:
    """De-select or re-classify this key account (views load it with `CHANGE_SELECTION`)."""
    return can(user, CHANGE_SELECTION, account)


def require(allowed: bool, message: str = "") -> None:
    """403 for a logged-in user on a page that is not about one account."""
    if not allowed:
        raise PermissionDenied(message or _("Your role does not allow this."))


def strategy_flags(user) -> dict[str, bool]:
    """Template flags for the Stage 1 pages."""
    return {
        "can_edit_programme": can_edit_programme(user),
        "can_view_candidates": can_view_candidates(user),
        "can_score": can_score_customers(user),
        "can_select": can_select_accounts(user),
        "can_manage_customers": can_manage_customers(user),
        "can_view_programme_history": can_view_programme_history(user),
    }


# ---- audit history (the `audit` app) -------------------------------------------------------
#
# | page or action                                   | who                                     |
# |--------------------------------------------------|-----------------------------------------|
# | an account's change history                      | the account's director, programme admins|
# | restore a deleted item from that history         | the account's director                  |
# | the programme's change history (programme,       | programme admins, executives            |
# | selection criteria, job specifications)          |                                         |
# The account history shows every field of everything ever saved on the account, internal
# notes and deleted text included, and who did it: that is for the person answerable for the
# account (and for programme admins, who look after the programme's data). Other members get
# 403, executives too (they read the account as it is, not its edit log); outsiders get 404.
# The programme history holds only what every logged-in user already reads (the programme
# page, the criteria, the job specifications) plus who changed it and what it was before: it
# is for those who run the programme (programme admins) and those it answers to (executives,
# who already read every account, every candidate and every score).
# Directors, managers and everyone else get 403: it is not about one account, so there is
# nothing to hide with a 404.


def can_view_history(user, account: KeyAccount) -> bool:
    """Views load the account with `VIEW_HISTORY`."""
    return can(user, VIEW_HISTORY, account)


def can_restore_from_history(user, account: KeyAccount) -> bool:
    return user.is_authenticated and (user.is_superuser or directs_account(user, account))


def can_view_programme_history(user) -> bool:
    return is_programme_admin(user) or is_executive(user)


# ---- the customer workspace (the `workspace` app) ------------------------------------------
#
# | page or action                                   | who                                     |
# |--------------------------------------------------|-----------------------------------------|
# | invite a customer stakeholder, list, revoke and  | INVITE_CUSTOMER: the account's director |
# | re-send invitations, hold a review with the      | and manager                             |
# | customer                                         |                                         |
# | satisfaction results of an account               | everyone who sees the account (VIEW)    |
# | the alignment questions                          | programme admins                        |
# | customer proposals of an account (read)          | everyone who sees the account (VIEW)    |
# | accept or decline a customer proposal            | EDIT: who edits opportunities (director |
# |                                                  | and manager); they are the ones told    |
# | the workspace itself                             | the holder of a live personal link      |
# |                                                  | (no login): nobody else, 404            |
# A link holder is nobody in this app (no user, no role): the link binds the browser session to
# one invitation, i.e. one stakeholder of one account. What they may read and do is decided
# here, against that invitation, and every other page answers them 404
# (workspace.middleware). They see the customer version of the last approved plan, the joint
# actions their own stakeholder owns, the meetings that stakeholder attends, their own comments
# and the joint reviews they were asked to answer, and the value opportunities their own
# stakeholder proposed (never another stakeholder's, never another account's).


def can_invite_customer(user, account: KeyAccount | int) -> bool:
    return can(user, INVITE_CUSTOMER, account)


def customer_owns_action(invitation, action) -> bool:
    """A joint action the link holder may tick off: owned by their stakeholder, on the
    account's current plan, not internal and not cancelled."""
    return (
        action.customer_owner_id == invitation.stakeholder_id
        and action.plan.key_account_id == invitation.key_account_id
        and action.plan.is_current
        and not action.is_internal
        and action.status != "cancelled"
    )


def customer_may_answer(invitation, joint_review) -> bool:
    """A joint review the link holder was asked to answer (a participant), on their account."""
    return (
        joint_review.review.plan.key_account_id == invitation.key_account_id
        and joint_review.participants.filter(pk=invitation.stakeholder_id).exists()
    )


# A customer's proposal becomes an opportunity (or is declined) at the hands of those who edit
# the account's opportunities; they are the ones told of a new proposal.
DECIDE_CUSTOMER_PROPOSAL = EDIT


def can_decide_customer_proposal(user, account: KeyAccount | int) -> bool:
    return can(user, DECIDE_CUSTOMER_PROPOSAL, account)


CUSTOMER_PROPOSAL_REFUSAL = _(
    "Only the account's manager or director accepts or declines a customer's proposal."
)


def roles_with(capability: str) -> list[str]:
    """The roles whose place on an account carries `capability` (who to tell about what they
    will decide)."""
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def customer_owns_proposal(invitation, proposal) -> bool:
    """A proposal the link holder reads and may withdraw: their own stakeholder's, on their
    account."""
    return (
        proposal.key_account_id == invitation.key_account_id
        and proposal.stakeholder_id == invitation.stakeholder_id
    )
