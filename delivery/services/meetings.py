"""Meetings.

- Internal attendees must be on the account team, customer attendees must be the account's
  stakeholders, links only to the account's opportunities/objectives. Booking an internal
  attendee into overlapping non-cancelled meetings (any account) is a warning the user may
  override. The check runs with every internal attendee locked (`common.locks.lock_rows` on
  their user rows, until the booking commits), so of two bookings of one person at the same
  moment the second waits and then sees the first: it gets the warning too.
- Notes on a meeting that took place move each linked stakeholder's `last_contact_on` to the
  meeting date when that is later, and the engagement plan items it delivered on.
- Follow-ups from a meeting become actions on the account's current plan; their owner is told.
- Scheduling, moving (time or place), changing the agenda of or cancelling a meeting tells its
  internal attendees in the app and by e-mail (`notify_account_team`: never the person who did
  it, only active people on the team), with what changed and a link to the meeting. Someone
  taken off the attendee list is told so; someone added gets the invitation.
- A customer attendee without an e-mail address can be given one while scheduling
  (`MeetingDetails.emails`); it is saved on the stakeholder by discovery's service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from accounts.event_text import EventText, day, moment
from accounts.models import AccountEvent, KeyAccount
from accounts.selectors import team_user_ids, user_today
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision, lock_for_edit
from common.links import checked_elsewhere, forget_prefetched, hand_prefetched
from common.locks import lock_rows
from discovery.models import Stakeholder
from discovery.services import (
    stakeholder_email_add,
    stakeholder_quick_add,
    stakeholders_contact_update,
)
from notifications.services import notify_account_team
from opportunities.models import Opportunity
from planning.models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Objective,
)
from planning.services import engagement_held

from ..models import Meeting
from .invitations import CANCEL, REQUEST, invitation_attachment, invite_customer_attendees
from .shared import (
    NULLABLE_AUTHORS,
    _ensure_active,
    attendee_when,
    meeting_when_for_attendee,
)


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
    # Stakeholder id -> the e-mail address typed for a customer attendee who had none.
    emails: dict = field(default_factory=dict)
    # A customer attendee typed in on the form ({name, title, email}): created as a stakeholder
    # of the account (discovery's stakeholder_quick_add) and invited with the others.
    new_stakeholder: dict | None = None


class DoubleBooking(Exception):
    """Internal attendees already have overlapping meetings. `conflicts`: [(user, meeting)]."""

    def __init__(self, conflicts):
        super().__init__(_("Some attendees are already booked at that time."))
        self.conflicts = conflicts


def _validate_meeting(
    account: KeyAccount, details: MeetingDetails, *, attending: frozenset = frozenset()
) -> None:
    """`attending`: ids of the meeting's internal attendees before this save, who stay allowed
    after they left the team (taking them off is the editor's choice, not a side effect)."""
    _ensure_active(account)
    errors: dict[str, str] = {}
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    try:
        ZoneInfo(details.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("Unknown time zone %(zone)r.") % {"zone": details.time_zone}
    team = team_user_ids(account=account)
    outsiders = [u for u in details.attendees if u.pk not in team and u.pk not in attending]
    if outsiders:
        names = ", ".join(str(u) for u in outsiders)
        errors["attendees"] = _(
            "Internal attendees must be on the account team: %(names)s is not."
        ) % {"names": names}
    foreign = [s for s in details.stakeholders if s.key_account_id != account.pk]
    if foreign:
        errors["stakeholders"] = _("Customer attendees must be stakeholders of this account.")
    if (
        details.emails
        and Stakeholder.objects.filter(pk__in=list(details.emails))
        .exclude(key_account=account)
        .exists()
    ):
        errors["stakeholders"] = _("Customer attendees must be stakeholders of this account.")
    if any(o.key_account_id != account.pk for o in details.opportunities):
        errors["opportunities"] = _("Only this account's opportunities can be linked.")
    objective_ids = {o.pk for o in details.objectives}
    if (
        objective_ids
        and Objective.objects.filter(pk__in=objective_ids)
        .exclude(plan__key_account=account)
        .exists()
    ):
        errors["objectives"] = _("Only this account's objectives can be linked.")
    if (
        details.engagement is not None
        and not EngagementActivity.objects.filter(
            pk=details.engagement.pk, plan__key_account=account, plan__is_current=True
        ).exists()
    ):
        errors["engagement"] = _("Only an item of this account's current engagement plan.")
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


LINKS = ("attendees", "stakeholders", "opportunities", "objectives")
# What an edit of the meeting's record writes on its row.
MEETING_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "location",
    "agenda",
    "engagement",
)


def _set_meeting_links(
    meeting: Meeting, details: MeetingDetails, acting_user, *, before: dict
) -> None:
    """`before`: each link's rows as the locked meeting holds them (none on a new meeting).
    Only what changed is written; a link left as it was keeps the rows read with the meeting,
    which the answer draws (a link changed is read again when it is drawn)."""
    if details.emails:
        for stakeholder in Stakeholder.objects.filter(pk__in=list(details.emails)):
            stakeholder_email_add(
                stakeholder=stakeholder,
                email=details.emails[stakeholder.pk],
                acting_user=acting_user,
            )
        # The rows read before lack the addresses just given.
        forget_prefetched(meeting, "stakeholders")
    stakeholders = list(details.stakeholders)
    if details.new_stakeholder:
        stakeholders.append(
            stakeholder_quick_add(
                account=meeting.key_account, acting_user=acting_user, **details.new_stakeholder
            )
        )
    after = {
        "attendees": details.attendees,
        "stakeholders": stakeholders,
        "opportunities": details.opportunities,
        "objectives": details.objectives,
    }
    for name in LINKS:
        old = {row.pk for row in before.get(name, ())}
        new = {row.pk for row in after[name]}
        # add() and remove() forget the rows the meeting was read with (Django's own cache).
        if old - new:
            getattr(meeting, name).remove(*(old - new))
        if new - old:
            getattr(meeting, name).add(*(new - old))


def _links_read_with(meeting: Meeting, locked: Meeting) -> dict:
    """The links the caller read with `meeting` (meeting_for_account prefetches them), handed
    to `locked` if they are its own: every change of them bumps the revision, so the same
    revision holds the same links. Otherwise they are read again, under the lock."""
    if locked.revision == meeting.revision:
        hand_prefetched(meeting, locked, LINKS)
    return {name: list(getattr(locked, name).all()) for name in LINKS}


def _where(location: str) -> str:
    return location or _("no place given")


def _tell_attendees(*, meeting: Meeting, users, text, acting_user, method: str = "") -> None:
    """After the commit: each attendee with an account in the app, once, never the actor;
    with the calendar invitation (`method` REQUEST or CANCEL) attached when given."""
    account, link = meeting.key_account, meeting.get_absolute_url()
    users = list(users)
    attachment = _invitation_per_language(meeting, method) if method and users else None
    transaction.on_commit(
        lambda: notify_account_team(
            account=account,
            users=users,
            text=text,
            link=link,
            acting_user=acting_user,
            attachment=attachment,
        ),
        robust=True,
    )


def _invitation_per_language(meeting: Meeting, method: str):
    """The invitation as the outbox asks for it, in each recipient's language (its description
    has words: "Customer meeting with …", "Agenda:"), made once per language."""
    made: dict[str, object] = {}

    def attachment():
        language = translation.get_language() or ""
        if language not in made:
            made[language] = invitation_attachment(meeting, method)
        return made[language]

    return attachment


# The texts below are called by the outbox in each recipient's language
# (notifications.services): words, day and month names follow the recipient.


def _invited_text(meeting: Meeting) -> str:
    return _("You are invited. %(meeting)s") % {"meeting": _invitation(meeting)}


def _removed_text(meeting: Meeting) -> str:
    return _("You are no longer on the attendee list of %(title)s (%(account)s, %(when)s).") % {
        "title": meeting.title,
        "account": meeting.key_account.name,
        "when": meeting_when_for_attendee(meeting),
    }


def _cancelled_text(meeting: Meeting, reason: str) -> str:
    text = _("Meeting cancelled: %(title)s (%(account)s, %(when)s).") % {
        "title": meeting.title,
        "account": meeting.key_account.name,
        "when": meeting_when_for_attendee(meeting),
    }
    return text + (" " + _("Reason: %(reason)s") % {"reason": reason} if reason else "")


def _invitation(meeting: Meeting) -> str:
    return _("Meeting with %(account)s: %(title)s, %(when)s, %(where)s") % {
        "account": meeting.key_account.name,
        "title": meeting.title,
        "when": meeting_when_for_attendee(meeting),
        "where": _where(meeting.location),
    }


@transaction.atomic
def meeting_schedule(
    *,
    account: KeyAccount,
    details: MeetingDetails,
    allow_double_booking: bool = False,
    acting_user,
) -> Meeting:
    """Schedule a meeting. Raises DoubleBooking unless the user confirmed the overlap. A
    meeting that has already started is recorded: its attendees are not invited."""
    _validate_meeting(account, details)
    # Even a confirmed overlap holds the attendees: a booking checked at the same moment must
    # wait for this one and see it.
    lock_rows(*details.attendees)
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
    _set_meeting_links(meeting, details, acting_user, before={})
    local = meeting.local_starts_at
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.MEETING,
        summary=EventText(
            gettext_noop("Meeting scheduled: %(title)s on %(when)s %(zone)s"),
            title=meeting.title,
            when=moment(local),
            zone=meeting.time_zone,
        ),
        acting_user=acting_user,
        link=meeting.get_absolute_url(),
    )
    if meeting.has_taken_place():
        # Recorded after it took place (the form asked): nobody is invited to a past date.
        return meeting
    _tell_attendees(
        meeting=meeting,
        users=details.attendees,
        text=partial(_invited_text, meeting),
        acting_user=acting_user,
        method=REQUEST,
    )
    invite_customer_attendees(meeting, meeting.stakeholders.all(), REQUEST)
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
    read = meeting
    meeting = lock_for_edit(
        read, revision, message=_("Someone else changed this meeting while you were editing.")
    )
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    # The row's account never changes: the one the caller read it with (and checked).
    account = meeting.key_account = read.key_account
    if meeting.scheduled_by_id == read.scheduled_by_id and Meeting.scheduled_by.is_cached(read):
        meeting.scheduled_by = read.scheduled_by
    before = _links_read_with(read, meeting)
    _validate_meeting(
        account, details, attending=frozenset(user.pk for user in before["attendees"])
    )
    lock_rows(*details.attendees)
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
    # The time before the change, said to each attendee as the time after it is (their clock).
    before_when = partial(attendee_when, meeting.starts_at, meeting.ends_at, meeting.time_zone)
    before_where = meeting.location
    before_agenda = meeting.agenda
    before_attendees = {user.pk: user for user in before["attendees"]}
    before_stakeholders = {s.pk: s for s in before["stakeholders"]}
    for name in MEETING_FIELDS:
        setattr(meeting, name, getattr(details, name))
    bump_revision(meeting)
    # What this save does not write is the locked row's; the engagement item was read through
    # the form's choices and checked by _validate_meeting, and so was the end after the start
    # (the only check constraint, which the database enforces as well).
    meeting.full_clean(
        exclude=checked_elsewhere(meeting, (*MEETING_FIELDS, "revision")),
        validate_constraints=False,
    )
    meeting.save()
    _set_meeting_links(meeting, details, acting_user, before=before)
    if moved:
        local = meeting.local_starts_at
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.MEETING,
            summary=EventText(
                gettext_noop("Meeting moved: %(title)s to %(when)s %(zone)s"),
                title=meeting.title,
                when=moment(local),
                zone=meeting.time_zone,
            ),
            acting_user=acting_user,
            link=meeting.get_absolute_url(),
        )
    _tell_about_changes(
        meeting=meeting,
        before_when=before_when,
        before_where=before_where,
        before_agenda=before_agenda,
        before_attendees=before_attendees,
        before_stakeholders=before_stakeholders,
        acting_user=acting_user,
    )
    return meeting


