"""Writes of the `api` app: making, revoking and using personal API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from .models import ApiToken

TOKEN_PREFIX = "kam"  # noqa: S105 (the public start of every token, not a secret)
# How often "last used" is written: a busy integration would otherwise write a row per call.
LAST_USED_EVERY = timedelta(minutes=1)
# A token lives at most this long; a new one is made when it ends.
MAX_LIFETIME_DAYS = 366
LIVE_TOKENS_PER_USER = 20


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """`kam_<prefix>_<secret>` -> (prefix, whole token), or None when it has another shape."""
    parts = raw.split("_", 2)  # the secret may hold "_" too
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], raw


def matches(token: ApiToken, raw: str) -> bool:
    return hmac.compare_digest(token.digest, digest_of(raw))


def expiry_problem(expires_on: date, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if expires_on < today:
        return gettext("The expiry date has passed; pick today or a later day.")
    if expires_on > today + timedelta(days=MAX_LIFETIME_DAYS):
        return ngettext(
            "A token lives at most %(days)s day; pick an earlier expiry date.",
            "A token lives at most %(days)s days; pick an earlier expiry date.",
            MAX_LIFETIME_DAYS,
        ) % {"days": MAX_LIFETIME_DAYS}
    return ""


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str, expires_on: date, secret: str | None = None
) -> NewToken:
    """Make a token for `user`; the returned `secret` is the only time the token is seen.
    `secret` is for the demo data only (a known token for its README example)."""
    problem = expiry_problem(expires_on)
    if problem:
        raise ValidationError({"expires_on": problem})
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if live >= LIVE_TOKENS_PER_USER:
        raise ValidationError(
            gettext(
                "You have %(live)s tokens that are not revoked; revoke one you no longer use first."
            )
            % {"live": live}
        )
    if secret is None:
        prefix = secrets.token_hex(4)
        raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    else:
        raw = secret
        prefix = split_token(raw)[0]
    token = ApiToken(
        user=user, name=name.strip(), scope=scope, prefix=prefix, digest=digest_of(raw),
        expires_on=expires_on,
    )  # fmt: skip
    token.full_clean()
    token.save()
    return NewToken(token=token, secret=raw)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user) -> ApiToken:
    """The token stops working at once. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=acting_user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_used(*, token: ApiToken) -> None:
    """Record that the token was used now (at most once a minute per token)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
