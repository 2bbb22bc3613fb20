"""Writes for Stage 1 (Strategy). Every domain write goes through a service.

Scoring rule (shown to users on the criteria page and the customer page):

* Each criterion is scored 1-5 against its anchored scale (what a 1, 3 and 5 mean).
* An axis score is the weighted mean of the scored, non-archived criteria of that axis,
  stretched to 0-100:  axis = sum(weight * (score - 1) / 4) / sum(weight) * 100,
  rounded half-up to two decimals. All 1s give 0, all 5s give 100.
* Missing scores do not count as zero: the axis is computed over the criteria that are scored,
  and the customer is marked *incomplete* until every active criterion is scored. An axis
  with no scored criterion has no score at all.
* An axis is *high* when its score is at or above the programme's threshold for that axis
  (a score exactly on the threshold is high). The class follows Cranfield's matrix:
  high/high strategic, high attractiveness/low strength star, low attractiveness/high
  strength status, low/low streamline. No class until both axes have a score.
* Archived criteria stop counting; their scores are kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import (
    AccountEvent,
    Classification,
    Customer,
    KeyAccount,
    Membership,
    Programme,
    Role,
)
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit
from common.locks import lock_rows, serialise

from .models import Axis, CriterionScore, RoadmapItem, SelectionCriterion
from .signals import key_account_deselected, key_account_selected

SCALE_MIN = 1
SCALE_MAX = 5
TWO_PLACES = Decimal("0.01")

HISTORY_NOTE_LENGTH = 100  # simple_history's history_change_reason column


def history_note(text: str) -> str:
    """A change reason that fits the history's column (shown as the entry's note)."""
    return Truncator(text).chars(HISTORY_NOTE_LENGTH)


# ---- scoring arithmetic (pure) ------------------------------------------------------------


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
    reason: str = "",
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
        """'4 customers re-scored, 2 changed class' (shown to the user and in the history)."""
        if not self.rescored:
            return _("no customer's scores changed")
        moved = len(self.class_changes)
        text = ngettext(
            "%(count)s customer re-scored", "%(count)s customers re-scored", self.rescored
        ) % {"count": self.rescored}
        if moved:
            return text + ", " + _("%(count)s changed class") % {"count": moved}
        return text + ", " + _("no class changed")


@transaction.atomic
def customers_rescore_all(
    *, programme: Programme | None = None, reason: str = "", acting_user=None
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
        default_change_reason=history_note(f"Re-scored: {reason}") if reason else None,
    )
    return RescoreResult(rescored=len(changed), class_changes=class_changes)


def _note_latest_history(instance, note: str) -> None:
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
        reason="Scores changed",
        criteria=list(criteria.values()),
        scores=saved,
    )


# ---- programme, roadmap, criteria ---------------------------------------------------------

PROGRAMME_FIELDS = [
    "name",
    "trigger",
    "rationale",
    "business_strategy",
    "business_strategy_url",
    "objectives",
    "starts_on",
    "ends_on",
    "annual_review_on",
    "net_profit_target",
    "net_profit_target_year",
]
MATRIX_FIELDS = ["attractiveness_threshold", "strength_threshold", "key_account_limit_percent"]


@transaction.atomic
def programme_update(
    *, programme: Programme, data: dict, acting_user, revision: int | None = None
) -> Programme:
    """Change the programme's text and dates. EditConflict if it moved on since `revision`."""
    # An unsaved programme (nobody had saved one yet) is created by its first save.
    current = lock_for_edit(
        programme if programme.pk else Programme.ensure(),
        revision,
        message=_("Someone saved the programme while you were editing."),
    )
    for field in PROGRAMME_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    if current.starts_on and current.ends_on and current.ends_on < current.starts_on:
        raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})
    current.full_clean()
    bump_revision(current)
    current.save()
    return current


