from celery import shared_task

from . import services


@shared_task(name="integrations.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: str) -> str:
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "not due"


@shared_task(name="integrations.apply_import", acks_late=True)
def apply_import(run_id: int) -> str:
    from . import crm

    return crm.import_apply_run(run_id=run_id).status
