"""What the account delivered to the customer, and what went wrong for them.

- `ValueDelivered`: value actually delivered (what, when, how much — money in the programme's
  currency or another unit —, optionally linked to an opportunity or a plan objective, with its
  evidence). Recorded by the team; confirmed by the customer (a stakeholder, in the customer
  workspace or by e-mail, recorded by the team) with who and when.
- `CustomerIssue`: a complaint or incident the key account manager follows up inside the company,
  as the customer's advocate: severity, an owner on the account team, a due date, a status, the
  resolution, and whether the customer sees it (the customer workspace). Overdue high and
  critical issues are escalated to the account's director once (`escalated_at`).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import KeyAccount
from common.dates import validate_in_window
from common.history import HistoricalRecords
from common.limits import NOTE_MAX_CHARS, TEXT_MAX_CHARS
from discovery.models import Stakeholder
from opportunities.models import Opportunity
from planning.models import Objective


class ValueDelivered(models.Model):
    class Measure(models.TextChoices):
        MONEY = "money", _("Money (the programme's currency)")
        OTHER = "other", _("Another unit")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        CONFIRMED = "confirmed", _("Confirmed by the customer")

    class ConfirmedVia(models.TextChoices):
        WORKSPACE = "workspace", _("in the customer workspace")
        EMAIL = "email", _("by e-mail, recorded by the team")

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="value_delivered"
    )
    title = models.CharField(_("What was delivered"), max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    delivered_on = models.DateField(_("Delivered on"), validators=[validate_in_window])
    measure = models.CharField(max_length=10, choices=Measure.choices, default=Measure.MONEY)
    amount = models.DecimalField(
        _("Quantity"),
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "An amount of money in the programme's currency, or a number of the unit below."
        ),
    )
    # Money: the programme's currency when it was recorded. Another unit: its name.
    currency = models.CharField(max_length=3, blank=True)
    unit = models.CharField(
        max_length=60,
        blank=True,
        help_text=_('For another unit, e.g. "hours saved", "tonnes CO₂".'),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_delivered",
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_delivered",
        verbose_name=_("Plan objective"),
    )
    evidence = models.TextField(
        blank=True,
        max_length=NOTE_MAX_CHARS,
        help_text=_("How we know: a report, a measurement, a customer statement."),
    )
    evidence_url = models.URLField(_("Evidence link"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    confirmed_by = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_confirmed",
        verbose_name=_("Confirmed by"),
    )
    confirmed_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    confirmed_via = models.CharField(max_length=10, choices=ConfirmedVia.choices, blank=True)
    confirmation_note = models.CharField(max_length=300, blank=True)
    confirmation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("value delivered")
        verbose_name_plural = _("value delivered")
        ordering = ["-delivered_on", "-pk"]
        indexes = [models.Index(fields=["key_account", "delivered_on"], name="value_by_account")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="recorded") | Q(confirmed_on__isnull=False),
                name="value_confirmed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:value_list", args=[self.key_account_id]) + f"#value-{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_money(self) -> bool:
        return self.measure == self.Measure.MONEY


class CustomerIssue(models.Model):
    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("issue status", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    HIGH_SEVERITIES = (Severity.HIGH, Severity.CRITICAL)

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="customer_issues"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_issues",
        help_text=_("Who follows it up in our company: someone on the account team."),
    )
    raised_on = models.DateField(validators=[validate_in_window])
    due_on = models.DateField(_("Due"), validators=[validate_in_window])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    customer_visible = models.BooleanField(
        _("The customer sees it"),
        default=False,
        help_text=_("Shown (read-only) in the customer workspace of the account's stakeholders."),
    )
    resolved_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    # Set once, in the transaction that tells the director (rhythm's escalation job).
    escalated_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["key_account", "status"], name="issue_by_account"),
            models.Index(
                fields=["due_on"],
                name="issue_to_escalate",
                condition=Q(escalated_at__isnull=True, status__in=["open", "in_progress"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:issue_list", args=[self.key_account_id]) + f"#issue-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today
