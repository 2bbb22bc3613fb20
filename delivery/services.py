"""Writes for Stage 5 (Delivery). Every domain write of the delivery pages goes through here.

Rules kept in this module (and shown to users where they meet them):
- Action progress: a progress update writes one `planning.ActionUpdate` history row and moves
  the action's status/percent; "done" means 100 % and stamps the completion date.
- Meetings: internal attendees must be on the account team, customer attendees must be the
  account's stakeholders, links only to the account's opportunities/objectives. Booking an
  internal attendee into overlapping non-cancelled meetings (any account) is a warning the user
  may override. Notes on a meeting that took place move each linked stakeholder's
  `last_contact_on` to the meeting date when that is later.
- Follow-ups from a meeting become actions on the account's current plan.
- Quotes: see `delivery.models.QuoteTotals` for the arithmetic; discounts above the
  programme's limit need a director's approval before sending; an expired quote cannot be
  accepted. A quote that starts waiting for that approval notifies the account's director(s),
  the approval its author (after commit).
- Comments: "@username" of a team member notifies them (in-app and by e-mail).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts import permissions
from accounts.models import AccountEvent, KeyAccount, Programme, Role
from accounts.selectors import team_user_ids, team_with_role
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision, lock_for_edit
from discovery.models import Stakeholder
from opportunities.models import Offering, Opportunity
from planning.models import (
    AccountPlan,
    Action,
    ActionUpdate,
    EngagementActivity,
    Measurement,
    Objective,
    Target,
)
from planning.services import engagement_held

from .models import CalendarFeed, CheckIn, Meeting, Notification, Quote, QuoteLine

# An opportunity this easy to deliver counts as a quick win when it is delivered (1-5 scale).
QUICK_WIN_MAX_EFFORT = 2

# Who scheduled a meeting or prepared a quote may have left (SET_NULL); that must not block
# later edits of the row.
NULLABLE_AUTHORS = ["scheduled_by", "prepared_by"]

PROGRESS_STATUSES = (
    Action.Status.OPEN,
    Action.Status.IN_PROGRESS,
    Action.Status.WAITING,
    Action.Status.DONE,
)


class DoubleBooking(Exception):
    """Internal attendees already have overlapping meetings. `conflicts`: [(user, meeting)]."""

    def __init__(self, conflicts):
        super().__init__("Some attendees are already booked at that time.")
        self.conflicts = conflicts


def _is_quick_win(opportunity: Opportunity | None) -> bool:
    return opportunity is not None and opportunity.effort <= QUICK_WIN_MAX_EFFORT


# ---- notifications ------------------------------------------------------------------------


@transaction.atomic
def notification_send(*, user, text: str, link: str = "", email: bool = True) -> Notification:
    """An in-app notification, plus an e-mail (sent after commit) when the user has an address."""
    notification = Notification(user=user, text=text[:300], link=link[:300])
    notification.full_clean()
    notification.save()
    if email and user.email:
        transaction.on_commit(
            lambda: send_mail(
                subject=f"KAM Programme: {text[:80]}",
                message=f"{text}\n\n{link}",
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
        )
    return notification


def notification_send_to_team(
    *, account: KeyAccount, users, text: str, link: str, acting_user
) -> list[Notification]:
    """Tell people on the account's team about a workflow step: never the person who took the
    step, never anyone the permission rules do not count as on the team, each person once.
    Called after the step's transaction has committed (see planning.signals)."""
    acting_id = getattr(acting_user, "pk", None)
    told: dict[int, Notification] = {}
    for user in users:
        if user is None or user.pk == acting_id or user.pk in told:
            continue
        if permissions.may_be_told_about(user, account):
            told[user.pk] = notification_send(user=user, text=text, link=link)
    return list(told.values())


