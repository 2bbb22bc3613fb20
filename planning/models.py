"""Stage 4 (Account plans): a short, living plan per key account, with versions and reviews."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Classification, KeyAccount
from common.constraints import SkipsUncheckableConstraints
from common.dates import validate_in_window
from common.history import HistoricalRecords
from common.limits import NOTE_MAX_CHARS, TEXT_MAX_CHARS
from discovery.models import Level, Stakeholder
from opportunities.models import Opportunity

from . import rules


class FrozenVersionError(Exception):
    """Someone tried to change an approved (frozen) plan version."""


class AccountPlan(models.Model):
    """The plan for one key account and period. One current plan per account."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")
        ARCHIVED = "archived", pgettext_lazy("plan status", "Archived")

    key_account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="plans")
    period = models.CharField(max_length=20, help_text=_("e.g. FY2027"))
    is_current = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    value_proposition = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    value_proposition_refreshed_on = models.DateField(
        null=True, blank=True, validators=[validate_in_window]
    )
    strengths = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    weaknesses = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    opportunities_swot = models.TextField(
        _("Opportunities (SWOT)"), blank=True, max_length=TEXT_MAX_CHARS
    )
    threats = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    critical_success_factors = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    # Optimistic locking: every save of a section bumps it; a stale form is a conflict.
    revision = models.PositiveIntegerField(default=0)
    # Per-section counters (section key -> int) so that two people editing *different*
    # sections of the same plan never collide; the same section is a conflict.
    section_revisions = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    approved_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_comment = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The plan health score (planning.rules.plan_health) as of `health_on`, stored so that the
    # portfolio dashboard counts, filters and sorts thousands of plans in the database. Any
    # change to what the rules read sets `health_on` to NULL and bumps `health_version`
    # (planning/receivers.py); services.plan_health_refresh recomputes stale scores, and only
    # stores a score if the version it read is still the plan's (a change made meanwhile wins).
    health_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    health_on = models.DateField(
        null=True, blank=True, editable=False, validators=[validate_in_window]
    )
    health_version = models.PositiveIntegerField(default=0, editable=False)
    # The current plan's open actions and, of those, the overdue ones, as of `health_on`: stored
    # with the score (same refresh, same stale marks) so that the dashboard's manager workload
    # sums one row per plan instead of reading every open action of the portfolio. Right only
    # while `health_on` is today: readers fall back to counting (planning.selectors).
    open_actions = models.PositiveIntegerField(default=0, editable=False)
    overdue_actions = models.PositiveIntegerField(default=0, editable=False)
    # Moves on every change to anything the plan page shows (planning.page_cache): part of the
    # key of the page's cached document, read with the plan, so no worker serves a stale one.
    content_version = models.PositiveBigIntegerField(default=0, editable=False)
    history = HistoricalRecords(
        excluded_fields=[
            "health_score",
            "health_on",
            "health_version",
            "content_version",
            "open_actions",
            "overdue_actions",
        ]
    )

    class Meta:
        ordering = ["key_account", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_account"],
                condition=Q(is_current=True),
                name="one_current_plan_per_account",
            ),
            models.UniqueConstraint(fields=["key_account", "period"], name="one_plan_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.key_account} {self.period}"


class HealthRecord(models.Model):
    """A plan's health score as the nightly job stored it on one day: the portfolio
    dashboard's trend ("how has this account moved since last month?")."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="health_records")
    recorded_on = models.DateField(validators=[validate_in_window])
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "-recorded_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "recorded_on"], name="one_health_record_per_plan_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} on {self.recorded_on}: {self.score}"


class PlanVersionQuerySet(models.QuerySet):
    def approvals(self):
        return self.filter(kind=PlanVersion.Kind.APPROVAL)

    def review_snapshots(self):
        return self.filter(kind=PlanVersion.Kind.REVIEW)


class PlanVersion(models.Model):
    """An immutable snapshot of the whole plan. Two different records share this shape: an
    approved version (the director approved the plan; "Approved version N") and a review
    snapshot (a quarterly review froze the plan as it stood, approved or not; "Review snapshot
    N"). Each kind is numbered on its own, so approved version 2 is the second approval."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approved version")
        REVIEW = "review", _("Review snapshot")

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "number"], name="version_number_unique_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.label}"

    def save(self, *args, **kwargs):
        # A frozen version is the record of what was approved or reviewed: never rewritten.
        if self.pk is not None:
            raise FrozenVersionError(f"{self.label} is frozen; edit the current plan instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenVersionError(f"{self.label} is frozen and cannot be deleted.")

    @property
    def is_approval(self) -> bool:
        return self.kind == self.Kind.APPROVAL

    @property
    def label(self) -> str:
        """ "Approved version 2" or "Review snapshot 1"."""
        return f"{self.get_kind_display()} {self.number}"

    @property
    def token(self) -> str:
        """How compare and the PDF name this record: "2" (approved version 2), "r1"."""
        return str(self.number) if self.is_approval else f"r{self.number}"


class Objective(models.Model):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("What"), max_length=250)
    rationale = models.TextField(_("Why"), blank=True, max_length=TEXT_MAX_CHARS)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    due_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    position = models.PositiveSmallIntegerField(default=0)
    is_internal = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    class Kind(models.TextChoices):
        """What the target measures, for the portfolio's sums (never guessed from the KPI)."""

        REVENUE = "revenue", _("Revenue")
        NET_PROFIT = "net_profit", _("Net profit")
        VOLUME = "volume", _("Volume")
        OTHER = "other", _("Other")

    class Measure(models.TextChoices):
        AMOUNT = "amount", _("Amount of money")
        PERCENT = "percent", _("Percent")
        COUNT = "count", _("Count or volume")
        OTHER = "other", _("Other")

    class Aim(models.TextChoices):
        """Which side of the target is better (planning.rules.target_status reads it)."""

        REACH = rules.AIM_REACH, _("Reach the target")
        AT_LEAST = rules.AIM_AT_LEAST, _("Stay at or above the target")
        AT_MOST = rules.AIM_AT_MOST, _("Stay at or below the target")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="targets")
    kpi = models.CharField(_("KPI"), max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    measure = models.CharField(
        _("Unit type"), max_length=16, choices=Measure.choices, default=Measure.OTHER
    )
    currency = models.CharField(
        max_length=3, blank=True, help_text=_("For an amount of money: e.g. EUR. Whole units.")
    )
    unit = models.CharField(
        max_length=30, blank=True, help_text=_("As shown after the KPI, e.g. SKUs or per month.")
    )
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_on = models.DateField(validators=[validate_in_window])
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    aim = models.CharField(
        _("Aim"),
        max_length=16,
        choices=Aim.choices,
        default=Aim.REACH,
        help_text=_(
            "Reach: move from the baseline to the target by the due date. Stay: keep the "
            "measured level at or above (or at or below) the target."
        ),
    )
    due_on = models.DateField(validators=[validate_in_window])
    archived_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("baseline_on")),
                name="target_due_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.kpi

    # A revenue or profit target is an amount of money; a volume target a count or volume.
    KIND_MEASURES = {
        Kind.REVENUE: Measure.AMOUNT,
        Kind.NET_PROFIT: Measure.AMOUNT,
        Kind.VOLUME: Measure.COUNT,
    }

    def clean(self):
        super().clean()
        errors = {}
        self.currency = (self.currency or "").strip().upper()
        if self.measure == self.Measure.AMOUNT:
            if len(self.currency) != 3 or not self.currency.isalpha():
                errors["currency"] = _("An amount of money needs its currency (three letters).")
            elif not self.unit:
                self.unit = self.currency  # shown after the KPI wherever targets are listed
        else:
            self.currency = ""
        needed = self.KIND_MEASURES.get(self.kind)
        if needed and self.measure != needed:
            errors["measure"] = _("A %(kind)s target is measured as “%(measure)s”.") % {
                "kind": self.get_kind_display().lower(),
                "measure": str(self.Measure(needed).label).lower(),
            }
        if errors:
            raise ValidationError(errors)


