"""Writes on the core every stage shares. Every domain write goes through a service; Stage 1's
writes (scoring, selection, the programme page) are in strategy.services."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.limits import TEXT_MAX_CHARS

from .event_text import EventText, term
from .models import GLOBAL_ROLE_GROUPS, AccountEvent, KeyAccount, Role, SingleSignOnIdentity
from .permissions import forget_cached_roles
from .signals import director_handed_over, team_member_left

# Where history is written after the fact (the demo data, an import of past events): entries
# recorded inside `events_dated(when)` without a date of their own are dated `when`.
_EVENTS_DATED: ContextVar[datetime | None] = ContextVar("events_dated", default=None)


@contextmanager
def events_dated(when: datetime):
    """Date the timeline entries the services record inside the block at `when` (never later
    than now: the timeline shows no step taken on a day still to come)."""
    token = _EVENTS_DATED.set(min(when, timezone.now()))
    try:
        yield
    finally:
        _EVENTS_DATED.reset(token)


# One INSERT: inside a caller's transaction it needs no savepoint of its own (two round trips
# on every write that records an event).
@transaction.atomic(savepoint=False)
def account_event_record(
    *,
    account: KeyAccount,
    kind: str,
    summary: EventText,
    acting_user=None,
    reason: str | EventText = "",
    old_value: str = "",
    new_value: str = "",
    link: str = "",
    occurred_at: datetime | None = None,
) -> AccountEvent:
    """Add one entry to the account's timeline (used by every stage). `summary` says what
    happened as an `EventText`, so that every reader sees it in their language; `reason` is
    what a person typed, or an `EventText` where the app writes it."""
    return AccountEvent.objects.create(
        **event_fields(summary, reason),
        key_account=account,
        kind=kind,
        old_value=str(old_value)[:60],
        new_value=str(new_value)[:60],
        link=link[:300],
        actor=acting_user,
        occurred_at=occurred_at or _EVENTS_DATED.get() or timezone.now(),
    )


def directors_hand_over(
    *, account: KeyAccount, leaving: Iterable, successor, acting_user, link: str = ""
) -> None:
    """The directors' memberships in `leaving` go: each hands the account over to `successor`
    and leaves the team (an account has exactly one director), on the timeline as a hand-over.
    Inside the caller's transaction, `director_handed_over` lets later stages pass on what the
    leaving director looked after (their stakeholders go to the successor). The one home of a
    hand-over: the team page's and a selection's again with another director."""
    for old in leaving:
        old.delete()
        forget_cached_roles(old.user)
        director_handed_over.send(
            sender=KeyAccount,
            account=account,
            leaving=old.user,
            successor=successor,
            acting_user=acting_user,
        )
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.TEAM_CHANGED,
            summary=EventText(
                gettext_noop("%(user)s handed the account over and left the team"), user=old.user
            ),
            acting_user=acting_user,
            old_value=Role.DIRECTOR,
            link=link,
        )


def team_members_leave(
    *, account: KeyAccount, leaving: Iterable, acting_user, summary: str, link: str = ""
) -> int:
    """The memberships in `leaving` go: each person leaves the team, loses the access it gave
    at once, and is on the timeline (`summary`: a message with %(user)s and %(role)s, `link`
    where the entry points). Inside the caller's transaction, `team_member_left` lets later
    stages release what they looked after; returns what they released (discovery: the
    stakeholders the leavers owned, now without an owner). The one way someone leaves a team:
    taken off it on the team page, or not named when the account is selected again (then a
    former member, whom organisation's team page lists, until someone adds them again)."""
    released = 0
    for old in leaving:
        user, role = old.user, old.role
        old.delete()
        forget_cached_roles(user)
        answers = team_member_left.send(
            sender=KeyAccount, account=account, leaving=user, acting_user=acting_user
        )
        released += sum(answer for _receiver, answer in answers if isinstance(answer, int))
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.TEAM_CHANGED,
            summary=EventText(summary, user=user, role=term(Role(role).label, lower=True)),
            acting_user=acting_user,
            old_value=role,
            link=link,
        )
    return released