def _threshold_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def programme_matrix_settings_update(
    *,
    programme: Programme,
    attractiveness_threshold: Decimal,
    strength_threshold: Decimal,
    key_account_limit_percent: int,
    acting_user,
    revision: int | None = None,
) -> RescoreResult:
    """Change the matrix split and the key-account limit; re-classifies every customer at once
    and says so in the history (the programme's row, and each re-classified customer's).
    EditConflict if the programme moved on since `revision`."""
    programme = Programme.ensure() if programme.pk is None else programme
    # Compare with what is stored, not with the instance a form may already have changed.
    stored = lock_for_edit(programme, revision)
    moved = [
        f"{label} split {_threshold_text(getattr(stored, field))} → {_threshold_text(new)}"
        for field, label, new in (
            ("attractiveness_threshold", "attractiveness", attractiveness_threshold),
            ("strength_threshold", "strength", strength_threshold),
        )
        if getattr(stored, field) != new
    ]
    stored.attractiveness_threshold = attractiveness_threshold
    stored.strength_threshold = strength_threshold
    stored.key_account_limit_percent = key_account_limit_percent
    stored.full_clean()
    stored.save(update_fields=[*MATRIX_FIELDS, bump_revision(stored), "updated_at"])
    reason = "; ".join(moved)
    result = customers_rescore_all(programme=stored, reason=reason, acting_user=acting_user)
    if reason:
        _note_latest_history(stored, f"{reason[:1].upper()}{reason[1:]}: {result.summary()}")
    return result


ROADMAP_FIELDS = ["kind", "title", "due_on", "owner", "done"]


@transaction.atomic
def roadmap_item_save(
    *,
    programme: Programme,
    data: dict,
    acting_user,
    item: RoadmapItem | None = None,
    revision: int | None = None,
) -> RoadmapItem:
    """Create (item None) or change a roll-out step: workshop, training, steering committee.
    EditConflict if the step moved on since `revision`."""
    if item is None:
        item = RoadmapItem(programme=programme if programme.pk else Programme.ensure())
    else:
        item = lock_for_edit(item, revision)
        bump_revision(item)
    for field in ROADMAP_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def roadmap_item_delete(*, item: RoadmapItem, acting_user) -> None:
    item.delete()


CRITERION_FIELDS = ["axis", "name", "description", "weight", "scale_1", "scale_3", "scale_5"]
# Changing these changes customers' scores.


def _criterion_change(before: SelectionCriterion, after: SelectionCriterion) -> str:
    """What changed in a criterion that moves customers' scores, in words ('' if nothing)."""
    parts = []
    if before.weight != after.weight:
        parts.append(f"weight of '{after.name}' {before.weight} → {after.weight}")
    if before.axis != after.axis:
        parts.append(
            f"'{after.name}' moved from {Axis(before.axis).label} to {Axis(after.axis).label}"
        )
    return "; ".join(parts)


@transaction.atomic
def criterion_save(
    *,
    programme: Programme,
    data: dict,
    acting_user,
    criterion: SelectionCriterion | None = None,
    revision: int | None = None,
) -> RescoreResult:
    """Create or change a selection criterion. Weights must be positive; a change of weight or
    axis of a counting criterion re-scores every customer at once. Returns what the re-scoring
    changed (nothing when only the wording changed)."""
    if criterion is None:
        if programme.pk is None:
            programme = Programme.ensure()
        lock_rows(programme)  # two criteria added at once get two positions
        last = programme.criteria.order_by("-position").values_list("position", flat=True).first()
        criterion = SelectionCriterion(programme=programme, position=(last or 0) + 1)
        before = None
    else:
        # The stored row (lock_for_edit re-reads it), not `criterion`: a bound ModelForm has
        # already written the new values onto the instance it was given.
        criterion = lock_for_edit(criterion, revision)
        bump_revision(criterion)
        before = SelectionCriterion(axis=criterion.axis, weight=criterion.weight)
    for field in CRITERION_FIELDS:
        if field in data:
            setattr(criterion, field, data[field])
    if criterion.weight is None or criterion.weight < 1:
        raise ValidationError({"weight": _("Weights must be a whole number of at least 1.")})
    criterion.full_clean()
    criterion.save()
    if before is None:
        # A new criterion is unscored for everyone: scores stay, customers become incomplete.
        return customers_rescore_all(
            programme=criterion.programme,
            reason=f"'{criterion.name}' added",
            acting_user=acting_user,
        )
    change = _criterion_change(before, criterion)
    if not change or criterion.archived_at is not None:
        return RescoreResult(rescored=0, class_changes=[])
    result = customers_rescore_all(
        programme=criterion.programme, reason=change, acting_user=acting_user
    )
    _note_latest_history(criterion, f"{change[:1].upper()}{change[1:]}: {result.summary()}")
    return result


