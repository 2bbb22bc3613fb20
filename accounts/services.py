"""Writes on the core every stage shares. Every domain write goes through a service; Stage 1's
writes (scoring, selection, the programme page) are in strategy.services."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import AccountEvent, KeyAccount


# One INSERT: inside a caller's transaction it needs no savepoint of its own (two round trips
# on every write that records an event).
@transaction.atomic(savepoint=False)
def account_event_record(
    *,
    account: KeyAccount,
    kind: str,
    summary: str,
    acting_user=None,
    reason: str = "",
    old_value: str = "",
    new_value: str = "",
    link: str = "",
    occurred_at: datetime | None = None,
) -> AccountEvent:
    """Add one entry to the account's timeline (used by every stage)."""
    return AccountEvent.objects.create(
        key_account=account,
        kind=kind,
        summary=summary[:300],
        reason=reason,
        old_value=str(old_value)[:60],
        new_value=str(new_value)[:60],
        link=link[:300],
        actor=acting_user,
        occurred_at=occurred_at or timezone.now(),
    )
