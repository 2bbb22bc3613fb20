"""Who may do what. Every view and queryset in every app asks this module.

The rules are the design's permission table:

| capability          | director | manager | coordinator | team member | executive | others |
|---------------------|----------|---------|-------------|-------------|-----------|--------|
| VIEW account        | yes      | yes     | yes         | yes         | yes       | 404    |
| EDIT (profile, stakeholders, opportunities, plan) | yes | yes | no | no | no   | 404    |
| APPROVE a plan      | yes      | no      | no          | no          | no        | 404    |
| SCHEDULE meetings, edit quotes | yes | yes | yes     | no          | no        | 404    |
| PROGRESS any action | yes      | yes     | yes         | own only    | no        | 404    |

Outsiders (no role on the account, not an executive) get 404 so that an account's existence
is not revealed; members lacking a capability get 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import EXECUTIVE_GROUP, PROGRAMME_ADMIN_GROUP, KeyAccount, Membership, Role

if TYPE_CHECKING:
    pass

VIEW = "view"
EDIT = "edit"
APPROVE = "approve"
SCHEDULE = "schedule"
PROGRESS = "progress"  # update progress on any action of the account
PROGRESS_OWN = "progress_own"  # update progress on actions one owns

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset({VIEW, EDIT, APPROVE, SCHEDULE, PROGRESS, PROGRESS_OWN}),
    Role.MANAGER: frozenset({VIEW, EDIT, SCHEDULE, PROGRESS, PROGRESS_OWN}),
    Role.COORDINATOR: frozenset({VIEW, SCHEDULE, PROGRESS, PROGRESS_OWN}),
    Role.TEAM_MEMBER: frozenset({VIEW, PROGRESS_OWN}),
}
EXECUTIVE_CAPABILITIES = frozenset({VIEW})
ALL_CAPABILITIES = frozenset({VIEW, EDIT, APPROVE, SCHEDULE, PROGRESS, PROGRESS_OWN})


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_kam_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._kam_group_names = cached
    return cached


def _roles(user) -> dict[int, str]:
    """account id -> role, loaded once per user object (one query per request)."""
    cached = getattr(user, "_kam_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("key_account_id", "role"))
        user._kam_roles = cached
    return cached


def forget_cached_roles(user) -> None:
    """Call after changing a user's memberships or groups within the same request."""
    for attr in ("_kam_roles", "_kam_group_names"):
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


def is_director(user) -> bool:
    """Directs at least one key account."""
    return user.is_authenticated and Role.DIRECTOR in _roles(user).values()


def has_any_role(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or bool(_group_names(user)) or bool(_roles(user))
    )


def can_edit_programme(user) -> bool:
    return is_programme_admin(user)


def can_view_candidates(user) -> bool:
    """The candidate customer list, scores and classification matrix."""
    roles = set(_roles(user).values()) if user.is_authenticated else set()
    return (
        is_programme_admin(user)
        or is_executive(user)
        or bool(roles & {Role.DIRECTOR, Role.MANAGER})
    )


def can_score_customers(user) -> bool:
    roles = set(_roles(user).values()) if user.is_authenticated else set()
    return is_programme_admin(user) or bool(roles & {Role.DIRECTOR, Role.MANAGER})


def can_select_accounts(user) -> bool:
    """Promote a customer to key account, de-select one."""
    return is_programme_admin(user) or is_director(user)


def can_view_portfolio(user) -> bool:
    return sees_all_accounts(user) or is_director(user)


# ---- per-account roles --------------------------------------------------------------------


def role_on(user, account: KeyAccount | int) -> str | None:
    if not user.is_authenticated:
        return None
    account_id = account if isinstance(account, int) else account.pk
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


def can(user, capability: str, account: KeyAccount | int) -> bool:
    return capability in capabilities_on(user, account)


def can_update_action(user, account: KeyAccount | int, owner_id: int | None) -> bool:
    caps = capabilities_on(user, account)
    return PROGRESS in caps or (PROGRESS_OWN in caps and owner_id == user.pk)


def check(user, capability: str, account: KeyAccount | int) -> None:
    """404 for outsiders, 403 for members who lack `capability`."""
    caps = capabilities_on(user, account)
    if VIEW not in caps:
        raise Http404("No such key account.")
    if capability not in caps:
        raise PermissionDenied(f"Your role on this account does not allow '{capability}'.")


def get_account_for_user(user, pk, capability: str = VIEW) -> KeyAccount:
    """The one way views load an account: 404 if invisible, 403 if the role falls short."""
    try:
        account = KeyAccount.objects.select_related("customer").get(pk=pk)
    except (KeyAccount.DoesNotExist, ValueError, TypeError):
        raise Http404("No such key account.") from None
    check(user, capability, account)
    return account


def account_flags(user, account: KeyAccount) -> dict[str, bool]:
    """Template flags: show a button only when the rule above allows it."""
    caps = capabilities_on(user, account)
    return {
        "can_edit": EDIT in caps,
        "can_approve": APPROVE in caps,
        "can_schedule": SCHEDULE in caps,
        "can_progress": PROGRESS in caps,
    }


def may_be_told_about(user, account: KeyAccount | int) -> bool:
    """Workflow notifications (a plan submitted, an action assigned, a discount to approve)
    name the account and link into it: they go only to active people on its team. Executives
    read every account but are not on its team, so they are not told."""
    return user is not None and user.is_active and role_on(user, account) is not None


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


def can_view_programme(user) -> bool:
    return user.is_authenticated


def can_manage_customers(user) -> bool:
    """Add, edit and import candidate customers."""
    return is_programme_admin(user)


def can_change_selection(user, account: KeyAccount) -> bool:
    """De-select or re-classify this key account."""
    return is_programme_admin(user) or (
        can_select_accounts(user) and role_on(user, account) == Role.DIRECTOR
    )


def get_account_for_selection_change(user, pk) -> KeyAccount:
    """Load a key account to de-select or re-classify: programme admins may act on any account;
    others get 404 unless they can see it and 403 unless they are its director."""
    if is_programme_admin(user):
        try:
            return KeyAccount.objects.select_related("customer").get(pk=pk)
        except (KeyAccount.DoesNotExist, ValueError, TypeError):
            raise Http404("No such key account.") from None
    account = get_account_for_user(user, pk, VIEW)
    if not can_change_selection(user, account):
        raise PermissionDenied("Only the account's director or a programme admin may do this.")
    return account


def require(allowed: bool, message: str = "Your role does not allow this.") -> None:
    """403 for a logged-in user on a page that is not about one account."""
    if not allowed:
        raise PermissionDenied(message)


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
    return can_change_selection(user, account)


def can_restore_from_history(user, account: KeyAccount) -> bool:
    return user.is_authenticated and (user.is_superuser or role_on(user, account) == Role.DIRECTOR)


def can_view_programme_history(user) -> bool:
    return is_programme_admin(user) or is_executive(user)


def get_account_for_history(user, pk) -> KeyAccount:
    """Load an account for its history page: 404 unless visible (programme admins see every
    account's history), 403 unless its director or a programme admin."""
    if is_programme_admin(user):
        try:
            return KeyAccount.objects.select_related("customer").get(pk=pk)
        except (KeyAccount.DoesNotExist, ValueError, TypeError):
            raise Http404("No such key account.") from None
    account = get_account_for_user(user, pk, VIEW)
    if not can_view_history(user, account):
        raise PermissionDenied("Only the account's director or a programme admin sees its history.")
    return account
