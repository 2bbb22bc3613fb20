"""Demo data for Stage 5 (Delivery): meetings, follow-ups, quotes, check-ins and comments.

The hand-written accounts' diary is written out in .tables: each account's own meetings with
its stakeholders and opportunities, plus a weekly internal check-in whose agenda lists that
account's open plan actions. Generated accounts (--scale) get meetings in bulk (.generated).

Idempotent (stable keys: meeting title per account, quote number, check-in date per
opportunity, comment text per account) and tolerant of missing earlier-stage data: links to
stakeholders, opportunities, plans and offerings are made only where they exist.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.event_text import EventText, amount, day, moment, term
from accounts.models import AccountEvent, Membership, Programme
from accounts.services import event_fields, events_dated
from common.dates import at_hour
from discovery.models import Stakeholder
from discovery.services import stakeholders_contact_update
from opportunities.models import Offering, Opportunity
from opportunities.selectors import list_price_on
from planning.demo_data import team_roles
from planning.models import AccountPlan, Action, ActionUpdate

from ..models import CheckIn, Meeting, Quote, QuoteLine
from ..services import monitoring
from ..services.comments import comment_post
from .dates import workday
from .generated import seed_generated
from .tables import CHECK_INS, COMMENTS, MEETINGS, QUOTES

LONDON = ZoneInfo("Europe/London")
INTERNAL_TITLE = "Account team check-in"
TEAMS_LINK = "Teams: https://teams.example.com/l/meetup/kam"
UPDATE_NOTES = {
    Action.Status.IN_PROGRESS: "Progress confirmed in the weekly account team check-in.",
    Action.Status.WAITING: "Waiting for the customer's answer; chased in the weekly check-in.",
    Action.Status.DONE: "Done and confirmed with the customer.",
}


def _aware(day, hour: int, zone=LONDON) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=zone)


def _by_name(queryset, field: str) -> dict:
    return {getattr(row, field): row for row in queryset}


def _meetings(ctx, account) -> None:
    reference = account.customer.reference
    team = team_roles(account)
    members = [
        m.user for m in Membership.objects.filter(key_account=account).select_related("user")
    ]
    organiser = team["coordinator"]
    senior = (Meeting.Kind.BUSINESS_REVIEW, Meeting.Kind.EXECUTIVE_VISIT)
    people = _by_name(
        Stakeholder.objects.filter(key_account=account, archived_at__isnull=True), "name"
    )
    opportunities = _by_name(Opportunity.objects.filter(key_account=account), "title")
    plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
    for row in MEETINGS.get(reference, []):
        starts = _aware(workday(ctx.today, row.day), row.hour, ZoneInfo(row.time_zone))
        written = bool(row.notes) and row.day < 0
        meeting, created = Meeting.objects.get_or_create(
            key_account=account,
            title=row.title,
            defaults={
                "kind": row.kind,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=1, minutes=30),
                "time_zone": row.time_zone,
                "location": row.location or f"{account.name}, head office",
                "agenda": row.agenda,
                "notes": row.notes if written else "",
                "decisions": row.decisions if written else "",
                "scheduled_by": organiser,
            },
        )
        if not created:
            continue
        stakeholders = [people[n] for n in row.stakeholders if n in people]
        # Manager and coordinator go; the director to reviews and executive visits; team
        # members when they take a follow-up.
        attendees = {team["manager"], organiser}
        attendees |= {team["director"]} if row.kind in senior else set()
        attendees |= {team[f.owner] for f in row.follow_ups}
        meeting.attendees.set(attendees)
        meeting.stakeholders.set(stakeholders)
        meeting.opportunities.set(
            [opportunities[t] for t in row.opportunities if t in opportunities]
        )
        _meeting_events(account, meeting, organiser, written)
        if written:
            stakeholders_contact_update(
                stakeholder_ids=[s.pk for s in stakeholders], contacted_on=starts.date()
            )
        if plan is not None:
            first = opportunities.get(row.opportunities[0]) if row.opportunities else None
            for follow_up in row.follow_ups:
                action, _ = Action.objects.get_or_create(
                    plan=plan,
                    title=follow_up.title,
                    defaults={
                        "owner": team[follow_up.owner],
                        "due_on": ctx.today + timedelta(days=follow_up.due_in),
                        "opportunity": first,
                    },
                )
                meeting.follow_ups.add(action)
    _internal_meeting(ctx, account, members, organiser, plan)


def _internal_meeting(ctx, account, members, organiser, plan) -> None:
    """The weekly account-team check-in, with this account's open actions as the agenda."""
    if Meeting.objects.filter(key_account=account, title=INTERNAL_TITLE).exists():
        return
    open_actions = []
    if plan is not None:
        open_actions = list(
            plan.actions.filter(status__in=Action.OPEN_STATUSES)
            .order_by("due_on")
            .values_list("title", flat=True)[:3]
        )
    agenda = "\n".join(
        [f"{i}. {title}" for i, title in enumerate(open_actions, start=1)]
        + [f"{len(open_actions) + 1}. Customer meetings next week"]
    )
    # One account team after another on Monday to Wednesday mornings, as a real diary would be.
    offset = account.pk % 3
    starts = _aware(workday(ctx.today, -1 - offset), 9 + offset)
    meeting = Meeting.objects.create(
        key_account=account,
        kind=Meeting.Kind.INTERNAL,
        title=INTERNAL_TITLE,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        location=TEAMS_LINK,
        agenda=agenda,
        notes="Went through the open actions; owners confirmed their dates.",
        decisions="No change to the plan this week.",
        scheduled_by=organiser,
    )
    meeting.attendees.set(members)
    _meeting_events(account, meeting, organiser, written=True)


