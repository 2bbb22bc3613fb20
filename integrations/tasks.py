"""The integrations' Celery tasks. The services announce the work with signals
(`integrations.signals`); the receivers here queue the tasks, and the tasks call the services,
so the dependency runs one way. The app connects the receivers when it is ready."""

import logging

from celery import shared_task
from django.dispatch import receiver

from common.queueing import enqueue

from . import crm, services
from .models import ImportRun, WebhookDelivery
from .signals import deliveries_waiting, delivery_retry_due, import_waiting

log = logging.getLogger(__name__)


@shared_task(name="integrations.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: str) -> str:
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "not due"


@shared_task(name="integrations.apply_import", acks_late=True)
def apply_import(run_id: int) -> str:
    try:
        return crm.import_apply_run(run_id=run_id).status
    except Exception as error:
        crm.import_failed(run_id=run_id, error=error)
        raise


@receiver(deliveries_waiting, sender=WebhookDelivery, dispatch_uid="integrations.queue_deliveries")
def queue_deliveries(*, delivery_ids: list, **_kwargs) -> None:
    for delivery_id in delivery_ids:
        enqueue(deliver_webhook, str(delivery_id))


@receiver(delivery_retry_due, sender=WebhookDelivery, dispatch_uid="integrations.queue_retry")
def queue_retry(*, delivery_id: str, countdown: int, **_kwargs) -> None:
    try:
        deliver_webhook.apply_async((delivery_id,), countdown=countdown)
    except Exception:  # the sweep sends it when the broker is back
        log.exception("Could not schedule the retry of webhook delivery %s", delivery_id)


@receiver(import_waiting, sender=ImportRun, dispatch_uid="integrations.queue_import")
def queue_import(*, run_id: int, **_kwargs) -> None:
    if not enqueue(apply_import, run_id):
        crm.import_not_queued(run_id=run_id)
