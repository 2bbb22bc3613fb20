"""The periodic jobs by name, each run recorded as a `JobRun` (what the job runs page lists).

Beat calls them through the Celery tasks in tasks.py; `manage.py run_due_jobs` and the job runs
page call `run_due_jobs()` directly, in-process. Every job is idempotent, so whichever way (or
however often) they run, nothing is created twice.

A worker killed mid-run leaves its run "running" with no end. Each run records its Celery task
id and its process; `runs_fail_interrupted` (called when any job starts, and when a worker
starts) marks as failed the runs that cannot still be running: the same task delivered again,
a process on this host that is gone, or a run older than the visibility timeout.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

from celery import current_task
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.event_text import EventText
from delivery.services.expiry import quotes_expire_lapsed
from integrations.receivers import overdue_actions_announce
from integrations.services import deliveries_send_due
from notifications.services import emails_send_pending
from outcomes.services import customer_issues_escalate_overdue
from planning.services import plan_health_record, plan_health_refresh

from . import services
from .models import JobRun

log = logging.getLogger(__name__)


# job -> the service it runs (all take their own "today"/"now" defaults)
def then_send_waiting(work: Callable[[], dict]) -> Callable[[], dict]:
    """A job that writes e-mails hands each batch's e-mails to a task after its commit. A worker
    killed between a commit and that hand-over (or a broker that was down) leaves e-mails
    pending that no task will send: the job (and so its redelivered task) ends by sending every
    pending e-mail not tried yet. E-mails the mail server refused wait for the hourly sweep."""

    def run() -> dict:
        counts = work()
        counts["emails_sent"] = emails_send_pending(untried_only=True)["sent"]
        return counts

    return run


JOBS: dict[str, Callable[[], dict]] = {
    JobRun.Job.PLAN_HEALTH: lambda: {"plans": plan_health_refresh(), **plan_health_record()},
    JobRun.Job.OPEN_REVIEWS: then_send_waiting(lambda: services.reviews_open_for_quarter()),
    JobRun.Job.ESCALATE_REVIEWS: then_send_waiting(lambda: services.reviews_escalate_overdue()),
    JobRun.Job.ESCALATE_ISSUES: then_send_waiting(lambda: customer_issues_escalate_overdue()),
    # Sent quotes whose validity has ended (delivery.services.expiry).
    JobRun.Job.EXPIRE_QUOTES: then_send_waiting(lambda: quotes_expire_lapsed()),
    JobRun.Job.DIGESTS: then_send_waiting(lambda: services.digests_send()),
    JobRun.Job.ANNUAL_REVIEW: then_send_waiting(lambda: services.annual_review_remind()),
    JobRun.Job.CLEANUP_EXPORTS: lambda: services.exports_cleanup(),
    # The sweep of the notification outbox: e-mails the mail server refused when their
    # notification was written (notifications.services).
    JobRun.Job.SEND_EMAILS: lambda: emails_send_pending(),
    # Webhooks (integrations): actions that became overdue are announced once each, then every
    # delivery due (a retry whose task was lost, or the embedded default's retries) is sent.
    JobRun.Job.OVERDUE_ACTIONS: lambda: {"announced": overdue_actions_announce()},
    JobRun.Job.SEND_WEBHOOKS: lambda: deliveries_send_due(),
}
# The order `run_due_jobs` follows: health first (the dashboard reads it), reviews are opened
# before digests list them, and e-mails still waiting go out last.
DUE_JOBS = list(JOBS)


def this_process() -> str:
    """ "host:pid:start": the process start time (Linux) tells a dead process from a new one
    that got the same pid, as happens when a container restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}"[:200]


def _start_time(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # Field 22 (starttime); the command name (field 2) may hold spaces, so count from its end.
    return stat.rsplit(")", 1)[-1].split()[19]


def _process_gone(worker: str) -> bool:
    """The recorded process ran on this host and is not running any more."""
    host, _, rest = worker.partition(":")
    pid, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process: only the time limit tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return bool(start) and _start_time(int(pid)) not in ("", start)


REDELIVERED = gettext_noop("its task was delivered again, so the worker running it had died")


def interrupted(why: EventText) -> EventText:
    """What the job runs page says of a run whose worker died (in the reader's language)."""
    return EventText(
        gettext_noop(
            "Interrupted: %(why)s (killed, out of memory or restarted). Work committed "
            "before the crash is kept; the rest is done by the next run."
        ),
        why=why,
    )


def runs_fail_interrupted(*, task_id: str = "", now=None) -> int:
    """Mark as failed the runs still recorded as running that cannot be: their task has been
    delivered again (`task_id`, the task starting now), their process on this host is gone, or
    they started longer ago than the visibility timeout. Returns how many."""
    now = now or timezone.now()
    marked = 0
    for run in JobRun.objects.filter(outcome=JobRun.Outcome.RUNNING).order_by("pk"):
        if task_id and run.task_id == task_id:
            why = EventText(REDELIVERED)
        elif _process_gone(run.worker):
            why = EventText(
                gettext_noop("its worker process (%(worker)s) is gone"), worker=run.worker
            )
        elif run.looks_interrupted(now):
            why = EventText(gettext_noop("it was still running after the time limit"))
        else:
            continue
        text = interrupted(why)
        marked += JobRun.objects.filter(pk=run.pk, outcome=JobRun.Outcome.RUNNING).update(
            outcome=JobRun.Outcome.FAILED,
            finished_at=now,
            error=text.english(max_chars=10**6),
            error_text=text.stored(),
        )
    return marked


def _current_task_id() -> str:
    # `current_task` is a proxy: false when no task is running.
    if not current_task or current_task.request.called_directly:
        return ""
    return (current_task.request.id or "")[:50]


def run_recorded(job: str, work: Callable[[], dict], *, trigger: str) -> JobRun:
    """Run `work`, recording start, end, counts and outcome. The JobRun row is written
    outside the job's own transactions, so a failure is recorded and the error re-raised
    (for the task's retry)."""
    task_id = _current_task_id()
    runs_fail_interrupted(task_id=task_id)
    run = JobRun.objects.create(
        job=job, trigger=trigger[:40], task_id=task_id, worker=this_process()
    )
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
