"""The reminder digests: what each person is reminded of, and the rules the pages show.

The digest builder reads for many users at once: one query per kind of item for all of them,
grouped in Python, so 2,000 digests cost the same dozen queries as one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, ngettext_lazy

from accounts import permissions
from accounts.models import (
    EXECUTIVE_GROUP,
    KeyAccount,
    Membership,
    Programme,
    Role,
    User,
)
from accounts.selectors import user_time_zone, user_today
from delivery.models import Meeting, Quote
from delivery.selectors import (
    FOLLOW_UP_LOOKBACK_DAYS,
    quotes_awaiting_approval_on,
)
from notifications.services import for_recipient
from opportunities.models import Opportunity, OpportunityDecision
from planning.models import AccountPlan, Action, EngagementActivity, Review, Target
from planning.rules import MEASURE_EVERY_DAYS, action_is_overdue, target_status
from planning.selectors import with_latest_measurement

from ..models import DigestPreference

# ---- rules (shown to users on the digest settings and review pages) -----------------------

ACTIONS_DUE_DAYS = 7
MEETING_AGENDA_DAYS = 2
STALE_PLAN_DAYS = 90
CHECK_IN_DAYS = 30  # a pursued opportunity is checked at least monthly
# When it was last decided to pursue an opportunity (the check-ins' clock starts there).
_pursued_at = (
    OpportunityDecision.objects.filter(
        opportunity=OuterRef("pk"), decision=Opportunity.Decision.PURSUE
    )
    .order_by("-decided_at")
    .values("decided_at")[:1]
)
# A sent quote is chased while the customer can still accept it: from a week before its end.
QUOTE_ENDING_DAYS = 7
REVIEW_COMPLETE_WITHIN_DAYS = 30
BLANK = r"^\s*$"

DIGEST_KINDS = {
    "actions": gettext_lazy("Actions due within 7 days or overdue"),
    "meetings_without_agenda": gettext_lazy("Meetings in the next 2 days without an agenda"),
    "meetings_follow_up": gettext_lazy(
        "Meetings needing a follow-up (ended over 3 days ago, no notes)"
    ),
    "reviews": gettext_lazy("Plan reviews due"),
    "stale_plans": gettext_lazy("Plans not updated for 90 days"),
    "engagements": gettext_lazy("Engagement cadences missed"),
    "monitoring": gettext_lazy("Opportunities and targets nobody has checked lately"),
    "quotes": gettext_lazy("Your quotes ending within 7 days without an answer"),
    "approvals": gettext_lazy("Quote discounts waiting for your approval"),
}
DIGEST_RULE = gettext_lazy(
    "Daily digests go out once per day in your time zone, weekly digests on Mondays. Each lists "
    "your open actions due within 7 days or overdue, meetings you attend or scheduled in the "
    "next 2 days without an agenda, meetings that ended more than 3 days ago without notes, "
    "open plan reviews, plans not updated for 90 days, pursued opportunities without a check-in "
    "for 30 days and targets due a new measurement (none for over 92 days) on accounts you "
    "manage or direct, engagement activities of yours past their next due date, quotes you "
    "sent whose validity ends within 7 days without an answer from the customer (they expire "
    "the day after) and, on accounts you direct, quote discounts waiting for your approval. No "
    "digest when there is nothing to say."
)


def _day(value: date) -> str:
    """A date as "05 Dec 2026", with the month in the active language."""
    return date_format(value, "PADDED_DATE_FORMAT")


# A digest item's title and detail are written when they are shown (`for_recipient` with lazy
# dates): the digests of many people are built in one go, in the worker's language, and each
# e-mail is rendered in its recipient's (rhythm.services._digest_mail).
_lazy_day = lazy(_day, str)
_lazy_number = lazy(localize, str)
_lazy_format = lazy(date_format, str)


def _due_detail(due_on: date, overdue: bool):
    if overdue:
        return for_recipient(gettext_lazy("Overdue since %(date)s"), date=_lazy_day(due_on))
    return for_recipient(gettext_lazy("Due %(date)s"), date=_lazy_day(due_on))


def preference_of(user) -> DigestPreference:
    """The user's saved preferences, or the defaults (unsaved) when they never chose."""
    try:
        return user.digest_preference
    except DigestPreference.DoesNotExist:
        return DigestPreference(user=user)


