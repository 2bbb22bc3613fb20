"""What the delivery services share: the de-selected account's stop, what counts as a
quick win and how a meeting's time reads in messages. Edit conflicts are common.conflicts'."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from accounts.models import KeyAccount
from common.dates import wall_clock
from opportunities.models import Opportunity, Quadrant

from ..models import Meeting

# Who scheduled a meeting or prepared a quote may have left (SET_NULL); that must not block
# later edits of the row.
NULLABLE_AUTHORS = ["scheduled_by", "prepared_by"]


def _is_quick_win(opportunity: Opportunity | None) -> bool:
    """The opportunities stage's own rule (its matrix quadrant), so the timeline, the
    portfolio's "quick wins delivered" and the opportunity page agree; one not scored yet is
    no quick win."""
    return opportunity is not None and opportunity.quadrant == Quadrant.QUICK_WIN


DESELECTED = gettext_lazy(
    "This account has been de-selected from the programme: no new meetings or quotes."
)


def _ensure_active(account: KeyAccount) -> None:
    if not account.is_active:
        raise ValidationError(DESELECTED)


def meeting_when(meeting: Meeting) -> str:
    """ "Tue 12 Jan 2027, 10:00–11:00 Europe/Berlin": the meeting's time in its own zone, in
    the active language's day and month names (the attendees' notifications and the
    customer's invitation e-mail say it the same way)."""
    return _when(meeting.local_starts_at, meeting.local_ends_at, meeting.time_zone)


def _when(start, end, zone: str) -> str:
    starts = date_format(start, "PADDED_WEEKDAY_DATE_COMMA_TIME_FORMAT")
    return f"{starts}–{date_format(end, 'H:i')} {zone}"


def meeting_when_for_attendee(meeting: Meeting) -> str:
    """`meeting_when`, followed by the time on the recipient's clock when it reads another
    ("… 10:00–11:00 Europe/Paris (your time: … 09:00–10:00 Europe/London)"), as the meeting's
    page does: the outbox writes each team member's notification in their language and time
    zone (notifications.services), while the attached invitation converted to theirs already."""
    return attendee_when(meeting.starts_at, meeting.ends_at, meeting.time_zone)


def attendee_when(starts_at, ends_at, zone_name: str) -> str:
    """A meeting's moments in its zone, and in the current (the recipient's) one when that
    reads another wall clock. Same zone, same hours elsewhere: nothing added."""
    zone = ZoneInfo(zone_name)
    when = _when(wall_clock(starts_at, zone), wall_clock(ends_at, zone), zone_name)
    reader = timezone.get_current_timezone()
    starts, theirs = wall_clock(starts_at, reader), wall_clock(starts_at, zone)
    if starts.replace(tzinfo=None) == theirs.replace(tzinfo=None):
        return when
    yours = _when(starts, wall_clock(ends_at, reader), timezone.get_current_timezone_name())
    return gettext("%(when)s (your time: %(yours)s)") % {"when": when, "yours": yours}
