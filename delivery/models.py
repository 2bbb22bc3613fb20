"""Stage 5 (Delivery): meetings coordinators schedule, quotes, progress check-ins."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import KeyAccount
from discovery.models import Stakeholder
from opportunities.models import Offering, Opportunity
from planning.models import Objective


class Meeting(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer meeting"
        INTERNAL = "internal", "Internal account team"
        WORKSHOP = "workshop", "Joint workshop"
        BUSINESS_REVIEW = "business_review", "Business review"
        EXECUTIVE_VISIT = "executive_visit", "Executive visit"

    key_account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOMER)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="Europe/London")
    location = models.CharField("Place or video link", max_length=300, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings", blank=True
    )
    stakeholders = models.ManyToManyField(Stakeholder, related_name="meetings", blank=True)
    opportunities = models.ManyToManyField(Opportunity, related_name="meetings", blank=True)
    objectives = models.ManyToManyField(Objective, related_name="meetings", blank=True)
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["key_account", "starts_at"], name="meeting_by_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A user's private calendar feed URL. Revoking replaces the token; the old URL is a 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class Quote(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"

    key_account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="quotes")
    number = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    currency = models.CharField(max_length=3, default="EUR")
    overall_discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    valid_until = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    discount_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    discount_approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    offering = models.ForeignKey(Offering, on_delete=models.SET_NULL, null=True, blank=True)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0, unit_price__gte=0), name="quote_line_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="quote_line_discount_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class CheckIn(models.Model):
    """A weekly or monthly progress check on an opportunity being pursued."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="check_ins")
    checked_on = models.DateField()
    status = models.CharField(max_length=20, choices=Opportunity.Status.choices)
    next_step = models.CharField(max_length=300, blank=True)
    blockers = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.opportunity} check-in {self.checked_on}"
