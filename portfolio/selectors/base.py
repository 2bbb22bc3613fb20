"""Helpers the portfolio topics share: the money field, the dashboard cache, a team member
by role and a target's latest measurement, each as a database expression."""

from __future__ import annotations

import hashlib
import weakref
from datetime import date

from django.conf import settings
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import get_language

from accounts.models import KeyAccount, Membership
from common.cache import cache_get, cache_set, code_digest

MONEY = DecimalField(max_digits=16, decimal_places=2)


def cached(name: str, accounts: QuerySet[KeyAccount], today: date, compute):
    """Dashboard aggregates are kept for PORTFOLIO_CACHE_SECONDS (0: off). The key is the exact
    SQL of the account scope (user, filters, health bucket) and the day, so two people share
    an entry only when they see exactly the same accounts: a director never gets figures of
    accounts outside their scope. Figures may be that many seconds old; the page says so.
    The key holds the code's digest too: figures the code before a deploy computed (another
    shape, another rule) are not served by the code after it."""
    seconds = settings.PORTFOLIO_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    sql, params = scope_key(accounts)
    digest = hashlib.sha256(
        f"{sql}|{params!r}|{today.isoformat()}|{code_digest()}".encode()
    ).hexdigest()
    # The entries hold labels in the language they were computed in.
    key = f"portfolio:{name}:{get_language()}:{digest}"
    # The cache is a speed-up only: when it is down the figures are computed (common.cache).
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value, seconds)
    return value


# How many account scopes (a director's, the executive's, each with its filters) keep their
# statements compiled, per statement (common.compiled.CompiledPerKey): the executive's views
# and a dozen directors' in a process. An entry holds the built query, ~0.6 MB for the ~20
# statements of one scope (bench/README.md, finding 52): ~10 MB a process at most.
SCOPES_KEPT = 16

_SCOPE_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def scope_key(accounts: QuerySet[KeyAccount]) -> tuple[str, tuple]:
    """The account scope's SQL and parameters: what the dashboard's statements and cache
    entries read of it. Worked out once per queryset object (compiling it took ~0.3 ms, and a
    request asks for it a dozen times); a queryset is never changed by the filters applied to
    it, so its SQL stays what it was."""
    found = _SCOPE_KEYS.get(accounts)
    if found is None:
        sql, params = accounts.query.sql_with_params()
        found = _SCOPE_KEYS[accounts] = (sql, tuple(params))
    return found


def person_with_role(role: str, account=None) -> Subquery:
    """The first team member with `role` on the account `account` points at (default: the
    row itself, for a queryset of key accounts), as "First Last"."""
    people = (
        Membership.objects.filter(key_account=account or OuterRef("pk"), role=role)
        .order_by("pk")
        .annotate(full=Concat("user__first_name", Value(" "), "user__last_name"))
        .values("full")[:1]
    )
    return Subquery(people)


def display_labels(choices) -> dict[str, str]:
    """A TextChoices' labels in the active language by value, as get_<field>_display() shows
    them, for code that labels many rows."""
    return {value: str(label) for value, label in choices.choices}
