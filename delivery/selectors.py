"""Reads for the delivery pages. Every query starts from what the user may see."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, When
from django.utils import timezone

from accounts.models import AccountEvent, KeyAccount, Role
from accounts.permissions import accounts_visible_to
from accounts.selectors import key_accounts_visible_to, key_accounts_with_role, team_user_ids
from common.rows import FirstRows, first_rows
from opportunities.models import Opportunity
from planning.models import Action, EngagementActivity, Measurement, Review, Target
from planning.selectors import overdue_actions_q, targets_to_measure_again

from .models import CheckIn, Meeting, Quote, QuoteLine

# "Due this week" on My work: due today or in the next six days.
DUE_SOON_DAYS = 7
MY_MEETINGS_DAYS_AHEAD = 30
# My work's short lists (meetings, quotes, reviews, targets) show this many rows, and say when
# there are more; "List them all" (?all=<list>) shows up to MY_WORK_ALL_ROWS of that one.
MY_WORK_ROWS = 20
MY_WORK_ALL_ROWS = 500
FOLLOW_UP_LOOKBACK_DAYS = 60
FEED_DAYS_BACK = 90
# My work keeps a quote that expired this many days ago, unrenewed, among those to follow up.
EXPIRED_SHOWN_DAYS = 30

WORK_BUCKETS = ("all", "overdue", "week", "waiting")


# ---- my work ------------------------------------------------------------------------------


def _my_open_actions(*, user) -> QuerySet[Action]:
    return Action.objects.filter(
        owner=user,
        status__in=Action.OPEN_STATUSES,
        plan__is_current=True,
        plan__key_account__in=key_accounts_visible_to(user=user),
    )


def _bucket_filters(today: date) -> dict[str, Q]:
    """Overdue is planning's one rule (waiting on others counts too: waiting does not stop the
    clock), so the tab's count and the rows' "Overdue" labels agree. Waiting-on-others actions
    also have their own tab; "due this week" is what is not overdue yet."""
    week_end = today + timedelta(days=DUE_SOON_DAYS - 1)
    overdue = overdue_actions_q(today)
    waiting = Q(status=Action.Status.WAITING)
    week = ~waiting & Q(due_on__gte=today, due_on__lte=week_end)
    return {"overdue": overdue, "week": week, "waiting": waiting, "all": overdue | week | waiting}


def my_work_counts(*, user, today: date) -> dict[str, int]:
    filters = _bucket_filters(today)
    return _my_open_actions(user=user).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in filters.items()}
    )


def my_work_actions(*, user, bucket: str, today: date) -> QuerySet[Action]:
    bucket = bucket if bucket in WORK_BUCKETS else "all"
    return (
        _my_open_actions(user=user)
        .filter(_bucket_filters(today)[bucket])
        .annotate(is_overdue=Case(When(overdue_actions_q(today), then=True), default=False))
        .select_related("plan__key_account__customer", "opportunity")
        .order_by("due_on", "pk")
    )


def my_upcoming_meetings(*, user, now=None, limit: int | None = None) -> FirstRows:
    now = now or timezone.now()
    return first_rows(
        Meeting.objects.filter(
            attendees=user,
            key_account__in=key_accounts_visible_to(user=user),
            cancelled_at__isnull=True,
            ends_at__gte=now,
            starts_at__lte=now + timedelta(days=MY_MEETINGS_DAYS_AHEAD),
        )
        .select_related("key_account__customer")
        .order_by("starts_at"),
        limit or MY_WORK_ROWS,
    )


def my_meetings_missing_follow_up(*, user, now=None, limit: int | None = None) -> FirstRows:
    """Meetings the user scheduled or attended that still have no notes (see
    Meeting.FOLLOW_UP_GRACE_DAYS), from the last FOLLOW_UP_LOOKBACK_DAYS days."""
    now = now or timezone.now()
    return first_rows(
        Meeting.objects.filter(
            Q(attendees=user) | Q(scheduled_by=user),
            key_account__in=key_accounts_visible_to(user=user),
            cancelled_at__isnull=True,
            notes="",
            ends_at__lt=now - timedelta(days=Meeting.FOLLOW_UP_GRACE_DAYS),
            ends_at__gte=now - timedelta(days=FOLLOW_UP_LOOKBACK_DAYS),
        )
        .select_related("key_account__customer")
        .distinct()
        .order_by("starts_at"),
        limit or MY_WORK_ROWS,
    )


def my_reviews_due(*, user, limit: int | None = None) -> FirstRows:
    """Open quarterly reviews of current plans on accounts the user manages or directs."""
    accounts = key_accounts_visible_to(user=user).filter(
        memberships__user=user, memberships__role__in=[Role.MANAGER, Role.DIRECTOR]
    )
    return first_rows(
        Review.objects.filter(
            completed_at__isnull=True, plan__is_current=True, plan__key_account__in=accounts
        )
        .select_related("plan__key_account__customer")
        .order_by("due_on", "pk"),
        limit or MY_WORK_ROWS,
    )


def my_targets_to_measure(*, user, today: date, limit: int | None = None) -> FirstRows:
    """Targets of the current plans of accounts the user manages that are due a new
    measurement, whatever their status, the longest unmeasured first (one query)."""
    return targets_to_measure_again(
        accounts=key_accounts_with_role(user=user, role=Role.MANAGER),
        today=today,
        limit=limit or MY_WORK_ROWS,
    )


def my_quotes_to_follow_up(*, user, now=None, limit: int | None = None) -> FirstRows:
    """Quotes the user prepared that wait for them: sent ones the customer has not answered
    yet (one whose validity has just ended until the daily job expires it), drafts whose
    discount a director refused, and those expired in the last EXPIRED_SHOWN_DAYS days and not
    renewed yet (to renew, or let go). Soonest validity first; each with its totals on
    `computed` (two queries)."""
    now = now or timezone.now()
    quotes = first_rows(
        Quote.objects.filter(
            Q(status=Quote.Status.SENT)
            | Q(status=Quote.Status.DRAFT, discount_refused_at__isnull=False)
            | Q(
                status=Quote.Status.EXPIRED,
                decided_at__gte=now - timedelta(days=EXPIRED_SHOWN_DAYS),
                renewal__isnull=True,
            ),
            prepared_by=user,
            key_account__in=key_accounts_visible_to(user=user),
        )
        .select_related("key_account__customer", "discount_refused_by")
        .prefetch_related("lines")
        .order_by("valid_until", "pk"),
        limit or MY_WORK_ROWS,
    )
    for quote in quotes:
        quote.computed = quote.totals(quote.lines.all())
    return quotes


# ---- meetings -----------------------------------------------------------------------------


def account_meetings(*, account: KeyAccount, when: str, now=None) -> QuerySet[Meeting]:
    """Upcoming (soonest first) or past (latest first) meetings of one account."""
    now = now or timezone.now()
    qs = (
        Meeting.objects.filter(key_account=account)
        .select_related("scheduled_by")
        .prefetch_related("attendees")
        .annotate(follow_up_count=Count("follow_ups", distinct=True))
    )
    if when == "past":
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return qs.filter(ends_at__gte=now).order_by("starts_at", "pk")


def meeting_for_account(*, account: KeyAccount, pk) -> Meeting:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Meeting.objects.select_related(
            "key_account__customer", "scheduled_by", "engagement"
        ).prefetch_related("attendees", "stakeholders", "opportunities", "objectives"),
        pk=pk,
        key_account=account,
    )


def feed_meetings(*, user, now=None) -> QuerySet[Meeting]:
    """What a user's calendar feed lists: meetings they attend, on accounts they can still
    see, from FEED_DAYS_BACK days ago onwards (cancelled ones stay, marked cancelled)."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            attendees=user,
            key_account__in=accounts_visible_to(user),
            ends_at__gte=now - timedelta(days=FEED_DAYS_BACK),
        )
        .select_related("key_account__customer", "scheduled_by")
        .prefetch_related("attendees", "stakeholders")
        .order_by("starts_at")
    )


