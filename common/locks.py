"""Locks that keep a rule true when many people write at once.

A rule that reads several rows and then writes ("an account keeps one manager", "a person's
time shares add up to at most 100 %", "no reporting loop", "the next quote number") is only
true under concurrency if two writers cannot both read before either writes (write skew). The
services that keep such rules take one of these locks first, inside their transaction; the lock
is held until the transaction ends, so the second writer waits and then reads what the first
wrote.

- `lock_rows(*rows)`: `SELECT … FOR NO KEY UPDATE` on existing rows used as a mutex (the key
  account for its team and its org chart, a person for their time share and their calendar).
  FOR NO KEY UPDATE does not block inserts that point at the row (a new timeline entry, a new
  meeting), only other writers that take the same lock or update the row. Rows are locked in a
  fixed order (model label, then primary key), so two writers never wait for each other in a
  circle.
- `serialise(name)`: a transaction-scoped PostgreSQL advisory lock on a name, for a rule whose
  rows may not exist yet (the year's quote numbers, a customer file being imported).

On SQLite (development, the quick test run) both do nothing: SQLite lets one writer at a time
anyway. This module imports no app of the project.
"""

from __future__ import annotations

from django.db import connection, models


def _supported() -> bool:
    return connection.vendor == "postgresql"


def lock_rows(*rows: models.Model | None) -> None:
    """Lock these saved rows until the current transaction ends (None and unsaved rows are
    skipped). Must be called inside `transaction.atomic`."""
    if not _supported():
        return
    by_model: dict[type[models.Model], set] = {}
    for row in rows:
        if row is not None and row.pk is not None:
            by_model.setdefault(type(row)._meta.concrete_model, set()).add(row.pk)
    for model in sorted(by_model, key=lambda m: m._meta.label):
        list(
            model._default_manager.filter(pk__in=by_model[model])
            .order_by("pk")
            .select_for_update(no_key=True)
            .values_list("pk", flat=True)
        )


def serialise(name: str) -> None:
    """Wait until no other transaction holds `name`, then hold it until this one ends. Must be
    called inside `transaction.atomic`."""
    if not _supported():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
