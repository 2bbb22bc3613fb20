from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Programme
from notifications.models import Notification
from planning.models import Review
from rhythm import jobs, services
from rhythm.models import AnnualReviewReminder, DigestLog, JobRun
from tests.html_checks import page_problems

from ..factories import ActionFactory


def _snapshot():
    return {
        "reviews": Review.objects.count(),
        "notifications": Notification.objects.count(),
        "digests": DigestLog.objects.count(),
        "reminders": AnnualReviewReminder.objects.count(),
    }


def test_run_due_jobs_runs_everything_and_a_second_run_creates_nothing(
    people, plan, django_capture_on_commit_callbacks
):
    ActionFactory(plan=plan, owner=people.manager, due_on=timezone.localdate())
    programme = Programme.ensure()
    programme.annual_review_on = timezone.localdate() + timedelta(days=20)
    programme.save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_due_jobs", stdout=out)
    first = _snapshot()
    assert first["reviews"] == 1 and first["digests"] == 2 and first["reminders"] == 1
    # The job itself sends the e-mails it wrote that no task took yet (here: both).
    assert (
        "Open quarterly plan reviews: OK (plans=1, opened=1, notified=2, emails_sent=2)"
        in out.getvalue()
    )
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_due_jobs", stdout=StringIO())
    assert _snapshot() == first
    assert len(mail.outbox) == sent
    assert JobRun.objects.filter(outcome="ok").count() == 2 * len(jobs.DUE_JOBS)
    assert set(JobRun.objects.values_list("trigger", flat=True)) == {"command"}


def test_a_failing_job_is_recorded_and_the_others_still_run(people, plan, monkeypatch):
    def broken():
        raise RuntimeError("mail server on fire")

    monkeypatch.setitem(jobs.JOBS, JobRun.Job.DIGESTS, broken)
    with pytest.raises(Exception, match="1 job"):
        call_command("run_due_jobs", stdout=StringIO(), stderr=StringIO())
    failed = JobRun.objects.get(job=JobRun.Job.DIGESTS)
    assert failed.outcome == "failed" and "mail server on fire" in failed.error
    assert JobRun.objects.filter(outcome="ok").count() == len(jobs.DUE_JOBS) - 1
    assert Review.objects.count() == 1


def test_job_runs_page_lists_last_runs_with_outcome(client_for, people, plan):
    call_command("run_due_jobs", "--only", "open_reviews", stdout=StringIO())
    JobRun.objects.create(
        job=JobRun.Job.DIGESTS,
        outcome="failed",
        finished_at=timezone.now(),
        error="OperationalError: server closed the connection",
    )
    page = client_for(people.programme_admin).get(reverse("rhythm:job_runs")).content.decode()
    assert not page_problems(page)
    assert "Open quarterly plan reviews" in page and "Opened: 1" in page
    assert "server closed the connection" in page
    assert "Never run yet." in page  # e.g. the annual review reminder
    assert client_for(people.director).get(reverse("rhythm:job_runs")).status_code == 403


def test_programme_admin_can_start_the_jobs_from_the_page(client_for, people, plan):
    response = client_for(people.programme_admin).post(reverse("rhythm:job_runs_start"))
    assert response.status_code == 302
    assert Review.objects.count() == 1
    assert set(JobRun.objects.values_list("trigger", flat=True)) == {"page:paul"}


def test_a_run_killed_long_ago_shows_as_interrupted(client_for, people):
    JobRun.objects.create(job=JobRun.Job.DIGESTS, started_at=timezone.now() - timedelta(hours=2))
    page = client_for(people.programme_admin).get(reverse("rhythm:job_runs")).content.decode()
    assert "Failed (interrupted: still running past the time limit)" in page


# ---- annual programme review --------------------------------------------------------------


