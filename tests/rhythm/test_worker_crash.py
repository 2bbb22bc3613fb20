"""`kill -9` of the whole worker in the middle of a job, then a fresh worker: nothing is lost and
nothing is done twice (Redis broker, PostgreSQL test database, real worker processes).

Each test starts a worker (in its own process group, on a queue of its own so that the
session's shared worker never takes these tasks) that stops at a named point of the job
(`common.faults.checkpoint`, switched on by KAM_TEST_STALL_AT for that worker only), kills the
whole group with SIGKILL, and starts a fresh worker without the stop. The job's task was
delivered and never acknowledged: Redis hands it out again once the visibility timeout (4 s
here, from the 3 s hard time limit of these workers) has passed.

What each user got is read from the mail files the workers wrote (Django's file-based e-mail
backend, one file per connection, kept across the kill): every message in every file is
counted, so a message sent twice shows up twice.
"""

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from delivery.models import Quote
from kam.celery import app as celery_app
from notifications.models import Notification
from planning.models import Review
from rhythm import services, tasks
from rhythm.models import DigestLog, JobRun, PlanExport

from ..conftest import (
    ROOT,
    broker_for_this_process,
    forget_result_backend,
    redis_reachable,
    require_service,
)
from ..factories import (
    AccountPlanFactory,
    ActionFactory,
    KeyAccountFactory,
    MembershipFactory,
    QuoteFactory,
    QuoteLineFactory,
    UserFactory,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

QUEUE = "crash-tests"
TIME_LIMIT = 3
VISIBILITY = 4  # seconds; above the hard limit, as settings require
BATCH = 2  # rows per job transaction, so that a few users make several batches


class Workers:
    """Start workers in their own process group; kill a whole group with SIGKILL."""

    def __init__(self, env: dict, stall_file: Path, mail_dir: Path):
        self.env = env
        self.stall_file = stall_file
        self.mail_dir = mail_dir
        self.running: list[subprocess.Popen] = []

    def start(self, stall_at: str = "") -> subprocess.Popen:
        env = {
            **self.env,
            "KAM_TEST_STALL_AT": stall_at,
            "KAM_TEST_STALL_FILE": str(self.stall_file),
        }
        proc = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kam",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                QUEUE,
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.running.append(proc)
        return proc

    def wait_for_stall(self, proc: subprocess.Popen, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while not self.stall_file.exists():
            assert proc.poll() is None, "the worker exited before reaching the stop"
            assert time.monotonic() < deadline, "the worker never reached the stop"
            time.sleep(0.05)
        return self.stall_file.read_text()

    def kill(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)  # reaped: its pid is gone, as on a real crash

    def stop_all(self) -> None:
        for proc in self.running:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


@pytest.fixture
def workers(transactional_db, django_db_serialized_rollback, media_root, tmp_path):
    broker = os.environ.get("KAM_TEST_BROKER_URL", "")
    require_service(bool(broker), "KAM_TEST_BROKER_URL is not set (no Redis for a real worker)")
    broker, _results = broker_for_this_process(broker)  # its own Redis database per xdist process
    require_service(redis_reachable(broker), f"Redis at {broker} does not answer")
    require_service(
        connection.vendor == "postgresql",
        "a real worker shares the test database, which needs PostgreSQL (DATABASE_URL)",
    )
    import redis

    redis.Redis.from_url(broker).delete(QUEUE)  # leftovers of an earlier, failed run
    db = connection.settings_dict
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": "",
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "CELERY_TASK_SOFT_TIME_LIMIT": str(TIME_LIMIT - 1),
        "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "RHYTHM_BATCH_SIZE": str(BATCH),
        "MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "KAM_SITE_URL": "https://kam.example.com",
    }
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    celery_app.conf.update(
        broker_url=broker, result_backend=None, task_always_eager=False, task_default_queue=QUEUE
    )
    forget_result_backend()
    celery_app.__dict__.pop("amqp", None)  # its queues and router remember the default queue
    pool = Workers(env, tmp_path / "stalled", mail_dir)
    try:
        yield pool
    finally:
        pool.stop_all()
        celery_app.conf.update(saved)
        forget_result_backend()
        celery_app.__dict__.pop("amqp", None)


def received(mail_dir: Path) -> Counter:
    """(recipient, subject) -> how many messages the mail files hold."""
    counts: Counter = Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                counts[(str(message["To"]), str(message["Subject"]))] += 1
    return counts


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def runs_of(job: str) -> list[tuple[str, str]]:
    return [
        (run.outcome, run.error.split(":")[0])
        for run in JobRun.objects.filter(job=job).order_by("pk")
    ]


def all_emails_sent() -> bool:
    return not Notification.objects.filter(email_status=Notification.Email.PENDING).exists()


def test_a_worker_killed_between_a_digest_batch_commit_and_its_emails_loses_none(workers):
    """The issue's crash: digests committed, their e-mails never handed over."""
    users = []
    for i in range(5):
        user = UserFactory(username=f"digest{i}")
        account = KeyAccountFactory()
        MembershipFactory(user=user, key_account=account, role="manager")
        plan = AccountPlanFactory(key_account=account)
        ActionFactory(plan=plan, owner=user, due_on=timezone.localdate() - timedelta(days=1))
        users.append(user)

    first = workers.start(stall_at="digests:batch-committed")
    tasks.send_digests.delay()
    assert workers.wait_for_stall(first) == "digests:batch-committed"
    workers.kill(first)
    # The first batch is committed (two users) and its e-mails wait in the outbox.
    assert DigestLog.objects.count() == BATCH
    assert Notification.objects.filter(email_status="pending").count() == BATCH

    workers.start()  # it marks the dead run failed, then gets the task again after 4 s
    wait_until(
        lambda: JobRun.objects.filter(job="digests", outcome="ok").exists() and all_emails_sent(),
        timeout=30,
        what="the redelivered digest job",
    )
    assert runs_of("digests") == [("failed", "Interrupted"), ("ok", "")]
    assert DigestLog.objects.count() == 5
    got = received(workers.mail_dir)
    # Every user exactly one digest e-mail, and no other e-mail to anyone.
    assert sorted(to for to, _subject in got) == sorted(u.email for u in users)
    assert set(got.values()) == {1}
    assert all(subject.startswith("KAM Programme: 1 reminder for") for _to, subject in got)


def test_a_worker_killed_while_sending_review_emails_sends_each_once(workers):
    """Quarterly reviews opened, the worker dies after the first of their e-mails went out."""
    director = UserFactory(username="reviewdirector")
    plans = []
    for i in range(5):
        account = KeyAccountFactory()
        MembershipFactory(user=director, key_account=account, role="director")
        MembershipFactory(
            user=UserFactory(username=f"reviewer{i}"), key_account=account, role="manager"
        )
        plans.append(AccountPlanFactory(key_account=account))

    first = workers.start(stall_at="emails:sent-one")
    tasks.open_quarterly_reviews.delay()
    workers.wait_for_stall(first)
    workers.kill(first)
    assert Review.objects.count() == 5  # every batch committed before the sending began
    assert Notification.objects.filter(email_status="sent").count() == 1

    workers.start()
    wait_until(
        lambda: (
            JobRun.objects.filter(job="open_reviews", outcome="ok").exists() and all_emails_sent()
        ),
        timeout=30,
        what="the redelivered review job",
    )
    assert runs_of("open_reviews") == [("failed", "Interrupted"), ("ok", "")]
    assert JobRun.objects.get(job="open_reviews", outcome="ok").counts["opened"] == 0
    # Every plan exactly one review; its manager and the director one e-mail each about it.
    assert sorted(Review.objects.values_list("plan_id", flat=True)) == [p.pk for p in plans]
    got = received(workers.mail_dir)
    assert len(got) == 10 and set(got.values()) == {1}
    assert Counter(to for to, _subject in got)[director.email] == 5
    assert Notification.objects.filter(email_status="sent").count() == 10


def test_a_worker_killed_after_a_batch_of_expired_quotes_tells_each_person_once(workers):
    """Five lapsed quotes (batches of two): the worker dies once the first batch is committed,
    before its e-mails are handed over. Every quote expires once; its author and the account's
    manager get one e-mail each about it."""
    manager = UserFactory(username="quotemanager")
    authors = []
    quotes = []
    for i in range(5):
        account = KeyAccountFactory()
        MembershipFactory(user=manager, key_account=account, role="manager")
        author = UserFactory(username=f"quoteauthor{i}")
        MembershipFactory(user=author, key_account=account, role="coordinator")
        quote = QuoteFactory(
            key_account=account,
            number=f"Q-2026-09{i:02d}",
            status="sent",
            prepared_by=author,
            valid_until=timezone.localdate() - timedelta(days=1 + i),
        )
        QuoteLineFactory(quote=quote)
        authors.append(author)
        quotes.append(quote)

    first = workers.start(stall_at="quotes:batch-committed")
    tasks.expire_quotes.delay()
    assert workers.wait_for_stall(first) == "quotes:batch-committed"
    workers.kill(first)
    # The first batch is committed (two quotes, four people told) and its e-mails wait.
    assert Quote.objects.filter(status="expired").count() == BATCH
    assert Notification.objects.filter(email_status="pending").count() == 2 * BATCH

    workers.start()
    wait_until(
        lambda: (
            JobRun.objects.filter(job="expire_quotes", outcome="ok").exists() and all_emails_sent()
        ),
        timeout=30,
        what="the redelivered quote expiry job",
    )
    assert runs_of("expire_quotes") == [("failed", "Interrupted"), ("ok", "")]
    # The run that finished expired the three the first left, and no quote twice.
    assert JobRun.objects.get(job="expire_quotes", outcome="ok").counts["expired"] == 3
    assert set(Quote.objects.values_list("status", flat=True)) == {"expired"}
    got = received(workers.mail_dir)
    # Each author one e-mail, the manager one per quote, and nothing sent twice.
    assert set(got.values()) == {1}
    by_person = Counter(to for to, _subject in got)
    assert by_person == {manager.email: 5, **{a.email: 1 for a in authors}}
    for quote, author in zip(quotes, authors, strict=True):
        assert any(
            to == author.email
            and subject.strip().startswith(f"KAM Programme: Your quote {quote.number}")
            for to, subject in got
        )


def test_a_worker_killed_mid_export_leaves_an_export_that_finishes(workers):
    director = UserFactory(username="exportdirector")
    for name in ("Alpha Foods", "Beta Retail"):
        account = KeyAccountFactory(customer__name=name)
        MembershipFactory(user=director, key_account=account, role="director")
        AccountPlanFactory(key_account=account)

    first = workers.start(stall_at="export:pdf-written")
    export = services.plan_export_request(acting_user=director)  # queued after the commit
    workers.wait_for_stall(first, timeout=60)
    workers.kill(first)
    export.refresh_from_db()
    assert (export.status, export.done) == ("running", 1)

    workers.start()
    # The export turns ready in its own commit; the job's run is recorded after it.
    wait_until(
        lambda: (
            PlanExport.objects.get(pk=export.pk).status == "failed"
            or JobRun.objects.filter(job="plan_export").exclude(outcome="running").count() == 2
        ),
        timeout=45,
        what="the redelivered export and its run",
    )
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == ("ready", 2, 2), export.error
    path = Path(workers.env["MEDIA_ROOT"]) / export.file_name
    try:
        assert sorted(zipfile.ZipFile(path).namelist()) == ["alpha-foods.pdf", "beta-retail.pdf"]
    finally:
        path.unlink(missing_ok=True)
    assert runs_of("plan_export") == [("failed", "Interrupted"), ("ok", "")]
    # Nothing half-built is left behind for the next one.
    assert not list((Path(workers.env["MEDIA_ROOT"]) / "exports").glob("*.part"))