# ---- quotes -------------------------------------------------------------------------------


def account_quotes(*, account: KeyAccount, status: str = "") -> QuerySet[Quote]:
    qs = (
        Quote.objects.filter(key_account=account)
        .select_related(
            "opportunity", "prepared_by", "discount_approved_by", "renewal", "renewed_from"
        )
        .prefetch_related("lines")
    )
    if status in Quote.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def quotes_awaiting_approval(*, user, limit_percent: Decimal) -> list[Quote]:
    """Draft quotes on the accounts `user` directs whose discounts exceed `limit_percent` and
    that no director has approved yet, oldest first (the decision inbox)."""
    return quotes_awaiting_approval_on(
        accounts=key_accounts_with_role(user=user, role=Role.DIRECTOR).values("pk"),
        limit_percent=limit_percent,
    )


def quotes_awaiting_approval_on(*, accounts, limit_percent: Decimal) -> list[Quote]:
    """The same for `accounts` (ids or a query of them; the directors' digest asks for many
    people's accounts at once). Two queries however many there are: the database keeps only
    drafts with some discount (declared, or a unit price below the line's list price), Python
    applies the totals rule (`QuoteTotals.needs_approval`) to them and leaves each one's
    totals on `computed`."""
    drafts = Quote.objects.filter(
        key_account__in=accounts,
        status=Quote.Status.DRAFT,
        discount_approved_at__isnull=True,
        discount_refused_at__isnull=True,
    )
    if limit_percent > 0:
        # Without any discount only cent rounding separates the total from the list value.
        drafts = drafts.filter(
            Q(overall_discount_percent__gt=0)
            | Exists(
                QuoteLine.objects.filter(
                    Q(discount_percent__gt=0) | Q(list_unit_price__gt=F("unit_price")),
                    quote=OuterRef("pk"),
                )
            )
        )
    waiting = []
    for quote in (
        drafts.select_related("key_account__customer", "prepared_by")
        .prefetch_related("lines")
        .order_by("created_at", "pk")
    ):
        quote.computed = quote.totals(quote.lines.all())
        if quote.computed.needs_approval(limit_percent):
            waiting.append(quote)
    return waiting


