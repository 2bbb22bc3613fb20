"""Stage 5 (Delivery): meetings coordinators schedule, quotes, progress check-ins."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import KeyAccount
from common.dates import validate_in_window, wall_clock
from common.history import HistoricalRecords
from common.limits import LONG_TEXT_MAX_CHARS, NOTE_MAX_CHARS, TEXT_MAX_CHARS
from discovery.models import Stakeholder
from opportunities.models import ListPrice, Offering, Opportunity
from planning.models import Action, EngagementActivity, Objective


class Meeting(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer meeting")
        INTERNAL = "internal", _("Internal account team")
        WORKSHOP = "workshop", _("Joint workshop")
        BUSINESS_REVIEW = "business_review", _("Business review")
        EXECUTIVE_VISIT = "executive_visit", _("Executive visit")

    key_account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOMER)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(validators=[validate_in_window])
    ends_at = models.DateTimeField(validators=[validate_in_window])
    time_zone = models.CharField(max_length=64, default="Europe/London")
    location = models.CharField(_("Place or video link"), max_length=300, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings", blank=True
    )
    stakeholders = models.ManyToManyField(Stakeholder, related_name="meetings", blank=True)
    opportunities = models.ManyToManyField(Opportunity, related_name="meetings", blank=True)
    objectives = models.ManyToManyField(Objective, related_name="meetings", blank=True)
    agenda = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    notes = models.TextField(blank=True, max_length=LONG_TEXT_MAX_CHARS)
    decisions = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    follow_ups = models.ManyToManyField(
        Action,
        related_name="source_meetings",
        blank=True,
        help_text=_("Plan actions agreed in this meeting."),
    )
    # The engagement plan item this meeting delivers: once held (notes written), the item's
    # last-held and next-due dates move on by its cadence.
    engagement = models.ForeignKey(
        EngagementActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("engagement plan item"),
    )
    # Optimistic locking: every save bumps it; a stale form is a conflict, never an overwrite.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A meeting that ended this many days ago without notes is flagged "write-up missing".
    FOLLOW_UP_GRACE_DAYS = 3
    history = HistoricalRecords()

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

    def get_absolute_url(self) -> str:
        return reverse("delivery:meeting_detail", args=[self.key_account_id, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_taken_place(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def follow_up_missing(self, now=None) -> bool:
        """True when the meeting ended more than FOLLOW_UP_GRACE_DAYS ago, was not cancelled
        and still has no notes: someone owes the account a write-up."""
        now = now or timezone.now()
        return (
            not self.is_cancelled
            and not self.notes.strip()
            and self.ends_at < now - timedelta(days=self.FOLLOW_UP_GRACE_DAYS)
        )

    # The meeting's wall-clock times in its own zone, which templates show as they are (not
    # converted to the server's zone: common.dates.wall_clock).
    @property
    def local_starts_at(self):
        return wall_clock(self.starts_at, ZoneInfo(self.time_zone))

    @property
    def local_ends_at(self):
        return wall_clock(self.ends_at, ZoneInfo(self.time_zone))


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
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", pgettext_lazy("quote status", "Expired")

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
    valid_until = models.DateField(validators=[validate_in_window])
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
    discount_approved_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_in_window]
    )
    # A director may refuse the discount instead, with the reason; a change of prices or
    # discounts clears the refusal and asks again.
    discount_refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    discount_refused_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_in_window]
    )
    discount_refusal_reason = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    sent_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    decided_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    notes = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    # The expired quote this draft renews ("Renew": same lines, a new number and validity).
    # One renewal per quote; deleting the renewal lets the quote be renewed again.
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
    )
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The life of a quote. Only a draft can be edited; only a sent quote is decided.
    TRANSITIONS = {
        Status.DRAFT: (Status.SENT,),
        Status.SENT: (Status.ACCEPTED, Status.REJECTED, Status.EXPIRED),
    }
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("delivery:quote_detail", args=[self.key_account_id, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def validity_ended_on(self) -> date:
        """The first day the quote is no longer valid: the day after `valid_until`, in the
        programme's time zone (the daily expiry job's rule, delivery.services.expiry)."""
        return self.valid_until + timedelta(days=1)

    @property
    def expired_on(self) -> date | None:
        """The day an expired quote expired: the day after its validity ended, or the day it
        was marked expired if that was earlier (withdrawn before its end, or its account
        de-selected). None for a quote that is not expired."""
        if self.status != self.Status.EXPIRED:
            return None
        if self.decided_at is None:
            return self.validity_ended_on
        return min(timezone.localdate(self.decided_at), self.validity_ended_on)

    def next_statuses(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.status, ())

    def totals(self, lines=None) -> "QuoteTotals":
        """Totals of the quote (pass prefetched lines to avoid a query)."""
        return QuoteTotals.of(
            self.lines.all() if lines is None else lines, self.overall_discount_percent
        )

    @property
    def is_discount_approved(self) -> bool:
        return self.discount_approved_at is not None

    @property
    def is_discount_refused(self) -> bool:
        return self.discount_refused_at is not None


CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Money is rounded to the cent, halves away from zero (ROUND_HALF_UP): 0.125 -> 0.13."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class QuoteTotals:
    """How a quote adds up (the quote page says it in the reader's language, quote_detail.html):

    1. each line: quantity x unit price offered, less the line discount %, rounded to the cent;
    2. subtotal: the sum of the rounded lines;
    3. overall discount: subtotal x overall discount %, rounded to the cent;
    4. total: subtotal - overall discount.

    A line chosen from an offering carries the offering's list price (the price list's price
    valid when the quote was drafted or edited, in the quote's currency). Its discount is
    worked out, not declared: 1 - (unit price offered x (1 - line discount %)) / list price.
    A free-text line (no offering, or no list price) has the discount its author declares.

    The list value is the sum of quantity x list price (the unit price offered where there
    is no list price). `effective_discount_percent` compares the total with it; that, and
    each single line's worked-out discount, is what the programme's discount limit is
    checked against — so a unit price typed below the list price needs the same approval as
    a declared discount.
    """

    def __init__(self, *, list_value, subtotal, overall_discount, total, max_line_discount):
        self.list_value = list_value
        self.subtotal = subtotal
        self.overall_discount = overall_discount
        self.total = total
        self.max_line_discount = max_line_discount

    @classmethod
    def of(cls, lines, overall_discount_percent: Decimal) -> "QuoteTotals":
        lines = list(lines)
        list_value = to_cents(sum((line.list_amount for line in lines), Decimal("0")))
        subtotal = sum((line.net_amount for line in lines), Decimal("0.00"))
        overall = to_cents(subtotal * Decimal(overall_discount_percent) / 100)
        max_line = max((line.computed_discount_percent for line in lines), default=Decimal("0"))
        return cls(
            list_value=list_value,
            subtotal=to_cents(subtotal),
            overall_discount=overall,
            total=to_cents(subtotal - overall),
            max_line_discount=max_line,
        )

    @property
    def effective_discount_percent(self) -> Decimal:
        if not self.list_value:
            return Decimal("0.00")
        return to_cents((self.list_value - self.total) / self.list_value * 100)

    def needs_approval(self, limit_percent: Decimal) -> bool:
        """Above the programme's limit, a director must approve before the quote is sent."""
        return self.effective_discount_percent > limit_percent or (
            self.max_line_discount > limit_percent
        )


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    offering = models.ForeignKey(Offering, on_delete=models.SET_NULL, null=True, blank=True)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # Prices need more precision than totals (a sensor-month at 0.4375): four places; line
    # amounts are still rounded to the cent.
    unit_price = models.DecimalField(
        _("Unit price offered"), max_digits=18, decimal_places=4, validators=[MinValueValidator(0)]
    )
    # The offering's list price taken when the line was priced (kept, so a later change of
    # the price list does not rewrite a quote already sent); empty for a free-text line.
    list_price = models.ForeignKey(
        ListPrice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    list_unit_price = models.DecimalField(
        _("List price per unit"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0, unit_price__gte=0), name="quote_line_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(list_unit_price__isnull=True) | Q(list_unit_price__gte=0),
                name="quote_line_list_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="quote_line_discount_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def gross_amount(self) -> Decimal:
        return (self.quantity or Decimal("0")) * (self.unit_price or Decimal("0"))

    @property
    def has_list_price(self) -> bool:
        return self.list_unit_price is not None and self.list_unit_price > 0

    @property
    def list_amount(self) -> Decimal:
        """quantity x list price (the unit price offered when the line has no list price)."""
        price = self.list_unit_price if self.has_list_price else self.unit_price
        return (self.quantity or Decimal("0")) * (price or Decimal("0"))

    @property
    def computed_discount_percent(self) -> Decimal:
        """The line's discount on its list price: 1 - unit price x (1 - declared %) / list
        price, to the hundredth of a percent (negative: above list). Without a list price,
        the declared discount."""
        declared = self.discount_percent or Decimal("0")
        if not self.has_list_price:
            return Decimal(declared)
        paid = (self.unit_price or Decimal("0")) * (100 - declared) / 100
        return to_cents((self.list_unit_price - paid) / self.list_unit_price * 100)

    @property
    def net_amount(self) -> Decimal:
        """quantity x unit price less the line discount, rounded to the cent (half up)."""
        discount = self.discount_percent or Decimal("0")
        return to_cents(self.gross_amount * (100 - discount) / 100)


class CheckIn(models.Model):
    """A weekly or monthly progress check on an opportunity being pursued."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="check_ins")
    checked_on = models.DateField(validators=[validate_in_window])
    status = models.CharField(max_length=20, choices=Opportunity.Status.choices)
    next_step = models.CharField(max_length=300, blank=True)
    blockers = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.opportunity} check-in {self.checked_on}"
