"""One key account at a glance, before a call: its plan and health with the reasons, revenue
and net profit by year, open pipeline, next meeting, overdue actions and target status.

Every figure comes from the stage that owns it (planning's health and target rules,
discovery's profitability years and net profit, opportunities' open statuses, delivery's
meetings); this module only gathers them, in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import KeyAccount
from delivery.models import Meeting
from discovery.models import ProfitabilityYear
from discovery.selectors import profitability_rows
from opportunities.selectors import open_opportunities
from outcomes.models import CustomerIssue
from outcomes.selectors import ValueYear, value_by_account
from planning import rules
from planning.models import Action, Target
from planning.selectors import (
    current_plan,
    health_for_plans,
    overdue_actions_q,
    targets_with_status,
)

TREND_YEARS = 4  # the latest few years of the profitability page, oldest first
PIPELINE_SHOWN = 3
OVERDUE_SHOWN = 5
ISSUES_SHOWN = 3


@dataclass
class YearFigures:
    year: int
    revenue: Decimal
    net_profit: Decimal
    revenue_change: Decimal | None  # percent against the year before, when there is one
    net_profit_change: Decimal | None


def _change(now: Decimal, before: Decimal | None) -> Decimal | None:
    if before is None or before == 0:
        return None
    return ((now - before) / abs(before) * 100).quantize(Decimal("0.1"))


def year_trend(rows: list[ProfitabilityYear]) -> list[YearFigures]:
    """Revenue (gross sales) and net profit (gross margin − cost to serve, discovery's one
    definition) of the latest TREND_YEARS years, each with its change on the year before:
    the calendar year before, as the portfolio compares them. A year whose year before was
    not recorded has no change (it is not compared with an older year across the gap)."""
    trend = []
    previous = None
    for row in rows:
        before = previous if previous is not None and previous.year == row.year - 1 else None
        previous = row
        trend.append(
            YearFigures(
                year=row.year,
                revenue=row.gross_sales,
                net_profit=row.net_profit,
                revenue_change=_change(row.gross_sales, before and before.gross_sales),
                net_profit_change=_change(row.net_profit, before and before.net_profit),
            )
        )
    return trend[-TREND_YEARS:]


def plan_targets(plan, today: date) -> list[Target]:
    """The plan's live targets, each with its status by planning's target rule (one query)."""
    return targets_with_status([plan.pk], today=today)


def account_overview(*, account: KeyAccount, today: date, now=None) -> dict:
    """What the overview page shows (`today` is the reader's own date, for "overdue")."""
    now = now or timezone.now()
    plan = current_plan(account=account)
    health = health_for_plans([plan], today=today)[plan.pk] if plan else None
    targets = plan_targets(plan, today) if plan else []
    target_counts = {key: 0 for key in rules.STATUS_LABELS}
    for target in targets:
        target_counts[target.status.status] += 1
    overdue = (
        Action.objects.filter(overdue_actions_q(today), plan=plan)
        .select_related("owner")
        .order_by("due_on", "pk")
        if plan
        else Action.objects.none()
    )
    overdue_list = list(overdue[: OVERDUE_SHOWN + 1]) if plan else []
    opportunities = open_opportunities(account=account)
    pipeline = opportunities.order_by().aggregate(
        count=Count("pk"), value=Sum("annual_value"), profit=Sum("profit_potential")
    )
    next_meeting = (
        Meeting.objects.filter(key_account=account, cancelled_at__isnull=True, ends_at__gte=now)
        .order_by("starts_at", "pk")
        .first()
    )
    # Open customer issues, most severe and earliest due first (one query; counted in Python).
    severity_rank = {s: i for i, s in enumerate(reversed(CustomerIssue.Severity.values))}
    open_issues = sorted(
        CustomerIssue.objects.filter(
            key_account=account, status__in=CustomerIssue.OPEN_STATUSES
        ).select_related("owner"),
        key=lambda i: (severity_rank[i.severity], i.due_on, i.pk),
    )
    return {
        "plan": plan,
        "health": health,
        "value": value_by_account(account_ids=[account.pk], year=today.year).get(
            account.pk, ValueYear(today.year)
        ),
        "issues": {
            "count": len(open_issues),
            "high": sum(1 for i in open_issues if i.severity in CustomerIssue.HIGH_SEVERITIES),
            "overdue": sum(1 for i in open_issues if i.due_on < today),
            "top": open_issues[:ISSUES_SHOWN],
        },
        # The deductions, biggest first: why the score is what it is.
        "health_reasons": sorted(
            (r for r in health.rules if r.points), key=lambda r: (-r.points, r.label)
        )
        if health
        else [],
        "targets": targets,
        "target_counts": [(rules.STATUS_LABELS[key], n) for key, n in target_counts.items() if n],
        "overdue": overdue_list[:OVERDUE_SHOWN],
        "overdue_count": overdue.count()
        if len(overdue_list) > OVERDUE_SHOWN
        else len(overdue_list),
        "years": year_trend(profitability_rows(account)),
        "pipeline": {
            "count": pipeline["count"],
            "value": pipeline["value"] or Decimal("0"),
            "profit": pipeline["profit"] or Decimal("0"),
            # The highest priority first (the opportunities page's order), not the largest.
            "top": list(opportunities[:PIPELINE_SHOWN]) if pipeline["count"] else [],
            "more": max(pipeline["count"] - PIPELINE_SHOWN, 0),
        },
        "next_meeting": next_meeting,
        "rules": {
            "target_status": rules.TARGET_STATUS_RULE,
            "overdue": rules.OVERDUE_RULE,
        },
    }
