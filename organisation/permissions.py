"""Who may do what with the programme's organisation. Builds on `accounts.permissions`.

* Account team — read: anyone who can VIEW the account, and programme admins (others 404);
  change: the account's director and programme admins (other members 403).
* Manager profile — read: the manager, their directors, programme admins, executives;
  assess: their directors only (other readers 403); everyone else 404.
* Allocation advice — directors (their own accounts) and programme admins (all); others 403.
  Reassigning an account's manager: its director or a programme admin.
* Job specifications — every logged-in user reads; programme admins edit (others 403).
* Mentoring session — read: the director who wrote it, the manager it concerns, programme
  admins; write: that director (other readers 403); everyone else 404.
* Programme handbook — every user with any role (`has_any_role`); others 403.

A manager's "directors" are the users who direct at least one account that manager manages.
Programme admins run the programme's staffing, so they see and change every account's team and
allocation even without a role on the account (they still get 404 on the account's own pages).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import permissions as account_permissions
from accounts.models import KeyAccount, Membership, Role, User

from .models import MentoringSession

# ---- account teams ------------------------------------------------------------------------
#
# Who opens and changes an account's team is decided in `accounts.permissions`
# (`VIEW_TEAM`, `EDIT_TEAM`, `can_edit_team`); views load the account with
# `get_account_for_user(user, pk, EDIT_TEAM)`.


def team_flags(user, account: KeyAccount) -> dict[str, bool]:
    return {"can_edit_team": account_permissions.can_edit_team(user, account)}


# ---- allocation ---------------------------------------------------------------------------


def can_view_allocation(user) -> bool:
    return account_permissions.is_programme_admin(user) or account_permissions.is_director(user)


def check_allocation(user) -> None:
    if not can_view_allocation(user):
        raise PermissionDenied(_("Allocation advice is for key account directors."))


def get_allocation_account_for_user(user, pk) -> KeyAccount:
    """An account whose manager `user` may reassign: its director, or a programme admin."""
    return account_permissions.get_account_for_user(
        user,
        pk,
        account_permissions.EDIT_TEAM,
        refusal=_("Only the account's director reassigns its manager."),
    )


# ---- managers -----------------------------------------------------------------------------


def is_manager(user: User) -> bool:
    return Membership.objects.filter(user=user, role=Role.MANAGER).exists()


def directs_manager(director, manager: User) -> bool:
    """True when `director` directs at least one account that `manager` manages."""
    account_ids = account_permissions.account_ids_with_role(director, Role.DIRECTOR)
    if not account_ids or director.pk == manager.pk:
        return False
    return Membership.objects.filter(
        user=manager, role=Role.MANAGER, key_account_id__in=account_ids
    ).exists()


def can_view_manager(user, manager: User) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.pk == manager.pk
        or account_permissions.is_programme_admin(user)
        or account_permissions.is_executive(user)
        or directs_manager(user, manager)
    )


def get_manager_for_user(user, manager_id, *, assess: bool = False) -> User:
    """A key account manager's profile: 404 unless `user` may read it; 403 when `assess` is
    asked for by a reader who is not one of the manager's directors."""
    try:
        manager = User.objects.get(pk=manager_id, is_active=True)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such key account manager.")) from None
    if not is_manager(manager) or not can_view_manager(user, manager):
        raise Http404(_("No such key account manager."))
    if assess and not directs_manager(user, manager):
        raise PermissionDenied(_("Only the manager's own directors assess their skills."))
    return manager


def manager_flags(user, manager: User) -> dict[str, bool]:
    return {"can_assess": directs_manager(user, manager)}


# ---- job specifications -------------------------------------------------------------------


def can_edit_job_specs(user) -> bool:
    return account_permissions.is_programme_admin(user)


def check_edit_job_specs(user) -> None:
    if not can_edit_job_specs(user):
        raise PermissionDenied(_("Only programme admins edit job specifications."))


# ---- mentoring ----------------------------------------------------------------------------


def can_write_mentoring(user) -> bool:
    return account_permissions.is_director(user)


def check_write_mentoring(user) -> None:
    if not can_write_mentoring(user):
        raise PermissionDenied(_("Directors log mentoring sessions with their managers."))


def can_view_all_mentoring(user) -> bool:
    return account_permissions.is_programme_admin(user)


def get_mentoring_session_for_user(user, pk, *, write: bool = False) -> MentoringSession:
    """404 unless `user` wrote the session, is its manager or is a programme admin;
    403 when `write` is asked for by anyone but the director who wrote it."""
    try:
        session = MentoringSession.objects.select_related(
            "director", "manager", "key_account__customer"
        ).get(pk=pk)
    except (MentoringSession.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such mentoring session.")) from None
    readers = {session.director_id, session.manager_id}
    if user.pk not in readers and not can_view_all_mentoring(user):
        raise Http404(_("No such mentoring session."))
    if write and user.pk != session.director_id:
        raise PermissionDenied(_("Only the director who held the session changes it."))
    return session


# ---- handbook -----------------------------------------------------------------------------


def can_read_handbook(user) -> bool:
    return account_permissions.has_any_role(user)


def check_read_handbook(user) -> None:
    if not can_read_handbook(user):
        raise PermissionDenied(_("The programme handbook is for people in the programme."))


def index_flags(user) -> dict[str, bool]:
    return {
        "can_view_allocation": can_view_allocation(user),
        "can_write_mentoring": can_write_mentoring(user),
        "can_read_handbook": can_read_handbook(user),
        "can_edit_job_specs": can_edit_job_specs(user),
    }
