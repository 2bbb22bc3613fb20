"""Planning's background work: the plan PDF drawn ahead after a change (planning.printing).

printing announces a change with `plan_pdf_changed` (connected when the app is ready), so the
dependency runs one way: the tasks call printing.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver
from kombu.exceptions import OperationalError as BrokerError

from . import printing
from .models import AccountPlan

log = logging.getLogger(__name__)


@shared_task(name="planning.plan_pdf_predraw", ignore_result=True)
def plan_pdf_predraw(plan_id: int, token: str) -> int:
    """Draw the plan's working PDF ahead, unless a later change queued its own (token)."""
    return printing.plan_pdf_predraw(plan_id=plan_id, token=token)


@receiver(
    printing.plan_pdf_changed, sender=AccountPlan, dispatch_uid="planning.queue_plan_pdf_predraw"
)
def queue_plan_pdf_predraw(*, plan_id: int, **_kwargs) -> None:
    token = printing.plan_pdf_predraw_token(plan_id)
    try:
        # No publishing retries: a drawing that cannot be queued is drawn on request instead.
        plan_pdf_predraw.apply_async(
            (plan_id, token), countdown=settings.PLAN_PDF_PREDRAW_SECONDS, retry=False
        )
    except BrokerError as error:
        log.warning("plan %s: PDF not queued to be drawn ahead (%s)", plan_id, error)
