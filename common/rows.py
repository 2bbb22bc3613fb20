"""A list's first rows, and whether any were left out.

A page that lists only the first rows of something longer says so, instead of a list that
looks complete: `first_rows` reads one row more than it keeps (the same one query), and the
list it returns knows whether there were more (`rows.more`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet


class FirstRows(list):
    """The first rows of a longer list; `more` is True when rows were left out."""

    more: bool = False


def first_rows(rows: Sequence | QuerySet, limit: int) -> FirstRows:
    """Up to `limit` of `rows`, a list or a queryset (sliced to limit + 1 before it is read:
    one query)."""
    taken = list(rows[: limit + 1])
    result = FirstRows(taken[:limit])
    result.more = len(taken) > limit
    return result
