"""Plan health asks the workspace (planning.signals.health_facts_requested) for the customer's
own voice: the satisfaction of the two latest answered joint reviews, and when an invited
customer last opened the workspace. Two queries for any number of accounts."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from discovery.models import Stakeholder
from planning.models import AccountPlan
from planning.services import plan_health_invalidate

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


# What workspace_health_facts reads changed: the account's current plan's stored health and the
# plan page's cached document are stale. Connected in apps.py to post_save and post_delete.


def health_changed_for_invitation(sender, instance, **kwargs) -> None:
    """Invitation: created, revoked, deleted (whether the customer is invited at all)."""
    plan_health_invalidate(
        plans=AccountPlan.objects.filter(key_account_id=instance.key_account_id, is_current=True)
    )


def health_changed_for_response(sender, instance, **kwargs) -> None:
    """ReviewResponse: a joint review's answers (satisfaction, recommendation)."""
    account = Stakeholder.objects.filter(pk=instance.stakeholder_id).values("key_account_id")
    plan_health_invalidate(
        plans=AccountPlan.objects.filter(key_account_id__in=account, is_current=True)
    )


def revoke_links_of_deselected_account(sender, *, account, acting_user=None, **kwargs) -> None:
    """strategy.signals.key_account_deselected: the customer's links stop working."""
    from .services import invitations_revoke_all

    invitations_revoke_all(account=account, acting_user=acting_user)
