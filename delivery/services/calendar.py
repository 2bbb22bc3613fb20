"""Calendar feeds: one secret feed address per user, which they may replace."""

from __future__ import annotations

import secrets

from django.db import transaction

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> CalendarFeed:
    """Replace the secret token: the old URL stops working at once (404)."""
    feed = calendar_feed_get_or_create(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.full_clean()
    feed.save(update_fields=["token", "created_at"])
    return feed
