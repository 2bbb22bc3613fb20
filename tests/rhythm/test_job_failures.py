"""Jobs and e-mail when things break: a broker that is down, runs whose worker died, e-mails
that wait or were given up (what /jobs/ shows). The kills of a real worker are in
test_worker_crash.py."""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kam.celery import app as celery_app
from notifications import services as notifications
from notifications.models import Notification
from rhythm import jobs, services
from rhythm.models import JobRun, PlanExport

from ..conftest import ROOT, forget_result_backend
from ..html_checks import page_problems


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@pytest.fixture
def broker_down():
    """Celery pointed at a closed port, as when Redis is down; back to in-process after."""
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.update(
        broker_url=f"redis://127.0.0.1:{_closed_port()}/0", task_always_eager=False
    )
    forget_result_backend()

    def restore():
        celery_app.conf.update(broker_url=saved[0], task_always_eager=saved[1])
        forget_result_backend()

    yield restore
    restore()


def _text(response) -> str:
    return " ".join(response.content.decode().split())


# ---- the broker is down -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_new_export_with_the_broker_down_answers_at_once_and_blocks_nothing(
    client_for, people, plan, broker_down
):
    client = client_for(people.director)
    started = time.monotonic()
    response = client.post(reverse("rhythm:export_create"), follow=True)
    assert time.monotonic() - started < 8  # was 19 s, then a 500
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("rhythm:exports")
    assert (
        "The export could not be started: the job queue (Redis) did not answer. Nothing is left "
        "waiting; ask again in a few minutes" in _text(response)
    )
    failed = PlanExport.objects.get()
    assert failed.status == "failed" and failed.finished_at is not None
    # The broker is back: the next request makes a new export (the failed one blocks nothing).
    broker_down()
    response = client.post(reverse("rhythm:export_create"))
    assert PlanExport.objects.count() == 2
    assert PlanExport.objects.exclude(pk=failed.pk).get().status == "ready"


@pytest.mark.django_db(transaction=True)
def test_run_the_due_jobs_now_with_the_broker_down_says_nothing_was_started(
    client_for, people, broker_down
):
    started = time.monotonic()
    response = client_for(people.programme_admin).post(
        reverse("rhythm:job_runs_start"), follow=True
    )
    assert time.monotonic() - started < 8
    assert response.status_code == 200
    assert (
        "The jobs were not started: the job queue (Redis) did not answer, so nothing was "
        "queued." in _text(response)
    )
    assert not JobRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_notification_written_with_the_broker_down_keeps_its_email_for_the_sweep(
    people, broker_down, mailoutbox
):
    notifications.notify(user=people.manager, text="Plan submitted", link="/")
    row = Notification.objects.get()
    assert (row.email_status, row.email_attempts) == ("pending", 0)
    broker_down()
    assert jobs.run_job(JobRun.Job.SEND_EMAILS, trigger="test").counts["sent"] == 1
    assert [m.to for m in mailoutbox] == [[people.manager.email]]


def test_the_visibility_timeout_follows_the_time_limit_and_may_not_be_shorter():
    def settings_with(**env):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DATABASE"))}
        return subprocess.run(  # noqa: S603 - fixed argument list
            [
                sys.executable,
                "-c",
                "from kam import settings as s; "
                "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])",
            ],
            cwd=ROOT,
            env={**clean, **env},
            capture_output=True,
            text=True,
            check=False,
        )

    assert settings_with(CELERY_TASK_TIME_LIMIT="600").stdout.strip() == "660"
    refused = settings_with(CELERY_TASK_TIME_LIMIT="600", CELERY_VISIBILITY_TIMEOUT="300")
    assert refused.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT (300) must be longer than" in refused.stderr


# ---- runs whose worker died ---------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    proc.wait()
    return proc.pid


