"""Stage 1's pure rules: they read no database, and their text is shown to the user."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _


def latest_annual_review(*, today: date, starts_on: date | None = None) -> date:
    """The latest date the next annual review may be set to: the programme is revisited at
    least once a year (domain.md), so a year from today, or from the programme's start while
    it has not started yet."""
    base = max(today, starts_on) if starts_on else today
    try:
        return base.replace(year=base.year + 1)
    except ValueError:  # 29 February
        return base + timedelta(days=365)


def annual_review_too_late(value: date, *, today: date, starts_on: date | None = None) -> str:
    """Why `value` is too late for the next annual review ('' when it is not)."""
    latest = latest_annual_review(today=today, starts_on=starts_on)
    if value <= latest:
        return ""
    return _(
        "The programme is revisited at least once a year: pick a date on or before %(date)s."
    ) % {"date": formats.date_format(latest, "SHORT_DATE_FORMAT")}
