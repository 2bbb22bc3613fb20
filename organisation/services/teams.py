"""Account teams and executive sponsors, under the team rules (see the package's docstring)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.event_text import EventText, term
from accounts.models import EXECUTIVE_GROUP, AccountEvent, KeyAccount, Membership, Role, User
from accounts.permissions import forget_cached_roles
from accounts.services import account_event_record, directors_hand_over, team_members_leave
from common.conflicts import EditConflict, bump_revision, lock_for_edit
from common.constraints import refused_as
from common.locks import lock_rows

from ..models import ExecutiveSponsor

MAX_TIME_SHARE_PERCENT = 100


def _team_url(account: KeyAccount) -> str:
    return reverse("organisation:team", args=[account.pk])


def _member_text(message: str, shared: str, *, user, role: str, function: str, percent: int):
    """The timeline's words for a member's role: `shared` is the message with the member's
    function and time share in brackets, used when either is given."""
    parts = [p for p in (function, f"{percent} %" if percent else "") if p]
    values = {"user": user, "role": term(Role(role).label, lower=True)}
    if parts:
        return EventText(shared, share=", ".join(parts), **values)
    return EventText(message, **values)


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


def _check_not_on_team(*, account: KeyAccount, user: User) -> None:
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


def _refused_meanwhile(
    *, account: KeyAccount, user: User, role: str, membership: Membership | None = None
):
    """Why the database refused a team entry that the checks had let through: a change that did
    not take the account's lock (the admin) got in first. The checks again, on the team as it
    is now, in their own words (raised); a sentence of its own if neither explains it."""
    if membership is None:
        _check_not_on_team(account=account, user=user)
    _directors_to_replace(account=account, membership=membership, role=role, hand_over=False)
    return _("Someone else changed the %(account)s team meanwhile: look at it again.") % {
        "account": account
    }


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
    *, account: KeyAccount, replaced: list[Membership], successor: User, acting_user: User
) -> None:
    # The successor also takes over the relationships the outgoing director owned (the
    # hand-over's signal, discovery.receivers).
    directors_hand_over(
        account=account,
        leaving=replaced,
        successor=successor,
        acting_user=acting_user,
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
    _check_not_on_team(account=account, user=user)
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
    membership.full_clean(validate_constraints=False)  # checked above (and by the database)
    _remove_replaced_directors(
        account=account, replaced=replaced, successor=user, acting_user=acting_user
    )
    with refused_as(lambda: _refused_meanwhile(account=account, user=user, role=role)):
        membership.save()
    forget_cached_roles(user)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.TEAM_CHANGED,
        summary=_member_text(
            gettext_noop("%(user)s joined the team as %(role)s"),
            gettext_noop("%(user)s joined the team as %(role)s (%(share)s)"),
            user=user,
            role=role,
            function=membership.function,
            percent=time_share_percent,
        ),
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
    membership.full_clean(validate_constraints=False)  # checked above (and by the database)
    _remove_replaced_directors(
        account=account, replaced=replaced, successor=membership.user, acting_user=acting_user
    )
    refusal = partial(
        _refused_meanwhile, account=account, user=membership.user, role=role, membership=membership
    )
    with refused_as(refusal):
        membership.save(
            update_fields=["role", "function", "time_share_percent", bump_revision(membership)]
        )
    forget_cached_roles(membership.user)
    if old != (role, membership.function, time_share_percent):
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.TEAM_CHANGED,
            summary=_member_text(
                gettext_noop("%(user)s is now %(role)s"),
                gettext_noop("%(user)s is now %(role)s (%(share)s)"),
                user=membership.user,
                role=role,
                function=membership.function,
                percent=time_share_percent,
            ),
            acting_user=acting_user,
            old_value=old[0],
            new_value=role,
            link=_team_url(account),
        )
    return membership


@transaction.atomic
def team_member_remove(*, membership: Membership, acting_user: User) -> int:
    """Take someone off the account team (never its director or its last manager). Taking
    off someone who already left (a second click) changes nothing. The stakeholders they
    owned are left without an owner; returns how many."""
    _lock_team(membership.key_account)
    membership = (
        Membership.objects.select_related("user", "key_account").filter(pk=membership.pk).first()
    )
    if membership is None:
        return 0
    try:
        _check_keeps_leaders(membership=membership, leaving_role=True)
    except ValidationError as error:
        raise ValidationError(error.message_dict["role"]) from None
    return team_members_leave(
        account=membership.key_account,
        leaving=[membership],
        acting_user=acting_user,
        summary=gettext_noop("%(user)s left the team (%(role)s)"),
        link=_team_url(membership.key_account),
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
                summary=EventText(
                    gettext_noop("%(user)s is no longer executive sponsor"), user=current.user
                ),
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
        summary=EventText(
            gettext_noop("%(user)s is now executive sponsor (was %(previous)s)")
            if previous
            else gettext_noop("%(user)s is now executive sponsor"),
            user=user,
            **({"previous": previous} if previous else {}),
        ),
        acting_user=acting_user,
        link=_team_url(account),
    )
    return sponsor
