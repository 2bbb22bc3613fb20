"""Stage 3 (Value opportunities): joint value, quantified and prioritised."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, Programme
from common.dates import validate_in_window
from common.history import HistoricalRecords
from common.limits import LONG_TEXT_MAX_CHARS, NOTE_MAX_CHARS, TEXT_MAX_CHARS
from discovery.models import OpportunityIdea, Stakeholder

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class Workshop(models.Model):
    """A joint value-creation workshop with the customer."""

    key_account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="workshops")
    held_on = models.DateField(validators=[validate_in_window])
    title = models.CharField(max_length=200)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="workshops", blank=True
    )
    stakeholders = models.ManyToManyField(Stakeholder, related_name="workshops", blank=True)
    agenda = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    outcomes = models.TextField(blank=True, max_length=LONG_TEXT_MAX_CHARS)
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class Quadrant(models.TextChoices):
    """Cells of the opportunity matrix; the rule that assigns them is in services.quadrant_for."""

    QUICK_WIN = "quick_win", _("Quick win")
    MAJOR_PROJECT = "major_project", _("Major project")
    FILL_IN = "fill_in", _("Fill-in")
    DROP = "drop", _("Drop without regret")


class Opportunity(models.Model):
    class Beneficiary(models.TextChoices):
        SELLER = "seller", _("Seller (us)")
        CUSTOMER = "customer", _("Customer")
        BOTH = "both", _("Both")

    class Lever(models.TextChoices):
        VOLUME = "volume", _("More volume")
        CROSS_SELL = "cross_sell", _("Cross-sell")
        NEW_PRODUCT = "new_product", _("New product")
        COST_TO_SERVE = "cost_to_serve", _("Lower cost to serve")
        CREDIT_TERMS = "credit_terms", _("Credit terms")
        TRADE_UP = "trade_up", _("Trade-up")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        INTERVIEW = "interview", _("Interview")
        WORKSHOP = "workshop", _("Workshop")
        MANAGER = "manager", _("Manager")
        WHITE_SPACE = "white_space", _("White space")
        # Set by accepting a customer's proposal (the customer workspace), never chosen.
        CUSTOMER = "customer", _("Customer proposal")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        QUALIFIED = "qualified", _("Qualified")
        PURSUING = "pursuing", _("Pursuing")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        DROPPED = "dropped", _("Dropped")

    class Decision(models.TextChoices):
        PURSUE = "pursue", _("Pursue")
        HOLD = "hold", _("Hold")
        DROP = "drop", _("Drop")

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="opportunities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    beneficiary = models.CharField(
        _("Who benefits"), max_length=10, choices=Beneficiary.choices, default=Beneficiary.BOTH
    )
    lever = models.CharField(max_length=20, choices=Lever.choices, default=Lever.VOLUME)
    annual_value = models.DecimalField(
        _("Estimated annual value"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    profit_potential = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # The four 1–5 scores are empty until someone scores the opportunity (all four or none):
    # an idea converted from an interview or a white-space cell is "not scored yet", never a
    # made-up 3 that would place it on the matrix.
    strategic_value_us = models.PositiveSmallIntegerField(
        _("Strategic value for us"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    strategic_value_customer = models.PositiveSmallIntegerField(
        _("Strategic value for the customer"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    effort = models.PositiveSmallIntegerField(null=True, blank=True, validators=ONE_TO_FIVE)
    risk = models.PositiveSmallIntegerField(null=True, blank=True, validators=ONE_TO_FIVE)
    identified_on = models.DateField(validators=[validate_in_window])
    expected_start_on = models.DateField(
        _("Expected close/start"), null=True, blank=True, validators=[validate_in_window]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_opportunities",
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANAGER)
    source_idea = models.OneToOneField(
        OpportunityIdea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunity",
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    stakeholders = models.ManyToManyField(Stakeholder, related_name="opportunities", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDEA)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    # Stored so lists can sort and filter in the database; set by opportunities.services.
    # Empty (None / "") while the opportunity is not scored: it sorts last and stays off the
    # matrix.
    priority = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Also stored by opportunities.services, so "quick wins only" is a database filter.
    quadrant = models.CharField(max_length=20, choices=Quadrant.choices, blank=True)
    # Bumped by every edit; the edit form carries it so a concurrent save is noticed.
    revision = models.PositiveIntegerField(default=0)
    is_internal = models.BooleanField(
        default=False, help_text=_("Left out of the customer version of the plan.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("priority").desc(nulls_last=True), "title"]
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_value__gte=0, profit_potential__gte=0),
                name="opportunity_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    strategic_value_us__isnull=True,
                    strategic_value_customer__isnull=True,
                    effort__isnull=True,
                    risk__isnull=True,
                    priority__isnull=True,
                )
                | Q(
                    strategic_value_us__gte=1,
                    strategic_value_us__lte=5,
                    strategic_value_customer__gte=1,
                    strategic_value_customer__lte=5,
                    effort__gte=1,
                    effort__lte=5,
                    risk__gte=1,
                    risk__lte=5,
                    priority__isnull=False,
                ),
                name="opportunity_scored_all_or_none",
            ),
        ]
        indexes = [models.Index(fields=["key_account", "status"], name="opportunity_by_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_scored(self) -> bool:
        return None not in (
            self.strategic_value_us,
            self.strategic_value_customer,
            self.effort,
            self.risk,
        )


class OpportunityDecision(models.Model):
    """Log of pursue / hold / drop decisions."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Opportunity.Decision.choices)
    reason = models.TextField(max_length=NOTE_MAX_CHARS)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.opportunity}"