def test_programme_admins_are_reminded_once_per_review_date(
    people, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    programme = Programme.ensure()
    programme.annual_review_on = today + timedelta(days=31)
    programme.save()
    assert services.annual_review_remind(today=today)["sent"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.annual_review_remind(today=today + timedelta(days=1))["sent"] == 1
    assert services.annual_review_remind(today=today + timedelta(days=2))["sent"] == 0
    assert Notification.objects.filter(user=people.programme_admin).count() == 1
    assert [m.to for m in mail.outbox] == [[people.programme_admin.email]]
    # A new review date gets its own reminder.
    programme.annual_review_on = today + timedelta(days=365)
    programme.save()
    assert services.annual_review_remind(today=today + timedelta(days=340))["sent"] == 1


def test_annual_review_page_summarises_the_year(client_for, people, account, other_account):
    now = timezone.now()
    for kind, summary, old, new, ago in (
        (AccountEvent.Kind.SELECTED, "Selected as key account", "", "", 100),
        (AccountEvent.Kind.CLASS_CHANGED, "Class changed", "star", "strategic", 50),
        (AccountEvent.Kind.DESELECTED, "De-selected: price only", "", "", 20),
        (AccountEvent.Kind.SELECTED, "Selected long ago", "", "", 500),
    ):
        AccountEvent.objects.create(
            key_account=account if kind != AccountEvent.Kind.DESELECTED else other_account,
            kind=kind,
            summary=summary,
            old_value=old,
            new_value=new,
            occurred_at=now - timedelta(days=ago),
        )
    page = client_for(people.programme_admin).get(reverse("rhythm:annual_review")).content.decode()
    assert not page_problems(page)
    assert "Selections (1)" in page and "De-selections (1)" in page and "Class changes (1)" in page
    assert "De-selected: price only" in page and "Selected long ago" not in page
    # An older entry (no words of its own) adds its stored values to what happened; there is no
    # column of its own, which every entry written in words left empty ("—").
    assert "Class changed (Star → Strategic)" in page
    assert "From → to" not in page
    assert "2 active" in page


def test_beat_runs_every_periodic_job_through_a_registered_task():
    """A job in DUE_JOBS that beat never starts would only run when someone presses the
    button; a schedule entry naming a task that does not exist would fail silently."""
    from django.conf import settings

    from kam.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovered tasks
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(app.tasks)
    started_by_beat = {
        "rhythm.refresh_plan_health": JobRun.Job.PLAN_HEALTH,
        "rhythm.open_quarterly_reviews": JobRun.Job.OPEN_REVIEWS,
        "rhythm.escalate_overdue_reviews": JobRun.Job.ESCALATE_REVIEWS,
        "rhythm.escalate_overdue_issues": JobRun.Job.ESCALATE_ISSUES,
        "rhythm.send_digests": JobRun.Job.DIGESTS,
        "rhythm.annual_review_reminder": JobRun.Job.ANNUAL_REVIEW,
        "rhythm.cleanup_exports": JobRun.Job.CLEANUP_EXPORTS,
        "rhythm.send_pending_emails": JobRun.Job.SEND_EMAILS,
        "rhythm.announce_overdue_actions": JobRun.Job.OVERDUE_ACTIONS,
        "rhythm.send_due_webhooks": JobRun.Job.SEND_WEBHOOKS,
        "rhythm.expire_quotes": JobRun.Job.EXPIRE_QUOTES,
    }
    assert scheduled == set(started_by_beat)
    assert set(started_by_beat.values()) == set(jobs.DUE_JOBS)


def test_annual_review_lists_accounts_whose_scores_point_elsewhere(client_for, people, account):
    account.classification = "star"
    account.save()
    account.customer.classification = "strategic"
    account.customer.save()
    page = client_for(people.programme_admin).get(reverse("rhythm:annual_review")).content.decode()
    assert "point to another class (1)" in page
    reclassify = reverse("strategy:account_reclassify", args=[account.pk])
    assert f"{reclassify}?to=strategic" in page


def test_recording_the_annual_review_sets_the_next_date(client_for, people):
    admin = client_for(people.programme_admin)
    url = reverse("rhythm:annual_review_complete")
    today = timezone.localdate()
    refused = admin.post(url, {"next_review_on": today.isoformat()})
    assert refused.status_code == 400
    assert "The next review must be after today." in refused.content.decode()
    assert not page_problems(refused.content.decode())
    # At least once a year (domain.md): two years away is refused, with the latest date.
    in_two_years = today + timedelta(days=2 * 365)
    refused = admin.post(url, {"next_review_on": in_two_years.isoformat()})
    assert refused.status_code == 400
    try:
        latest = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        latest = today + timedelta(days=365)
    assert (
        "The programme is revisited at least once a year: pick a date on or before "
        f"{latest.day} {latest:%b %Y}." in refused.content.decode()
    )
    next_on = today + timedelta(days=360)
    response = admin.post(url, {"next_review_on": next_on.isoformat()}, follow=True)
    assert Programme.current().annual_review_on == next_on
    assert f"The next one is due on {next_on:%d %B %Y}" in response.content.decode()
    history = admin.get(reverse("audit:programme_history")).content.decode()
    assert next_on.strftime("%d %b %Y") in history