@transaction.atomic
def criterion_set_archived(
    *, criterion: SelectionCriterion, archived: bool, acting_user
) -> RescoreResult:
    """Archive (stops counting, scores kept) or restore a criterion; re-scores customers."""
    criterion.archived_at = timezone.now() if archived else None
    criterion.save(update_fields=["archived_at"])
    reason = f"'{criterion.name}' {'archived' if archived else 'restored'}"
    result = customers_rescore_all(
        programme=criterion.programme, reason=reason, acting_user=acting_user
    )
    _note_latest_history(criterion, f"{reason[:1].upper()}{reason[1:]}: {result.summary()}")
    return result


@transaction.atomic
def criterion_delete(*, criterion: SelectionCriterion, acting_user) -> RescoreResult:
    """Delete a criterion nobody has scored yet. A scored one must be archived instead, so that
    nobody's scores disappear silently."""
    count = criterion.scores.count()
    if count:
        raise ValidationError(
            ngettext(
                "'%(name)s' has %(count)s score; archive it instead (archived criteria stop "
                "counting, their scores are kept).",
                "'%(name)s' has %(count)s scores; archive it instead (archived criteria stop "
                "counting, their scores are kept).",
                count,
            )
            % {"name": criterion.name, "count": count}
        )
    programme = criterion.programme
    name = criterion.name
    criterion.delete()
    return customers_rescore_all(
        programme=programme, reason=f"'{name}' deleted", acting_user=acting_user
    )


# ---- customers ----------------------------------------------------------------------------

CUSTOMER_FIELDS = [
    "reference",
    "name",
    "sector",
    "country",
    "annual_revenue",
    "potential_spend",
    "notes",
]


@transaction.atomic
def customer_save(
    *, data: dict, acting_user, customer: Customer | None = None, revision: int | None = None
) -> Customer:
    """Create or change a candidate customer by hand. EditConflict if the customer moved on
    since `revision`."""
    creating = customer is None
    if creating:
        customer = Customer()
    else:
        customer = lock_for_edit(customer, revision)
        bump_revision(customer)
    for field in CUSTOMER_FIELDS:
        if field in data:
            setattr(customer, field, data[field])
    customer.full_clean()
    customer.save()
    if creating:
        customer_rescore(customer=customer)
    return customer


