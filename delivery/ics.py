"""iCalendar (RFC 5545) output for meetings: one invitation, or a user's whole feed.

E-mailed invitations (RFC 5546, iTIP) are `invitation(meeting, method)`: METHOD:REQUEST for a
new or changed meeting, METHOD:CANCEL for a cancelled one (or for an attendee taken off it).
The UID is the meeting's for ever (`meeting_uid`), and the SEQUENCE is its revision, which
every change moves on, so calendar programs replace the earlier copy instead of adding one.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from common.dates import EARLIEST, LATEST

from .models import Meeting

PRODID = "-//KAM Programme//Meetings//EN"
UID_DOMAIN = "kam-programme"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _attendee(email: str, name: str, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    address.params["role"] = vText(role)
    return address


def _ics_time(local):
    """A time in the meeting's zone (TZID), or in UTC when that local time is the second of a
    repeated hour (the night the clocks go back): a calendar reads a repeated local time as the
    first one (RFC 5545), an hour early."""
    if local.replace(fold=0).utcoffset() != local.utcoffset():
        return local.astimezone(UTC)
    return local


def meeting_event(meeting: Meeting, *, for_customer: bool = False) -> Event:
    """The meeting as a VEVENT, times in the meeting's own time zone. Uses prefetched
    attendees and stakeholders when the caller loaded them. `for_customer`: the copy e-mailed to
    customer attendees, without our notes to ourselves."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("sequence", meeting.revision)
    event.add("dtstart", _ics_time(meeting.local_starts_at))
    event.add("dtend", _ics_time(meeting.local_ends_at))
    event.add("summary", f"{meeting.title} — {meeting.key_account.name}")
    if meeting.location:
        event.add("location", meeting.location)
    stakeholders = list(meeting.stakeholders.all())
    description = [
        _("%(kind)s with %(account)s.")
        % {"kind": meeting.get_kind_display(), "account": meeting.key_account.name}
    ]
    if stakeholders:
        # Everyone from the customer, also those an ATTENDEE line cannot carry (no address).
        description += ["", _("Customer attendees:")] + [
            f"- {s.name}{f', {s.title}' if s.title else ''}"
            + (
                ""
                if s.email or for_customer
                else " " + _("(no e-mail address on file: invite them yourself)")
            )
            for s in stakeholders
        ]
    if meeting.agenda:
        description += ["", _("Agenda:"), meeting.agenda]
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    organiser = meeting.scheduled_by
    if organiser is not None and organiser.email:
        event.add("organizer", _attendee(organiser.email, str(organiser), "CHAIR"))
    else:  # an invitation needs an organiser: the programme's own sender address
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        event.add(
            "organizer", _attendee(address or "kam@localhost", name or "KAM Programme", "CHAIR")
        )
    for user in meeting.attendees.all():
        if user.email:
            event.add("attendee", _attendee(user.email, str(user), "REQ-PARTICIPANT"))
    for stakeholder in stakeholders:
        if stakeholder.email:
            event.add("attendee", _attendee(stakeholder.email, stakeholder.name, "REQ-PARTICIPANT"))
    return event


# How often a calendar program should fetch a subscribed feed again (RFC 7986 REFRESH-INTERVAL,
# and Microsoft's X-PUBLISHED-TTL, which Outlook reads).
FEED_REFRESH = timedelta(hours=1)


def calendar_for(
    meetings: Iterable[Meeting],
    name: str = "",
    method: str = "",
    *,
    refresh: timedelta | None = None,
    for_customer: bool = False,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, for_customer=for_customer))
    if meetings:
        # Each zone's rules over the meetings' days: icalendar's default (1970 to 2038) left a
        # meeting after 2037 outside them (its summer offset unknown) and wrote 60 years of
        # changes into every invitation.
        # Within the app's window of dates (a row stored outside it, the year 9999, made
        # icalendar overflow).
        first = min(max(m.local_starts_at.date(), EARLIEST) for m in meetings)
        last = max(min(m.local_ends_at.date(), LATEST) for m in meetings)
        calendar.add_missing_timezones(
            first_date=min(first, last) - timedelta(days=1), last_date=last + timedelta(days=1)
        )
    return calendar.to_ical()


REQUEST = "REQUEST"
CANCEL = "CANCEL"


def invitation(meeting: Meeting, method: str, *, for_customer: bool = False) -> str:
    """The e-mailed invitation (REQUEST) or cancellation (CANCEL) of one meeting, as text."""
    return calendar_for([meeting], method=method, for_customer=for_customer).decode()
