"""Demo data for Stage 5 (Delivery): meetings, follow-ups, quotes, check-ins and comments.

Idempotent (stable keys: meeting title per account, quote number, check-in date per
opportunity, comment text per account) and tolerant of missing earlier-stage data: links to
stakeholders, opportunities, plans and offerings are made only where they exist.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import AccountEvent, Membership, Programme, Role
from opportunities.models import Offering, Opportunity
from planning.models import AccountPlan, Action, ActionUpdate

from ..models import CheckIn, Meeting, Quote, QuoteLine
from ..services import comment_post, stakeholders_contact_update

LONDON = ZoneInfo("Europe/London")

# title, kind, days from today, hour, written up?, agenda?
MEETINGS = [
    ("Quarterly business review", Meeting.Kind.BUSINESS_REVIEW, -24, 10, True, True),
    ("Supply chain alignment call", Meeting.Kind.CUSTOMER, -9, 14, False, True),
    ("Account team stand-up", Meeting.Kind.INTERNAL, -1, 9, False, True),
    ("Joint value workshop", Meeting.Kind.WORKSHOP, 6, 10, False, True),
    ("Plant visit with operations", Meeting.Kind.CUSTOMER, 13, 11, False, False),
]
# Only these accounts leave a meeting unwritten past the grace period ("follow-up missing").
FOLLOW_UP_MISSING = {"C-1001", "C-1004", "C-1007"}

NOTES = {
    "Quarterly business review": (
        "Reviewed on-time delivery (96.1 %, up from 93 %) and the clean-label pilot. "
        "Procurement asked for a two-year price corridor; R&D wants joint shelf-life trials.",
        "Run shelf-life trials on two SKUs in the next quarter. "
        "We send a price-corridor proposal before the next review.",
    ),
}

FOLLOW_UPS = [
    ("Send the two-year price corridor proposal", "manager", 10),
    ("Book the shelf-life trial slots with the lab", "teammember", 21),
]

# number suffix, title, status, overall discount %, line discounts %, days valid, account
# (index into the hand-written accounts). Q-DEMO-04 is above the 10 % limit, awaiting approval.
QUOTES = [
    ("01", "Clean-label ingredients, annual supply", Quote.Status.ACCEPTED, "3", ("5", "2"), 30, 0),
    ("02", "Cold-chain packaging pilot", Quote.Status.SENT, "0", ("8", "0"), 25, 1),
    ("03", "Private-label tender lot 4", Quote.Status.DRAFT, "2", ("4", "4"), 40, 0),
    ("04", "Volume rebate for clean-label range", Quote.Status.DRAFT, "15", ("0", "0"), 30, 0),
    ("05", "Spare parts framework", Quote.Status.REJECTED, "5", ("6", "0"), 20, 3),
    ("06", "Seasonal promotion support", Quote.Status.EXPIRED, "0", ("5", "5"), -10, 1),
    ("07", "Cold-chain monitoring service", Quote.Status.SENT, "0", ("0", "5"), 45, 6),
]

COMMENTS = [
    (
        "coordinator",
        "@manager the customer's operations lead can only do the plant visit in the afternoon; "
        "shall I move it? @teammember please check the loading-bay slots.",
    ),
    (
        "manager",
        "Shelf-life trial results look promising. @director worth raising at the steering "
        "committee as a quick win.",
    ),
]


def _aware(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def _team(account) -> dict:
    return {
        m.role: m.user
        for m in Membership.objects.filter(key_account=account).select_related("user")
    }


def _team_users(account) -> list:
    return [m.user for m in Membership.objects.filter(key_account=account).select_related("user")]


def _meetings(ctx, account, reference: str, index: int) -> None:
    team = _team(account)
    people = _team_users(account)
    organiser = team.get(Role.COORDINATOR) or team.get(Role.MANAGER)
    stakeholders = list(account.stakeholders.filter(archived_at__isnull=True)[:2])
    opportunities = list(account.opportunities.all()[:1])
    for title, kind, offset, hour, written, with_agenda in MEETINGS:
        if title == "Supply chain alignment call" and reference not in FOLLOW_UP_MISSING:
            written = True
        # Spread the accounts over different days and hours, as a real diary would be.
        day = ctx.today + timedelta(days=offset + index % 3 - (1 if offset < -3 else 0))
        starts = _aware(day, hour + (index * 2) % 6)
        agenda = (
            "1. Service levels since the last review\n2. Open actions\n3. Next steps"
            if with_agenda
            else ""
        )
        notes, decisions = NOTES.get(
            title,
            (
                "Walked through open orders and forecast changes; no escalations.",
                "Keep the weekly call; forecast update by Friday.",
            ),
        )
        meeting, created = Meeting.objects.get_or_create(
            key_account=account,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=1, minutes=30),
                "time_zone": "Europe/London",
                "location": "Teams: https://teams.example.com/l/meetup/kam"
                if kind == Meeting.Kind.INTERNAL
                else f"{account.name}, head office",
                "agenda": agenda,
                "notes": notes if written else "",
                "decisions": decisions if written else "",
                "scheduled_by": organiser,
            },
        )
        if not created:
            continue
        internal = people if kind == Meeting.Kind.INTERNAL else people[:3]
        meeting.attendees.set(internal)
        if kind != Meeting.Kind.INTERNAL:
            meeting.stakeholders.set(stakeholders)
            meeting.opportunities.set(opportunities)
        AccountEvent.objects.create(
            key_account=account,
            kind=AccountEvent.Kind.MEETING,
            summary=f"Meeting scheduled: {title}",
            actor=organiser,
            occurred_at=starts - timedelta(days=14),
            link=meeting.get_absolute_url(),
        )
        if written:
            stakeholders_contact_update(
                stakeholder_ids=[s.pk for s in stakeholders], contacted_on=starts.date()
            )
            AccountEvent.objects.create(
                key_account=account,
                kind=AccountEvent.Kind.MEETING,
                summary=f"Meeting held: {title}",
                reason=f"Decisions: {decisions}",
                actor=organiser,
                occurred_at=meeting.ends_at,
                link=meeting.get_absolute_url(),
            )
        if title == "Quarterly business review":
            _follow_ups(ctx, account, meeting, organiser)


def _follow_ups(ctx, account, meeting, organiser) -> None:
    plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
    if plan is None:
        return
    for title, username, days in FOLLOW_UPS:
        owner = ctx.users.get(username)
        if owner is None or not Membership.objects.filter(user=owner, key_account=account).exists():
            owner = organiser
        action, _ = Action.objects.get_or_create(
            plan=plan,
            title=title,
            defaults={"owner": owner, "due_on": ctx.today + timedelta(days=days)},
        )
        meeting.follow_ups.add(action)


def _quotes(ctx, accounts) -> None:
    programme = Programme.current()
    offerings = list(Offering.objects.filter(programme=programme, archived_at__isnull=True)[:2])
    coordinator = ctx.users.get("coordinator")
    for suffix, title, status, overall, discounts, valid_days, account_index in QUOTES:
        if account_index >= len(accounts):
            continue
        account = accounts[account_index]
        opportunity = account.opportunities.first()
        created_on = ctx.today - timedelta(days=20)
        quote, created = Quote.objects.get_or_create(
            number=f"Q-DEMO-{suffix}",
            defaults={
                "key_account": account,
                "title": title,
                "opportunity": opportunity,
                "currency": programme.currency,
                "overall_discount_percent": Decimal(overall),
                "valid_until": ctx.today + timedelta(days=valid_days),
                "status": status,
                "prepared_by": coordinator,
                "sent_at": None,
                "notes": "Prices ex works; payment 30 days net.",
            },
        )
        if not created:
            continue
        lines = [
            ("Ingredient blend, 25 kg bags", Decimal("480"), Decimal("41.35")),
            ("Technical support days", Decimal("6"), Decimal("950.00")),
        ]
        QuoteLine.objects.bulk_create(
            QuoteLine(
                quote=quote,
                offering=offerings[i] if i < len(offerings) else None,
                description=description,
                quantity=quantity,
                unit_price=price,
                discount_percent=Decimal(discounts[i]),
                position=i,
            )
            for i, (description, quantity, price) in enumerate(lines)
        )
        changed = []
        if status != Quote.Status.DRAFT:
            quote.sent_at = _aware(created_on + timedelta(days=2), 12)
            changed.append("sent_at")
        if status in (Quote.Status.ACCEPTED, Quote.Status.REJECTED, Quote.Status.EXPIRED):
            quote.decided_at = _aware(created_on + timedelta(days=9), 12)
            changed.append("decided_at")
        if changed:
            quote.save(update_fields=changed)
        AccountEvent.objects.create(
            key_account=account,
            kind=AccountEvent.Kind.QUOTE,
            summary=f"Quote {quote.number} {quote.get_status_display().lower()}: {title}",
            actor=coordinator,
            occurred_at=quote.decided_at or quote.sent_at or _aware(created_on, 12),
            link=quote.get_absolute_url(),
        )


def _check_ins(ctx, accounts) -> None:
    opportunities = Opportunity.objects.filter(
        key_account__in=accounts,
        status__in=[Opportunity.Status.QUALIFIED, Opportunity.Status.PURSUING],
    )
    recorder = ctx.users.get("coordinator")
    for opportunity in opportunities:
        for weeks_ago, next_step, blockers in (
            (3, "Agree pilot scope with the customer's R&D lead", ""),
            (1, "Send the pilot cost estimate", "Waiting for the customer's volume forecast"),
        ):
            CheckIn.objects.get_or_create(
                opportunity=opportunity,
                checked_on=ctx.today - timedelta(weeks=weeks_ago),
                defaults={
                    "status": opportunity.status,
                    "next_step": next_step,
                    "blockers": blockers,
                    "recorded_by": recorder,
                },
            )


def _action_history(ctx, accounts) -> None:
    actions = Action.objects.filter(
        plan__key_account__in=accounts,
        plan__is_current=True,
        status__in=[Action.Status.IN_PROGRESS, Action.Status.WAITING, Action.Status.DONE],
        updates__isnull=True,
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(
            action=action,
            status=action.status,
            progress_percent=action.progress_percent,
            note="Status confirmed in the weekly account team call.",
            updated_by=action.owner,
        )
        for action in actions
    )


def _comments(ctx, account) -> None:
    for username, text in COMMENTS:
        author = ctx.users.get(username)
        if (
            author is None
            or not Membership.objects.filter(user=author, key_account=account).exists()
        ):
            continue
        if AccountEvent.objects.filter(
            key_account=account, kind=AccountEvent.Kind.COMMENT, summary=text
        ).exists():
            continue
        comment_post(account=account, text=text, acting_user=author, notify_by_email=False)


def seed(ctx) -> None:
    hand_written = [a for a in ctx.accounts if not a.customer.reference.startswith("GEN-")][:12]
    for index, account in enumerate(hand_written):
        _meetings(ctx, account, account.customer.reference, index)
    _quotes(ctx, hand_written)
    _check_ins(ctx, hand_written)
    _action_history(ctx, hand_written)
    for account in hand_written[:3]:
        _comments(ctx, account)
    ctx.say(f"Delivery: meetings, quotes and check-ins on {len(hand_written)} accounts.")