def digest_is_due(user, today: date) -> bool:
    preference = preference_of(user)
    return preference.frequency == DigestPreference.Frequency.DAILY or today.weekday() == 0


# ---- digests ------------------------------------------------------------------------------


@dataclass
class DigestItem:
    kind: str
    account: str
    title: str
    detail: str
    link: str
    overdue: bool = False
    sort_key: str = ""


@dataclass
class Digest:
    user: User
    today: date
    items: dict[str, list[DigestItem]] = field(default_factory=lambda: defaultdict(list))

    @property
    def count(self) -> int:
        return sum(len(items) for items in self.items.values())

    def sections(self) -> list[tuple[str, str, list[DigestItem]]]:
        return [
            (kind, label, sorted(self.items[kind], key=lambda i: i.sort_key))
            for kind, label in DIGEST_KINDS.items()
            if self.items.get(kind)
        ]


def _user_ids_in_group(ids, name: str) -> set[int]:
    through = User.groups.through
    return set(
        through.objects.filter(user_id__in=ids, group__name=name).values_list("user_id", flat=True)
    )


def _attendance(meeting_rows: list[dict], user_ids: set[int]) -> dict[int, set[int]]:
    """meeting id -> internal people concerned (attendees and the one who scheduled it)."""
    people: dict[int, set[int]] = defaultdict(set)
    for row in meeting_rows:
        if row["scheduled_by_id"] in user_ids:
            people[row["id"]].add(row["scheduled_by_id"])
    through = Meeting.attendees.through
    pairs = through.objects.filter(
        meeting_id__in=[row["id"] for row in meeting_rows], user_id__in=user_ids
    ).values_list("meeting_id", "user_id")
    for meeting_id, user_id in pairs:
        people[meeting_id].add(user_id)
    return people


@dataclass
class DigestRun:
    """What every digest kind's builder reads: the users, their digests (each with its own
    "today"), their roles on active accounts and who leads (manages or directs) each account."""

    now: datetime
    digests: dict[int, Digest]
    wants: dict[int, DigestPreference]
    roles: dict[int, dict[int, str]]
    leaders: dict[int, set[int]]  # account -> managers and directors
    sees_all: set[int]

    @property
    def ids(self) -> set[int]:
        return set(self.digests)

    @property
    def latest(self) -> date:
        """The latest "today" among the users (time zones differ)."""
        return max(d.today for d in self.digests.values())

    @property
    def earliest(self) -> date:
        """The earliest "today" among the users."""
        return min(d.today for d in self.digests.values())

    def today(self, user_id: int) -> date:
        return self.digests[user_id].today

    def local(self, user_id: int, moment: datetime) -> datetime:
        return timezone.localtime(moment, user_time_zone(self.digests[user_id].user))

    def add(self, user_id: int, account_id: int, item: DigestItem) -> None:
        if user_id not in self.digests or not self.wants[user_id].wants(item.kind):
            return
        if account_id not in self.roles[user_id] and user_id not in self.sees_all:
            return  # left the account team: not theirs to be reminded of
        self.digests[user_id].items[item.kind].append(item)


def _active_plan() -> Q:
    return Q(plan__is_current=True, plan__key_account__status=KeyAccount.Status.ACTIVE)


def _open_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        cancelled_at__isnull=True, key_account__status=KeyAccount.Status.ACTIVE
    ).annotate(account=_account_name("key_account"))


MEETING_FIELDS = ("id", "title", "starts_at", "time_zone", "key_account_id", "scheduled_by_id")


