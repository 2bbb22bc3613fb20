"""Demo data for webhooks: one subscription to a receiver on this machine and its delivery log.

The receiver address is local (`DEMO_RECEIVER_URL`, started with
`python manage.py webhook_receiver`), so it is seeded only where local receivers are allowed
(`KAM_WEBHOOKS_ALLOW_PRIVATE`, on by default with DEBUG). Idempotent: the subscription is found
by its URL, each logged delivery by its event key.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Event, WebhookDelivery, WebhookSubscription

DEMO_RECEIVER_URL = "http://127.0.0.1:8099/kam-webhooks"


def _account_data(account) -> dict:
    return {
        "id": account.pk,
        "name": account.customer.name,
        "classification": account.classification,
        "status": account.status,
    }


def seed(ctx) -> None:
    if not settings.KAM_WEBHOOKS_ALLOW_PRIVATE:
        ctx.say("Webhooks: no demo subscription (KAM_WEBHOOKS_ALLOW_PRIVATE is off).")
        return
    subscription, _ = WebhookSubscription.objects.get_or_create(
        url=DEMO_RECEIVER_URL,
        defaults={
            "description": "Demo receiver on this machine (manage.py webhook_receiver)",
            "events": list(Event.values),
            "created_by": ctx.users.get("progadmin"),
        },
    )
    accounts = ctx.accounts[:3]
    if not accounts:
        return
    now = timezone.now()
    entries = [
        # (event, key, status, attempts, response code, error, age)
        (Event.ACCOUNT_SELECTED, "demo:selected", "delivered", 1, 200, "", timedelta(days=6)),
        (Event.PLAN_SUBMITTED, "demo:submitted", "delivered", 2, 200, "", timedelta(days=3)),
        (
            Event.PLAN_APPROVED,
            "demo:approved",
            "failed",
            6,
            503,
            "The receiver answered HTTP 503.",
            timedelta(days=2),
        ),
        (
            Event.OPPORTUNITY_DECIDED,
            "demo:decided",
            "retrying",
            1,
            None,
            "ConnectionError: the receiver did not answer (is manage.py webhook_receiver running?)",
            timedelta(hours=1),
        ),
    ]
    for index, (event, key, status, attempts, code, error, age) in enumerate(entries):
        account = accounts[index % len(accounts)]
        when = now - age
        delivery, created = WebhookDelivery.objects.get_or_create(
            subscription=subscription,
            event_key=f"{event}:{key}",
            defaults={
                "event": event,
                "payload": {},
                "status": status,
                "attempts": attempts,
                "response_code": code,
                "last_error": error,
                "last_attempt_at": when,
                "delivered_at": when if status == "delivered" else None,
                "next_attempt_at": when + timedelta(hours=1) if status == "retrying" else None,
            },
        )
        if created:
            delivery.payload = {
                "id": str(delivery.pk),
                "event": str(event),
                "event_key": delivery.event_key,
                "occurred_at": when.isoformat(),
                "data": {"account": _account_data(account)},
            }
            delivery.save(update_fields=["payload"])
            WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=when)
    ctx.say(f"Webhooks: demo subscription to {DEMO_RECEIVER_URL} with its delivery log.")
