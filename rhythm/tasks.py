"""Celery tasks for the programme rhythm. Beat's schedule is CELERY_BEAT_SCHEDULE in settings.

The services announce a requested export with `signals.export_waiting`; the receiver here
queues its build, so the dependency runs one way (tasks call services). The app connects it
when it is ready.

All tasks: acks_late (global setting, so a killed worker's task is redelivered), idempotent
(database constraints, see services.py), retried with exponential back-off on transient
database errors.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError, InterfaceError, OperationalError
from django.dispatch import receiver

from common.queueing import enqueue

from . import jobs, services
from .models import JobRun, PlanExport
from .signals import export_waiting

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="rhythm.refresh_plan_health", **RETRY)
def refresh_plan_health() -> dict:
    return jobs.run_job(JobRun.Job.PLAN_HEALTH, trigger="beat").counts


@shared_task(name="rhythm.open_quarterly_reviews", **RETRY)
def open_quarterly_reviews() -> dict:
    return jobs.run_job(JobRun.Job.OPEN_REVIEWS, trigger="beat").counts


@shared_task(name="rhythm.escalate_overdue_reviews", **RETRY)
def escalate_overdue_reviews() -> dict:
    return jobs.run_job(JobRun.Job.ESCALATE_REVIEWS, trigger="beat").counts


@shared_task(name="rhythm.escalate_overdue_issues", **RETRY)
def escalate_overdue_issues() -> dict:
    return jobs.run_job(JobRun.Job.ESCALATE_ISSUES, trigger="beat").counts


@shared_task(name="rhythm.expire_quotes", **RETRY)
def expire_quotes() -> dict:
    return jobs.run_job(JobRun.Job.EXPIRE_QUOTES, trigger="beat").counts


@shared_task(name="rhythm.send_digests", **RETRY)
def send_digests() -> dict:
    return jobs.run_job(JobRun.Job.DIGESTS, trigger="beat").counts


@shared_task(name="rhythm.annual_review_reminder", **RETRY)
def annual_review_reminder() -> dict:
    return jobs.run_job(JobRun.Job.ANNUAL_REVIEW, trigger="beat").counts


@shared_task(name="rhythm.cleanup_exports", **RETRY)
def cleanup_exports() -> dict:
    return jobs.run_job(JobRun.Job.CLEANUP_EXPORTS, trigger="beat").counts


@shared_task(name="rhythm.announce_overdue_actions", **RETRY)
def announce_overdue_actions() -> dict:
    return jobs.run_job(JobRun.Job.OVERDUE_ACTIONS, trigger="beat").counts


@shared_task(name="rhythm.send_due_webhooks", **RETRY)
def send_due_webhooks() -> dict:
    return jobs.run_job(JobRun.Job.SEND_WEBHOOKS, trigger="beat").counts


@shared_task(name="rhythm.send_pending_emails", **RETRY)
def send_pending_emails() -> dict:
    return jobs.run_job(JobRun.Job.SEND_EMAILS, trigger="beat").counts


@shared_task(name="rhythm.run_due_jobs", **RETRY)
def run_due_jobs(trigger: str = "page") -> list[dict]:
    return [
        {"job": run.job, "outcome": run.outcome, "counts": run.counts}
        for run in jobs.run_due_jobs(trigger=trigger)
        if run is not None
    ]


@shared_task(name="rhythm.build_plan_export", **RETRY)
def build_plan_export(export_id: str) -> dict:
    run = jobs.run_recorded(
        JobRun.Job.PLAN_EXPORT,
        lambda: _build(export_id),
        trigger="request",
    )
    return run.counts


def _build(export_id: str) -> dict:
    export = services.plan_export_build(export_id=export_id)
    return {"plans": export.total, "done": export.done}


@receiver(export_waiting, sender=PlanExport, dispatch_uid="rhythm.queue_plan_export")
def queue_plan_export(*, export: PlanExport, **_kwargs) -> None:
    """After the commit of the request (services.plan_export_request): queue the build."""
    if not enqueue(build_plan_export, str(export.pk)):
        services.plan_export_not_queued(export=export)


@worker_ready.connect
def _fail_runs_of_dead_workers(**_kwargs) -> None:
    """A worker starting (often: restarted after a crash) marks the runs left "running" by a dead
    process on this host as failed at once, instead of at the next job."""
    try:
        jobs.runs_fail_interrupted()
    except DatabaseError:
        log.warning("Could not check for interrupted job runs", exc_info=True)
