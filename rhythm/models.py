"""The programme's rhythm: what the periodic jobs record and what users choose about them.

Every job is idempotent through a database constraint, never through a check alone:
- `planning.Review` is unique per plan and quarter; `ReviewNotice` (one per review) records the
  batch that opened it, so only the run that really inserted a review notifies about it.
- `DigestLog` is unique per user and local date; only the run whose batch inserted the log
  sends that digest.
- `AnnualReviewReminder` is unique per review date.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.event_text import shown_or
from common.dates import validate_in_window
from planning.models import Review

# What the job runs page calls each count a job returns (rhythm.jobs.JOBS); a count not
# named here shows its key.
COUNT_LABELS = {
    "plans": pgettext_lazy("job run count", "Plans"),
    "recorded": pgettext_lazy("job run count", "Recorded"),
    "deleted": pgettext_lazy("job run count", "Deleted"),
    "opened": pgettext_lazy("job run count", "Opened"),
    "notified": pgettext_lazy("job run count", "Notified"),
    "escalated": pgettext_lazy("job run count", "Escalated"),
    "emails_sent": pgettext_lazy("job run count", "E-mails sent"),
    "users": pgettext_lazy("job run count", "Users"),
    "due": pgettext_lazy("job run count", "Due"),
    "with_items": pgettext_lazy("job run count", "With items"),
    "sent": pgettext_lazy("job run count", "Sent"),
    "expired": pgettext_lazy("job run count", "Expired"),
    "abandoned": pgettext_lazy("job run count", "Abandoned"),
    "leftovers_deleted": pgettext_lazy("job run count", "Leftovers deleted"),
    "failed": pgettext_lazy("job run count", "Failed"),
    "announced": pgettext_lazy("job run count", "Announced"),
    "delivered": pgettext_lazy("job run count", "Delivered"),
}


class JobRun(models.Model):
    """One run of a periodic job (by beat, by `run_due_jobs` or from the job runs page)."""

    class Job(models.TextChoices):
        OPEN_REVIEWS = "open_reviews", _("Open quarterly plan reviews")
        ESCALATE_REVIEWS = "escalate_reviews", _("Escalate overdue reviews")
        DIGESTS = "digests", _("Reminder digests")
        ANNUAL_REVIEW = "annual_review", _("Annual programme review reminder")
        CLEANUP_EXPORTS = "cleanup_exports", _("Delete expired exports")
        PLAN_EXPORT = "plan_export", _("Bulk plan PDF export")
        PLAN_HEALTH = "plan_health", _("Refresh plan health scores")
        SEND_EMAILS = "send_emails", _("Send e-mails still waiting")
        ESCALATE_ISSUES = "escalate_issues", _("Escalate overdue customer issues")
        OVERDUE_ACTIONS = "overdue_actions", _("Announce overdue actions to webhooks")
        SEND_WEBHOOKS = "send_webhooks", _("Send webhook deliveries due")
        EXPIRE_QUOTES = "expire_quotes", _("Expire quotes past their validity")

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("OK")
        FAILED = "failed", _("Failed")

    job = models.CharField(max_length=30, choices=Job.choices)
    started_at = models.DateTimeField(default=timezone.now, validators=[validate_in_window])
    finished_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)  # in English (an exception's own text as it came)
    # What the app wrote there (an interrupted run) as message and values (accounts.event_text).
    error_text = models.JSONField(default=dict, blank=True)
    trigger = models.CharField(max_length=40, blank=True, help_text=_("beat, command, page …"))
    # The Celery task that ran it (a task delivered again after its worker died keeps its id)
    # and the process, "host:pid:start", so that a run whose worker is gone is marked failed.
    task_id = models.CharField(max_length=50, blank=True)
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_latest")]

    def __str__(self) -> str:
        return f"{self.get_job_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def shown_counts(self) -> list[tuple[str, int]]:
        """(label in the reader's language, value) of each count the run returned."""
        return [
            (str(COUNT_LABELS.get(key, key.replace("_", " ").capitalize())), value)
            for key, value in self.counts.items()
        ]

    @property
    def shown_error(self) -> str:
        """The error in the reader's language where the app wrote it; else as stored."""
        return shown_or(self.error_text, self.error)

    def looks_interrupted(self, now=None) -> bool:
        """Still 'running' past the visibility timeout (the hard time limit plus a margin): no
        live worker can still be running it, and its task has been delivered again."""
        now = now or timezone.now()
        limit = timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT)
        return self.outcome == self.Outcome.RUNNING and self.started_at < now - limit


