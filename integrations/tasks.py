from celery import shared_task

from . import services


@shared_task(name="integrations.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: str) -> str:
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "not due"


@shared_task(name="integrations.apply_import", acks_late=True)
def apply_import(run_id: int) -> str:
    from . import crm
    from .models import ImportRun

    try:
        return crm.import_apply_run(run_id=run_id).status
    except Exception as error:
        # Nothing was written (one transaction); the page says so instead of "being applied".
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED, error=f"The import stopped: {error}"[:2000]
        )
        raise