@transaction.atomic
def notification_mark_read(*, notification: Notification, acting_user) -> Notification:
    if notification.user_id != acting_user.pk:
        raise ValidationError("You can only mark your own notifications as read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, acting_user) -> int:
    return Notification.objects.filter(user=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# ---- action progress ----------------------------------------------------------------------


@transaction.atomic
def action_progress_update(
    *,
    action: Action,
    status: str,
    progress_percent: int,
    note: str,
    revision: int | None,
    acting_user,
) -> ActionUpdate:
    """Record one progress update: history row + the action's new status and percent.

    "Done" sets 100 % and the completion date; leaving "done" clears the date. An update that
    changes nothing and says nothing is refused. Permission (own actions for team members) is
    the view's job via `permissions.can_update_action`.
    """
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("opportunity", "plan")
        .get(pk=action.pk)
    )
    check_revision(
        action,
        revision,
        message=lambda saved: (
            "Someone else updated this action while you were typing: it is "
            f"now {saved.get_status_display()}, {saved.progress_percent} %."
        ),
    )
    if action.status == Action.Status.CANCELLED:
        raise ValidationError("This action was cancelled in the plan; it takes no more updates.")
    if not action.plan.is_current:
        raise ValidationError("This action belongs to an archived plan.")
    if status not in PROGRESS_STATUSES:
        raise ValidationError({"status": "Choose open, in progress, waiting on others or done."})
    if not 0 <= progress_percent <= 100:
        raise ValidationError({"progress_percent": "Progress is a percentage from 0 to 100."})
    if status == Action.Status.DONE:
        progress_percent = 100
    note = note.strip()
    if status == action.status and progress_percent == action.progress_percent and not note:
        raise ValidationError("Nothing changed: change the status or percent, or add a note.")
    was_done = action.status == Action.Status.DONE
    action.status = status
    action.progress_percent = progress_percent
    if status == Action.Status.DONE and not was_done:
        action.completed_on = timezone.localdate()
    elif status != Action.Status.DONE:
        action.completed_on = None
    bump_revision(action)
    action.full_clean()
    action.save(update_fields=["status", "progress_percent", "completed_on", "revision"])
    update = ActionUpdate(
        action=action,
        status=status,
        progress_percent=progress_percent,
        note=note,
        updated_by=acting_user,
    )
    update.full_clean()
    update.save()
    if status == Action.Status.DONE and not was_done:
        quick_win = _is_quick_win(action.opportunity)
        label = "Quick win delivered" if quick_win else "Action done"
        account_event_record(
            account=action.plan.key_account,
            kind=AccountEvent.Kind.ACTION,
            summary=f"{label}: {action.title}",
            reason=note,
            acting_user=acting_user,
            link=reverse("delivery:action_detail", args=[action.plan.key_account_id, action.pk]),
        )
    return update


# ---- meetings -----------------------------------------------------------------------------


@dataclass
class MeetingDetails:
    """What a coordinator fills in when scheduling a meeting."""

    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    location: str = ""
    agenda: str = ""
    attendees: list = field(default_factory=list)
    stakeholders: list = field(default_factory=list)
    opportunities: list = field(default_factory=list)
    objectives: list = field(default_factory=list)
    engagement: EngagementActivity | None = None


DESELECTED = "This account has been de-selected from the programme: no new meetings or quotes."


def _ensure_active(account: KeyAccount) -> None:
    if not account.is_active:
        raise ValidationError(DESELECTED)


def _validate_meeting(account: KeyAccount, details: MeetingDetails) -> None:
    _ensure_active(account)
    errors: dict[str, str] = {}
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = "The meeting must end after it starts."
    try:
        ZoneInfo(details.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = f"Unknown time zone {details.time_zone!r}."
    team = team_user_ids(account=account)
    outsiders = [u for u in details.attendees if u.pk not in team]
    if outsiders:
        names = ", ".join(str(u) for u in outsiders)
        errors["attendees"] = f"Internal attendees must be on the account team: {names} is not."
    foreign = [s for s in details.stakeholders if s.key_account_id != account.pk]
    if foreign:
        errors["stakeholders"] = "Customer attendees must be stakeholders of this account."
    if any(o.key_account_id != account.pk for o in details.opportunities):
        errors["opportunities"] = "Only this account's opportunities can be linked."
    objective_ids = {o.pk for o in details.objectives}
    if (
        objective_ids
        and Objective.objects.filter(pk__in=objective_ids)
        .exclude(plan__key_account=account)
        .exists()
    ):
        errors["objectives"] = "Only this account's objectives can be linked."
    if (
        details.engagement is not None
        and not EngagementActivity.objects.filter(
            pk=details.engagement.pk, plan__key_account=account, plan__is_current=True
        ).exists()
    ):
        errors["engagement"] = "Only an item of this account's current engagement plan."
    if errors:
        raise ValidationError(errors)


def meeting_double_bookings(
    *, attendees, starts_at: datetime, ends_at: datetime, exclude_pk: int | None = None
) -> list[tuple]:
    """(user, meeting) pairs where an attendee already has an overlapping, non-cancelled
    meeting on any account. Two meetings overlap when each starts before the other ends."""
    attendee_ids = [u.pk for u in attendees]
    if not attendee_ids:
        return []
    clashes = (
        Meeting.objects.filter(
            attendees__in=attendee_ids,
            cancelled_at__isnull=True,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=exclude_pk)
        .select_related("key_account__customer")
        .prefetch_related("attendees")
        .distinct()
        .order_by("starts_at")
    )
    by_id = {u.pk: u for u in attendees}
    return [
        (by_id[user.pk], meeting)
        for meeting in clashes
        for user in meeting.attendees.all()
        if user.pk in by_id
    ]


def _set_meeting_links(meeting: Meeting, details: MeetingDetails) -> None:
    meeting.attendees.set(details.attendees)
    meeting.stakeholders.set(details.stakeholders)
    meeting.opportunities.set(details.opportunities)
    meeting.objectives.set(details.objectives)


@transaction.atomic
def meeting_schedule(
    *,
    account: KeyAccount,
    details: MeetingDetails,
    allow_double_booking: bool = False,
    acting_user,
) -> Meeting:
    """Schedule a meeting. Raises DoubleBooking unless the user confirmed the overlap."""
    _validate_meeting(account, details)
    if not allow_double_booking:
        conflicts = meeting_double_bookings(
            attendees=details.attendees, starts_at=details.starts_at, ends_at=details.ends_at
        )
        if conflicts:
            raise DoubleBooking(conflicts)
    meeting = Meeting(
        key_account=account,
        kind=details.kind,
        title=details.title,
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        time_zone=details.time_zone,
        location=details.location,
        agenda=details.agenda,
        engagement=details.engagement,
        scheduled_by=acting_user,
    )
    meeting.full_clean()
    meeting.save()
    _set_meeting_links(meeting, details)
    local = meeting.local_starts_at
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.MEETING,
        summary=f"Meeting scheduled: {meeting.title} on {local:%d %b %Y %H:%M} {meeting.time_zone}",
        acting_user=acting_user,
        link=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    details: MeetingDetails,
    revision: int | None,
    allow_double_booking: bool = False,
    acting_user,
) -> Meeting:
    meeting = lock_for_edit(
        meeting, revision, message="Someone else changed this meeting while you were editing."
    )
    if meeting.is_cancelled:
        raise ValidationError("A cancelled meeting cannot be changed.")
    account = meeting.key_account
    _validate_meeting(account, details)
    if not allow_double_booking:
        conflicts = meeting_double_bookings(
            attendees=details.attendees,
            starts_at=details.starts_at,
            ends_at=details.ends_at,
            exclude_pk=meeting.pk,
        )
        if conflicts:
            raise DoubleBooking(conflicts)
    moved = meeting.starts_at != details.starts_at
    for name in (
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "time_zone",
        "location",
        "agenda",
        "engagement",
    ):
        setattr(meeting, name, getattr(details, name))
    bump_revision(meeting)
    meeting.full_clean(exclude=NULLABLE_AUTHORS)
    meeting.save()
    _set_meeting_links(meeting, details)
    if moved:
        local = meeting.local_starts_at
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.MEETING,
            summary=f"Meeting moved: {meeting.title} to {local:%d %b %Y %H:%M} {meeting.time_zone}",
            acting_user=acting_user,
            link=meeting.get_absolute_url(),
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, acting_user) -> Meeting:
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("This meeting is already cancelled.")
    if meeting.notes.strip():
        raise ValidationError("A meeting with notes took place; it cannot be cancelled.")
    meeting.cancelled_at = timezone.now()
    bump_revision(meeting)
    meeting.save(update_fields=["cancelled_at", "revision", "updated_at"])
    account_event_record(
        account=meeting.key_account,
        kind=AccountEvent.Kind.MEETING,
        summary=f"Meeting cancelled: {meeting.title}",
        reason=reason,
        acting_user=acting_user,
        link=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def meeting_record_notes(
    *, meeting: Meeting, notes: str, decisions: str, revision: int | None, acting_user
) -> Meeting:
    """Notes and decisions after the meeting. The first notes put "Meeting held" (with the
    decisions) on the timeline and move the linked stakeholders' last contact date."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("key_account")
        .get(pk=meeting.pk)
    )
    check_revision(
        meeting,
        revision,
        message="Someone else saved notes on this meeting while you were writing.",
    )
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled; there is nothing to write up.")
    if not meeting.has_taken_place():
        raise ValidationError("Notes can be recorded once the meeting has started.")
    notes, decisions = notes.strip(), decisions.strip()
    if not notes:
        raise ValidationError({"notes": "Write what was discussed."})
    first_write_up = not meeting.notes.strip()
    decisions_changed = decisions != meeting.decisions.strip()
    meeting.notes = notes
    meeting.decisions = decisions
    bump_revision(meeting)
    meeting.full_clean(exclude=NULLABLE_AUTHORS)
    meeting.save(update_fields=["notes", "decisions", "revision", "updated_at"])
    held_on = meeting.local_starts_at.date()
    stakeholder_ids = list(meeting.stakeholders.values_list("pk", flat=True))
    stakeholders_contact_update(stakeholder_ids=stakeholder_ids, contacted_on=held_on)
    engagement_held(activities=_engagements_delivered(meeting, stakeholder_ids), held_on=held_on)
    if first_write_up:
        account_event_record(
            account=meeting.key_account,
            kind=AccountEvent.Kind.MEETING,
            summary=f"Meeting held: {meeting.title}",
            reason=f"Decisions: {decisions}" if decisions else "",
            acting_user=acting_user,
            link=meeting.get_absolute_url(),
            occurred_at=meeting.ends_at,
        )
    elif decisions_changed and decisions:
        account_event_record(
            account=meeting.key_account,
            kind=AccountEvent.Kind.MEETING,
            summary=f"Meeting decisions updated: {meeting.title}",
            reason=f"Decisions: {decisions}",
            acting_user=acting_user,
            link=meeting.get_absolute_url(),
        )
    return meeting


def _engagements_delivered(meeting: Meeting, stakeholder_ids: list[int]):
    """The engagement plan items a held meeting counts for: the one it was scheduled for, and
    every item of the account's current plan whose two people both attended."""
    attendee_ids = list(meeting.attendees.values_list("pk", flat=True))
    matched = Q(stakeholder_id__in=stakeholder_ids, our_person_id__in=attendee_ids)
    if meeting.engagement_id:
        matched |= Q(pk=meeting.engagement_id)
    return list(
        EngagementActivity.objects.filter(
            matched, plan__key_account_id=meeting.key_account_id, plan__is_current=True
        )
    )


def stakeholders_contact_update(*, stakeholder_ids: list[int], contacted_on: date) -> int:
    """Last contact becomes `contacted_on` where that is later (never moves backwards)."""
    return (
        Stakeholder.objects.filter(pk__in=stakeholder_ids)
        .filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=contacted_on))
        .update(last_contact_on=contacted_on)
    )


