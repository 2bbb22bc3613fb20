"""Writes of the integrations app: webhook subscriptions, events and their deliveries.

Events: `event_emit(event=..., key=..., data=...)` creates one delivery per active subscription
to that event — exactly once per (subscription, key), held by a unique constraint — and hands
each new one to the `integrations.deliver_webhook` task after the commit (announced with
`signals.deliveries_waiting`, which the tasks module answers). Sending is at least
once: a delivery is claimed (a short lease on `next_attempt_at`) before each attempt, failures
wait `webhooks.backoff_seconds` and are tried again by their task or by the sweep
(`deliveries_send_due`), up to `webhooks.MAX_ATTEMPTS`.

The CRM imports and exports live in crm.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.event_text import EventText
from common.conflicts import bump_revision, lock_for_edit

from . import webhooks
from .models import Event, WebhookDelivery, WebhookSubscription, new_secret
from .signals import deliveries_waiting, delivery_retry_due

SUBSCRIPTION_FIELDS = ("url", "description", "events", "is_active")
# How long an attempt holds its delivery: longer than the request's timeout.
LEASE_SECONDS = webhooks.TIMEOUT_SECONDS * 3


def check_url(url: str) -> None:
    try:
        webhooks.resolve_safe(url)
    except webhooks.UnsafeURL as refusal:
        raise ValidationError({"url": str(refusal)}) from None


@transaction.atomic
def subscription_save(
    *,
    data: dict,
    acting_user,
    subscription: WebhookSubscription | None = None,
    revision: int | None = None,
) -> WebhookSubscription:
    if subscription is None:
        subscription = WebhookSubscription(created_by=acting_user)
    else:
        subscription = lock_for_edit(subscription, revision)
        bump_revision(subscription)
    for name in SUBSCRIPTION_FIELDS:
        if name in data:
            setattr(subscription, name, data[name])
    unknown = set(subscription.events) - set(Event.values)
    if unknown or not subscription.events:
        raise ValidationError({"events": gettext("Choose at least one event from the list.")})
    check_url(subscription.url)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription, acting_user) -> str:
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.secret = new_secret()
    bump_revision(subscription)
    subscription.save(update_fields=["secret", "revision", "updated_at"])
    return subscription.secret


def _hand_over(delivery_ids: list) -> None:
    transaction.on_commit(
        lambda: deliveries_waiting.send(sender=WebhookDelivery, delivery_ids=delivery_ids),
        robust=True,
    )


def event_emit(
    *, event: str, key: str, data: dict, occurred_at: datetime | None = None
) -> list[WebhookDelivery]:
    """Record `event` for every active subscription to it (once per key) and send it after the
    commit. Returns the deliveries created now (none for a key already recorded)."""
    assert event in Event.values, event
    occurred_at = occurred_at or timezone.now()
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(is_active=True) if event in s.events
    ]
    if not subscriptions:
        return []
    key = f"{event}:{key}"[:200]
    with transaction.atomic():
        existing = set(
            WebhookDelivery.objects.filter(
                subscription__in=subscriptions, event_key=key
            ).values_list("subscription_id", flat=True)
        )
        rows = []
        for subscription in subscriptions:
            if subscription.pk in existing:
                continue
            delivery = WebhookDelivery(
                subscription=subscription,
                event=event,
                event_key=key,
                next_attempt_at=timezone.now(),
            )
            delivery.payload = {
                "id": str(delivery.id),
                "event": event,
                "event_key": key,
                "occurred_at": occurred_at.isoformat(),
                "data": data,
            }
            rows.append(delivery)
        # A second emission racing this one: the constraint keeps one row each.
        WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(WebhookDelivery.objects.filter(pk__in=[r.pk for r in rows]))
    _hand_over([d.pk for d in created])
    return created


def _claim(delivery_id, now: datetime) -> bool:
    due = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
        next_attempt_at__lte=now,
    )
    return due.update(next_attempt_at=now + timedelta(seconds=LEASE_SECONDS)) == 1


def delivery_attempt(*, delivery_id, now: datetime | None = None) -> WebhookDelivery | None:
    """Send one delivery if it is due and nobody else is sending it; record the outcome.
    Returns the delivery, or None when it was not due (done, given up, or being sent)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.is_active:
        outcome = webhooks.Outcome(
            ok=False, error=EventText(gettext_noop("The subscription is switched off."))
        )
    else:
        outcome = webhooks.post(
            url=subscription.url,
            secret=subscription.secret,
            delivery_id=str(delivery.pk),
            event=delivery.event,
            payload=delivery.payload,
        )
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code = outcome.status_code
    delivery.last_error = outcome.error.english(500) if outcome.error else ""
    delivery.last_error_text = outcome.error.stored() if outcome.error else {}
    retry_in = None
    if outcome.ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= webhooks.MAX_ATTEMPTS or not subscription.is_active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        retry_in = webhooks.backoff_seconds(delivery.attempts)
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=retry_in)
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "response_code",
            "last_error",
            "last_error_text",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if retry_in is not None:
        delivery_retry_due.send(
            sender=WebhookDelivery, delivery_id=str(delivery.pk), countdown=retry_in
        )
    return delivery


def deliveries_send_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """The sweep: every delivery due now (a retry whose task was lost, a broker that was down)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"delivered": 0, "failed": 0}
    for delivery_id in due:
        delivery = delivery_attempt(delivery_id=delivery_id, now=now)
        if delivery is not None:
            ok = delivery.status == WebhookDelivery.Status.DELIVERED
            counts["delivered" if ok else "failed"] += 1
    return counts


@transaction.atomic
def delivery_resend(*, delivery: WebhookDelivery, acting_user) -> WebhookDelivery:
    """Send a delivery again now (same id, so the receiver can tell it has seen it): a new
    round of attempts."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    _hand_over([delivery.pk])
    return delivery
