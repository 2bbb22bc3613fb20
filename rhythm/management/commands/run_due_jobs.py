"""Run every periodic job now, in-process: for the embedded default (no worker, no beat) and
for anyone who prefers cron (e.g. `5 * * * * python manage.py run_due_jobs`)."""

from django.core.management.base import BaseCommand, CommandError

from rhythm import jobs
from rhythm.models import JobRun


class Command(BaseCommand):
    help = (
        "Run all periodic jobs now (open quarterly reviews, escalate overdue reviews, send "
        "reminder digests, annual review reminder, delete expired exports). Idempotent: a "
        "second run creates nothing twice. Each run is listed on the job runs page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=jobs.DUE_JOBS,
            help="Run only this job (repeatable).",
        )

    def handle(self, *args, only=None, **options):
        runs = jobs.run_due_jobs(trigger="command", only=only)
        failed = 0
        for run in runs:
            if run is None:
                continue
            counts = ", ".join(f"{k}={v}" for k, v in run.counts.items()) or "-"
            line = f"{run.get_job_display()}: {run.get_outcome_display()} ({counts})"
            if run.outcome == JobRun.Outcome.FAILED:
                failed += 1
                self.stderr.write(f"{line}: {run.error}")
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError(f"{failed} job(s) failed; see the job runs page.")