@transaction.atomic
def meeting_follow_up_create(
    *,
    meeting: Meeting,
    title: str,
    owner,
    due_on: date,
    opportunity: Opportunity | None = None,
    acting_user,
) -> Action:
    """A follow-up agreed in the meeting becomes an action on the account's current plan."""
    account = meeting.key_account
    plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
    if plan is None:
        raise ValidationError(
            f"{account.name} has no current account plan, so follow-ups have nowhere to go. "
            "Ask the account manager to create the plan first (Plan tab)."
        )
    if meeting.is_cancelled:
        raise ValidationError("A cancelled meeting has no follow-ups.")
    errors = {}
    if owner is None or owner.pk not in team_user_ids(account=account):
        errors["owner"] = "The owner must be on the account team."
    if due_on < timezone.localdate():
        errors["due_on"] = "A follow-up cannot be due in the past."
    if opportunity is not None and opportunity.key_account_id != account.pk:
        errors["opportunity"] = "Only this account's opportunities can be linked."
    if errors:
        raise ValidationError(errors)
    action = Action(
        plan=plan, title=title.strip(), owner=owner, due_on=due_on, opportunity=opportunity
    )
    action.full_clean()
    action.save()
    meeting.follow_ups.add(action)
    link = reverse("delivery:action_detail", args=[account.pk, action.pk])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.ACTION,
        summary=f"Follow-up from {meeting.title}: {action.title} ({owner}, due {due_on:%d %b})",
        acting_user=acting_user,
        link=link,
    )
    text = f"New follow-up for you on {account.name}: {action.title} (due {due_on:%d %b})"
    transaction.on_commit(
        lambda: notification_send_to_team(
            account=account, users=[owner], text=text, link=link, acting_user=acting_user
        ),
        robust=True,
    )
    return action


