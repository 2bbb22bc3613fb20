"""Plan health asks the workspace (planning.signals.health_facts_requested) for the customer's
own voice: the satisfaction of the two latest answered joint reviews, and when an invited
customer last opened the workspace. Two queries for any number of accounts."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from .models import Invitation
from .selectors import reviews_by_account


def workspace_health_facts(sender, *, account_ids, today, **kwargs) -> dict[int, dict]:
    facts: dict[int, dict] = {}
    for account_id, rows in reviews_by_account(account_ids=account_ids).items():
        latest = rows[-1]
        previous = rows[-2] if len(rows) > 1 else None
        facts[account_id] = {
            "satisfaction_latest": latest.average,
            "satisfaction_previous": previous.average if previous else None,
            "recommend_latest": latest.recommend,
            "recommend_previous": previous.recommend if previous else None,
        }
    now = timezone.now()
    for row in (
        Invitation.objects.filter(
            key_account_id__in=account_ids, revoked_at__isnull=True, expires_at__gt=now
        )
        .values("key_account_id")
        .annotate(last=Max("last_visit_at"))
        .order_by()
    ):
        last = row["last"]
        facts.setdefault(row["key_account_id"], {}).update(
            workspace_invited=True,
            workspace_idle_days=None if last is None else (today - timezone.localdate(last)).days,
        )
    return facts
