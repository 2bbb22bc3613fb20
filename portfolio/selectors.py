"""Reads for the directors' and executives' portfolio dashboard.

Everything starts from `portfolio_scope(user=...)`: the active key accounts a director directs,
or every active key account for an executive. Filters only ever narrow that queryset.

Aggregations run in the database (annotate / aggregate / values + Count / Sum, Subquery for the
latest rows). Python loops only over the page of the health table (25 rows), the plotted matrix
marks, and small aggregate rows (quarters, classes × stages, managers). Plan health is
planning's Python rules; their result is stored on each plan (`AccountPlan.health_score`,
refreshed nightly and after every change), so health buckets, the health filter and the health
sort are database work too. The net profit list behind the concentration curve is the one
per-account column read into Python.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractQuarter, ExtractYear, Power
from django.utils import timezone

from accounts import permissions
from accounts.models import (
    AccountEvent,
    Classification,
    Customer,
    KeyAccount,
    Membership,
    Programme,
    RelationshipStage,
    Role,
    User,
)
from discovery import services as discovery_services
from discovery.models import LifetimeValueAssumption, ProfitabilityYear
from discovery.selectors import NET_PROFIT
from opportunities import selectors as opportunity_selectors
from opportunities import services as opportunity_services
from opportunities.models import Opportunity, Quadrant
from planning import rules
from planning.models import (
    AccountPlan,
    Action,
    EngagementActivity,
    HealthRecord,
    Measurement,
    Review,
    Target,
)
from planning.services import plan_health_refresh

PAGE_SIZE = 25
MATRIX_LIMIT = 40  # more marks than this stop being readable; the rest are counted
PERFORMANCE_ROWS = 20
CLV_ROWS = 10
WORKLOAD_ROWS = 15
APPROVAL_ROWS = 10
CLASS_CHANGE_DAYS = 365
TREND_DAYS = 30  # the health table compares each score with the one stored this long ago
MONEY = DecimalField(max_digits=16, decimal_places=2)

NO_PLAN = "no_plan"
HEALTH_BUCKETS = [
    ("good", "Healthy"),
    ("fair", "Needs attention"),
    ("poor", "Unhealthy"),
    (NO_PLAN, "No current plan"),
]
HEALTH_BUCKET_LABELS = dict(HEALTH_BUCKETS)
HEALTH_BUCKET_RULE = (
    f"Healthy: plan health score {rules.HEALTH_GOOD} or more; needs attention: "
    f"{rules.HEALTH_FAIR}–{rules.HEALTH_GOOD - 1}; unhealthy: below {rules.HEALTH_FAIR}; "
    "no current plan: the account has no plan to score."
)
TREND_RULE = (
    f"30-day change: the health score now minus the score stored {TREND_DAYS} days ago (or "
    "the last one before that); — for a plan with no score that old."
)
SCOPE_RULE = (
    "Directors see the active key accounts they direct; executives see every active key "
    "account. Filters only narrow that set."
)
TARGET_RULE = (
    "Target: from the account's current plan, the target whose KPI mentions “revenue” or "
    "“sales” (for revenue) or “profit” (for net profit) and whose unit is not a percentage; "
    "if there are several, the one due last. Accounts without such a target show “no target”."
)
YEAR_RULE = (
    "Years compared: the latest year up to this one for which any account in view has "
    "profitability figures, against the year before."
)
WORKLOAD_RULE = (
    "Per manager: the key accounts in view they manage, and the open and overdue actions of "
    "those accounts' current plans (whoever owns each action)."
)
CLV_RULE = (
    "Customer lifetime value as on the account's Profitability page: net present value of the "
    "expected yearly profits (saved assumptions, or 3 % growth, 8 % discount rate, 5 years), "
    "starting from the entered base profit or the latest year's net profit."
)


# ---- scope and filters --------------------------------------------------------------------


def portfolio_scope(*, user) -> QuerySet[KeyAccount]:
    """The accounts this user's dashboard covers. Anyone who may not see a portfolio (managers,
    coordinators, team members, programme admins without a director role) is refused."""
    if not permissions.can_view_portfolio(user):
        raise PermissionDenied(
            "The portfolio dashboard is for key account directors and executives."
        )
    accounts = KeyAccount.objects.visible_to(user).active()
    if permissions.sees_all_accounts(user):
        return accounts
    directed = Membership.objects.filter(user=user, role=Role.DIRECTOR).values("key_account_id")
    # Re-rooted on a plain queryset: visible_to() joins memberships with DISTINCT, which would
    # multiply every aggregate below.
    return KeyAccount.objects.filter(pk__in=accounts.filter(pk__in=directed).values("pk"))


def _int_or_none(value) -> int | None:
    try:
        return int(value) or None
    except (TypeError, ValueError):
        return None


SORT_LABELS = {
    "account": "Account",
    "director": "Director",
    "manager": "Manager",
    "class": "Class",
    "stage": "Relationship",
    "plan": "Plan",
    "approved": "Last approved",
    "review": "Last review",
    "overdue": "Overdue actions",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "cadence": "Cadence kept",
    "health": "Health",
    "change": "30-day change",
}
PAGE_SORTS = {"on_track", "at_risk", "off_track"}  # computed in Python: sorted within the page
DEFAULT_SORT = "health"  # least healthy first: what a portfolio meeting starts with


@dataclass(frozen=True)
class PortfolioFilters:
    director: int | None = None
    manager: int | None = None
    classification: str = ""
    sector: str = ""
    health: str = ""
    sort: str = DEFAULT_SORT
    bubble: str = "revenue"

    @classmethod
    def from_query(cls, query) -> PortfolioFilters:
        classification = query.get("class", "")
        health = query.get("health", "")
        sort = query.get("sort", DEFAULT_SORT)
        return cls(
            director=_int_or_none(query.get("director")),
            manager=_int_or_none(query.get("manager")),
            classification=classification if classification in Classification.values else "",
            sector=query.get("sector", "").strip()[:120],
            health=health if health in HEALTH_BUCKET_LABELS else "",
            sort=sort if sort.lstrip("-") in SORT_LABELS else DEFAULT_SORT,
            bubble="profit" if query.get("bubble") == "profit" else "revenue",
        )

    @property
    def active(self) -> bool:
        return bool(
            self.director or self.manager or self.classification or self.sector or self.health
        )

    def params(self, *, sort: bool = True, bubble: bool = True) -> dict[str, str]:
        values = {
            "director": self.director or "",
            "manager": self.manager or "",
            "class": self.classification,
            "sector": self.sector,
            "health": self.health,
        }
        if sort and self.sort != DEFAULT_SORT:
            values["sort"] = self.sort
        if bubble and self.bubble != "revenue":
            values["bubble"] = self.bubble
        return {k: str(v) for k, v in values.items() if v}

    def query(self, **kwargs) -> str:
        return urlencode(self.params(**kwargs))

    def narrow(self, accounts: QuerySet[KeyAccount]) -> QuerySet[KeyAccount]:
        """Every filter except health (which needs the health scores, see `apply_health`)."""
        if self.director:
            accounts = accounts.filter(
                pk__in=Membership.objects.filter(user_id=self.director, role=Role.DIRECTOR).values(
                    "key_account_id"
                )
            )
        if self.manager:
            accounts = accounts.filter(
                pk__in=Membership.objects.filter(user_id=self.manager, role=Role.MANAGER).values(
                    "key_account_id"
                )
            )
        if self.classification:
            accounts = accounts.filter(classification=self.classification)
        if self.sector:
            accounts = accounts.filter(customer__sector=self.sector)
        return accounts


@dataclass
class FilterChoices:
    directors: list
    managers: list
    sectors: list[str]
    classes: list = field(default_factory=lambda: list(Classification.choices))
    buckets: list = field(default_factory=lambda: list(HEALTH_BUCKETS))


def _people_with_role(accounts: QuerySet[KeyAccount], role: str) -> list[User]:
    ids = Membership.objects.filter(role=role, key_account__in=accounts).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "username"))


def filter_choices(*, scope: QuerySet[KeyAccount]) -> FilterChoices:
    """Options come from the unfiltered scope, so a director never learns other names."""
    sectors = (
        Customer.objects.filter(key_account__in=scope)
        .exclude(sector="")
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )
    return FilterChoices(
        directors=_people_with_role(scope, Role.DIRECTOR),
        managers=_people_with_role(scope, Role.MANAGER),
        sectors=list(sectors),
    )


def _cached(name: str, accounts: QuerySet[KeyAccount], today: date, compute):
    """Dashboard aggregates are kept for PORTFOLIO_CACHE_SECONDS (0: off). The key is the exact
    SQL of the account scope (user, filters, health bucket) and the day, so two people share
    an entry only when they see exactly the same accounts: a director never gets figures of
    accounts outside their scope. Figures may be that many seconds old; the page says so."""
    seconds = settings.PORTFOLIO_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    sql, params = accounts.query.sql_with_params()
    digest = hashlib.sha256(f"{sql}|{params!r}|{today.isoformat()}".encode()).hexdigest()
    key = f"portfolio:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


# ---- plan health --------------------------------------------------------------------------

# Stored scores (AccountPlan.health_score, kept by planning's services) in the health buckets.
BUCKET_FILTERS = {
    "good": Q(health_score__gte=rules.HEALTH_GOOD),
    "fair": Q(health_score__gte=rules.HEALTH_FAIR, health_score__lt=rules.HEALTH_GOOD),
    "poor": Q(health_score__lt=rules.HEALTH_FAIR),
}


def bucket_of(score: int | None) -> str:
    return NO_PLAN if score is None else rules.health_band(score)


def _current_plans(accounts: QuerySet[KeyAccount]) -> QuerySet[AccountPlan]:
    return AccountPlan.objects.filter(is_current=True, key_account__in=accounts)


def refresh_health(*, accounts: QuerySet[KeyAccount], today: date) -> int:
    """Make the stored health scores of the plans in view today's. One query when they are
    already (the nightly job and every change keep them so); otherwise planning recomputes the
    stale ones in bulk. Everything below then counts, filters and sorts in the database."""
    return plan_health_refresh(plans=_current_plans(accounts), today=today)


def apply_health(accounts: QuerySet[KeyAccount], *, bucket: str) -> QuerySet[KeyAccount]:
    if not bucket:
        return accounts
    if bucket == NO_PLAN:
        return accounts.exclude(plans__is_current=True)
    in_bucket = AccountPlan.objects.filter(BUCKET_FILTERS[bucket], is_current=True)
    return accounts.filter(pk__in=in_bucket.values("key_account_id"))


def health_counts(*, accounts: QuerySet[KeyAccount], accounts_total: int) -> list[dict]:
    counts = _current_plans(accounts).aggregate(
        plans=Count("pk"), **{key: Count("pk", filter=q) for key, q in BUCKET_FILTERS.items()}
    )
    counts[NO_PLAN] = accounts_total - counts.pop("plans")
    from common.charts import HEALTH_COLOURS

    return [
        {"key": key, "label": label, "count": counts.get(key, 0), "colour": HEALTH_COLOURS[key]}
        for key, label in HEALTH_BUCKETS
    ]


# ---- the health table ---------------------------------------------------------------------


def _count(queryset, account_path: str) -> Coalesce:
    counted = queryset.order_by().values(account_path).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _person(role: str, account=None) -> Subquery:
    """The first team member with `role` on the account `account` points at (default: the
    row itself, for a queryset of key accounts), as "First Last"."""
    people = (
        Membership.objects.filter(key_account=account or OuterRef("pk"), role=role)
        .order_by("pk")
        .annotate(full=Concat("user__first_name", Value(" "), "user__last_name"))
        .values("full")[:1]
    )
    return Subquery(people)


def _ranked(values) -> Case:
    return Case(
        *[When(then=Value(i), **cond) for i, cond in values],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def table_queryset(accounts: QuerySet[KeyAccount], *, today: date) -> QuerySet[KeyAccount]:
    """One row per account with everything the health table shows and sorts on."""
    account = OuterRef("pk")
    current = AccountPlan.objects.filter(key_account=account, is_current=True)
    actions = Action.objects.filter(
        plan__key_account=account, plan__is_current=True, status__in=Action.OPEN_STATUSES
    )
    engagements = EngagementActivity.objects.filter(
        plan__key_account=account, plan__is_current=True
    )
    reviews = Review.objects.filter(
        plan__key_account=account, plan__is_current=True, completed_at__isnull=False
    ).order_by("-completed_at")
    # The current plan's score as the nightly job recorded it TREND_DAYS ago (or the last
    # record before, if the job missed that day); none for a plan younger than that.
    earlier = HealthRecord.objects.filter(
        plan__key_account=account,
        plan__is_current=True,
        recorded_on__lte=today - timedelta(days=TREND_DAYS),
    ).order_by("-recorded_on")
    return (
        accounts.select_related("customer")
        .annotate(
            director_name=_person(Role.DIRECTOR),
            manager_name=_person(Role.MANAGER),
            plan_id=Subquery(current.values("pk")[:1]),
            health_score=Subquery(current.values("health_score")[:1]),
            health_before=Subquery(earlier.values("score")[:1]),
            health_before_on=Subquery(earlier.values("recorded_on")[:1]),
            plan_period=Subquery(current.values("period")[:1]),
            plan_status=Subquery(current.values("status")[:1]),
            last_approved_at=Subquery(current.values("approved_at")[:1]),
            last_review_at=Subquery(reviews.values("completed_at")[:1]),
            overdue_actions=_count(actions.filter(due_on__lt=today), "plan__key_account"),
            engagement_total=_count(engagements, "plan__key_account"),
            engagement_missed=_count(
                engagements.filter(next_due_on__lt=today), "plan__key_account"
            ),
        )
        .annotate(
            health_rank=Coalesce(F("health_score"), Value(-1)),  # no plan: below every plan
            # Negative: the plan got worse. Sorted ascending, the biggest falls come first.
            health_change=F("health_score") - F("health_before"),
            cadence_kept=Case(
                When(engagement_total=0, then=Value(None)),
                default=(F("engagement_total") - F("engagement_missed"))
                * 100.0
                / F("engagement_total"),
                output_field=FloatField(),
            ),
            class_rank=_ranked(
                [(i, {"classification": v}) for i, v in enumerate(Classification.values)]
            ),
            stage_rank=_ranked(
                [(i, {"relationship_stage": v}) for i, v in enumerate(RelationshipStage.values)]
            ),
        )
    )


DB_SORTS = {
    "account": ["customer__name"],
    "director": ["director_name", "customer__name"],
    "manager": ["manager_name", "customer__name"],
    "class": ["class_rank", "customer__name"],
    "stage": ["stage_rank", "customer__name"],
    "plan": ["plan_status", "customer__name"],
    "approved": ["last_approved_at", "customer__name"],
    "review": ["last_review_at", "customer__name"],
    "overdue": ["overdue_actions", "customer__name"],
    "cadence": ["cadence_kept", "customer__name"],
    "health": ["health_rank", "customer__name"],
    "change": ["health_change", "customer__name"],
}


def _order(sort: str) -> list:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    first, *rest = DB_SORTS.get(key, DB_SORTS["account"])
    expr = F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_last=True)
    return [expr, *rest, "pk"]


def _with_latest_measurement(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Each target with its latest measurement's actual and date (what planning's target
    status rule reads), as two correlated subqueries: still one query."""
    latest = Measurement.objects.filter(target=OuterRef("pk")).order_by("-measured_on", "-pk")
    return targets.annotate(
        latest_actual=Subquery(latest.values("actual")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )


def _target_counts(plan_ids: list[int], today: date) -> dict[int, dict[str, int]]:
    """On track / at risk / off track per plan, with planning's target rule."""
    rows = _with_latest_measurement(
        Target.objects.filter(objective__plan_id__in=plan_ids, archived_at__isnull=True)
    ).values_list(
        "objective__plan_id",
        "baseline",
        "target_value",
        "baseline_on",
        "due_on",
        "latest_actual",
        "latest_on",
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for plan_id, baseline, value, baseline_on, due_on, actual, measured_on in rows:
        status = rules.target_status(
            baseline=baseline,
            target_value=value,
            baseline_on=baseline_on,
            due_on=due_on,
            actual=actual,
            measured_on=measured_on,
            today=today,
        )
        counts[plan_id][status.status] += 1
    return counts


def _decorate(rows: list[KeyAccount], *, today: date) -> list[KeyAccount]:
    targets = _target_counts([r.plan_id for r in rows if r.plan_id], today)
    for row in rows:
        counts = targets.get(row.plan_id, {})
        row.on_track = counts.get(rules.ON_TRACK, 0)
        row.at_risk = counts.get(rules.AT_RISK, 0)
        row.off_track = counts.get(rules.OFF_TRACK, 0)
        row.health_bucket = bucket_of(row.health_score)
        row.health_bucket_label = HEALTH_BUCKET_LABELS[row.health_bucket]
        row.plan_status_label = (
            AccountPlan.Status(row.plan_status).label if row.plan_status else "No plan"
        )
    return rows


def _page_sort(rows: list[KeyAccount], sort: str) -> list[KeyAccount]:
    key = sort.lstrip("-")
    if key not in PAGE_SORTS:
        return rows
    return sorted(rows, key=lambda r: (getattr(r, key), r.name), reverse=sort.startswith("-"))


def health_table_page(
    *, accounts: QuerySet[KeyAccount], filters: PortfolioFilters, today, number
) -> Page:
    table = table_queryset(accounts, today=today).order_by(*_order(filters.sort))
    page = Paginator(table, PAGE_SIZE).get_page(number)
    page.object_list = _page_sort(_decorate(list(page.object_list), today=today), filters.sort)
    return page


def health_table_all(
    *, accounts: QuerySet[KeyAccount], filters: PortfolioFilters, today
) -> list[KeyAccount]:
    """Every row (the CSV export), in the table's order; targets sort across all rows."""
    rows = list(table_queryset(accounts, today=today).order_by(*_order(filters.sort)))
    return _page_sort(_decorate(rows, today=today), filters.sort)


# ---- pipeline -----------------------------------------------------------------------------

QUARTERS_BACK, QUARTERS_AHEAD = 2, 5


def _quarter_index(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


def pipeline(*, accounts: QuerySet[KeyAccount], today: date) -> dict:
    """Opportunity value by status × lever (opportunities' own totals), by expected quarter,
    quick wins delivered, won and lost — four aggregate queries."""
    opportunities = Opportunity.objects.filter(key_account__in=accounts)
    totals = opportunity_selectors.pipeline_totals(opportunities=opportunities)
    by_status = dict(zip(Opportunity.Status.values, totals["rows"], strict=True))
    open_q = Q(status__in=opportunity_services.OPEN_STATUSES)
    won_q = Q(status=Opportunity.Status.WON)
    rows = (
        opportunities.order_by()
        .annotate(y=ExtractYear("expected_start_on"), q=ExtractQuarter("expected_start_on"))
        .values("y", "q")
        .annotate(
            open=Coalesce(
                Sum("annual_value", filter=open_q), Value(Decimal(0)), output_field=MONEY
            ),
            won=Coalesce(Sum("annual_value", filter=won_q), Value(Decimal(0)), output_field=MONEY),
        )
    )
    now = _quarter_index(today.year, (today.month - 1) // 3 + 1)
    buckets: dict[str, dict] = {}
    order = ["earlier"] + [str(now + k) for k in range(-QUARTERS_BACK, QUARTERS_AHEAD + 1)]
    order += ["later", "none"]
    for key in order:
        buckets[key] = {"open": Decimal(0), "won": Decimal(0)}
    for row in rows:
        if row["y"] is None:
            key = "none"
        else:
            index = _quarter_index(row["y"], row["q"])
            if index < now - QUARTERS_BACK:
                key = "earlier"
            elif index > now + QUARTERS_AHEAD:
                key = "later"
            else:
                key = str(index)
        buckets[key]["open"] += row["open"]
        buckets[key]["won"] += row["won"]

    def label(key: str) -> str:
        if key == "earlier":
            return "Earlier"
        if key == "later":
            return "Later"
        if key == "none":
            return "No date"
        index = int(key)
        return f"Q{index % 4 + 1} {index // 4}"

    quarters = [
        {"label": label(key), "open": buckets[key]["open"], "won": buckets[key]["won"]}
        for key in order
        if key not in {"earlier", "later", "none"} or buckets[key]["open"] or buckets[key]["won"]
    ]
    quick = opportunities.filter(quadrant=Quadrant.QUICK_WIN).aggregate(
        delivered=Count("pk", filter=won_q),
        delivered_value=Coalesce(
            Sum("annual_value", filter=won_q), Value(Decimal(0)), output_field=MONEY
        ),
        open=Count("pk", filter=open_q),
    )
    won, lost = by_status[Opportunity.Status.WON], by_status[Opportunity.Status.LOST]
    closed = won.count + lost.count
    return {
        "totals": totals,
        "quarters": quarters,
        "quick_wins": quick,
        "won": won,
        "lost": lost,
        "win_rate": round(100 * won.count / closed) if closed else None,
    }


# ---- performance --------------------------------------------------------------------------


def performance_year(*, accounts: QuerySet[KeyAccount], today: date) -> int:
    """See YEAR_RULE."""
    latest = ProfitabilityYear.objects.filter(
        key_account__in=accounts, year__lte=today.year
    ).aggregate(y=Max("year"))["y"]
    return latest or today.year


def _year_value(year: int, field_name: str):
    rows = ProfitabilityYear.objects.filter(key_account=OuterRef("pk"), year=year)
    if field_name == "net":
        rows = rows.annotate(net=NET_PROFIT)
    return Subquery(rows.values(field_name)[:1], output_field=MONEY)


def _target_of(kind: str) -> Subquery:
    """See TARGET_RULE."""
    words = ("revenue", "sales") if kind == "revenue" else ("profit",)
    matches = Q()
    for word in words:
        matches |= Q(kpi__icontains=word)
    targets = (
        Target.objects.filter(
            matches,
            objective__plan__key_account=OuterRef("pk"),
            objective__plan__is_current=True,
            archived_at__isnull=True,
        )
        .exclude(unit__contains="%")
        .order_by("-due_on", "-pk")
    )
    return Subquery(targets.values("target_value")[:1], output_field=MONEY)


def _with_performance(accounts: QuerySet[KeyAccount], year: int) -> QuerySet[KeyAccount]:
    return accounts.annotate(
        sales_now=_year_value(year, "gross_sales"),
        sales_before=_year_value(year - 1, "gross_sales"),
        profit_now=_year_value(year, "net"),
        profit_before=_year_value(year - 1, "net"),
        revenue_target=_target_of("revenue"),
        profit_target=_target_of("profit"),
    )


def _change(now, before) -> Decimal | None:
    if now is None or before is None or not before:
        return None
    return ((Decimal(now) - Decimal(before)) / abs(Decimal(before)) * 100).quantize(Decimal("0.1"))


def performance(*, accounts: QuerySet[KeyAccount], accounts_total: int, today: date) -> dict:
    year = performance_year(accounts=accounts, today=today)
    annotated = _with_performance(accounts, year)
    rows = list(
        annotated.select_related("customer").order_by(
            F("profit_now").desc(nulls_last=True), "customer__name", "pk"
        )[:PERFORMANCE_ROWS]
    )
    for row in rows:
        row.sales_change = _change(row.sales_now, row.sales_before)
        row.profit_change = _change(row.profit_now, row.profit_before)
    zero = Value(Decimal(0))
    now_q, before_q = Q(year=year), Q(year=year - 1)
    totals = ProfitabilityYear.objects.filter(
        key_account__in=accounts, year__in=[year, year - 1]
    ).aggregate(
        sales_now=Coalesce(Sum("gross_sales", filter=now_q), zero, output_field=MONEY),
        sales_before=Coalesce(Sum("gross_sales", filter=before_q), zero, output_field=MONEY),
        profit_now=Coalesce(Sum(NET_PROFIT, filter=now_q), zero, output_field=MONEY),
        profit_before=Coalesce(Sum(NET_PROFIT, filter=before_q), zero, output_field=MONEY),
        with_figures=Count("pk", filter=now_q),
    )
    # Targets: only the accounts that have one are summed, against their own figures.
    targeted = (
        accounts.annotate(revenue_target=_target_of("revenue"), profit_target=_target_of("profit"))
        .filter(Q(revenue_target__isnull=False) | Q(profit_target__isnull=False))
        .annotate(sales_now=_year_value(year, "gross_sales"), profit_now=_year_value(year, "net"))
    )
    sums = targeted.aggregate(
        t_revenue_target=Sum("revenue_target"),
        t_profit_target=Sum("profit_target"),
        t_with_revenue_target=Count("pk", filter=Q(revenue_target__isnull=False)),
        t_with_profit_target=Count("pk", filter=Q(profit_target__isnull=False)),
        t_sales_on_target_accounts=Sum("sales_now", filter=Q(revenue_target__isnull=False)),
        t_profit_on_target_accounts=Sum("profit_now", filter=Q(profit_target__isnull=False)),
    )
    totals.update({key[2:]: value for key, value in sums.items()})
    totals["accounts"] = accounts_total
    totals["sales_change"] = _change(totals["sales_now"], totals["sales_before"])
    totals["profit_change"] = _change(totals["profit_now"], totals["profit_before"])
    return {
        "year": year,
        "previous_year": year - 1,
        "rows": rows,
        "more": max(totals["accounts"] - len(rows), 0),
        "totals": totals,
        "concentration": concentration(accounts=accounts, year=year),
        "lifetime_values": lifetime_value_ranking(accounts=accounts),
    }


CONCENTRATION_TOPS = (1, 3, 5)
CONCENTRATION_SHARE = 20  # per cent of accounts: the 80/20 the programme exists for


def concentration(*, accounts: QuerySet[KeyAccount], year: int) -> dict:
    """Share of the year's total net profit earned by the top 1, 3, 5 accounts and by the top
    20 % of accounts (rounded up). Above 100 % means the other accounts lose money together."""
    profits = [
        Decimal(p)
        for p in ProfitabilityYear.objects.filter(key_account__in=accounts, year=year)
        .annotate(net=NET_PROFIT)
        .order_by("-net")
        .values_list("net", flat=True)
    ]
    total = sum(profits, Decimal(0))
    n = len(profits)
    cumulative = []
    running = Decimal(0)
    for p in profits:
        running += p
        cumulative.append(running)

    def share(top: int) -> Decimal | None:
        if not n or total <= 0:
            return None
        return (cumulative[min(top, n) - 1] / total * 100).quantize(Decimal("0.1"))

    tops = [
        {
            "label": f"Top {k} account{'s' if k > 1 else ''}",
            "accounts": min(k, n),
            "share": share(k),
        }
        for k in CONCENTRATION_TOPS
    ]
    top_share = max(1, math.ceil(n * CONCENTRATION_SHARE / 100)) if n else 0
    tops.append(
        {
            "label": f"Top {CONCENTRATION_SHARE} % of accounts",
            "accounts": top_share,
            "share": share(top_share) if n else None,
        }
    )
    # The curve: cumulative share of profit against share of accounts, at most 100 points.
    step = max(1, n // 100)
    curve = []
    if n and total > 0:
        curve = [(Decimal(0), Decimal(0))]
        for i in range(step - 1, n, step):
            curve.append((Decimal(i + 1) / n * 100, cumulative[i] / total * 100))
        if curve[-1][0] != 100:
            curve.append((Decimal(100), Decimal(100)))
    return {"year": year, "accounts": n, "total": total, "tops": tops, "curve": curve}


def lifetime_value_ranking(*, accounts: QuerySet[KeyAccount]) -> list[dict]:
    """Top CLV_ROWS accounts by lifetime value (see CLV_RULE).

    The database ranks every account with the closed form of the same sum,
    base / (1 + r) × (1 − q^N) / (1 − q) with q = (1 + g) / (1 + r); the few best candidates
    are then computed exactly (cent rounding per year) by discovery.services.lifetime_value.
    """
    defaults = {
        name: LifetimeValueAssumption._meta.get_field(name).default
        for name in ("growth_rate_percent", "discount_rate_percent", "horizon_years")
    }
    assumption = LifetimeValueAssumption.objects.filter(key_account=OuterRef("pk"))
    latest = (
        ProfitabilityYear.objects.filter(key_account=OuterRef("pk"))
        .annotate(net=NET_PROFIT)
        .order_by("-year")
    )
    ranked = (
        accounts.annotate(
            clv_base=Coalesce(
                Subquery(assumption.values("base_profit")[:1], output_field=MONEY),
                Subquery(latest.values("net")[:1], output_field=MONEY),
            ),
            clv_base_year=Subquery(latest.values("year")[:1]),
            clv_has_assumption=Exists(assumption),
            clv_g=Coalesce(
                Subquery(assumption.values("growth_rate_percent")[:1]),
                Value(defaults["growth_rate_percent"]),
                output_field=DecimalField(max_digits=5, decimal_places=2),
            ),
            clv_r=Coalesce(
                Subquery(assumption.values("discount_rate_percent")[:1]),
                Value(defaults["discount_rate_percent"]),
                output_field=DecimalField(max_digits=5, decimal_places=2),
            ),
            clv_n=Coalesce(
                Subquery(assumption.values("horizon_years")[:1]),
                Value(defaults["horizon_years"]),
                output_field=IntegerField(),
            ),
        )
        .filter(clv_base__isnull=False)
        .annotate(
            clv_q=(1.0 + Cast("clv_g", FloatField()) / 100.0)
            / (1.0 + Cast("clv_r", FloatField()) / 100.0),
        )
        .annotate(
            clv_approx=Case(
                When(
                    clv_q=1.0,
                    then=Cast("clv_base", FloatField())
                    / (1.0 + Cast("clv_r", FloatField()) / 100.0)
                    * Cast("clv_n", FloatField()),
                ),
                default=Cast("clv_base", FloatField())
                / (1.0 + Cast("clv_r", FloatField()) / 100.0)
                * (1.0 - Power("clv_q", Cast("clv_n", FloatField())))
                / (1.0 - F("clv_q")),
                output_field=FloatField(),
            )
        )
        .select_related("customer")
        .order_by(F("clv_approx").desc(nulls_last=True), "pk")
    )
    candidates = list(ranked[: CLV_ROWS + 5])  # a margin for cent rounding near the cut
    result = []
    for account in candidates:
        value = discovery_services.lifetime_value(
            base_profit=account.clv_base,
            growth_rate_percent=account.clv_g,
            discount_rate_percent=account.clv_r,
            horizon_years=account.clv_n,
        )
        result.append(
            {
                "account": account,
                "npv": value.npv,
                "base": account.clv_base,
                "source": "entered base profit"
                if account.clv_has_assumption and account.clv_base_year is None
                else f"net profit {account.clv_base_year}"
                if account.clv_base_year
                else "entered base profit",
                "growth": account.clv_g,
                "discount": account.clv_r,
                "years": account.clv_n,
            }
        )
    result.sort(key=lambda item: (-item["npv"], item["account"].pk))
    return result[:CLV_ROWS]


# ---- programme ----------------------------------------------------------------------------


def programme_overview(*, user, accounts: QuerySet[KeyAccount], today: date) -> dict:
    programme = Programme.current()
    customers = Customer.objects.count()
    key_accounts = KeyAccount.objects.active().count()
    limit = math.floor(customers * programme.key_account_limit_percent / 100)
    return {
        "programme": programme,
        "customers": customers,
        "key_accounts": key_accounts,
        "limit": limit,
        "share": round(100 * key_accounts / customers) if customers else None,
        "over_limit": key_accounts > limit,
        "over_by": key_accounts - limit,
        "grid": class_stage_grid(accounts=accounts),
        "workload": _cached(
            "workload", accounts, today, lambda: manager_workload(accounts=accounts, today=today)
        ),
        "approvals": approvals_waiting(user=user, accounts=accounts),
    }


def class_stage_grid(*, accounts: QuerySet[KeyAccount]) -> dict:
    counts = {
        (row["classification"], row["relationship_stage"]): row["n"]
        for row in accounts.order_by()
        .values("classification", "relationship_stage")
        .annotate(n=Count("pk"))
    }
    stages = list(RelationshipStage.choices)
    rows = []
    for value, label in Classification.choices:
        cells = [counts.get((value, stage), 0) for stage, _ in stages]
        rows.append({"value": value, "label": label, "cells": cells, "total": sum(cells)})
    column_totals = [sum(r["cells"][i] for r in rows) for i in range(len(stages))]
    return {
        "stages": [label for _, label in stages],
        "rows": rows,
        "column_totals": column_totals,
        "total": sum(column_totals),
    }


def manager_workload(*, accounts: QuerySet[KeyAccount], today: date) -> dict:
    """See WORKLOAD_RULE. Two grouped queries and one for the names of the rows shown."""
    managed = dict(
        Membership.objects.filter(role=Role.MANAGER, key_account__in=accounts)
        .values_list("user_id")
        .annotate(n=Count("key_account", distinct=True))
        .order_by()
    )
    action_rows = (
        Action.objects.filter(
            plan__is_current=True,
            plan__key_account__in=accounts,
            status__in=Action.OPEN_STATUSES,
            plan__key_account__memberships__role=Role.MANAGER,
        )
        .values("plan__key_account__memberships__user_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    )
    actions = {row["plan__key_account__memberships__user_id"]: row for row in action_rows}
    rows = [
        {
            "user_id": user_id,
            "accounts": n,
            "open": actions.get(user_id, {}).get("open", 0),
            "overdue": actions.get(user_id, {}).get("overdue", 0),
        }
        for user_id, n in managed.items()
    ]
    rows.sort(key=lambda r: (-r["overdue"], -r["open"], -r["accounts"], r["user_id"]))
    shown = rows[:WORKLOAD_ROWS]
    names = {u.pk: u for u in User.objects.filter(pk__in=[r["user_id"] for r in shown])}
    for row in shown:
        row["manager"] = names.get(row["user_id"])
    return {"rows": shown, "more": len(rows) - len(shown)}


def approvals_waiting(*, user, accounts: QuerySet[KeyAccount]) -> dict:
    """Submitted plans on the accounts this user directs (for an executive who directs none:
    every submitted plan in view, so they can see what waits on which director)."""
    plans = AccountPlan.objects.filter(
        is_current=True, status=AccountPlan.Status.SUBMITTED, key_account__in=accounts
    )
    directed = Membership.objects.filter(user=user, role=Role.DIRECTOR).values("key_account_id")
    mine = permissions.is_director(user)
    if mine:
        plans = plans.filter(key_account__in=directed)
    shown = list(
        plans.select_related("key_account__customer")
        .annotate(director_name=_person(Role.DIRECTOR, OuterRef("key_account")))
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")[:APPROVAL_ROWS]
    )
    return {"mine": mine, "plans": shown, "count": plans.count()}


# ---- the matrix ---------------------------------------------------------------------------


def matrix_accounts(
    *, accounts: QuerySet[KeyAccount], bubble: str, today: date
) -> tuple[list[KeyAccount], int, dict[int, AccountEvent]]:
    """The MATRIX_LIMIT largest accounts (by the bubble measure) that have both scores, how
    many scored accounts were left out, and each plotted account's latest class change within
    the last year."""
    latest = (
        ProfitabilityYear.objects.filter(key_account=OuterRef("pk"))
        .annotate(net=NET_PROFIT)
        .order_by("-year")
    )
    scored = accounts.filter(
        customer__attractiveness_score__isnull=False, customer__strength_score__isnull=False
    ).annotate(
        latest_profit=Subquery(latest.values("net")[:1], output_field=MONEY),
        latest_profit_year=Subquery(latest.values("year")[:1]),
        health_score=Subquery(
            AccountPlan.objects.filter(key_account=OuterRef("pk"), is_current=True).values(
                "health_score"
            )[:1]
        ),
    )
    measure = "latest_profit" if bubble == "profit" else "customer__annual_revenue"
    plotted = list(
        scored.select_related("customer")
        # Every row carries the number of scored accounts (the window runs before the LIMIT),
        # so the page costs the same queries whether or not some are left out.
        .annotate(scored_total=Window(Count("pk")))
        .order_by(F(measure).desc(nulls_last=True), "customer__name", "pk")[:MATRIX_LIMIT]
    )
    for account in plotted:
        account.health_bucket = bucket_of(account.health_score)
    not_plotted = plotted[0].scored_total - len(plotted) if plotted else 0
    since = timezone.now() - timedelta(days=CLASS_CHANGE_DAYS)
    changes: dict[int, AccountEvent] = {}
    for event in AccountEvent.objects.filter(
        key_account_id__in=[a.pk for a in plotted],
        kind=AccountEvent.Kind.CLASS_CHANGED,
        occurred_at__gte=since,
    ).order_by("key_account_id", "-occurred_at", "-pk"):
        changes.setdefault(event.key_account_id, event)
    return plotted, not_plotted, changes


# ---- the whole dashboard ------------------------------------------------------------------

TABLE_COLUMNS = [
    # (sort key, header, numeric)
    ("account", "Account", False),
    ("director", "Director", False),
    ("manager", "Manager", False),
    ("class", "Class", False),
    ("stage", "Relationship", False),
    ("plan", "Plan", False),
    ("approved", "Last approved", False),
    ("review", "Last review", False),
    ("overdue", "Overdue actions", True),
    ("on_track", "On track", True),
    ("at_risk", "At risk", True),
    ("off_track", "Off track", True),
    ("cadence", "Cadence kept", True),
    ("health", "Health", True),
    ("change", "30-day change", True),
]


def dashboard(*, user, filters: PortfolioFilters, page_number=1, today: date | None = None):
    """Everything the dashboard page and its PDF show, in a fixed number of queries."""
    from common import charts

    from .matrix import key_account_matrix

    today = today or timezone.localdate()
    scope = portfolio_scope(user=user)
    narrowed = filters.narrow(scope)
    refresh_health(accounts=narrowed, today=today)
    accounts = apply_health(narrowed, bucket=filters.health)
    programme = programme_overview(user=user, accounts=accounts, today=today)
    grid = programme["grid"]
    class_counts = {row["value"]: row["total"] for row in grid["rows"]}
    plotted, not_plotted, changes = matrix_accounts(
        accounts=accounts, bubble=filters.bubble, today=today
    )
    programme_row = programme["programme"]
    matrix = key_account_matrix(
        accounts=plotted,
        bubble=filters.bubble,
        changes=changes,
        attractiveness_threshold=programme_row.attractiveness_threshold,
        strength_threshold=programme_row.strength_threshold,
        class_counts=class_counts,
    )
    matrix["not_plotted"] = not_plotted
    matrix["unscored"] = grid["total"] - len(plotted) - not_plotted
    pipeline_data = _cached(
        "pipeline", accounts, today, lambda: pipeline(accounts=accounts, today=today)
    )
    performance_data = _cached(
        "performance",
        accounts,
        today,
        lambda: performance(accounts=accounts, accounts_total=grid["total"], today=today),
    )
    return {
        "today": today,
        "cache_seconds": settings.PORTFOLIO_CACHE_SECONDS,
        "filters": filters,
        "choices": filter_choices(scope=scope),
        "scope_is_all": permissions.sees_all_accounts(user),
        "accounts_total": grid["total"],
        "health_counts": health_counts(
            accounts=narrowed,
            accounts_total=narrowed.count() if filters.health else grid["total"],
        ),
        "page": health_table_page(
            accounts=accounts, filters=filters, today=today, number=page_number
        ),
        "matrix": matrix,
        "pipeline": pipeline_data,
        "quarter_chart": charts.quarter_bars(pipeline_data["quarters"]),
        "performance": performance_data,
        "concentration_chart": charts.concentration_curve(performance_data["concentration"]),
        "programme": programme,
        "currency": programme_row.currency,
        "rules": {
            "scope": SCOPE_RULE,
            "health": HEALTH_BUCKET_RULE,
            "trend": TREND_RULE,
            "target": TARGET_RULE,
            "year": YEAR_RULE,
            "workload": WORKLOAD_RULE,
            "clv": CLV_RULE,
            "target_status": rules.TARGET_STATUS_RULE,
        },
        "columns": TABLE_COLUMNS,
        "health_rules": rules.HEALTH_RULES,
        "sort_query": filters.query(sort=False),
        "sort_query_nohealth": urlencode(
            {k: v for k, v in filters.params().items() if k != "health"}
        ),
        "export_query": filters.query(),
        "bubble_query": filters.query(bubble=False),
    }


def health_export(*, user, filters: PortfolioFilters, today: date | None = None):
    """All rows of the health table with the page's filters and order (for the CSV)."""
    today = today or timezone.localdate()
    narrowed = filters.narrow(portfolio_scope(user=user))
    refresh_health(accounts=narrowed, today=today)
    accounts = apply_health(narrowed, bucket=filters.health)
    return health_table_all(accounts=accounts, filters=filters, today=today)


# ---- target attainment (CSV) ----------------------------------------------------------------


def target_attainment(*, user, filters: PortfolioFilters, today: date | None = None) -> list:
    """Every live target of the current plans in view, with its account's manager and director
    and its status by planning's rule: what a director needs for a team's bonus review. Two
    queries (targets with their latest measurement and people; the programme is cached)."""
    today = today or timezone.localdate()
    narrowed = filters.narrow(portfolio_scope(user=user))
    refresh_health(accounts=narrowed, today=today)
    accounts = apply_health(narrowed, bucket=filters.health)
    account = OuterRef("objective__plan__key_account")
    rows = (
        _with_latest_measurement(
            Target.objects.filter(
                objective__plan__is_current=True,
                objective__plan__key_account__in=accounts,
                archived_at__isnull=True,
            )
        )
        .select_related("objective__plan__key_account__customer")
        .annotate(
            manager_name=_person(Role.MANAGER, account),
            director_name=_person(Role.DIRECTOR, account),
        )
        .order_by("manager_name", "objective__plan__key_account__customer__name", "due_on", "pk")
    )
    result = []
    for target in rows:
        target.status = rules.target_status(
            baseline=target.baseline,
            target_value=target.target_value,
            baseline_on=target.baseline_on,
            due_on=target.due_on,
            actual=target.latest_actual,
            measured_on=target.latest_on,
            today=today,
        )
        result.append(target)
    return result
