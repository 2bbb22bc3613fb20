"""Programme organisation: who serves the key accounts, how good they are at it, how they grow.

The account team itself is `accounts.Membership` (the permission rules read it); this app adds
what sits around it: executive sponsors, the competences and selling style of each key account
manager, allocation decisions, job specifications per role and the directors' mentoring log.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, Role
from common.dates import validate_in_window
from common.history import HistoricalRecords
from common.limits import NOTE_MAX_CHARS, TEXT_MAX_CHARS, MaxLinesValidator

from .defaults import COMPETENCE_TEXTS, JOB_SPEC_TEXTS

SKILL_MIN, SKILL_MAX = 1, 5
GRID_MIN, GRID_MAX = 1, 9
# Sales grid bands (Blake–Mouton on a 1–9 scale): 1–3 low, 4–6 middle, 7–9 high.
GRID_LOW_MAX = 3
GRID_HIGH_MIN = 7


class SellingStyle(models.TextChoices):
    ORDER_TAKER = "order_taker", _("Order taker")
    CUSTOMER_FRIEND = "customer_friend", _("Customer friend")
    PRESSURE_SELLER = "pressure_seller", _("Pressure seller")
    COMPROMISER = "compromiser", _("Compromiser")
    PROBLEM_SOLVER = "problem_solver", _("Problem solver")


SELLING_STYLE_MEANING = {
    SellingStyle.ORDER_TAKER: _("Low concern for both: sells a standard product, transactionally."),
    SellingStyle.CUSTOMER_FRIEND: _("Cares for the relationship, little push for the sale."),
    SellingStyle.PRESSURE_SELLER: _("Pushes the sale with little regard for the customer's needs."),
    SellingStyle.COMPROMISER: _("Balances relationship and product emphasis; no strong lean."),
    SellingStyle.PROBLEM_SOLVER: _("Sells what solves the customer's problems: high on both."),
}


def selling_style(concern_for_customer: int, concern_for_sale: int) -> str:
    """Place a point of the 9×9 sales grid in one of Blake and Mouton's five styles.

    Each axis is split into bands: 1–3 low, 4–6 middle, 7–9 high. The four corner styles need
    *both* scores in a corner band; any point with a middle score on either axis is a
    compromiser:

    * customer low (1–3),  sale low (1–3)   → order taker
    * customer high (7–9), sale low (1–3)   → customer friend
    * customer low (1–3),  sale high (7–9)  → pressure seller
    * customer high (7–9), sale high (7–9)  → problem solver
    * anything else (a 4, 5 or 6 on either axis) → compromiser
    """
    for value in (concern_for_customer, concern_for_sale):
        if not GRID_MIN <= value <= GRID_MAX:
            raise ValueError(f"Sales grid scores run from {GRID_MIN} to {GRID_MAX}, not {value}.")

    def band(value: int) -> str:
        if value <= GRID_LOW_MAX:
            return "low"
        if value >= GRID_HIGH_MIN:
            return "high"
        return "middle"

    return {
        ("low", "low"): SellingStyle.ORDER_TAKER,
        ("high", "low"): SellingStyle.CUSTOMER_FRIEND,
        ("low", "high"): SellingStyle.PRESSURE_SELLER,
        ("high", "high"): SellingStyle.PROBLEM_SOLVER,
    }.get((band(concern_for_customer), band(concern_for_sale)), SellingStyle.COMPROMISER)


class ExecutiveSponsor(models.Model):
    """The senior person who backs one key account (CEO, head of sales).

    The sponsor must be in the Executive group: executives read every account, so a sponsor can
    always see what they sponsor, and the role stays with the people who can open senior doors.
    """

    key_account = models.OneToOneField(
        KeyAccount, on_delete=models.CASCADE, related_name="executive_sponsor"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sponsorships"
    )
    named_on = models.DateField(validators=[validate_in_window])
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} sponsors {self.key_account}"


class Competence(models.Model):
    """A skill the programme assesses key account managers on (1–5)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """The name in the reader's language while it is the default; as typed once edited."""
        return COMPETENCE_TEXTS.shown(self.name)

    @property
    def shown_description(self) -> str:
        return COMPETENCE_TEXTS.shown(self.description)


# Codes the allocation rules read (created by migration 0002).
STRATEGIC_THINKING = "strategic-thinking"
FINANCIAL_AWARENESS = "financial-awareness"


