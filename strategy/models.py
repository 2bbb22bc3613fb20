"""Stage 1 (Strategy) data: the roll-out roadmap, the weighted selection criteria and each
candidate customer's scores on them.

The tables kept the names they had when Stage 1 lived in `accounts` (`db_table`), so moving the
code moved no data (see migrations/0001_initial.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, Programme
from common.dates import validate_in_window
from common.history import HistoricalRecords
from common.limits import TEXT_MAX_CHARS


class RoadmapItem(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        STEERING = "steering", _("Steering committee")
        SALES_ACTIVITY = "sales_activity", _("Regular sales activity")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roadmap")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    due_on = models.DateField(validators=[validate_in_window])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    done = models.BooleanField(default=False)

    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "accounts_roadmapitem"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Axis(models.TextChoices):
    ATTRACTIVENESS = "attractiveness", _("Account attractiveness")
    STRENGTH = "strength", _("Our business strength")


class SelectionCriterion(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    axis = models.CharField(max_length=20, choices=Axis.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    weight = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    scale_1 = models.CharField(_("What a 1 means"), max_length=240)
    scale_3 = models.CharField(_("What a 3 means"), max_length=240)
    scale_5 = models.CharField(_("What a 5 means"), max_length=240)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    # Edit-conflict guard of its edit form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    # Its notes each reader reads in their language (accounts.event_text.note): no limit.
    history = HistoricalRecords(
        table_name="accounts_historicalselectioncriterion",
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        db_table = "accounts_selectioncriterion"
        ordering = ["axis", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_axis_display()})"


class CriterionScore(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        SelectionCriterion, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    scored_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(table_name="accounts_historicalcriterionscore")

    class Meta:
        db_table = "accounts_criterionscore"
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "criterion"], name="one_score_per_customer_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="score_within_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer}: {self.criterion} = {self.score}"