def _meeting_events(account, meeting, organiser, written: bool) -> None:
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.MEETING,
        **event_fields(
            EventText(
                gettext_noop("Meeting scheduled: %(title)s on %(when)s %(zone)s"),
                title=meeting.title,
                when=moment(meeting.local_starts_at),
                zone=meeting.time_zone,
            )
        ),
        actor=organiser,
        # Two weeks before it, as a diary would be; one sooner than that two days ago: the
        # timeline never shows a step taken on a day still to come.
        occurred_at=min(meeting.starts_at - timedelta(days=14), timezone.now() - timedelta(days=2)),
        link=meeting.get_absolute_url(),
    )
    if written:
        AccountEvent.objects.create(
            key_account=account,
            kind=AccountEvent.Kind.MEETING,
            **event_fields(
                EventText(gettext_noop("Meeting held: %(title)s"), title=meeting.title),
                EventText(gettext_noop("Decisions: %(decisions)s"), decisions=meeting.decisions),
            ),
            actor=organiser,
            occurred_at=meeting.ends_at,
            link=meeting.get_absolute_url(),
        )


def _quotes(ctx, accounts) -> None:
    programme = Programme.ensure()
    offerings = _by_name(Offering.objects.filter(programme=programme), "name")
    by_reference = {a.customer.reference: a for a in accounts}
    for row in QUOTES:
        account = by_reference.get(row.account)
        if account is None:
            continue
        preparer = team_roles(account)["coordinator"]
        created_on = ctx.today - timedelta(days=20)
        quote, created = Quote.objects.get_or_create(
            number=row.number,
            defaults={
                "key_account": account,
                "title": row.title,
                "opportunity": account.opportunities.filter(title=row.opportunity).first(),
                "currency": programme.currency,
                "overall_discount_percent": Decimal(row.overall_discount),
                "valid_until": ctx.today + timedelta(days=row.valid_days),
                "status": row.status,
                "prepared_by": preparer,
                "notes": row.notes,
            },
        )
        if not created:
            continue
        lines = []
        for i, (offering_name, description, quantity, price, discount) in enumerate(row.lines):
            offering = offerings.get(offering_name)
            # The offering's list price on the day the quote was drafted (opportunities'
            # price list), as the quote service would have taken it.
            listed = (
                list_price_on(offering_id=offering.pk, currency=quote.currency, on=created_on)
                if offering is not None
                else None
            )
            lines.append(
                QuoteLine(
                    quote=quote,
                    offering=offering,
                    description=description,
                    quantity=Decimal(quantity),
                    unit_price=Decimal(price),
                    discount_percent=Decimal(discount),
                    list_price=listed,
                    list_unit_price=listed.unit_price if listed is not None else None,
                    position=i,
                )
            )
        QuoteLine.objects.bulk_create(lines)
        changed = []
        if row.status != Quote.Status.DRAFT:
            quote.sent_at = _aware(created_on + timedelta(days=2), 12)
            changed.append("sent_at")
        if row.status in (Quote.Status.ACCEPTED, Quote.Status.REJECTED):
            quote.decided_at = _aware(created_on + timedelta(days=9), 12)
            changed.append("decided_at")
        elif row.status == Quote.Status.EXPIRED:
            # Expired by the daily job (rhythm.expire_quotes) the night its validity ended.
            quote.decided_at = datetime.combine(quote.validity_ended_on, time(0, 20), tzinfo=LONDON)
            changed.append("decided_at")
        if changed:
            quote.save(update_fields=changed)
        total = amount(quote.totals().total, places=2, before=f"{quote.currency} ")
        if row.status == Quote.Status.EXPIRED:
            # As the job writes it (delivery.services.expiry), with no person: the system.
            summary = EventText(
                gettext_noop(
                    "Quote %(number)s expired unanswered, its validity having ended on "
                    "%(date)s: %(title)s (%(total)s)"
                ),
                number=quote.number,
                date=day(quote.valid_until),
                title=row.title,
                total=total,
            )
        else:
            summary = EventText(
                gettext_noop("Quote %(number)s %(status)s: %(title)s (%(total)s)"),
                number=quote.number,
                status=term(Quote.Status(quote.status).label, lower=True),
                title=row.title,
                total=total,
            )
        AccountEvent.objects.create(
            key_account=account,
            kind=AccountEvent.Kind.QUOTE,
            **event_fields(summary),
            actor=None if row.status == Quote.Status.EXPIRED else preparer,
            occurred_at=quote.decided_at or quote.sent_at or _aware(created_on, 12),
            link=quote.get_absolute_url(),
        )