class SkillsAssessment(models.Model):
    """One assessment of a key account manager by one of their directors. Never edited:
    a new assessment is a new row, so the history stays."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills_assessments"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessed_on = models.DateField(validators=[validate_in_window])
    concern_for_customer = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(GRID_MIN), MaxValueValidator(GRID_MAX)]
    )
    concern_for_sale = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(GRID_MIN), MaxValueValidator(GRID_MAX)]
    )
    comment = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["manager", "-assessed_on", "-pk"]
        indexes = [models.Index(fields=["manager", "-assessed_on"], name="assessment_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(concern_for_customer__gte=GRID_MIN, concern_for_customer__lte=GRID_MAX)
                & Q(concern_for_sale__gte=GRID_MIN, concern_for_sale__lte=GRID_MAX),
                name="sales_grid_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} assessed {self.assessed_on}"

    @property
    def selling_style(self) -> str:
        return selling_style(self.concern_for_customer, self.concern_for_sale)

    @property
    def selling_style_label(self) -> str:
        return SellingStyle(self.selling_style).label

    def score_for(self, code: str) -> int | None:
        """Score on one competence; uses prefetched `scores` when present."""
        for score in self.scores.all():
            if score.competence.code == code:
                return score.score
        return None


class CompetenceScore(models.Model):
    assessment = models.ForeignKey(
        SkillsAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SKILL_MIN), MaxValueValidator(SKILL_MAX)]
    )

    class Meta:
        ordering = ["competence__position", "competence_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competence"], name="one_score_per_competence"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SKILL_MIN, score__lte=SKILL_MAX),
                name="competence_score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence}: {self.score}"


class AllocationDecision(models.Model):
    """A director's decision to move an account to another manager, and why."""

    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="allocation_decisions"
    )
    previous_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    new_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(max_length=NOTE_MAX_CHARS)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(validators=[validate_in_window])

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key_account}: {self.previous_manager} → {self.new_manager}"


class JobSpecification(models.Model):
    """What a role needs and does; used when recruiting. One per programme role."""

    ROLES = [Role.DIRECTOR, Role.MANAGER, Role.COORDINATOR]
    TEXT_FIELDS = ("purpose", "skills", "day_to_day", "long_term")

    role = models.CharField(
        max_length=20,
        unique=True,
        choices=[(r.value, r.label) for r in ROLES],
    )
    purpose = models.TextField(
        _("Role within the organisation"),
        max_length=TEXT_MAX_CHARS,
        validators=[MaxLinesValidator()],
    )
    skills = models.TextField(
        _("Skills and qualities"), max_length=TEXT_MAX_CHARS, validators=[MaxLinesValidator()]
    )
    day_to_day = models.TextField(
        _("Day-to-day responsibilities"),
        max_length=TEXT_MAX_CHARS,
        validators=[MaxLinesValidator()],
    )
    long_term = models.TextField(
        _("Long-term responsibilities"), max_length=TEXT_MAX_CHARS, validators=[MaxLinesValidator()]
    )
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Job specification: {self.get_role_display()}"

    @cached_property
    def shown(self) -> dict[str, str]:
        """The four texts by field name, each in the reader's language while it is the
        default, as typed once edited."""
        return {name: JOB_SPEC_TEXTS.shown(getattr(self, name)) for name in self.TEXT_FIELDS}


class MentoringTopic(models.TextChoices):
    PLAN_REVIEW = "plan_review", _("Plan review and strategic thinking")
    VALUE_PROPOSITION = "value_proposition", _("Value proposition")
    SENIOR_ACCESS = "senior_access", _("Access to senior customer contacts")
    INTERNAL_BLOCKERS = "internal_blockers", _("Internal blockers")


class MentoringSession(models.Model):
    """A director's mentoring conversation with one of their managers about one account."""

    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_given"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_received"
    )
    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="mentoring_sessions"
    )
    held_on = models.DateField(validators=[validate_in_window])
    topics = models.JSONField(default=list, help_text="MentoringTopic values")
    notes = models.TextField(_("What we discussed"), max_length=TEXT_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["manager", "-held_on"], name="mentoring_by_manager"),
            models.Index(fields=["director", "-held_on"], name="mentoring_by_director"),
        ]

    def __str__(self) -> str:
        return f"Mentoring {self.manager} ({self.held_on})"

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(MentoringTopic.choices)
        return [labels[t] for t in self.topics if t in labels]


class MentoringNextStep(models.Model):
    """An agreed next step; can be turned into an action on the account's current plan."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="next_steps"
    )
    text = models.CharField(max_length=250)
    due_on = models.DateField(validators=[validate_in_window])
    action = models.OneToOneField(
        "planning.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentoring_step",
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text