class Offering(models.Model):
    """Programme-level catalogue of what we sell (rows of the white-space grid)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="offerings")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    archived_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])

    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            # The name in any case, as the catalogue's service checks it (a save racing past
            # that check is refused here and told the same: common.constraints.refused_as).
            models.UniqueConstraint(
                "programme",
                Lower("name"),
                name="offering_name_unique",
                violation_error_message=_(
                    "An offering with this name is already in the catalogue."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BusinessUnit(models.Model):
    """A customer's business unit or buying centre (columns of the white-space grid)."""

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="business_units"
    )
    name = models.CharField(max_length=200)
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "key_account",
                Lower("name"),
                name="business_unit_name_unique",
                violation_error_message=_("This account already has a unit with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WhiteSpaceCell(models.Model):
    class State(models.TextChoices):
        WE_SELL = "we_sell", _("We sell here")
        COMPETITOR = "competitor", _("Competitor sells here")
        OPPORTUNITY = "opportunity", _("Opportunity")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.CASCADE, related_name="cells")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="cells")
    state = models.CharField(max_length=20, choices=State.choices)
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="cells"
    )
    note = models.CharField(max_length=200, blank=True)
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business_unit", "offering"], name="one_cell_per_unit_offering"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} × {self.business_unit}: {self.get_state_display()}"


class ListPrice(models.Model):
    """What an offering costs per unit in one currency over a period: the price list.

    An offering (a product family) has many prices over time and per currency; at most one
    is valid for a currency on any day (services.list_price_add keeps the periods apart). A
    quote line chosen from the offering takes the price valid on the quote's day, and the
    discount is computed from it rather than declared."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="list_prices")
    currency = models.CharField(max_length=3)
    unit = models.CharField(
        max_length=40, help_text=_("What one unit is, e.g. “tonne”, “sensor per month”.")
    )
    unit_price = models.DecimalField(
        _("List price per unit"),
        max_digits=18,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_from = models.DateField(validators=[validate_in_window])
    valid_until = models.DateField(
        validators=[validate_in_window],
        null=True,
        blank=True,
        help_text=_("Last day the price holds; empty: until replaced."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering__name", "currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "currency", "valid_from"], name="list_price_one_start"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="list_price_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="list_price_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering}: {self.currency} {self.unit_price} per {self.unit}"