def _actions_due(run: DigestRun) -> None:
    """Actions due within 7 days (each user's own today) or overdue, owned by the user."""
    for row in (
        Action.objects.filter(_active_plan(), owner_id__in=run.ids, status__in=Action.OPEN_STATUSES)
        .filter(due_on__lte=run.latest + timedelta(days=ACTIONS_DUE_DAYS))
        .values("id", "title", "due_on", "status", "owner_id", "plan__key_account_id")
        .annotate(account=_account_name("plan__key_account"))
    ):
        today = run.today(row["owner_id"])
        if row["due_on"] > today + timedelta(days=ACTIONS_DUE_DAYS):
            continue
        overdue = action_is_overdue(status=row["status"], due_on=row["due_on"], today=today)
        run.add(
            row["owner_id"],
            row["plan__key_account_id"],
            DigestItem(
                kind="actions",
                account=row["account"],
                title=row["title"],
                detail=_due_detail(row["due_on"], overdue),
                link=reverse(
                    "delivery:action_detail", args=[row["plan__key_account_id"], row["id"]]
                ),
                overdue=overdue,
                sort_key=row["due_on"].isoformat(),
            ),
        )


def _meetings_without_agenda(run: DigestRun) -> None:
    """Meetings in the next 2 days without an agenda, for their attendees and organiser."""
    soon = _open_meetings().filter(
        starts_at__gte=run.now,
        starts_at__lte=run.now + timedelta(days=MEETING_AGENDA_DAYS),
        agenda__regex=BLANK,
    )
    _add_meeting_items(
        run,
        soon,
        kind="meetings_without_agenda",
        detail=lambda start: for_recipient(
            gettext_lazy("Starts %(start)s; no agenda yet"),
            start=_lazy_format(start, "PADDED_WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT"),
        ),
    )


def _meetings_needing_follow_up(run: DigestRun) -> None:
    """Meetings that ended more than 3 days ago without notes."""
    grace = timedelta(days=Meeting.FOLLOW_UP_GRACE_DAYS)
    held = _open_meetings().filter(
        ends_at__lt=run.now - grace,
        ends_at__gte=run.now - timedelta(days=FOLLOW_UP_LOOKBACK_DAYS),
        notes__regex=BLANK,
    )
    _add_meeting_items(
        run,
        held,
        kind="meetings_follow_up",
        detail=lambda start: for_recipient(
            gettext_lazy("Held %(date)s; no notes yet"), date=_lazy_day(start)
        ),
    )


def _add_meeting_items(run: DigestRun, meetings, *, kind: str, detail: Callable) -> None:
    """One digest item per meeting for each of its people; `detail` formats the local start."""
    rows = list(meetings.values(*MEETING_FIELDS, "account"))
    people = _attendance(rows, run.ids)
    for row in rows:
        for user_id in people[row["id"]]:
            run.add(
                user_id,
                row["key_account_id"],
                DigestItem(
                    kind=kind,
                    account=row["account"],
                    title=row["title"],
                    detail=detail(run.local(user_id, row["starts_at"])),
                    link=reverse(
                        "delivery:meeting_detail", args=[row["key_account_id"], row["id"]]
                    ),
                    sort_key=row["starts_at"].isoformat(),
                ),
            )


def _reviews_due(run: DigestRun) -> None:
    """Open reviews on accounts the user manages or directs."""
    for row in (
        Review.objects.filter(_active_plan(), completed_at__isnull=True)
        .filter(plan__key_account_id__in=list(run.leaders))
        .values("id", "quarter", "due_on", "plan__key_account_id")
        .annotate(account=_account_name("plan__key_account"))
    ):
        account_id = row["plan__key_account_id"]
        for user_id in run.leaders[account_id]:
            overdue = row["due_on"] < run.today(user_id)
            run.add(
                user_id,
                account_id,
                DigestItem(
                    kind="reviews",
                    account=row["account"],
                    title=for_recipient(
                        gettext_lazy("Quarterly review %(quarter)s"), quarter=row["quarter"]
                    ),
                    detail=_due_detail(row["due_on"], overdue),
                    link=reverse("rhythm:review", args=[account_id, row["id"]]),
                    overdue=overdue,
                    sort_key=row["due_on"].isoformat(),
                ),
            )