# ---- progress monitoring ------------------------------------------------------------------

CHECK_INS_SHOWN = 3


def progress_opportunities(*, account: KeyAccount, including=None) -> QuerySet[Opportunity]:
    """Opportunities being worked on (qualified or pursued, or already won) with their latest
    check-ins; and the one `including` names whatever its status (a check-in form given back
    on an opportunity closed meanwhile)."""
    listed = Q(
        status__in=[
            Opportunity.Status.QUALIFIED,
            Opportunity.Status.PURSUING,
            Opportunity.Status.WON,
        ]
    )
    if including is not None:
        listed |= Q(pk=including)
    return (
        Opportunity.objects.filter(listed, key_account=account)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "check_ins",
                queryset=CheckIn.objects.select_related("recorded_by").order_by(
                    "-checked_on", "-pk"
                )[:CHECK_INS_SHOWN],
                to_attr="latest_check_ins",
            )
        )
        .order_by(F("priority").desc(nulls_last=True), "title")
    )


def progress_targets(*, account: KeyAccount) -> QuerySet[Target]:
    """Live targets of the current plan, each with its latest measurements."""
    return (
        Target.objects.filter(
            objective__plan__key_account=account,
            objective__plan__is_current=True,
            archived_at__isnull=True,
        )
        .select_related("objective")
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.order_by("-measured_on", "-pk")[:CHECK_INS_SHOWN],
                to_attr="latest_measurements",
            )
        )
        .order_by("objective__position", "due_on", "pk")
    )


# ---- timeline -----------------------------------------------------------------------------


def timeline_events(*, account: KeyAccount, kind: str = "") -> QuerySet[AccountEvent]:
    qs = AccountEvent.objects.filter(key_account=account).select_related("actor")
    if kind in AccountEvent.Kind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-occurred_at", "-pk")


def engagement_items(*, account: KeyAccount) -> QuerySet[EngagementActivity]:
    """The account's current engagement plan, soonest due first (what a meeting may deliver)."""
    return (
        EngagementActivity.objects.filter(plan__key_account=account, plan__is_current=True)
        .select_related("stakeholder", "our_person")
        .order_by("next_due_on", "pk")
    )


MEETING_DEFAULT_START = time(10, 0)


def meeting_initial_for_engagement(*, account: KeyAccount, pk) -> dict:
    """A new meeting's starting values when it is scheduled from an engagement plan item
    ("Schedule" on the coordinator's home): its purpose, its two people, a customer meeting.
    An item that is not in this account's current plan gives nothing (a plain form)."""
    try:
        item = engagement_items(account=account).get(pk=int(pk))
    except (EngagementActivity.DoesNotExist, TypeError, ValueError):
        return {}
    # It starts when the item is due (tomorrow if that is past), at 10:00; it ends an hour later.
    day = max(item.next_due_on, timezone.localdate() + timedelta(days=1))
    initial = {
        "kind": Meeting.Kind.CUSTOMER,
        "title": item.purpose[:200],
        "engagement": item.pk,
        "stakeholders": [item.stakeholder_id],
        "starts_at": datetime.combine(day, MEETING_DEFAULT_START),
    }
    if item.our_person_id in team_user_ids(account=account):
        initial["attendees"] = [item.our_person_id]
    return initial
