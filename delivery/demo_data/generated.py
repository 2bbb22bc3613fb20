# ruff: noqa: E501 -- data tables read best one row per line.
"""Meetings for generated accounts (--scale): MEETINGS_PER_ACCOUNT each, in bulk, with the
account's generated director and manager as attendees and two of its stakeholders.

Accounts that already have meetings are skipped (one query), so a rerun creates nothing.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.models import Membership, Role
from discovery.models import Stakeholder

from ..models import Meeting
from .dates import workday

BATCH = 2000
LONDON = ZoneInfo("Europe/London")
K = Meeting.Kind
# title, kind, days from today, agenda; past meetings carry notes (one in ten is left unwritten)
MEETINGS = [
    ("Quarterly business review", K.BUSINESS_REVIEW, -40, "1. Service levels\n2. Plan progress\n3. Next quarter"),
    ("Supply review with their buyer", K.CUSTOMER, -12, "1. Open orders\n2. Forecast changes"),
    ("Account team check-in", K.INTERNAL, -2, "1. Open actions\n2. Customer meetings next week"),
    ("Site visit with operations", K.CUSTOMER, 9, "1. Walk the line\n2. Where our products slow them down"),
    ("Contract renewal meeting", K.CUSTOMER, 30, ""),
]  # fmt: skip
NOTES = ("Reviewed open orders and the forecast; no escalations.", "Keep the monthly rhythm; forecast update by Friday.")  # fmt: skip


def seed_generated(ctx) -> int:
    """Returns the number of meetings created."""
    gen = {"key_account__customer__reference__startswith": "GEN-"}
    generated = [a for a in ctx.accounts if a.customer.reference.startswith("GEN-")]
    if not generated:
        return 0
    done = set(Meeting.objects.filter(**gen).values_list("key_account_id", flat=True).distinct())
    todo = [a for a in generated if a.pk not in done]
    if not todo:
        return 0
    team = defaultdict(dict)
    for account_id, role, user_id in Membership.objects.filter(
        **gen, role__in=[Role.DIRECTOR, Role.MANAGER]
    ).values_list("key_account_id", "role", "user_id"):
        team[account_id][role] = user_id
    people = defaultdict(list)
    for account_id, pk in (
        Stakeholder.objects.filter(**gen).order_by("pk").values_list("key_account_id", "pk")
    ):
        people[account_id].append(pk)
    rng, today = ctx.rng, ctx.today
    meetings = []
    for account in todo:
        for title, kind, day, agenda in MEETINGS:
            starts = datetime.combine(
                workday(today, day + rng.randint(-3, 3)),
                time(rng.choice([9, 10, 11, 14, 15])),
                tzinfo=LONDON,
            )
            written = starts.date() < today and rng.random() < 0.9
            meetings.append(
                Meeting(
                    key_account=account,
                    kind=kind,
                    title=title,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1),
                    location="Teams" if kind == K.INTERNAL else f"{account.name}, head office",
                    agenda=agenda,
                    notes=NOTES[0] if written else "",
                    decisions=NOTES[1] if written else "",
                    scheduled_by_id=team[account.pk].get(Role.MANAGER),
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    Attendee = Meeting.attendees.through
    Guest = Meeting.stakeholders.through
    attendees, guests = [], []
    for meeting in meetings:
        for user_id in team[meeting.key_account_id].values():
            attendees.append(Attendee(meeting_id=meeting.pk, user_id=user_id))
        if meeting.kind != K.INTERNAL:
            candidates = people.get(meeting.key_account_id, [])
            for stakeholder_id in rng.sample(candidates, min(2, len(candidates))):
                guests.append(Guest(meeting_id=meeting.pk, stakeholder_id=stakeholder_id))
    Attendee.objects.bulk_create(attendees, batch_size=BATCH)
    Guest.objects.bulk_create(guests, batch_size=BATCH)
    return len(meetings)