class Measurement(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(validators=[validate_in_window])
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    comment = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "-measured_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.target} {self.measured_on}: {self.actual}"


class Action(SkipsUncheckableConstraints, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting on others")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="actions")
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(_("What"), max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    # A joint action: owned by a customer stakeholder ("theirs") instead of one of ours. At most
    # one of owner / customer_owner (a constraint); the plan's action form asks for exactly one.
    customer_owner = models.ForeignKey(
        "discovery.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_actions",
        verbose_name=_("Customer owner"),
    )
    due_on = models.DateField(validators=[validate_in_window])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress_percent = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    notes = models.TextField(_("Progress notes"), blank=True, max_length=TEXT_MAX_CHARS)
    is_internal = models.BooleanField(default=False)
    completed_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.WAITING)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_due"),
            models.Index(fields=["plan", "status"], name="action_plan_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="action_progress_max_100"
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(customer_owner__isnull=True),
                name="action_one_owner_side",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_theirs(self) -> bool:
        """A joint action owned by the customer's side."""
        return self.customer_owner_id is not None


class ActionUpdate(models.Model):
    """History of progress updates on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    progress_percent = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    # Empty: the customer's side updated it in the workspace (the note names who).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} → {self.get_status_display()}"


class EngagementActivity(models.Model):
    """Who of ours meets whom of theirs, why and how often."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")
        YEARLY = "yearly", _("Yearly")

    CADENCE_DAYS = {"weekly": 7, "monthly": 31, "quarterly": 92, "half_yearly": 183, "yearly": 366}

    plan = models.ForeignKey(
        AccountPlan, on_delete=models.CASCADE, related_name="engagement_activities"
    )
    our_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="engagement_activities"
    )
    purpose = models.CharField(max_length=250)
    cadence = models.CharField(max_length=20, choices=Cadence.choices)
    next_due_on = models.DateField(validators=[validate_in_window])
    last_held_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    is_internal = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["next_due_on", "pk"]
        verbose_name_plural = _("engagement activities")

    def __str__(self) -> str:
        return f"{self.our_person} ↔ {self.stakeholder}: {self.purpose}"


# A risk's impact takes the same three levels as its likelihood; in French the words agree with
# "impact" (masculine) where the likelihood's agree with "probabilité".
IMPACT_CHOICES = [
    (Level.HIGH, pgettext_lazy("risk impact", "High")),
    (Level.MEDIUM, pgettext_lazy("risk impact", "Medium")),
    (Level.LOW, pgettext_lazy("risk impact", "Low")),
]


class PlanRisk(models.Model):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(_("What"), max_length=250)
    likelihood = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    impact = models.CharField(max_length=10, choices=IMPACT_CHOICES, default=Level.MEDIUM)
    mitigation = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    is_internal = models.BooleanField(default=True)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class Review(models.Model):
    """The quarterly review of a plan. One per plan and quarter (a database constraint)."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep class")
        CHANGE_CLASS = "change_class", _("Propose class change")
        DESELECT = "deselect", _("Propose de-selection")

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="reviews")
    quarter = models.CharField(max_length=7, help_text=_("e.g. 2027-Q1"))
    opened_on = models.DateField(validators=[validate_in_window])
    due_on = models.DateField(validators=[validate_in_window])
    completed_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    proposed_class = models.CharField(max_length=20, blank=True)
    comments = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    escalated_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_review_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} review {self.quarter}"

    @property
    def proposed_class_label(self) -> str:
        """The class proposed, named in the reader's language ("" when none)."""
        return Classification(self.proposed_class).label if self.proposed_class else ""
