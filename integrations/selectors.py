"""Reads of the integrations pages (programme admins only: the views check it first)."""

from django.db.models import Count, Max, Q

from .models import ImportRun, WebhookDelivery, WebhookSubscription


def subscriptions():
    return WebhookSubscription.objects.annotate(
        delivered=Count(
            "deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.DELIVERED)
        ),
        failing=Count(
            "deliveries",
            filter=Q(
                deliveries__status__in=[
                    WebhookDelivery.Status.FAILED,
                    WebhookDelivery.Status.RETRYING,
                ]
            ),
        ),
        last_event_at=Max("deliveries__created_at"),
    ).order_by("url", "pk")


def deliveries_of(subscription):
    return subscription.deliveries.order_by("-created_at", "pk")


def recent_imports(limit: int = 20):
    return (
        ImportRun.objects.select_related("created_by")
        .defer("rows", "line_numbers", "preview", "result")
        .order_by("-created_at", "-pk")[:limit]
    )
