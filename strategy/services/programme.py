"""The programme page, its roadmap and the weighted selection criteria."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.event_text import EventText, amount, capitalised, term
from accounts.models import Programme
from common.conflicts import DEFAULT_MESSAGE, bump_revision, lock_for_edit
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


def _threshold(value: Decimal) -> dict:
    return amount(value.normalize())


# One message per axis (an axis's name is part of the sentence in other languages).
SPLIT_MOVED = {
    "attractiveness_threshold": gettext_noop("attractiveness split %(old)s → %(new)s"),
    "strength_threshold": gettext_noop("strength split %(old)s → %(new)s"),
}


def _both(changes: list[EventText]) -> EventText | None:
    """One change, or two said in one note ('…; …')."""
    if len(changes) < 2:
        return changes[0] if changes else None
    return EventText(gettext_noop("%(first)s; %(second)s"), first=changes[0], second=changes[1])


def _note(change: EventText, result: RescoreResult) -> EventText:
    """The note on the changed row: what changed and what it did to the customers."""
    return EventText(
        gettext_noop("%(change)s: %(result)s"),
        change=capitalised(change),
        result=result.summary_text(),
    )


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
        EventText(SPLIT_MOVED[field], old=_threshold(getattr(stored, field)), new=_threshold(new))
        for field, new in (
            ("attractiveness_threshold", attractiveness_threshold),
            ("strength_threshold", strength_threshold),
        )
        if getattr(stored, field) != new
    ]
    stored.attractiveness_threshold = attractiveness_threshold
    stored.strength_threshold = strength_threshold
    stored.key_account_limit_percent = key_account_limit_percent
    stored.full_clean()
    stored.save(update_fields=[*MATRIX_FIELDS, bump_revision(stored), "updated_at"])
    reason = _both(moved)
    result = customers_rescore_all(programme=stored, reason=reason, acting_user=acting_user)
    if reason:
        _note_latest_history(stored, _note(reason, result))
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


def _criterion_change(before: SelectionCriterion, after: SelectionCriterion) -> EventText | None:
    """What changed in a criterion that moves customers' scores, in words (None if nothing)."""
    parts = []
    if before.weight != after.weight:
        parts.append(
            EventText(
                gettext_noop("weight of '%(name)s' %(old)s → %(new)s"),
                name=after.name,
                old=before.weight,
                new=after.weight,
            )
        )
    if before.axis != after.axis:
        parts.append(
            EventText(
                gettext_noop("'%(name)s' moved from %(old)s to %(new)s"),
                name=after.name,
                old=term(Axis(before.axis).label),
                new=term(Axis(after.axis).label),
            )
        )
    return _both(parts)


def _criterion_moved(current: SelectionCriterion) -> str:
    """Why an edit of a criterion is refused as stale: archived meanwhile, or saved."""
    if current.archived_at is not None:
        return _(
            "Someone archived this criterion while you were editing: it no longer counts (its "
            "scores are kept). Saving again changes the archived criterion, which stays "
            "archived until it is restored."
        )
    return str(DEFAULT_MESSAGE)


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
        criterion = lock_for_edit(criterion, revision, message=_criterion_moved)
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
            reason=EventText(gettext_noop("'%(name)s' added"), name=criterion.name),
            acting_user=acting_user,
        )
    change = _criterion_change(before, criterion)
    if not change or criterion.archived_at is not None:
        return RescoreResult(rescored=0, class_changes=[])
    result = customers_rescore_all(
        programme=criterion.programme, reason=change, acting_user=acting_user
    )
    _note_latest_history(criterion, _note(change, result))
    return result


@transaction.atomic
def criterion_set_archived(
    *, criterion: SelectionCriterion, archived: bool, acting_user
) -> RescoreResult:
    """Archive (stops counting, scores kept) or restore a criterion; re-scores customers.

    The row is locked and its revision moves, so an edit form opened before is refused as stale
    (the archive named, what was typed kept: see `criterion_save`) instead of saving onto an
    archived criterion unaware. A second click (already in that state) changes nothing."""
    criterion = SelectionCriterion.objects.select_for_update().get(pk=criterion.pk)
    if (criterion.archived_at is not None) == archived:
        return RescoreResult(rescored=0, class_changes=[])
    criterion.archived_at = timezone.now() if archived else None
    criterion.save(update_fields=["archived_at", bump_revision(criterion)])
    reason = EventText(
        gettext_noop("'%(name)s' archived") if archived else gettext_noop("'%(name)s' restored"),
        name=criterion.name,
    )
    result = customers_rescore_all(
        programme=criterion.programme, reason=reason, acting_user=acting_user
    )
    _note_latest_history(criterion, _note(reason, result))
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
        programme=programme,
        reason=EventText(gettext_noop("'%(name)s' deleted"), name=name),
        acting_user=acting_user,
    )
