"""The scoring rule (see the package's docstring) and the writes that apply it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_update_with_history

from accounts.event_text import EventText
from accounts.models import Classification, Customer, Programme
from common.conflicts import bump_revision, lock_for_edit

from ..models import Axis, CriterionScore, SelectionCriterion
from .base import SCALE_MAX, SCALE_MIN, TWO_PLACES, history_note


def axis_score(pairs) -> Decimal | None:
    """Weighted 0-100 score of one axis from (weight, score-or-None) pairs.

    Unscored criteria (score None) are left out; None when nothing is scored. Integer
    arithmetic until the one final division, so scores exactly on a threshold stay exact.
    """
    scored = [(weight, score) for weight, score in pairs if score is not None]
    total_weight = sum(weight for weight, _ in scored)
    if not scored or total_weight <= 0:
        return None
    numerator = sum(weight * (score - SCALE_MIN) for weight, score in scored) * 100
    denominator = total_weight * (SCALE_MAX - SCALE_MIN)
    return (Decimal(numerator) / Decimal(denominator)).quantize(TWO_PLACES, ROUND_HALF_UP)


def classify(
    attractiveness: Decimal | None,
    strength: Decimal | None,
    *,
    attractiveness_threshold: Decimal,
    strength_threshold: Decimal,
) -> str:
    """Cranfield class from the two axis scores; '' when either axis has no score."""
    if attractiveness is None or strength is None:
        return ""
    high_attractiveness = attractiveness >= attractiveness_threshold
    high_strength = strength >= strength_threshold
    return {
        (True, True): Classification.STRATEGIC,
        (True, False): Classification.STAR,
        (False, True): Classification.STATUS,
        (False, False): Classification.STREAMLINE,
    }[(high_attractiveness, high_strength)]


def weight_shares(criteria) -> dict[int, Decimal]:
    """criterion id -> its share of its axis's total weight, in percent (active ones only)."""
    totals: dict[str, int] = defaultdict(int)
    for criterion in criteria:
        if criterion.archived_at is None:
            totals[criterion.axis] += criterion.weight
    return {
        c.pk: (Decimal(c.weight * 100) / totals[c.axis]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for c in criteria
        if c.archived_at is None and totals[c.axis]
    }


def shares_used(criteria, scores) -> dict[int, Decimal]:
    """criterion id -> the share of its axis this customer's score gave it, in percent: its
    weight over the weights of the criteria scored on that axis (unscored ones are left out,
    so the others share their weight). Only scored, active criteria are in it. With every
    criterion scored, the same as `weight_shares`."""
    active = [c for c in criteria if c.archived_at is None and scores.get(c.pk) is not None]
    totals: dict[str, int] = defaultdict(int)
    for criterion in active:
        totals[criterion.axis] += criterion.weight
    return {
        c.pk: (Decimal(c.weight * 100) / totals[c.axis]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for c in active
    }


@dataclass(frozen=True)
class ScoreResult:
    attractiveness: Decimal | None
    strength: Decimal | None
    classification: str
    missing: int


def score_customer(
    *, criteria: list[SelectionCriterion], scores: dict[int, int], programme: Programme
) -> ScoreResult:
    """Both axis scores, class and number of missing scores for one customer (no queries)."""
    active = [c for c in criteria if c.archived_at is None]
    by_axis = {
        axis: [(c.weight, scores.get(c.pk)) for c in active if c.axis == axis]
        for axis in Axis.values
    }
    attractiveness = axis_score(by_axis[Axis.ATTRACTIVENESS])
    strength = axis_score(by_axis[Axis.STRENGTH])
    return ScoreResult(
        attractiveness=attractiveness,
        strength=strength,
        classification=classify(
            attractiveness,
            strength,
            attractiveness_threshold=programme.attractiveness_threshold,
            strength_threshold=programme.strength_threshold,
        ),
        missing=sum(1 for c in active if c.pk not in scores),
    )


def _active_criteria(programme: Programme) -> list[SelectionCriterion]:
    return list(
        SelectionCriterion.objects.filter(programme_id=programme.pk, archived_at__isnull=True)
    )


# ---- scoring writes -----------------------------------------------------------------------


def customer_rescore(
    *,
    customer: Customer,
    programme: Programme | None = None,
    reason: EventText | None = None,
    criteria: list[SelectionCriterion] | None = None,
    scores: dict[int, int] | None = None,
) -> Customer:
    """Recompute one customer's cached axis scores and class from its stored scores. `reason`
    is the note on the customer's history row. A caller that has just read the programme's
    active `criteria` and written the customer's `scores` (criterion id -> score) under the
    customer's lock passes them, so they are not read again."""
    programme = programme or Programme.current()
    if criteria is None:
        criteria = _active_criteria(programme)
    if scores is None:
        scores = dict(
            customer.scores.filter(criterion__in=criteria).values_list("criterion_id", "score")
        )
    result = score_customer(criteria=criteria, scores=scores, programme=programme)
    customer.attractiveness_score = result.attractiveness
    customer.strength_score = result.strength
    customer.classification = result.classification
    if reason:
        customer._change_reason = history_note(reason)
    customer.save(
        update_fields=[
            "attractiveness_score",
            "strength_score",
            "classification",
            "revision",
            "updated_at",
        ]
    )
    return customer


@dataclass(frozen=True)
class ClassChange:
    customer: Customer
    old: str
    new: str


@dataclass(frozen=True)
class RescoreResult:
    """What re-scoring every customer changed: `rescored` customers whose axis scores or class
    moved, and among them the ones whose class changed (old -> new)."""

    rescored: int
    class_changes: list[ClassChange]

    def summary(self) -> str:
        """'4 customers re-scored, 2 changed class' (shown to the user)."""
        return self.summary_text().text()

    def summary_text(self) -> EventText:
        """The summary as the history keeps it, for each reader in their language."""
        if not self.rescored:
            return EventText(gettext_noop("no customer's scores changed"))
        moved = len(self.class_changes)
        return EventText(
            gettext_noop("%(rescored)s, %(moved)s"),
            rescored=EventText.ngettext(
                "%(count)s customer re-scored",
                "%(count)s customers re-scored",
                self.rescored,
                count=self.rescored,
            ),
            moved=EventText.ngettext(
                "%(count)s changed class", "%(count)s changed class", moved, count=moved
            )
            if moved
            else EventText(gettext_noop("no class changed")),
        )


@transaction.atomic
def customers_rescore_all(
    *, programme: Programme | None = None, reason: EventText | None = None, acting_user=None
) -> RescoreResult:
    """Recompute every customer after weights, criteria or thresholds changed.

    A fixed number of queries whatever the number of customers. `reason` (what changed in the
    criteria or thresholds) is the note of each changed customer's history row, so a class
    that moved is on record with its cause in the customer's (and key account's) history.
    `updated_at` is left alone: it guards users' edits, and a weight change is not an edit of
    the customer."""
    programme = programme or Programme.current()
    criteria = _active_criteria(programme)
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for customer_id, criterion_id, score in CriterionScore.objects.filter(
        criterion__in=criteria
    ).values_list("customer_id", "criterion_id", "score"):
        scores[customer_id][criterion_id] = score
    changed, class_changes = [], []
    # Whole rows, not .only(): the audit history row of a changed customer copies every field.
    for customer in Customer.objects.order_by("name", "pk"):
        result = score_customer(criteria=criteria, scores=scores[customer.pk], programme=programme)
        new = (result.attractiveness, result.strength, result.classification)
        if new != (customer.attractiveness_score, customer.strength_score, customer.classification):
            if result.classification != customer.classification:
                class_changes.append(
                    ClassChange(customer, customer.classification, result.classification)
                )
            (
                customer.attractiveness_score,
                customer.strength_score,
                customer.classification,
            ) = new
            changed.append(customer)
    # With history: a class that changes because weights or thresholds moved is on record
    # (who: the acting user, else the request's user through simple_history's middleware).
    bulk_update_with_history(
        changed,
        Customer,
        ["attractiveness_score", "strength_score", "classification"],
        batch_size=500,
        default_user=acting_user,
        default_change_reason=history_note(
            EventText(gettext_noop("Re-scored: %(reason)s"), reason=reason)
        )
        if reason
        else None,
    )
    return RescoreResult(rescored=len(changed), class_changes=class_changes)


def _note_latest_history(instance, note: EventText) -> None:
    """Put `note` on the history row the last save of `instance` wrote (the programme history
    then says what the change did to the customers). Only on changes: a note on a created
    row reads as a restore in the history page."""
    row = instance.history.order_by("-history_id").first()
    if row is not None and row.history_type == "~":
        type(row).objects.filter(pk=row.pk).update(history_change_reason=history_note(note))


@transaction.atomic
def customer_score(
    *,
    customer: Customer,
    scores: dict[int, int | None],
    acting_user,
    revision: int | None = None,
    programme: Programme | None = None,
) -> Customer:
    """Save a customer's scores (criterion id -> 1..5, or None to leave it unscored).

    Scores outside the scale are refused; criteria that are archived or belong to no
    programme criterion are refused. Raises EditConflict if someone else saved the customer's
    scores since `revision` was read."""
    programme = programme or Programme.current()
    customer = lock_for_edit(
        customer,
        revision,
        message=_("Someone changed this customer's scores while you were scoring."),
    )
    criteria = {c.pk: c for c in _active_criteria(programme)}
    errors = {}
    for criterion_id, score in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors[str(criterion_id)] = _("This criterion is archived or unknown.")
        elif score is not None and not SCALE_MIN <= score <= SCALE_MAX:
            errors[str(criterion_id)] = _(
                "%(criterion)s: %(score)s is outside the scale; use %(low)s to %(high)s."
            ) % {"criterion": criterion.name, "score": score, "low": SCALE_MIN, "high": SCALE_MAX}
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in customer.scores.filter(criterion_id__in=criteria)}
    # The scores as this save leaves them (what customer_rescore would read back).
    saved = {criterion_id: s.score for criterion_id, s in existing.items()}
    for criterion_id, score in scores.items():
        current = existing.get(criterion_id)
        if score is None:
            saved.pop(criterion_id, None)
        else:
            saved[criterion_id] = score
        if score is None:
            if current is not None:
                current.delete()
        elif current is None:
            new = CriterionScore(
                customer=customer, criterion_id=criterion_id, score=score, scored_by=acting_user
            )
            new.full_clean()
            new.save()
        elif current.score != score:
            current.score = score
            current.scored_by = acting_user
            current.full_clean()
            current.save(update_fields=["score", "scored_by", "scored_at"])
    bump_revision(customer)  # written by customer_rescore's save
    return customer_rescore(
        customer=customer,
        programme=programme,
        reason=EventText(gettext_noop("Scores changed")),
        criteria=list(criteria.values()),
        scores=saved,
    )