def _tell_about_changes(
    *,
    meeting: Meeting,
    before_when,
    before_where: str,
    before_attendees: dict,
    before_stakeholders: dict,
    acting_user,
    before_agenda: str = "",
) -> None:
    """Attendees who stay are told what changed (time, place, agenda: the invitation in their
    calendar carries it, and "No agenda yet" asks for one); added ones get the invitation,
    removed ones are told they are no longer expected. Nothing to say, nobody told. Each gets
    the calendar invitation with it (REQUEST, or CANCEL for those taken off), customer
    attendees too."""
    after = {user.pk: user for user in meeting.attendees.all()}  # read again only if changed
    moved = meeting_when_for_attendee(meeting) != before_when()
    replaced = meeting.location != before_where
    reagenda = meeting.agenda.strip() != before_agenda.strip()

    def changed_text():  # called by the outbox in each recipient's language
        changes = []
        if moved:
            changes.append(
                _("time %(before)s → %(after)s")
                % {"before": before_when(), "after": meeting_when_for_attendee(meeting)}
            )
        if replaced:
            changes.append(
                _("place %(before)s → %(after)s")
                % {"before": _where(before_where), "after": _where(meeting.location)}
            )
        if reagenda:
            changes.append(
                _("agenda: %(agenda)s") % {"agenda": meeting.agenda.strip()}
                if meeting.agenda.strip()
                else _("agenda removed")
            )
        return _("Meeting changed: %(title)s (%(account)s): %(changes)s") % {
            "title": meeting.title,
            "account": meeting.key_account.name,
            "changes": pgettext("between the items of a list", "; ").join(changes),
        }

    staying = [user for pk, user in after.items() if pk in before_attendees]
    if (moved or replaced or reagenda) and staying:
        _tell_attendees(
            meeting=meeting,
            users=staying,
            text=changed_text,
            acting_user=acting_user,
            method=REQUEST,
        )
    added = [user for pk, user in after.items() if pk not in before_attendees]
    if added:
        _tell_attendees(
            meeting=meeting,
            users=added,
            text=partial(_invited_text, meeting),
            acting_user=acting_user,
            method=REQUEST,
        )
    removed = [user for pk, user in before_attendees.items() if pk not in after]
    if removed:
        _tell_attendees(
            meeting=meeting,
            users=removed,
            text=partial(_removed_text, meeting),
            acting_user=acting_user,
            method=CANCEL,
        )
    customers = {s.pk: s for s in meeting.stakeholders.all()}
    if moved or replaced or reagenda:
        invite_customer_attendees(
            meeting,
            [s for pk, s in customers.items() if pk in before_stakeholders],
            REQUEST,
            changed=True,
        )
    invite_customer_attendees(
        meeting, [s for pk, s in customers.items() if pk not in before_stakeholders], REQUEST
    )
    invite_customer_attendees(
        meeting,
        [s for pk, s in before_stakeholders.items() if pk not in customers],
        CANCEL,
        removed=True,
    )


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, reason: str, acting_user, revision: int | None = None
) -> Meeting:
    """Cancel the meeting as the page showed it (`revision`), or nothing (`EditConflict`)."""
    meeting = lock_for_edit(
        meeting,
        revision,
        message=_(
            "The meeting changed after your page was loaded, so it was not cancelled: "
            "look at it as it is now and decide again."
        ),
    )
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    if meeting.notes.strip():
        raise ValidationError(_("A meeting with notes took place; it cannot be cancelled."))
    meeting.cancelled_at = timezone.now()
    bump_revision(meeting)
    meeting.save(update_fields=["cancelled_at", "revision", "updated_at"])
    account_event_record(
        account=meeting.key_account,
        kind=AccountEvent.Kind.MEETING,
        summary=EventText(gettext_noop("Meeting cancelled: %(title)s"), title=meeting.title),
        reason=reason,
        acting_user=acting_user,
        link=meeting.get_absolute_url(),
    )
    _tell_attendees(
        meeting=meeting,
        users=meeting.attendees.all(),
        text=partial(_cancelled_text, meeting, reason.strip()),
        acting_user=acting_user,
        method=CANCEL,
    )
    invite_customer_attendees(meeting, meeting.stakeholders.all(), CANCEL)
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
        message=_("Someone else saved notes on this meeting while you were writing."),
    )
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled; there is nothing to write up."))
    if not meeting.has_taken_place():
        raise ValidationError(_("Notes can be recorded once the meeting has started."))
    notes, decisions = notes.strip(), decisions.strip()
    if not notes:
        raise ValidationError({"notes": _("Write what was discussed.")})
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
            summary=EventText(gettext_noop("Meeting held: %(title)s"), title=meeting.title),
            reason=EventText(gettext_noop("Decisions: %(decisions)s"), decisions=decisions)
            if decisions
            else "",
            acting_user=acting_user,
            link=meeting.get_absolute_url(),
            occurred_at=meeting.ends_at,
        )
    elif decisions_changed and decisions:
        account_event_record(
            account=meeting.key_account,
            kind=AccountEvent.Kind.MEETING,
            summary=EventText(
                gettext_noop("Meeting decisions updated: %(title)s"), title=meeting.title
            ),
            reason=EventText(gettext_noop("Decisions: %(decisions)s"), decisions=decisions),
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
            _(
                "%(account)s has no current account plan, so follow-ups have nowhere to go. "
                "Ask the account manager to create the plan first (Plan tab)."
            )
            % {"account": account.name}
        )
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting has no follow-ups."))
    errors = {}
    if owner is None or owner.pk not in team_user_ids(account=account):
        errors["owner"] = _("The owner must be on the account team.")
    # The day it is for whoever types the date, in their time zone (My work's "overdue" is
    # the owner's day, like it).
    if due_on < user_today(acting_user):
        errors["due_on"] = _("A follow-up cannot be due in the past.")
    if opportunity is not None and opportunity.key_account_id != account.pk:
        errors["opportunity"] = _("Only this account's opportunities can be linked.")
    if errors:
        raise ValidationError(errors)
    # The same follow-up twice (a double click, the form sent again) is one action: the
    # meeting's row is held so that a second request waits and sees the first one's.
    lock_rows(meeting)
    title = title.strip()
    twin = (
        meeting.follow_ups.filter(title__iexact=title, owner=owner, status__in=Action.OPEN_STATUSES)
        .order_by("pk")
        .first()
    )
    if twin is not None:
        raise ValidationError(
            {
                "title": _(
                    "This meeting already has the follow-up “%(title)s” for %(owner)s, due "
                    "%(due)s. It was not added twice."
                )
                % {
                    "title": twin.title,
                    "owner": owner,
                    "due": date_format(twin.due_on, "PADDED_MONTH_DAY_FORMAT"),
                }
            }
        )
    action = Action(plan=plan, title=title, owner=owner, due_on=due_on, opportunity=opportunity)
    action.full_clean()
    action.save()
    meeting.follow_ups.add(action)
    link = reverse("delivery:action_detail", args=[account.pk, action.pk])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.ACTION,
        summary=EventText(
            gettext_noop("Follow-up from %(meeting)s: %(title)s (%(owner)s, due %(due)s)"),
            meeting=meeting.title,
            title=action.title,
            owner=owner,
            due=day(due_on, "MONTH_DAY_FORMAT"),
        ),
        acting_user=acting_user,
        link=link,
    )

    def text():  # called by the outbox in the recipient's language
        return _("New follow-up for you on %(account)s: %(title)s (due %(due)s)") % {
            "account": account.name,
            "title": action.title,
            "due": date_format(due_on, "PADDED_MONTH_DAY_FORMAT"),
        }

    transaction.on_commit(
        lambda: notify_account_team(
            account=account, users=[owner], text=text, link=link, acting_user=acting_user
        ),
        robust=True,
    )
    return action