def _check_ins(ctx, accounts) -> None:
    opportunities = Opportunity.objects.filter(
        key_account__in=accounts, title__in=CHECK_INS
    ).select_related("owner")
    for opportunity in opportunities:
        for weeks_ago, next_step, blockers in CHECK_INS[opportunity.title]:
            CheckIn.objects.get_or_create(
                opportunity=opportunity,
                checked_on=ctx.today - timedelta(weeks=weeks_ago),
                defaults={
                    "status": opportunity.status,
                    "next_step": next_step,
                    "blockers": blockers,
                    "recorded_by": opportunity.owner,
                },
            )


# A check-in that reports a win: the opportunity becomes won through the check-in (timeline,
# pipeline and dashboard follow).
WON_CHECK_IN = (
    "Reserved packaging capacity for the Christmas cheese peak",
    "Alpine Dairy booked 1.2 million trays for November; capacity reserved in Linz",
)


def _won_check_in(ctx, accounts) -> None:
    title, next_step = WON_CHECK_IN
    opportunity = (
        Opportunity.objects.filter(key_account__in=accounts, title=title)
        .exclude(status=Opportunity.Status.WON)
        .select_related("owner", "key_account")
        .first()
    )
    if opportunity is None or opportunity.owner is None:
        return
    with events_dated(at_hour(ctx.today - timedelta(days=2), 15)):
        monitoring.check_in_record(
            opportunity=opportunity,
            checked_on=ctx.today - timedelta(days=2),
            status=Opportunity.Status.WON,
            next_step=next_step,
            blockers="",
            may_decide=True,
            acting_user=opportunity.owner,
        )


def _action_history(accounts) -> None:
    actions = Action.objects.filter(
        plan__key_account__in=accounts,
        plan__is_current=True,
        status__in=list(UPDATE_NOTES),
        updates__isnull=True,
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(
            action=action,
            status=action.status,
            progress_percent=action.progress_percent,
            note=UPDATE_NOTES[action.status],
            updated_by=action.owner,
        )
        for action in actions
    )


def _comments(ctx, accounts) -> None:
    by_reference = {a.customer.reference: a for a in accounts}
    for number, (reference, username, text) in enumerate(COMMENTS):
        account = by_reference.get(reference)
        author = ctx.users.get(username)
        if account is None or author is None:
            continue
        if not Membership.objects.filter(user=author, key_account=account).exists():
            continue
        if AccountEvent.objects.filter(
            key_account=account, kind=AccountEvent.Kind.COMMENT, summary=text
        ).exists():
            continue
        # A few days apart, the latest yesterday.
        with events_dated(at_hour(ctx.today - timedelta(days=1 + 3 * number), 11)):
            comment_post(account=account, text=text, acting_user=author, notify_by_email=False)


def seed(ctx) -> None:
    hand_written = [a for a in ctx.accounts if a.customer.reference in MEETINGS]
    for account in hand_written:
        _meetings(ctx, account)
    _quotes(ctx, hand_written)
    _check_ins(ctx, hand_written)
    _won_check_in(ctx, hand_written)
    _action_history(hand_written)
    _comments(ctx, hand_written)
    created = seed_generated(ctx)
    ctx.say(
        f"Delivery: meetings, quotes and check-ins on {len(hand_written)} accounts"
        f" and {created} meetings on generated accounts."
    )