def _stale_plans(run: DigestRun) -> None:
    """Plans not updated for 90 days, on accounts the user manages or directs."""
    for row in (
        AccountPlan.objects.filter(
            is_current=True,
            key_account__status=KeyAccount.Status.ACTIVE,
            key_account_id__in=list(run.leaders),
            updated_at__lt=run.now - timedelta(days=STALE_PLAN_DAYS),
        )
        .exclude(status=AccountPlan.Status.ARCHIVED)
        .values("id", "period", "updated_at", "key_account_id")
        .annotate(account=_account_name("key_account"))
    ):
        for user_id in run.leaders[row["key_account_id"]]:
            days = (run.today(user_id) - run.local(user_id, row["updated_at"]).date()).days
            run.add(
                user_id,
                row["key_account_id"],
                DigestItem(
                    kind="stale_plans",
                    account=row["account"],
                    title=for_recipient(gettext_lazy("Plan %(period)s"), period=row["period"]),
                    detail=for_recipient(
                        ngettext_lazy(
                            "Last updated %(days)s day ago",
                            "Last updated %(days)s days ago",
                            "days",
                        ),
                        days=days,
                    ),
                    link=reverse("planning:plan", args=[row["key_account_id"]]),
                    overdue=True,
                    sort_key=row["updated_at"].isoformat(),
                ),
            )


def _opportunities_not_checked(run: DigestRun) -> None:
    """Pursued opportunities whose last check-in (or, without one, whose start) is over
    CHECK_IN_DAYS old, for the accounts' managers and directors."""
    opportunities = (
        Opportunity.objects.filter(
            key_account_id__in=list(run.leaders),
            key_account__status=KeyAccount.Status.ACTIVE,
            status=Opportunity.Status.PURSUING,
        )
        # Since the last check-in, else since it was last decided to pursue it, else since
        # it was recorded: an idea noted a year ago and pursued yesterday is one day old.
        .annotate(checked=Max("check_ins__checked_on"), pursued=TruncDate(Subquery(_pursued_at)))
        .annotate(
            last=Coalesce(
                # The later of the two where both are known (Greatest is NULL on SQLite when
                # either is).
                Greatest(Coalesce("checked", "pursued"), Coalesce("pursued", "checked")),
                TruncDate("created_at"),
            )
        )
        .filter(last__lt=run.latest - timedelta(days=CHECK_IN_DAYS))
        .values("id", "title", "key_account_id", "last")
        .annotate(account=_account_name("key_account"))
    )
    for row in opportunities:
        for user_id in run.leaders[row["key_account_id"]]:
            days = (run.today(user_id) - row["last"]).days
            if days <= CHECK_IN_DAYS:
                continue
            run.add(
                user_id,
                row["key_account_id"],
                DigestItem(
                    kind="monitoring",
                    account=row["account"],
                    title=for_recipient(gettext_lazy("Opportunity: %(title)s"), title=row["title"]),
                    detail=for_recipient(
                        ngettext_lazy(
                            "No check-in for %(days)s day", "No check-in for %(days)s days", "days"
                        ),
                        days=days,
                    ),
                    link=reverse("delivery:progress", args=[row["key_account_id"]]),
                    overdue=True,
                    sort_key=row["last"].isoformat(),
                ),
            )


