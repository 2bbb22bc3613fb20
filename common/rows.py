"""A list's first rows, and whether any were left out.

A page that lists only the first rows of something longer says so, instead of a list that
looks complete: `first_rows` reads one row more than it keeps (the same one query), and the
list it returns knows whether there were more (`rows.more`)."""

from __future__ import annotations

from collections.abc import Iterable


class FirstRows(list):
    """The first rows of a longer list; `more` is True when rows were left out."""

    more: bool = False


def first_rows(rows: Iterable, limit: int) -> FirstRows:
    """Up to `limit` of `rows`. A queryset is sliced to limit + 1 before it is read (one
    query); a list is cut."""
    taken = list(rows[: limit + 1]) if hasattr(rows, "__getitem__") else list(rows)
    result = FirstRows(taken[:limit])
    result.more = len(taken) > limit
    return result