# ---- calendar feed ------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> CalendarFeed:
    """Replace the secret token: the old URL stops working at once (404)."""
    feed = calendar_feed_get_or_create(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.full_clean()
    feed.save(update_fields=["token", "created_at"])
    return feed


# ---- quotes -------------------------------------------------------------------------------


@dataclass
class QuoteLineData:
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = Decimal("0")
    offering: Offering | None = None


def _validate_quote(
    account: KeyAccount, opportunity: Opportunity | None, lines: list[QuoteLineData]
) -> None:
    _ensure_active(account)
    errors: dict[str, str] = {}
    if opportunity is not None and opportunity.key_account_id != account.pk:
        errors["opportunity"] = "Only this account's opportunities can be linked."
    for n, line in enumerate(lines, start=1):
        if line.quantity < 0:
            errors.setdefault("__all__", f"Line {n}: quantity cannot be negative.")
        if line.unit_price < 0:
            errors.setdefault("__all__", f"Line {n}: unit price cannot be negative.")
        if not Decimal("0") <= line.discount_percent <= Decimal("100"):
            errors.setdefault("__all__", f"Line {n}: a discount must be between 0 and 100 %.")
    if errors:
        raise ValidationError(errors)


def _next_quote_number(today: date) -> str:
    prefix = f"Q-{today.year}-"
    n = Quote.objects.filter(number__startswith=prefix).count() + 1
    while Quote.objects.filter(number=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


LINE_FIELDS = ("offering_id", "description", "quantity", "unit_price", "discount_percent")


def _replace_lines(quote: Quote, lines: list[QuoteLineData]) -> None:
    """Make the quote's lines the given ones, position by position.

    A line that stays the same is left alone, a changed one is updated, extra ones are added
    and surplus ones deleted: so the audit history shows what really changed on each line, and
    a removed line can be restored from it."""
    existing = list(quote.lines.order_by("position", "pk"))
    new_rows, changed = [], []
    for position, data in enumerate(lines):
        line = existing[position] if position < len(existing) else QuoteLine(quote=quote)
        before = tuple(getattr(line, f) for f in LINE_FIELDS) + (line.position,)
        line.offering = data.offering
        line.description = data.description.strip()
        line.quantity = data.quantity
        line.unit_price = data.unit_price
        line.discount_percent = data.discount_percent
        line.position = position
        line.full_clean()
        if line.pk is None:
            new_rows.append(line)
        elif before != tuple(getattr(line, f) for f in LINE_FIELDS) + (line.position,):
            changed.append(line)
    fields = ["offering", "description", "quantity", "unit_price", "discount_percent", "position"]
    if changed:
        bulk_update_with_history(changed, QuoteLine, fields)
    if new_rows:
        bulk_create_with_history(new_rows, QuoteLine)
    for surplus in existing[len(lines) :]:
        surplus.delete()


def _pricing_signature(overall: Decimal, lines) -> tuple:
    return (
        Decimal(overall),
        tuple(
            (Decimal(x.quantity), Decimal(x.unit_price), Decimal(x.discount_percent)) for x in lines
        ),
    )


@transaction.atomic
def quote_create(
    *,
    account: KeyAccount,
    title: str,
    valid_until: date,
    overall_discount_percent: Decimal = Decimal("0"),
    opportunity: Opportunity | None = None,
    notes: str = "",
    lines: list[QuoteLineData],
    acting_user,
) -> Quote:
    """A draft quote in the programme's currency, numbered Q-<year>-<nnnn>."""
    _validate_quote(account, opportunity, lines)
    today = timezone.localdate()
    if valid_until < today:
        raise ValidationError({"valid_until": "A new quote cannot be valid only in the past."})
    quote = Quote(
        key_account=account,
        number=_next_quote_number(today),
        title=title.strip(),
        opportunity=opportunity,
        currency=Programme.current().currency,
        overall_discount_percent=overall_discount_percent,
        valid_until=valid_until,
        notes=notes,
        prepared_by=acting_user,
    )
    quote.full_clean()
    quote.save()
    _replace_lines(quote, lines)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.QUOTE,
        summary=f"Quote {quote.number} drafted: {quote.title}",
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    if quote_needs_approval(quote):
        _ask_directors_to_approve(quote, acting_user)
    return quote


@transaction.atomic
def quote_update(
    *,
    quote: Quote,
    revision: int | None,
    title: str,
    valid_until: date,
    overall_discount_percent: Decimal,
    opportunity: Opportunity | None,
    notes: str,
    lines: list[QuoteLineData],
    acting_user,
) -> Quote:
    """Edit a draft. Changing prices or discounts withdraws an earlier discount approval."""
    quote = lock_for_edit(
        quote, revision, message="Someone else changed this quote while you were editing."
    )
    if not quote.is_editable:
        raise ValidationError(f"Only draft quotes can be edited; this one is {quote.status}.")
    _validate_quote(quote.key_account, opportunity, lines)
    was_waiting = quote_waits_for_director(quote)
    before = _pricing_signature(quote.overall_discount_percent, quote.lines.all())
    after = _pricing_signature(overall_discount_percent, lines)
    quote.title = title.strip()
    quote.valid_until = valid_until
    quote.overall_discount_percent = overall_discount_percent
    quote.opportunity = opportunity
    quote.notes = notes
    if before != after:
        quote.discount_approved_by = None
        quote.discount_approved_at = None
        quote.discount_refused_by = None
        quote.discount_refused_at = None
        quote.discount_refusal_reason = ""
    bump_revision(quote)
    quote.full_clean(exclude=NULLABLE_AUTHORS)
    quote.save()
    _replace_lines(quote, lines)
    # Directors are asked once each time the quote starts waiting for them (a new discount
    # above the limit, or a price change that withdrew their approval), not on every save.
    if not was_waiting and quote_waits_for_director(quote):
        _ask_directors_to_approve(quote, acting_user)
    return quote


def _ask_directors_to_approve(quote: Quote, acting_user) -> None:
    """After commit: the account's director(s) are asked to approve the quote's discount."""
    account = quote.key_account
    totals = quote.totals()
    text = (
        f"{acting_user} asks you to approve a {totals.effective_discount_percent} % discount "
        f"on quote {quote.number} for {account.name} (limit {quote_discount_limit()} %)."
    )
    transaction.on_commit(
        lambda: notification_send_to_team(
            account=account,
            users=team_with_role(account=account, role=Role.DIRECTOR),
            text=text,
            link=quote.get_absolute_url(),
            acting_user=acting_user,
        ),
        robust=True,
    )


def quote_discount_limit() -> Decimal:
    return Programme.current().quote_discount_limit_percent


def quote_needs_approval(quote: Quote) -> bool:
    """True while the quote's discounts exceed the limit and no director has approved them."""
    return quote.totals().needs_approval(quote_discount_limit()) and not (
        quote.is_discount_approved
    )


def quote_waits_for_director(quote: Quote) -> bool:
    """Needs a director's approval and no director has refused these prices yet."""
    return quote_needs_approval(quote) and not quote.is_discount_refused


@transaction.atomic
def quote_refuse_discount(*, quote: Quote, reason: str, acting_user) -> Quote:
    """A director refuses a discount above the limit, saying why (view checks APPROVE). The
    quote stays a draft and cannot be sent; its author is told. New prices ask again."""
    quote = Quote.objects.select_for_update(of=("self",)).get(pk=quote.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why, so that the author knows what to change."})
    if not quote.is_editable:
        raise ValidationError("Only a draft quote's discount can be refused.")
    limit = quote_discount_limit()
    if not quote.totals().needs_approval(limit) or quote.is_discount_approved:
        raise ValidationError("This quote's discount waits for nobody's approval.")
    if quote.is_discount_refused:
        raise ValidationError("This discount is already refused.")
    quote.discount_refused_by = acting_user
    quote.discount_refused_at = timezone.now()
    quote.discount_refusal_reason = reason
    bump_revision(quote)
    quote.save(
        update_fields=[
            "discount_refused_by",
            "discount_refused_at",
            "discount_refusal_reason",
            "revision",
            "updated_at",
        ]
    )
    account_event_record(
        account=quote.key_account,
        kind=AccountEvent.Kind.QUOTE,
        summary=f"Discount on quote {quote.number} refused",
        reason=reason,
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    author = quote.prepared_by
    text = (
        f"{acting_user} refused the discount on your quote {quote.number} for "
        f"{quote.key_account.name}: {reason}"
    )[:300]
    transaction.on_commit(
        lambda: notification_send_to_team(
            account=quote.key_account,
            users=[author] if author else [],
            text=text,
            link=quote.get_absolute_url(),
            acting_user=acting_user,
        ),
        robust=True,
    )
    return quote


@transaction.atomic
def quote_approve_discount(*, quote: Quote, acting_user) -> Quote:
    """A director approves discounts above the programme's limit (view checks APPROVE)."""
    quote = Quote.objects.select_for_update(of=("self",)).get(pk=quote.pk)
    if not quote.is_editable:
        raise ValidationError("Only a draft quote's discount can be approved.")
    totals = quote.totals()
    limit = quote_discount_limit()
    if not totals.needs_approval(limit):
        raise ValidationError(f"This quote's discounts are within the {limit} % limit.")
    if quote.is_discount_approved:
        raise ValidationError("This discount is already approved.")
    quote.discount_approved_by = acting_user
    quote.discount_approved_at = timezone.now()
    quote.discount_refused_by = None  # a director may change their mind
    quote.discount_refused_at = None
    quote.discount_refusal_reason = ""
    bump_revision(quote)
    quote.save(
        update_fields=[
            "discount_approved_by",
            "discount_approved_at",
            "discount_refused_by",
            "discount_refused_at",
            "discount_refusal_reason",
            "revision",
        ]
    )
    account_event_record(
        account=quote.key_account,
        kind=AccountEvent.Kind.QUOTE,
        summary=(
            f"Discount on quote {quote.number} approved "
            f"({totals.effective_discount_percent} % against a {limit} % limit)"
        ),
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    author = quote.prepared_by
    text = (
        f"{acting_user} approved the discount on your quote {quote.number} for "
        f"{quote.key_account.name}; it can now be sent."
    )
    transaction.on_commit(
        lambda: notification_send_to_team(
            account=quote.key_account,
            users=[author],
            text=text,
            link=quote.get_absolute_url(),
            acting_user=acting_user,
        ),
        robust=True,
    )
    return quote


@transaction.atomic
def quote_change_status(
    *, quote: Quote, status: str, mark_opportunity_won: bool = False, acting_user
) -> Quote:
    """draft -> sent -> accepted / rejected / expired.

    Sending needs at least one line, a validity date not yet passed and, above the discount
    limit, a director's approval. A quote past its validity date cannot be accepted.
    An accepted quote may mark its linked opportunity won.
    """
    quote = (
        Quote.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=quote.pk)
    )
    if status not in quote.next_statuses():
        raise ValidationError(
            f"A {quote.get_status_display().lower()} quote cannot become "
            f"{Quote.Status(status).label.lower() if status in Quote.Status.values else status}."
        )
    today = timezone.localdate()
    now = timezone.now()
    if status == Quote.Status.SENT:
        _ensure_active(quote.key_account)
        if not quote.lines.exists():
            raise ValidationError("Add at least one line before sending the quote.")
        if quote.valid_until < today:
            raise ValidationError("The validity date has passed; set a new one before sending.")
        if quote_needs_approval(quote) and quote.is_discount_refused:
            raise ValidationError(
                f"{quote.discount_refused_by} refused this discount: "
                f"{quote.discount_refusal_reason} Change the prices or discounts first."
            )
        if quote_needs_approval(quote):
            raise ValidationError(
                f"The discount is above the programme's {quote_discount_limit()} % limit: "
                "a director must approve it before the quote is sent."
            )
        quote.sent_at = now
    elif status == Quote.Status.ACCEPTED and quote.valid_until < today:
        raise ValidationError(
            f"This quote expired on {quote.valid_until:%d %b %Y}; it cannot be accepted. "
            "Mark it expired and issue a new quote."
        )
    if status in (Quote.Status.ACCEPTED, Quote.Status.REJECTED, Quote.Status.EXPIRED):
        quote.decided_at = now
    quote.status = status
    bump_revision(quote)
    quote.full_clean(exclude=NULLABLE_AUTHORS)
    quote.save(update_fields=["status", "sent_at", "decided_at", "revision", "updated_at"])
    totals = quote.totals()
    account_event_record(
        account=quote.key_account,
        kind=AccountEvent.Kind.QUOTE,
        summary=f"Quote {quote.number} {quote.get_status_display().lower()}: {quote.title}",
        new_value=f"{quote.currency} {totals.total}",
        acting_user=acting_user,
        link=quote.get_absolute_url(),
    )
    opportunity = quote.opportunity
    if (
        status == Quote.Status.ACCEPTED
        and mark_opportunity_won
        and opportunity is not None
        and opportunity.status != Opportunity.Status.WON
    ):
        old = opportunity.status
        opportunity.status = Opportunity.Status.WON
        opportunity.save(update_fields=["status", "updated_at"])
        account_event_record(
            account=quote.key_account,
            kind=AccountEvent.Kind.OPPORTUNITY,
            summary=(
                f"{'Quick win delivered' if _is_quick_win(opportunity) else 'Opportunity won'}: "
                f"{opportunity.title} (quote {quote.number} accepted)"
            ),
            old_value=old,
            new_value=Opportunity.Status.WON,
            acting_user=acting_user,
        )
    return quote


# ---- progress monitoring ------------------------------------------------------------------


@transaction.atomic
def check_in_record(
    *,
    opportunity: Opportunity,
    checked_on: date,
    status: str,
    next_step: str,
    blockers: str,
    acting_user,
) -> CheckIn:
    """A weekly or monthly check on an opportunity. It reports; it does not edit the
    opportunity (that is the manager's, in Opportunities). A reported win goes on the timeline,
    as a quick win when the opportunity was low-effort."""
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "A check-in cannot be dated in the future."})
    check_in = CheckIn(
        opportunity=opportunity,
        checked_on=checked_on,
        status=status,
        next_step=next_step.strip(),
        blockers=blockers.strip(),
        recorded_by=acting_user,
    )
    check_in.full_clean()
    check_in.save()
    if status == Opportunity.Status.WON:
        label = "Quick win delivered" if _is_quick_win(opportunity) else "Opportunity delivered"
        account_event_record(
            account=opportunity.key_account,
            kind=AccountEvent.Kind.OPPORTUNITY,
            summary=f"{label}: {opportunity.title}",
            reason=check_in.next_step,
            acting_user=acting_user,
            link=reverse("delivery:progress", args=[opportunity.key_account_id]),
        )
    return check_in


@transaction.atomic
def measurement_record(
    *, target: Target, measured_on: date, actual: Decimal, comment: str, acting_user
) -> Measurement:
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "A measurement cannot be dated in the future."})
    if measured_on < target.baseline_on:
        raise ValidationError(
            {
                "measured_on": f"The baseline was set on {target.baseline_on:%d %b %Y}; "
                "measure on or after it."
            }
        )
    measurement = Measurement(
        target=target,
        measured_on=measured_on,
        actual=actual,
        comment=comment.strip(),
        recorded_by=acting_user,
    )
    measurement.full_clean()
    measurement.save()
    return measurement