def event_fields(summary: EventText, reason: str | EventText = "") -> dict:
    """The entry's stored text: the English, the message and its values, and the reason (also
    for the demo data, which creates entries in bulk)."""
    if not isinstance(summary, EventText):
        raise TypeError("A timeline entry's summary is an EventText, not text of one language.")
    fields = {
        "summary": summary.english(),
        "summary_message": summary.message,
        "summary_args": summary.args,
    }
    if isinstance(reason, EventText):
        fields["reason"] = reason.english(TEXT_MAX_CHARS)
        fields["reason_text"] = reason.stored()
    else:
        fields["reason"] = reason
    return fields


class SignOnRefused(Exception):
    """A single sign-on that must not sign anyone in; the message is for the person."""


_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def _username_for(claims: dict) -> str:
    """A free username from the provider's preferred_username or e-mail, else from the subject."""
    User = get_user_model()
    email = str(claims.get("email") or "")
    wanted = str(claims.get("preferred_username") or email.split("@")[0])
    base = _USERNAME_UNSAFE.sub("", wanted)[:140]
    if not base:
        base = "sso-" + hashlib.sha256(str(claims["sub"]).encode()).hexdigest()[:12]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _group_names(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Iterable):
        return {str(item) for item in value}
    return set()


@transaction.atomic
def sso_sign_on(
    *,
    issuer: str,
    claims: dict,
    groups_claim: str,
    group_roles: dict[str, str],
    create_users: bool,
):
    """The user a verified single sign-on is for (kam/sso.py), their global roles brought in
    line with the provider's groups. Found by (issuer, subject); else an existing user is
    linked by e-mail address only when the provider says it verified that address (an
    unverified address never takes over an account); else created when `create_users`.
    Raises SignOnRefused with the reason for the person."""
    User = get_user_model()
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignOnRefused(_("The sign-in service did not say who you are. Please try again."))
    email = str(claims.get("email") or "").strip()
    verified = claims.get("email_verified") is True
    identity = (
        SingleSignOnIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        user = identity.user
    else:
        same_email = list(User.objects.filter(email__iexact=email)[:2]) if email else []
        if same_email and not verified:
            raise SignOnRefused(
                _(
                    "An account here uses your e-mail address, but your sign-in service has not "
                    "confirmed that the address is yours, so it cannot be linked. Ask a programme "
                    "administrator to link your account."
                )
            )
        if len(same_email) > 1:
            raise SignOnRefused(
                _(
                    "More than one account here uses your e-mail address. Ask a programme "
                    "administrator to link yours."
                )
            )
        if same_email:
            user = same_email[0]
            if user.sso_identities.filter(issuer=issuer).exists():
                raise SignOnRefused(
                    _(
                        "The account with your e-mail address is linked to another sign-in. Ask a "
                        "programme administrator."
                    )
                )
        elif create_users:
            user = User.objects.create_user(_username_for(claims), email=email if verified else "")
        else:
            raise SignOnRefused(
                _("There is no account here for you yet. Ask a programme administrator.")
            )
        identity = SingleSignOnIdentity.objects.create(user=user, issuer=issuer, subject=subject)

    changed = []
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = str(claims.get(claim) or "")[:150]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if (
        verified
        and email
        and user.email != email
        and not User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
    ):
        user.email = email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)

    # The roles the setting names follow the provider; the others stay as the app set them.
    provider_groups = _group_names(claims.get(groups_claim))
    granted = {role for group, role in group_roles.items() if group in provider_groups}
    for role in set(group_roles.values()):
        group, _created = Group.objects.get_or_create(name=GLOBAL_ROLE_GROUPS[role])
        if role in granted:
            user.groups.add(group)
        else:
            user.groups.remove(group)

    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return user


@transaction.atomic
def user_language_set(*, user, language: str, acting_user):
    """A user's chosen language ("" = follow the browser): their pages, their e-mails and the
    PDFs jobs make for them. Only the user sets their own."""
    if acting_user.pk != user.pk:
        raise PermissionError("a user sets their own language")
    language = language or ""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    user.language = language
    user.save(update_fields=["language"])
    return user
