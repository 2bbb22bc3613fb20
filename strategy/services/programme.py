"""The programme page, its roadmap and the weighted selection criteria."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Programme
from common.conflicts import bump_revision, lock_for_edit
from common.locks import lock_rows

from ..models import Axis, RoadmapItem, SelectionCriterion
from .scoring import RescoreResult, _note_latest_history, customers_rescore_all

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