class ReviewNotice(models.Model):
    """Which run opened a review and told its manager and director (one per review)."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="notice")
    batch = models.UUIDField(db_index=True)
    notified_at = models.DateTimeField(default=timezone.now, validators=[validate_in_window])

    def __str__(self) -> str:
        return f"Notice for {self.review}"


class DigestPreference(models.Model):
    """What a user wants in their reminder digest, and how often."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly (Mondays)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default="daily")
    actions = models.BooleanField(_("Actions due within 7 days or overdue"), default=True)
    meetings_without_agenda = models.BooleanField(
        _("Meetings in the next 2 days without an agenda"), default=True
    )
    meetings_follow_up = models.BooleanField(
        _("Meetings that need a follow-up (ended over 3 days ago, no notes)"), default=True
    )
    reviews = models.BooleanField(_("Plan reviews due"), default=True)
    stale_plans = models.BooleanField(_("Plans not updated for 90 days"), default=True)
    engagements = models.BooleanField(_("Engagement cadences missed"), default=True)
    monitoring = models.BooleanField(
        _(
            "Pursued opportunities without a check-in for 30 days, targets due a new "
            "measurement (none for over 92 days)"
        ),
        default=True,
    )
    quotes = models.BooleanField(
        _("Quotes of yours, sent and unanswered, whose validity ends within 7 days"), default=True
    )
    approvals = models.BooleanField(
        _("Quote discounts waiting for your approval (directors)"), default=True
    )
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    KINDS = (
        "actions",
        "meetings_without_agenda",
        "meetings_follow_up",
        "reviews",
        "stale_plans",
        "engagements",
        "monitoring",
        "quotes",
        "approvals",
    )

    def __str__(self) -> str:
        return f"Digest preferences of {self.user}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind))


class DigestLog(models.Model):
    """One digest sent to one user for one local date. The unique constraint is what stops a
    second run (or a retried task) from sending the same digest twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_logs"
    )
    sent_on = models.DateField(
        help_text=_("The user's local date the digest is for."), validators=[validate_in_window]
    )
    batch = models.UUIDField(db_index=True)
    item_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, validators=[validate_in_window])

    class Meta:
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_per_user_day"),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.sent_on}"


class AnnualReviewReminder(models.Model):
    """The reminder sent to programme admins ahead of one annual review date (once)."""

    review_on = models.DateField(unique=True, validators=[validate_in_window])
    sent_at = models.DateTimeField(default=timezone.now, validators=[validate_in_window])
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Annual review reminder for {self.review_on}"


class PlanExport(models.Model):
    """A director's zip of all their accounts' plan PDFs, downloadable by them for 24 hours."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired and deleted")

    KEEP_HOURS = 24

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Relative to MEDIA_ROOT, e.g. exports/<random hex>.zip; never served as a media URL.
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, validators=[validate_in_window])
    finished_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    deleted_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="export_done_within_total"
            ),
            # One export at a time per director (services.plan_export_request returns the one
            # being built); one whose task was lost is marked failed and no longer counts.
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=models.Q(status__in=["pending", "running"]),
                name="one_export_building_per_director",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan export of {self.requested_by} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def expires_at(self):
        return (self.finished_at or self.created_at) + timedelta(hours=self.KEEP_HOURS)

    def is_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.READY and now >= self.expires_at
        )

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
