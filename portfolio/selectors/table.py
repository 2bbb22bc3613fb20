"""The health table: one row per key account in view, sorted in the database where it can
be and paged; the CSV reads every row."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from accounts.models import Classification, KeyAccount, Programme, RelationshipStage, Role
from outcomes.models import CustomerIssue, ValueDelivered
from planning import rules
from planning.models import AccountPlan, Action, EngagementActivity, HealthRecord
from planning.selectors import with_last_review
from workspace.selectors import latest_satisfaction

from .base import person_with_role
from .health import HEALTH_BUCKET_LABELS, TREND_DAYS, bucket_of
from .reasons import Why, why_off_track
from .scope import PAGE_SORTS, PortfolioFilters

PAGE_SIZE = 25


def _count(queryset, account_path: str) -> Coalesce:
    counted = queryset.order_by().values(account_path).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _ranked(values) -> Case:
    return Case(
        *[When(then=Value(i), **cond) for i, cond in values],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def _money(queryset) -> Coalesce:
    summed = (
        queryset.order_by().values("key_account").annotate(total=Sum("amount")).values("total")[:1]
    )
    money = DecimalField(max_digits=16, decimal_places=2)
    return Coalesce(Subquery(summed, output_field=money), Value(0), output_field=money)


def table_queryset(accounts: QuerySet[KeyAccount], *, today: date) -> QuerySet[KeyAccount]:
    """One row per account with everything the health table shows and sorts on. Value
    delivered: money entries of this calendar year in the programme's currency."""
    account = OuterRef("pk")
    value = ValueDelivered.objects.filter(
        key_account=account,
        delivered_on__year=today.year,
        measure=ValueDelivered.Measure.MONEY,
        currency=Subquery(Programme.objects.order_by("pk").values("currency")[:1]),
    )
    current = AccountPlan.objects.filter(key_account=account, is_current=True)
    actions = Action.objects.filter(
        plan__key_account=account, plan__is_current=True, status__in=Action.OPEN_STATUSES
    )
    engagements = EngagementActivity.objects.filter(
        plan__key_account=account, plan__is_current=True
    )
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
            director_name=person_with_role(Role.DIRECTOR),
            manager_name=person_with_role(Role.MANAGER),
            plan_id=Subquery(current.values("pk")[:1]),
            health_score=Subquery(current.values("health_score")[:1]),
            health_before=Subquery(earlier.values("score")[:1]),
            health_before_on=Subquery(earlier.values("recorded_on")[:1]),
            plan_period=Subquery(current.values("period")[:1]),
            plan_status=Subquery(current.values("status")[:1]),
            last_approved_at=Subquery(current.values("approved_at")[:1]),
            # Planning's one meaning of "last review" (review or approval, whichever is later).
            last_review_at=Subquery(with_last_review(current).values("last_reviewed_at")[:1]),
            overdue_actions=_count(actions.filter(due_on__lt=today), "plan__key_account"),
            engagement_total=_count(engagements, "plan__key_account"),
            engagement_missed=_count(
                engagements.filter(next_due_on__lt=today), "plan__key_account"
            ),
            value_delivered_year=_money(value),
            value_confirmed_year=_money(value.filter(status=ValueDelivered.Status.CONFIRMED)),
            issues_open_high=_count(
                CustomerIssue.objects.filter(
                    key_account=account,
                    status__in=CustomerIssue.OPEN_STATUSES,
                    severity__in=CustomerIssue.HIGH_SEVERITIES,
                ),
                "key_account",
            ),
            satisfaction=latest_satisfaction(account),
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
    "satisfaction": ["satisfaction", "customer__name"],
    "health": ["health_rank", "customer__name"],
    "change": ["health_change", "customer__name"],
    "value": ["value_confirmed_year", "customer__name"],
    "issues": ["issues_open_high", "customer__name"],
}


def _order(sort: str) -> list:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    first, *rest = DB_SORTS.get(key, DB_SORTS["account"])
    expr = F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_last=True)
    return [expr, *rest, "pk"]


def _decorate(rows: list[KeyAccount], *, today: date) -> list[KeyAccount]:
    """Target counts by planning's rule, and the "why" each row expands to (two queries)."""
    reasons = why_off_track([r.plan_id for r in rows if r.plan_id], today)
    for row in rows:
        row.why = reasons.get(row.plan_id) or Why()
        row.on_track = row.why.counts.get(rules.ON_TRACK, 0)
        row.at_risk = row.why.counts.get(rules.AT_RISK, 0)
        row.off_track = row.why.counts.get(rules.OFF_TRACK, 0)
        row.health_bucket = bucket_of(row.health_score)
        row.health_bucket_label = HEALTH_BUCKET_LABELS[row.health_bucket]
        row.plan_status_label = (
            AccountPlan.Status(row.plan_status).label if row.plan_status else gettext("No plan")
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
