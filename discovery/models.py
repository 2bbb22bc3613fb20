"""Stage 2 (Discovery): what we learn about a key account before planning."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import BuySellPosition, KeyAccount, RelationshipStage
from common.dates import validate_in_window
from common.history import HistoricalRecords
from common.limits import LONG_TEXT_MAX_CHARS, NOTE_MAX_CHARS, TEXT_MAX_CHARS


class ProfileSection(models.Model):
    """One section of the desk-research profile. `revision` guards against lost updates."""

    class Key(models.TextChoices):
        CUSTOMER_MARKET = "customer_market", _("Customer and market")
        OBJECTIVES_STRATEGY = "objectives_strategy", _("Objectives and strategy")
        ANNUAL_REPORT = "annual_report", _("Annual report summary")
        NEEDS = "needs", _("Needs")
        VALUE_CHAIN = "value_chain", _("Internal value chain")
        SUCCESS_FACTORS = "success_factors", _("Critical success factors")
        CAPABILITY = "capability", _("Our capability to sell into it")

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="profile_sections"
    )
    key = models.CharField(max_length=30, choices=Key.choices)
    content = models.TextField(blank=True, max_length=LONG_TEXT_MAX_CHARS)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["key_account", "key"]
        constraints = [
            models.UniqueConstraint(fields=["key_account", "key"], name="one_section_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key_account}: {self.get_key_display()}"


class FinancialRatio(models.Model):
    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="financial_ratios"
    )
    name = models.CharField(max_length=120)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-year"]
        constraints = [
            # One value of a ratio per year, the name in any case (services.financial_ratio_save
            # says so at the name first; this holds when two saves race past that check).
            models.UniqueConstraint(
                "key_account",
                Lower("name"),
                "year",
                name="one_ratio_per_name_and_year",
                violation_error_message=_("This account already has this ratio for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.value}"


class Level(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Competitor(models.Model):
    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="competitors"
    )
    name = models.CharField(max_length=200)
    offering = models.CharField(_("What they sell"), max_length=300, blank=True)
    strength = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    threat_level = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # One row per competitor, the name in any case (as services.competitor_save checks).
            models.UniqueConstraint(
                "key_account",
                Lower("name"),
                name="one_competitor_per_name",
                violation_error_message=_("This account already lists a competitor of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stakeholder(models.Model):
    class BuyingRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision maker")
        INFLUENCER = "influencer", _("Influencer")
        USER = "user", _("User")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        BUYER = "buyer", _("Buyer")

    class Attitude(models.TextChoices):
        CHAMPION = "champion", _("Champion")
        SUPPORTER = "supporter", _("Supporter")
        NEUTRAL = "neutral", _("Neutral")
        SCEPTIC = "sceptic", _("Sceptic")
        BLOCKER = "blocker", _("Blocker")

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    # Blank: the e-mails we send them (workspace invitations, meeting invitations, answers to
    # their proposals) are written in the language of the person whose step sends them.
    language = models.CharField(
        _("Language of our e-mails"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to write in the language of whoever sends the e-mail."),
    )
    buying_role = models.CharField(max_length=20, choices=BuyingRole.choices)
    influence = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    attitude = models.CharField(max_length=20, choices=Attitude.choices, default=Attitude.NEUTRAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_stakeholders",
        help_text=_("Our person who owns the relationship."),
    )
    last_contact_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    reports_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    notes = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    archived_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    updated_at = models.DateTimeField(auto_now=True)
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reports_to=models.F("pk")), name="stakeholder_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def mail_language(self) -> str:
        """The language of the e-mails we send them: theirs, else the sender's (the active
        language of the request or job that sends it)."""
        return self.language or translation.get_language() or ""


class Interview(models.Model):
    key_account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(validators=[validate_in_window])
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    stakeholders = models.ManyToManyField(Stakeholder, related_name="interviews", blank=True)
    notes = models.TextField(_("Questions and notes"), blank=True, max_length=LONG_TEXT_MAX_CHARS)
    needs_learned = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    validated = models.TextField(
        _("Profile statements validated"), blank=True, max_length=TEXT_MAX_CHARS
    )
    contradicted = models.TextField(
        _("Profile statements contradicted"), blank=True, max_length=TEXT_MAX_CHARS
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Interview {self.held_on} ({self.key_account})"


class OpportunityIdea(models.Model):
    """An idea heard in an interview. Stage 3 turns it into an Opportunity in one click."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class RelationshipChange(models.Model):
    """History of relationship stage and buy-sell position (the current value is on KeyAccount)."""

    class Field(models.TextChoices):
        STAGE = "stage", _("Relationship stage")
        POSITION = "position", _("Buy-sell position")
        SERVICE = "service", _("Service level offered")

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="relationship_changes"
    )
    field = models.CharField(max_length=10, choices=Field.choices)
    old_value = models.CharField(max_length=20, blank=True)
    new_value = models.CharField(max_length=20)
    changed_on = models.DateField(validators=[validate_in_window])
    reason = models.TextField(max_length=NOTE_MAX_CHARS)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value} → {self.new_value}"

    def _label(self, value: str) -> str:
        """A stored value ("cooperative") as the reader's language names it ("Coopérative")."""
        choices = BuySellPosition if self.field == self.Field.POSITION else RelationshipStage
        return str(choices(value).label) if value in choices.values else value

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)


