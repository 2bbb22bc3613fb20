"""A run whose worker died is marked failed with a sentence the app writes: the job runs page
reads it in the reader's language; an exception's own text and an older run's English read as
stored."""

from django.urls import reverse
from django.utils import timezone

from rhythm import jobs
from rhythm.models import COUNT_LABELS, JobRun

NBSP = "\u00a0"


def test_an_interrupted_run_reads_in_each_language(client_for, people):
    redelivered = JobRun.objects.create(job="digests", task_id="task-1", worker="elsewhere:1:1")
    assert jobs.runs_fail_interrupted(task_id="task-1") == 1
    redelivered.refresh_from_db()
    assert redelivered.error == (
        "Interrupted: its task was delivered again, so the worker running it had died (killed, "
        "out of memory or restarted). Work committed before the crash is kept; the rest is done "
        "by the next run."
    )
    JobRun.objects.create(
        job="cleanup_exports",
        outcome="failed",
        finished_at=timezone.now(),
        error="OperationalError: could not connect to server",
    )
    JobRun.objects.create(
        job="open_reviews",
        outcome="failed",
        finished_at=timezone.now(),
        error="Interrupted: its worker process (w:1:1) is gone",  # written before: English
    )
    admin = client_for(people.programme_admin)
    english = admin.get(reverse("rhythm:job_runs")).content.decode()
    assert "Interrupted: its task was delivered again, so the worker running it had died" in (
        english
    )
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    french = client_for(people.programme_admin).get(reverse("rhythm:job_runs")).content.decode()
    assert (
        f"Interrompue{NBSP}: sa tâche a été livrée à nouveau, donc le worker qui l’exécutait "
        "était mort (arrêté, mémoire épuisée ou redémarré)." in french
    )
    assert "OperationalError: could not connect to server" in french
    assert "Interrupted: its worker process (w:1:1) is gone" in french


def test_every_count_a_job_returns_has_words_in_each_language(client_for, people):
    returned = set()
    for work in jobs.JOBS.values():
        returned |= set(work())  # an empty programme: every job runs and counts nothing
    assert returned - set(COUNT_LABELS) == set()
    JobRun.objects.create(
        job="digests",
        outcome="ok",
        finished_at=timezone.now(),
        counts={"users": 10, "with_items": 5, "emails_sent": 2},
    )
    admin = client_for(people.programme_admin)
    english = admin.get(reverse("rhythm:job_runs")).content.decode()
    assert "Users: 10, With items: 5, E-mails sent: 2" in english
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    french = client_for(people.programme_admin).get(reverse("rhythm:job_runs")).content.decode()
    assert f"Utilisateurs{NBSP}: 10, Avec éléments{NBSP}: 5, E-mails envoyés{NBSP}: 2" in french