# ---- timeline comments --------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


def mentioned_usernames(text: str) -> list[str]:
    """ "@max, @dana." -> ["max", "dana"] (trailing dots are punctuation)."""
    seen: list[str] = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name and name.lower() not in (s.lower() for s in seen):
            seen.append(name)
    return seen


@dataclass
class CommentResult:
    event: AccountEvent
    notified: list
    not_on_team: list[str]


@transaction.atomic
def comment_post(
    *, account: KeyAccount, text: str, acting_user, notify_by_email: bool = True
) -> CommentResult:
    """A comment on the account's timeline. "@username" of someone on the account team
    notifies them (in-app and by e-mail); other @names are reported back, not notified."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write a comment first."})
    if len(text) > 4000:
        raise ValidationError({"text": "Keep a comment under 4,000 characters."})
    names = mentioned_usernames(text)
    team = {m.user.username.lower(): m.user for m in account.memberships.select_related("user")}
    mentioned = [team[n.lower()] for n in names if n.lower() in team]
    not_on_team = [n for n in names if n.lower() not in team]
    summary = text if len(text) <= 300 else text[:299] + "…"
    event = account_event_record(
        account=account,
        kind=AccountEvent.Kind.COMMENT,
        summary=summary,
        reason=text if len(text) > 300 else "",
        acting_user=acting_user,
    )
    link = reverse("delivery:timeline", args=[account.pk]) + f"#event-{event.pk}"
    notified = []
    for user in mentioned:
        if user.pk == acting_user.pk:
            continue
        notification_send(
            user=user,
            text=f"{acting_user} mentioned you on {account.name}: {summary[:180]}",
            link=link,
            email=notify_by_email,
        )
        notified.append(user)
    return CommentResult(event=event, notified=notified, not_on_team=not_on_team)


@transaction.atomic
def account_deselected_wind_down(*, account: KeyAccount, acting_user, reason: str = "") -> dict:
    """A de-selected account keeps its history, but nothing goes on in its name: meetings
    that have not started are cancelled (they leave everyone's calendar feed) and quotes sent
    and not yet decided expire. Drafts stay as they are and can no longer be sent."""
    why = f"The account was de-selected. {reason}".strip()
    meetings = Meeting.objects.filter(
        key_account=account, cancelled_at__isnull=True, starts_at__gt=timezone.now()
    )
    cancelled = [
        meeting_cancel(meeting=meeting, reason=why, acting_user=acting_user) for meeting in meetings
    ]
    quotes = Quote.objects.filter(key_account=account, status=Quote.Status.SENT)
    expired = [
        quote_change_status(quote=quote, status=Quote.Status.EXPIRED, acting_user=acting_user)
        for quote in quotes
    ]
    return {"meetings_cancelled": len(cancelled), "quotes_expired": len(expired)}
