"""iCalendar (RFC 5545) output for meetings: one invitation, or a user's whole feed."""

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

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


def meeting_event(meeting: Meeting) -> Event:
    """The meeting as a VEVENT, times in the meeting's own time zone. Uses prefetched
    attendees and stakeholders when the caller loaded them."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("sequence", meeting.revision)
    event.add("dtstart", meeting.local_starts_at)
    event.add("dtend", meeting.local_ends_at)
    event.add("summary", f"{meeting.title} — {meeting.key_account.name}")
    if meeting.location:
        event.add("location", meeting.location)
    stakeholders = list(meeting.stakeholders.all())
    description = [f"{meeting.get_kind_display()} with {meeting.key_account.name}."]
    if stakeholders:
        # Everyone from the customer, also those an ATTENDEE line cannot carry (no address).
        description += ["", "Customer attendees:"] + [
            f"- {s.name}{f', {s.title}' if s.title else ''}"
            + ("" if s.email else " (no e-mail address on file: invite them yourself)")
            for s in stakeholders
        ]
    if meeting.agenda:
        description += ["", "Agenda:", meeting.agenda]
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    organiser = meeting.scheduled_by
    if organiser is not None and organiser.email:
        event.add("organizer", _attendee(organiser.email, str(organiser), "CHAIR"))
    for user in meeting.attendees.all():
        if user.email:
            event.add("attendee", _attendee(user.email, str(user), "REQ-PARTICIPANT"))
    for stakeholder in stakeholders:
        if stakeholder.email:
            event.add("attendee", _attendee(stakeholder.email, stakeholder.name, "REQ-PARTICIPANT"))
    return event


def calendar_for(meetings: Iterable[Meeting], name: str = "", method: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()