def _targets_not_measured(run: DigestRun) -> None:
    """Live targets of current plans due a new measurement on each reader's date, by the plan
    page's rule ("measure again": planning.rules.target_status, MEASURE_EVERY_DAYS; a target
    reached or past its due date is not), for the accounts' managers and directors."""
    targets = (
        with_latest_measurement(
            Target.objects.filter(
                objective__plan__key_account_id__in=list(run.leaders),
                objective__plan__is_current=True,
                objective__plan__key_account__status=KeyAccount.Status.ACTIVE,
                archived_at__isnull=True,
                due_on__gte=run.earliest,
            )
        )
        .annotate(last=Coalesce("latest_on", F("baseline_on")))
        .filter(last__lt=run.latest - timedelta(days=MEASURE_EVERY_DAYS))
        .values(
            "id",
            "kpi",
            "last",
            "baseline",
            "baseline_on",
            "target_value",
            "due_on",
            "aim",
            "latest_actual",
            "latest_on",
            "objective__plan__key_account_id",
        )
        .annotate(account=_account_name("objective__plan__key_account"))
    )
    for row in targets:
        account_id = row["objective__plan__key_account_id"]
        for user_id in run.leaders[account_id]:
            status = target_status(
                baseline=row["baseline"],
                target_value=row["target_value"],
                baseline_on=row["baseline_on"],
                due_on=row["due_on"],
                actual=row["latest_actual"],
                measured_on=row["latest_on"],
                today=run.today(user_id),
                aim=row["aim"],
            )
            if status.measure_again is None:
                continue
            run.add(
                user_id,
                account_id,
                DigestItem(
                    kind="monitoring",
                    account=row["account"],
                    title=for_recipient(gettext_lazy("Target: %(kpi)s"), kpi=row["kpi"]),
                    detail=for_recipient(
                        gettext_lazy("No measurement since %(date)s")
                        if row["latest_on"]
                        else gettext_lazy("Not measured since its start on %(date)s"),
                        date=_lazy_day(row["last"]),
                    ),
                    # Its measurement form, drawn open (as My work's "Targets to measure again").
                    link=reverse("delivery:progress", args=[account_id])
                    + f"?measure={row['id']}#target-{row['id']}",
                    overdue=True,
                    sort_key=row["last"].isoformat(),
                ),
            )


def _engagements_missed(run: DigestRun) -> None:
    """Engagement activities of the user past their next due date."""
    for row in (
        EngagementActivity.objects.filter(
            _active_plan(), our_person_id__in=run.ids, next_due_on__lt=run.latest
        )
        .values("id", "purpose", "next_due_on", "our_person_id", "plan__key_account_id")
        .annotate(account=_account_name("plan__key_account"), stakeholder_name=_stakeholder())
    ):
        user_id = row["our_person_id"]
        if row["next_due_on"] >= run.today(user_id):
            continue
        run.add(
            user_id,
            row["plan__key_account_id"],
            DigestItem(
                kind="engagements",
                account=row["account"],
                title=for_recipient(
                    gettext_lazy("%(purpose)s with %(stakeholder)s"),
                    purpose=row["purpose"],
                    stakeholder=row["stakeholder_name"],
                ),
                detail=for_recipient(
                    gettext_lazy("Was due %(date)s"), date=_lazy_day(row["next_due_on"])
                ),
                link=reverse("planning:plan", args=[row["plan__key_account_id"]]) + "#engagement",
                overdue=True,
                sort_key=row["next_due_on"].isoformat(),
            ),
        )


# Each digest kind (DIGEST_KINDS) and the builders that find its items: one or two queries
# each for all users at once. A kind nobody wants costs no query.
def _quotes_ending(run: DigestRun) -> None:
    """Quotes the user sent that the customer has not answered, valid until today or within
    the next QUOTE_ENDING_DAYS days: chased before they expire (delivery.services.expiry)."""
    for row in (
        Quote.objects.filter(
            status=Quote.Status.SENT,
            key_account__status=KeyAccount.Status.ACTIVE,
            prepared_by_id__in=run.ids,
            valid_until__gte=min(d.today for d in run.digests.values()),
            valid_until__lte=run.latest + timedelta(days=QUOTE_ENDING_DAYS - 1),
        )
        .values("id", "number", "title", "valid_until", "key_account_id", "prepared_by_id")
        .annotate(account=_account_name("key_account"))
    ):
        user_id = row["prepared_by_id"]
        days = (row["valid_until"] - run.today(user_id)).days
        if not 0 <= days < QUOTE_ENDING_DAYS:
            continue
        run.add(
            user_id,
            row["key_account_id"],
            DigestItem(
                kind="quotes",
                account=row["account"],
                title=for_recipient(
                    gettext_lazy("Quote %(number)s: %(title)s"),
                    number=row["number"],
                    title=row["title"],
                ),
                detail=for_recipient(
                    gettext_lazy("Last day of validity today; no answer yet")
                    if days == 0
                    else ngettext_lazy(
                        "Valid until %(date)s (%(days)s day left); no answer yet",
                        "Valid until %(date)s (%(days)s days left); no answer yet",
                        "days",
                    ),
                    date=_lazy_day(row["valid_until"]),
                    days=days,
                ),
                link=reverse("delivery:quote_detail", args=[row["key_account_id"], row["id"]]),
                overdue=days == 0,
                sort_key=row["valid_until"].isoformat(),
            ),
        )


