"""The periodic jobs by name, each run recorded as a `JobRun` (what the job runs page lists).

Beat calls them through the Celery tasks in tasks.py; `manage.py run_due_jobs` and the job runs
page call `run_due_jobs()` directly, in-process. Every job is idempotent, so whichever way (or
however often) they run, nothing is created twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import timezone

from notifications.services import emails_send_pending
from planning.services import plan_health_record, plan_health_refresh

from . import services
from .models import JobRun

log = logging.getLogger(__name__)

# job -> the service it runs (all take their own "today"/"now" defaults)
JOBS: dict[str, Callable[[], dict]] = {
    JobRun.Job.PLAN_HEALTH: lambda: {"plans": plan_health_refresh(), **plan_health_record()},
    JobRun.Job.OPEN_REVIEWS: lambda: services.reviews_open_for_quarter(),
    JobRun.Job.ESCALATE_REVIEWS: lambda: services.reviews_escalate_overdue(),
    JobRun.Job.DIGESTS: lambda: services.digests_send(),
    JobRun.Job.ANNUAL_REVIEW: lambda: services.annual_review_remind(),
    JobRun.Job.CLEANUP_EXPORTS: lambda: services.exports_cleanup(),
    # The sweep of the notification outbox: e-mails the mail server refused when their
    # notification was written (notifications.services).
    JobRun.Job.SEND_EMAILS: lambda: emails_send_pending(),
}
# The order `run_due_jobs` follows: health first (the dashboard reads it), reviews are opened
# before digests list them, and e-mails still waiting go out last.
DUE_JOBS = list(JOBS)


def run_recorded(job: str, work: Callable[[], dict], *, trigger: str) -> JobRun:
    """Run `work`, recording start, end, counts and outcome. The JobRun row is written
    outside the job's own transactions, so a failure is recorded and the error re-raised
    (for the task's retry)."""
    run = JobRun.objects.create(job=job, trigger=trigger[:40])
    try:
        counts = work()
    except Exception as error:
        JobRun.objects.filter(pk=run.pk).update(
            outcome=JobRun.Outcome.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:4000],
        )
        log.exception("Job %s failed", job)
        raise
    JobRun.objects.filter(pk=run.pk).update(
        outcome=JobRun.Outcome.OK, finished_at=timezone.now(), counts=counts or {}
    )
    run.refresh_from_db()
    return run


def run_job(job: str, *, trigger: str) -> JobRun:
    return run_recorded(job, JOBS[job], trigger=trigger)


def run_due_jobs(*, trigger: str, only: list[str] | None = None) -> list[JobRun]:
    """Run every periodic job now, one after the other. A failing job does not stop the
    others; its failure is recorded on its JobRun."""
    runs = []
    for job in DUE_JOBS:
        if only and job not in only:
            continue
        try:
            runs.append(run_job(job, trigger=trigger))
        except Exception:
            runs.append(JobRun.objects.filter(job=job).order_by("-started_at", "-pk").first())
    return runs