class ProfitabilityYear(models.Model):
    """One year of an account's profitability, as domain.md splits it:

    gross margin       = gross sales − cost of goods (what the products sold cost us)
    cost to serve      = discounts + rebates + transport + returns + customer service
                         + the KAM team's own cost + other cost to serve
    net account profit = gross margin − cost to serve
    """

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="profitability_years"
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    gross_sales = models.DecimalField(max_digits=14, decimal_places=2)
    cost_of_goods = models.DecimalField(
        _("cost of goods"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    discounts = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    rebates = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    transport = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    returns = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    customer_service = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    kam_team_cost = models.DecimalField(
        _("KAM team cost"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    other_costs = models.DecimalField(
        _("other cost to serve"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The same sum as `net_profit`, computed and stored by the database on every insert and
    # update (a generated column), whoever writes the row (services, admin, bulk loads): the
    # portfolio's aggregates read one column instead of nine subtractions per row, which were
    # most of its year totals' time (bench/README.md, finding 34). Read through
    # discovery.selectors.NET_PROFIT; on an instance, `net_profit` (also right before saving).
    stored_net_profit = models.GeneratedField(
        expression=F("gross_sales")
        - F("cost_of_goods")
        - F("discounts")
        - F("rebates")
        - F("transport")
        - F("returns")
        - F("customer_service")
        - F("kam_team_cost")
        - F("other_costs"),
        output_field=models.DecimalField(max_digits=16, decimal_places=2),
        db_persist=True,
    )

    # The lines of the cost to serve (the cost of goods is not one of them).
    COST_TO_SERVE_FIELDS = (
        "discounts",
        "rebates",
        "transport",
        "returns",
        "customer_service",
        "kam_team_cost",
        "other_costs",
    )
    MONEY_FIELDS = ("gross_sales", "cost_of_goods", *COST_TO_SERVE_FIELDS)
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    # Not in the history: derived from the tracked lines, and stale on an instance after an
    # UPDATE (the database computes it; Django reloads it only on INSERT).
    history = HistoricalRecords(excluded_fields=["stored_net_profit"])

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["key_account", "year"], name="one_row_per_year"),
            models.CheckConstraint(
                condition=Q(gross_sales__gte=0), name="gross_sales_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_account} {self.year}"

    @property
    def gross_margin(self) -> Decimal:
        return self.gross_sales - self.cost_of_goods

    @property
    def cost_to_serve(self) -> Decimal:
        return sum((getattr(self, f) for f in self.COST_TO_SERVE_FIELDS), Decimal("0"))

    @property
    def net_profit(self) -> Decimal:
        return self.gross_margin - self.cost_to_serve

    def _share(self, amount: Decimal) -> Decimal | None:
        if not self.gross_sales:
            return None
        return (amount / self.gross_sales * 100).quantize(Decimal("0.1"))

    @property
    def gross_margin_percent(self) -> Decimal | None:
        return self._share(self.gross_margin)

    @property
    def cost_to_serve_percent(self) -> Decimal | None:
        return self._share(self.cost_to_serve)

    @property
    def margin_percent(self) -> Decimal | None:
        """Net margin: net account profit as a share of gross sales."""
        return self._share(self.net_profit)


class LifetimeValueAssumption(models.Model):
    """Inputs of the customer lifetime value (NPV of expected yearly profits)."""

    key_account = models.OneToOneField(
        KeyAccount, on_delete=models.CASCADE, related_name="lifetime_value_assumption"
    )
    base_profit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Yearly profit in year 1; empty means the latest year's net profit."),
    )
    growth_rate_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("3"),
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    discount_rate_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("8"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    horizon_years = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Lifetime value inputs for {self.key_account}"
