"""Reads that already know the user. Lists start here, never from `.objects.all()`."""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from common.dates import wall_clock

from .models import KeyAccount, Membership, Role
from .permissions import accounts_visible_to


def key_accounts_visible_to(*, user, include_deselected: bool = False) -> QuerySet[KeyAccount]:
    qs = accounts_visible_to(user)
    if not include_deselected:
        qs = qs.active()
    return qs.select_related("customer").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(role__in=[Role.DIRECTOR, Role.MANAGER])
            .select_related("user")
            .order_by("role"),
            to_attr="leaders",
        )
    )


def key_accounts_with_role(*, user, role: str) -> QuerySet[KeyAccount]:
    """Active accounts on which `user` holds `role` (e.g. a director's portfolio)."""
    return key_accounts_visible_to(user=user).filter(memberships__user=user, memberships__role=role)


def account_team(*, account: KeyAccount) -> QuerySet[Membership]:
    return account.memberships.select_related("user").order_by("role", "user__first_name")


def team_with_role(*, account: KeyAccount, role: str) -> list:
    """The users who hold `role` on the account (e.g. its directors), by name."""
    return [
        membership.user
        for membership in account_team(account=account).filter(role=role, user__is_active=True)
    ]


def class_counts(*, accounts: QuerySet[KeyAccount]) -> dict[str, int]:
    rows = accounts.order_by().values("classification").annotate(n=Count("pk"))
    return {row["classification"]: row["n"] for row in rows}


def team_user_ids(*, account: KeyAccount) -> set[int]:
    return set(account.memberships.values_list("user_id", flat=True))


def user_time_zone(user) -> ZoneInfo:
    """The user's own time zone (the programme's when theirs is unknown)."""
    try:
        return ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def reader_zone_differs(user) -> bool:
    """Whether `user` reads times in another zone than the programme's: then the pages name
    it beside the times they convert (a reader in Auckland should not take them for London's)."""
    return user_time_zone(user).key != settings.TIME_ZONE


def reader_time(value: datetime, user) -> datetime:
    """A recorded moment (a timeline event, a change in the history) as `user`'s clock read it,
    kept in their zone when a template formats it (common.dates.wall_clock)."""
    return wall_clock(value, user_time_zone(user))


def reader_language(*, chosen: str, browser: str) -> str:
    """The one rule for the language someone reads when they are not the one asking: the
    language they chose, else the one their browser last asked for, else the site's
    (LANGUAGE_CODE); a code the site no longer offers counts as none."""
    available = dict(settings.LANGUAGES)
    for language in (chosen, browser):
        if language and language in available:
            return language
    return settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    """A language as a person picks it: named in itself ("Français"), as settings.LANGUAGES
    lists it."""
    return dict(settings.LANGUAGES).get(code, code)


def user_language(user) -> str:
    """The language to write to `user` in when they are not the one asking (their e-mails, a
    PDF made for them by a job, their calendar feed): the one they chose, else the one their
    browser last asked for (remembered by kam.middleware.UserLanguageMiddleware), else the
    site's. Their own pages follow their browser when they chose none."""
    return reader_language(
        chosen=getattr(user, "language", "") or "",
        browser=getattr(user, "browser_language", "") or "",
    )


def account_team_languages(*, account_id: int) -> list[str]:
    """The languages the account's active team members read in, each one's by `user_language`'s
    rule (chosen, else their browser's last, else the site's)."""
    pairs = (
        Membership.objects.filter(key_account_id=account_id, user__is_active=True)
        .values_list("user__language", "user__browser_language")
        .distinct()
    )
    return sorted({reader_language(chosen=chosen, browser=browser) for chosen, browser in pairs})


def user_today(user, now: datetime | None = None) -> date:
    """The date it is for `user` in their own time zone: what "today", "overdue" and "due
    this week" mean on their pages and in their digest."""
    return timezone.localtime(now or timezone.now(), user_time_zone(user)).date()