def test_runs_whose_worker_died_are_marked_failed_and_live_ones_are_not(db):
    host = socket.gethostname()
    now = timezone.now()
    redelivered = JobRun.objects.create(job="digests", task_id="task-1", worker="elsewhere:1:1")
    gone = JobRun.objects.create(job="open_reviews", worker=f"{host}:{_dead_pid()}:1")
    # A restarted container gives the new process the dead one's pid: the start time differs.
    reused = JobRun.objects.create(job="plan_health", worker=f"{host}:{os.getpid()}:0")
    too_old = JobRun.objects.create(
        job="send_emails", worker="elsewhere:1:1", started_at=now - timedelta(hours=1)
    )
    alive = JobRun.objects.create(job="annual_review", worker=jobs.this_process())
    other_host = JobRun.objects.create(job="cleanup_exports", worker="elsewhere:1:1")

    assert jobs.runs_fail_interrupted(task_id="task-1") == 4
    outcome = dict(JobRun.objects.values_list("pk", "outcome"))
    assert [outcome[r.pk] for r in (redelivered, gone, reused, too_old)] == ["failed"] * 4
    assert [outcome[r.pk] for r in (alive, other_host)] == ["running", "running"]
    redelivered.refresh_from_db()
    assert redelivered.error.startswith("Interrupted: its task was delivered again")
    gone.refresh_from_db()
    assert "its worker process" in gone.error and gone.finished_at is not None


def test_a_new_run_records_its_process_and_marks_the_dead_ones(db):
    dead = JobRun.objects.create(job="digests", worker=f"{socket.gethostname()}:{_dead_pid()}:1")
    run = jobs.run_recorded("cleanup_exports", lambda: {"n": 1}, trigger="test")
    assert run.outcome == "ok" and run.worker == jobs.this_process()
    dead.refresh_from_db()
    assert dead.outcome == "failed"


def test_the_jobs_page_shows_failed_runs_and_the_emails_not_sent(client_for, people):
    JobRun.objects.create(
        job="digests",
        outcome="failed",
        finished_at=timezone.now(),
        error="Interrupted: its worker process (w:1:1) is gone",
    )
    waiting = Notification.objects.create(
        user=people.manager,
        text="t",
        email_status="pending",
        email_subject="KAM Programme: The 2027-Q2 review is open",
        email_attempts=2,
        email_error="SMTPServerDisconnected: gone",
    )
    Notification.objects.create(
        user=people.director,
        text="t",
        email_status="failed",
        email_subject="KAM Programme: 3 reminders for Mon 05 Apr",
        email_attempts=5,
        email_error="SMTPRecipientsRefused: no such user",
    )
    Notification.objects.create(user=people.director, text="t", email_status="sent")
    response = client_for(people.programme_admin).get(reverse("rhythm:job_runs"))
    assert page_problems(response.content.decode()) == []
    page = _text(response)
    assert "Interrupted: its worker process (w:1:1) is gone" in page
    assert "<strong>1</strong> waiting to be sent, <strong>1</strong> given up" in page
    assert waiting.email_subject in page and "SMTPServerDisconnected: gone" in page
    assert "3 reminders for Mon 05 Apr" in page and "SMTPRecipientsRefused" in page
    assert people.manager.email in page
    assert client_for(people.manager).get(reverse("rhythm:job_runs")).status_code == 403


def test_an_email_sent_again_carries_the_same_message_id(people, settings, mailoutbox):
    settings.KAM_SITE_URL = "https://kam.example.com"
    row = notifications.notify(user=people.manager, text="Plan submitted", link="/")
    notifications.emails_send_pending()
    Notification.objects.filter(pk=row.pk).update(email_status="pending")
    notifications.emails_send_pending()
    ids = [m.message()["Message-ID"] for m in mailoutbox]
    assert ids[0] == ids[1] == notifications.message_id(row)
    assert ids[0].startswith("<kam-") and ids[0].endswith("@kam.example.com>")
    other = notifications.notify(user=people.director, text="Plan approved", link="/")
    assert notifications.message_id(other) != ids[0]


def test_an_export_whose_task_was_lost_is_marked_failed_and_blocks_nothing(
    client_for, people, plan, settings
):
    # Redis lost the queued task (restarted without persistence): the export waits for ever.
    limits = settings.CELERY_VISIBILITY_TIMEOUT + settings.CELERY_TASK_TIME_LIMIT
    lost = PlanExport.objects.create(
        requested_by=people.director,
        total=1,
        status="running",
        created_at=timezone.now() - timedelta(seconds=limits + 1),
    )
    recent = PlanExport.objects.create(requested_by=people.other_director, total=1)
    assert services.exports_cleanup()["abandoned"] == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert (lost.status, recent.status) == ("failed", "pending")
    page = _text(client_for(people.director).get(reverse("rhythm:export", args=[lost.pk])))
    assert "The export stopped: the worker building it died and its task was lost." in page
    assert services.plan_export_request(acting_user=people.director).pk != lost.pk