def _discounts_waiting(run: DigestRun) -> None:
    """Quote discounts waiting for the user's approval on accounts they direct (the decision
    inbox's rule): asked once when the quote starts waiting, then reminded here."""
    directors: dict[int, list[int]] = defaultdict(list)
    for user_id, roles in run.roles.items():
        for account_id in (a for a, role in roles.items() if permissions.role_decides(role)):
            directors[account_id].append(user_id)
    limit = Programme.current().quote_discount_limit_percent
    for quote in quotes_awaiting_approval_on(accounts=list(directors), limit_percent=limit):
        for user_id in directors[quote.key_account_id]:
            detail = gettext_lazy("%(percent)s %% off list, drafted by %(who)s on %(date)s")
            run.add(
                user_id,
                quote.key_account_id,
                DigestItem(
                    kind="approvals",
                    account=quote.key_account.name,
                    title=for_recipient(
                        gettext_lazy("Quote %(number)s: %(title)s"),
                        number=quote.number,
                        title=quote.title,
                    ),
                    detail=for_recipient(
                        detail,
                        percent=_lazy_number(quote.computed.effective_discount_percent),
                        who=str(quote.prepared_by or "—"),
                        date=_lazy_day(run.local(user_id, quote.created_at).date()),
                    ),
                    link=quote.get_absolute_url(),
                    sort_key=quote.created_at.isoformat(),
                ),
            )


DIGEST_BUILDERS: list[tuple[str, Callable[[DigestRun], None]]] = [
    ("actions", _actions_due),
    ("meetings_without_agenda", _meetings_without_agenda),
    ("meetings_follow_up", _meetings_needing_follow_up),
    ("reviews", _reviews_due),
    ("stale_plans", _stale_plans),
    ("monitoring", _opportunities_not_checked),
    ("monitoring", _targets_not_measured),
    ("engagements", _engagements_missed),
    ("quotes", _quotes_ending),
    ("approvals", _discounts_waiting),
]


def build_digests(*, users, now: datetime | None = None) -> dict[int, Digest]:
    """Digests for `users` (fetch them with select_related("digest_preference")), only with the
    kinds each user chose, in a fixed number of queries whatever the number of users."""
    now = now or timezone.now()
    users = list(users)
    if not users:
        return {}
    ids = {u.pk for u in users}
    run = DigestRun(
        now=now,
        digests={u.pk: Digest(user=u, today=user_today(u, now)) for u in users},
        wants={u.pk: preference_of(u) for u in users},
        roles=defaultdict(dict),
        leaders=defaultdict(set),
        sees_all=_user_ids_in_group(ids, EXECUTIVE_GROUP) | {u.pk for u in users if u.is_superuser},
    )
    for user_id, account_id, role in Membership.objects.filter(
        user_id__in=ids, key_account__status=KeyAccount.Status.ACTIVE
    ).values_list("user_id", "key_account_id", "role"):
        run.roles[user_id][account_id] = role
        if role in (Role.MANAGER, Role.DIRECTOR):
            run.leaders[account_id].add(user_id)
    for kind, builder in DIGEST_BUILDERS:
        if any(preference.wants(kind) for preference in run.wants.values()):
            builder(run)
    return run.digests


def _account_name(path: str) -> F:
    return F(f"{path}__customer__name")


def _stakeholder() -> F:
    return F("stakeholder__name")


def digest_for(user, now: datetime | None = None) -> Digest:
    """The digest page: what the user's next digest would list right now."""
    user = User.objects.select_related("digest_preference").get(pk=user.pk)
    return build_digests(users=[user], now=now)[user.pk]
