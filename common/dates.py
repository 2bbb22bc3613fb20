"""The window of dates the app accepts and shows: 1 January 1900 to 31 December 2199.

Every date and date-time a person types is checked against it (the form fields below, and
`validate_in_window` on the model fields, which admin forms and services' full_clean() run):
wide enough for any real record, narrow enough that every time zone, duration and calendar
computation stays far from Python's limits (year 9999). Before it, a meeting at 9999-12-31 in
Pacific/Pago_Pago was stored as 10000-01-01 UTC, which PostgreSQL keeps and Python cannot read:
every page that loaded it answered 500, so it could not even be cancelled.

Values already stored outside the window (or typed into the database by hand) are read as the
window's nearest edge on PostgreSQL (`install_window_loaders`, connected in CommonConfig.ready),
so every page still opens and the row can be corrected or cancelled; saving it stores the edge.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
EARLIEST_INSTANT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2199, 12, 31, 23, 59, tzinfo=UTC)
# Lazy: translated when the error is shown, in the reader's language.
OUT_OF_WINDOW = lazy(
    lambda: (
        gettext("Enter a date between %(earliest)s and %(latest)s.")
        % {"earliest": EARLIEST.year, "latest": LATEST.year}
    ),
    str,
)()


class WallClock(datetime):
    """An aware date-time that templates show as it is, in its own zone. Django's `date` and
    `time` filters first convert every other aware date-time to the current time zone (the
    server's): a meeting at 10:00 in Paris read "09:00 (Europe/Paris)" in London. Django's
    own `timezone` template filter marks its result the same way."""

    convert_to_local_time = False


def wall_clock(value: datetime, zone: tzinfo) -> WallClock:
    """`value` in `zone`, kept in that zone when a template formats it."""
    local = timezone.localtime(value, zone)
    return WallClock(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=local.tzinfo,
        fold=local.fold,
    )


def at_hour(day: date, hour: int = 0) -> datetime:
    """That day at that hour in the current time zone (demo data dates its steps this way)."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def validate_in_window(value) -> None:
    if value is None:
        return
    if not EARLIEST.year <= value.year <= LATEST.year:
        raise ValidationError(OUT_OF_WINDOW, code="date_out_of_window")


class DateField(forms.DateField):
    default_validators = [validate_in_window]


class DateTimeField(forms.DateTimeField):
    default_validators = [validate_in_window]


def _clamp_instant(value: datetime) -> datetime:
    if value < EARLIEST_INSTANT:
        return EARLIEST_INSTANT
    if value > LATEST_INSTANT:
        return LATEST_INSTANT
    return value


def _clamp_date(value: date) -> date:
    return min(max(value, EARLIEST), LATEST)


def _too_small(data) -> bool:
    text = bytes(data).decode("utf8", "replace")
    return text.startswith("-") or text.endswith("BC")


def install_window_loaders(sender, connection, **kwargs) -> None:
    """connection_created: on PostgreSQL (psycopg 3), timestamps and dates outside the window —
    including those Python cannot represent, which psycopg refuses with DataError — load as
    the window's nearest edge. Subclasses the loaders Django registered, so their time zone
    handling is kept (and Django's check of the loader's time zone still matches)."""
    if connection.vendor != "postgresql":
        return
    import psycopg
    from psycopg.pq import Format
    from psycopg.types.datetime import DateLoader

    adapters = connection.connection.adapters
    tz_oid = adapters.types["timestamptz"].oid
    base_tz = adapters.get_loader(tz_oid, Format.TEXT)

    class WindowedTimestamptzLoader(base_tz):
        def load(self, data):
            try:
                value = super().load(data)
            except psycopg.DataError:
                return EARLIEST_INSTANT if _too_small(data) else LATEST_INSTANT
            return _clamp_instant(value)

    class WindowedDateLoader(DateLoader):
        def load(self, data):
            try:
                value = super().load(data)
            except psycopg.DataError:
                return EARLIEST if _too_small(data) else LATEST
            return _clamp_date(value)

    adapters.register_loader("timestamptz", WindowedTimestamptzLoader)
    adapters.register_loader("date", WindowedDateLoader)
