"""Model validation that does not build queries for check constraints it cannot check.

`Model.full_clean(exclude=...)` validates every check constraint by building a query of the
row's values (Q.check); when the constraint names an excluded field, Django gives up only
after building it (a FieldError it swallows). An in-place save of an action validates twice
(its form, then the service) with both of the action's constraints over fields left out (its
progress, its owners read through the form's choices), and those four queries that were never
sent cost ~1.4 ms per validation on a loaded machine (bench/README.md, finding 40).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, Q


def _skipped(constraint, exclude: set[str]) -> bool:
    """What Django would skip: a check constraint over a field left out of validation."""
    return (
        isinstance(constraint, CheckConstraint)
        and isinstance(constraint.condition, Q)
        and not exclude.isdisjoint(constraint.condition.referenced_base_fields)
    )


class SkipsUncheckableConstraints:
    """A model mixin: `validate_constraints` returns at once when every constraint is one
    Django would skip for `exclude`; otherwise Django validates them all, as before."""

    def validate_constraints(self, exclude=None):
        excluded = set(exclude or ())
        if excluded and all(
            _skipped(constraint, excluded)
            for _model, constraints in self.get_constraints()
            for constraint in constraints
        ):
            return
        super().validate_constraints(exclude=exclude)


@contextmanager
def refused_as(error: object | Callable[[], object]) -> Iterator[None]:
    """Write inside a savepoint; a unique constraint that refuses the write becomes
    `ValidationError(error)` (e.g. `{"name": "… is already listed"}`), the form's own message
    at its field. For the save after a service checked uniqueness itself: when two saves race
    past that check, the second is refused by the database, and its user reads the same
    sentence instead of a server error. The savepoint keeps the caller's transaction usable.

    `error` may be a function instead, called once the write is undone, for a write that more
    than one rule may refuse: it reads what got in first and returns (or raises) the error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ValidationError(error() if callable(error) else error) from None