@transaction.atomic
def customer_parent_set(*, customer: Customer, parent: Customer | None, acting_user) -> Customer:
    """Put a customer under a parent company (a CRM's parent account), or take it out. A group
    may not end up owning itself."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    seen = {customer.pk}
    above = parent
    while above is not None:
        if above.pk in seen:
            raise ValidationError(
                {
                    "parent": _("%(parent)s already belongs to %(customer)s's group.")
                    % {"parent": parent.name, "customer": customer.name}
                }
            )
        seen.add(above.pk)
        above = above.parent
    if customer.parent_id != (parent.pk if parent else None):
        customer.parent = parent
        customer.save(update_fields=["parent", "updated_at"])
    return customer


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    scores_changed: int = 0  # customers whose selection scores the file changed
    rescore: RescoreResult | None = None


def customers_import_serialise() -> None:
    """Wait for any customer import running now and hold the import until this transaction
    ends (the confirm page also takes it, to see whether its file was imported meanwhile)."""
    serialise("strategy.customers_import")


@transaction.atomic
def customers_import(
    *, rows: list[dict], acting_user, source: str = "a customer file"
) -> ImportResult:
    """Create or update customers from validated import rows, matched on `reference`, with
    their selection scores (`row["scores"]`: criterion id -> 1..5, or None for not scored; a
    criterion not in it keeps its scores), then re-score every customer the file changed.

    Re-importing the same file updates the same customers; it never duplicates them. Rows must
    already be validated (strategy.customer_import does that); a criterion archived since the
    preview is refused. A fixed number of queries, plus one per removed score.

    Imports take turns (`customers_import_serialise`): a customer new in two files imported at
    the same moment is made once, and updated by the second."""
    customers_import_serialise()
    programme = Programme.current()
    active = {c.pk for c in _active_criteria(programme)} if programme.pk else set()
    named = {pk for row in rows for pk in row.get("scores", {})}
    if named - active:
        raise ValidationError(
            _("The selection criteria changed since the file was checked. Upload it again.")
        )
    references = [row["reference"] for row in rows]
    existing = {
        c.reference: c
        for c in Customer.objects.select_for_update().filter(reference__in=references)
    }
    now = timezone.now()
    to_create, to_update, unchanged = [], [], 0
    fields = [f for f in CUSTOMER_FIELDS if f != "reference"]
    for row in rows:
        customer = existing.get(row["reference"])
        if customer is None:
            to_create.append(Customer(**{f: row[f] for f in CUSTOMER_FIELDS}))
            continue
        if all(getattr(customer, f) == row[f] for f in fields):
            continue
        for f in fields:
            setattr(customer, f, row[f])
        customer.updated_at = now
        to_update.append(customer)
    # In bulk, and still on record in the audit history (created / changed by the importer).
    bulk_create_with_history(to_create, Customer, batch_size=500, default_user=acting_user)
    ids = dict(Customer.objects.filter(reference__in=references).values_list("reference", "pk"))
    scored = _import_scores(rows=rows, ids=ids, acting_user=acting_user)
    # A customer whose scores the file changed moves its revision: a scoring form left open
    # on it gets the edit conflict instead of overwriting the imported scores.
    updated_ids = {c.pk for c in to_update}
    for customer in existing.values():
        if customer.pk in scored:
            bump_revision(customer)
            if customer.pk not in updated_ids:
                to_update.append(customer)
    bulk_update_with_history(
        to_update,
        Customer,
        [*fields, "updated_at", "revision"],
        batch_size=500,
        default_user=acting_user,
    )
    unchanged = len(existing) - len(to_update)
    rescore = customers_rescore_all(
        programme=programme, reason=f"scores imported from {source}", acting_user=acting_user
    )
    return ImportResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=unchanged,
        scores_changed=len(scored),
        rescore=rescore,
    )


def _import_scores(*, rows: list[dict], ids: dict[str, int], acting_user) -> set[int]:
    """Write the rows' scores (new, changed, removed) with their history; returns the ids of
    the customers whose scores changed."""
    now = timezone.now()
    customer_ids = [ids[row["reference"]] for row in rows if row.get("scores")]
    criteria = {pk for row in rows for pk in row.get("scores", {})}
    stored = {
        (s.customer_id, s.criterion_id): s
        for s in CriterionScore.objects.filter(
            customer_id__in=customer_ids, criterion_id__in=criteria
        )
    }
    to_create, to_update, to_delete = [], [], []
    for row in rows:
        customer_id = ids[row["reference"]]
        for criterion_id, score in row.get("scores", {}).items():
            current = stored.get((customer_id, criterion_id))
            if score is None and current is not None:
                to_delete.append(current)
            elif score is not None and current is None:
                to_create.append(
                    CriterionScore(
                        customer_id=customer_id,
                        criterion_id=criterion_id,
                        score=score,
                        scored_by=acting_user,
                    )
                )
            elif score is not None and current.score != score:
                current.score, current.scored_by, current.scored_at = score, acting_user, now
                to_update.append(current)
    bulk_create_with_history(to_create, CriterionScore, batch_size=500, default_user=acting_user)
    bulk_update_with_history(
        to_update,
        CriterionScore,
        ["score", "scored_by", "scored_at"],
        batch_size=500,
        default_user=acting_user,
    )
    for score in to_delete:  # one by one, so that each removal is on record
        score.delete()
    return {s.customer_id for s in (*to_create, *to_update, *to_delete)}


# ---- selection ----------------------------------------------------------------------------


def key_account_share(programme: Programme | None = None) -> dict:
    """Active key accounts as a share of all customers, and whether that breaks the limit
    ("less is more": Programme.key_account_limit_percent, 20 % by default)."""
    programme = programme or Programme.current()
    counts = Customer.objects.aggregate(
        customers=Count("pk"),
    )
    key_accounts = KeyAccount.objects.active().count()
    customers = counts["customers"]
    percent = (
        (Decimal(key_accounts * 100) / customers).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if customers
        else Decimal("0")
    )
    return {
        "key_accounts": key_accounts,
        "customers": customers,
        "percent": percent,
        "limit": programme.key_account_limit_percent,
        "over_limit": percent > programme.key_account_limit_percent,
    }


def _set_role(*, account: KeyAccount, user, role: str) -> None:
    membership = Membership.objects.filter(key_account=account, user=user).first()
    if membership is None:
        membership = Membership(key_account=account, user=user, role=role)
    elif membership.role == role:
        return
    else:
        membership.role = role
        bump_revision(membership)  # an open team-entry form must not overwrite the new role
    membership.full_clean()
    membership.save()


SELECTION_CHANGED = gettext_lazy(
    "This changed after your page was loaded, so your decision was not applied: look at it "
    "as it is now and decide again."
)


@transaction.atomic
def key_account_select(
    *,
    customer: Customer,
    classification: str,
    rationale: str,
    director,
    manager,
    acting_user,
    revision: int | None = None,
) -> KeyAccount:
    """Promote a customer to key account (or select a de-selected one again), with a written
    rationale and its director and manager. Records the event on the account's timeline. Of
    the customer as the selecting page showed it (`revision`: its scores), or nothing
    (`EditConflict`)."""
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": _("Say why this customer should be a key account.")})
    if director == manager:
        raise ValidationError({"manager": _("The director and the manager must be two people.")})
    today = timezone.localdate()
    # The customer is the mutex (it may have no account row yet to lock): two selections at
    # the same moment must not both make one; the second also sees the revision moved on.
    customer = lock_for_edit(customer, revision, message=SELECTION_CHANGED)
    account = KeyAccount.objects.select_for_update().filter(customer=customer).first()
    if account is not None and account.is_active:
        raise ValidationError(_("%(name)s is already a key account.") % {"name": customer.name})
    reselected = account is not None
    if account is None:
        account = KeyAccount(customer=customer)
    account.status = KeyAccount.Status.ACTIVE
    account.classification = classification
    account.selection_rationale = rationale
    account.selected_on = today
    account.selected_by = acting_user
    if reselected:
        bump_revision(account)
    account.full_clean()
    account.save()
    _set_role(account=account, user=director, role=Role.DIRECTOR)
    _set_role(account=account, user=manager, role=Role.MANAGER)
    label = Classification(classification).label
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.RESELECTED if reselected else AccountEvent.Kind.SELECTED,
        summary=(
            f"Selected again as key account ({label})"
            if reselected
            else f"Selected as key account ({label})"
        ),
        acting_user=acting_user,
        reason=rationale,
        old_value=KeyAccount.Status.DESELECTED if reselected else "",
        new_value=classification,
    )
    transaction.on_commit(
        lambda: key_account_selected.send(
            sender=KeyAccount, account=account, acting_user=acting_user
        ),
        robust=True,
    )
    return account


@transaction.atomic
def key_account_deselect(
    *, account: KeyAccount, reason: str, acting_user, revision: int | None = None
) -> KeyAccount:
    """De-select a key account. The reason is required and kept; the team and history stay.
    Sends `strategy.signals.key_account_deselected` (planning archives the plan on it)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for de-selecting this account.")})
    account = lock_for_edit(account, revision, message=SELECTION_CHANGED)
    if not account.is_active:
        raise ValidationError(_("%(name)s is already de-selected.") % {"name": account.name})
    account.status = KeyAccount.Status.DESELECTED
    account.deselected_on = timezone.localdate()
    account.deselection_reason = reason
    bump_revision(account)
    account.full_clean()
    account.save(
        update_fields=["status", "deselected_on", "deselection_reason", "revision", "updated_at"]
    )
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.DESELECTED,
        summary="De-selected as key account",
        acting_user=acting_user,
        reason=reason,
        old_value=KeyAccount.Status.ACTIVE,
        new_value=KeyAccount.Status.DESELECTED,
    )
    key_account_deselected.send(
        sender=KeyAccount, account=account, acting_user=acting_user, reason=reason
    )
    return account


@transaction.atomic
def key_account_reclassify(
    *,
    account: KeyAccount,
    classification: str,
    reason: str,
    acting_user,
    revision: int | None = None,
) -> KeyAccount:
    """Move a key account to another class, recording old -> new class and the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the new classification.")})
    account = lock_for_edit(
        account,
        revision,
        queryset=KeyAccount.objects.select_related("customer"),
        message=SELECTION_CHANGED,
    )
    if classification == account.classification:
        raise ValidationError(
            {
                "classification": _("The account is already %(classification)s.")
                % {"classification": account.get_classification_display()}
            }
        )
    old = account.classification
    account.classification = classification
    bump_revision(account)
    account.full_clean()
    account.save(update_fields=["classification", "revision", "updated_at"])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.CLASS_CHANGED,
        summary=(
            f"Classification changed from {Classification(old).label} "
            f"to {Classification(classification).label}"
        ),
        acting_user=acting_user,
        reason=reason,
        old_value=old,
        new_value=classification,
    )
    return account
