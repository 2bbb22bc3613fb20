"""Planning's background work: the plan PDF drawn ahead after a change (planning.printing)."""

from celery import shared_task

from . import printing


@shared_task(name="planning.plan_pdf_predraw", ignore_result=True)
def plan_pdf_predraw(plan_id: int, token: str) -> int:
    """Draw the plan's working PDF ahead, unless a later change queued its own (token)."""
    return printing.plan_pdf_predraw(plan_id=plan_id, token=token)
