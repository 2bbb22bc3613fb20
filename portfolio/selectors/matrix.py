"""The key account matrix: one mark per account in view (the largest few), with its last
class change."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Window
from django.utils import timezone

from accounts.models import AccountEvent, KeyAccount
from common.compiled import CompiledPerKey
from discovery.models import ProfitabilityYear
from discovery.selectors import NET_PROFIT
from planning.models import AccountPlan

from .base import MONEY, SCOPES_KEPT, scope_key
from .health import bucket_of

MATRIX_LIMIT = 40  # more marks than this stop being readable; the rest are counted
CLASS_CHANGE_DAYS = 365


def matrix_accounts(
    *, accounts: QuerySet[KeyAccount], bubble: str, today: date, year: int
) -> tuple[list[KeyAccount], int, dict[int, AccountEvent]]:
    """The MATRIX_LIMIT largest accounts (by the bubble measure) that have both scores, how
    many scored accounts were left out, and each plotted account's latest class change within
    the last year. Profit bubbles are the net profit of `year`, the dashboard's performance
    year, for every account alike: an account that has already entered a later year is not
    compared on it with accounts that have not."""
    plotted = _PLOTTED.rows(
        (scope_key(accounts), bubble == "profit", year, MATRIX_LIMIT),
        lambda _ids: _plotted(accounts=accounts, bubble=bubble, year=year),
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


# The plotted accounts, compiled once per account scope (its SQL and parameters), bubble
# measure and year (bench/README.md, finding 52).
_PLOTTED = CompiledPerKey(maxsize=SCOPES_KEPT)


def _plotted(*, accounts: QuerySet[KeyAccount], bubble: str, year: int) -> QuerySet[KeyAccount]:
    latest = ProfitabilityYear.objects.filter(key_account=OuterRef("pk"), year=year).annotate(
        net=NET_PROFIT
    )
    scored = accounts.filter(
        customer__attractiveness_score__isnull=False, customer__strength_score__isnull=False
    ).annotate(
        latest_profit=Subquery(latest.values("net")[:1], output_field=MONEY),
        latest_profit_year=Subquery(latest.values("year")[:1]),
        # Unordered: AccountPlan's default order would join the account and its customer
        # into the subquery for nothing (one plan is current).
        health_score=Subquery(
            AccountPlan.objects.filter(key_account=OuterRef("pk"), is_current=True)
            .order_by()
            .values("health_score")[:1]
        ),
    )
    measure = "latest_profit" if bubble == "profit" else "customer__annual_revenue"
    return (
        scored.select_related("customer")
        # What the marks, their list and the PDF read: every account in view goes through the
        # window and the sort, which carried every text column of account and customer
        # (bench/README.md, finding 45).
        .only(
            "classification",
            "customer__name",
            "customer__annual_revenue",
            "customer__attractiveness_score",
            "customer__strength_score",
        )
        # Every row carries the number of scored accounts (the window runs before the LIMIT),
        # so the page costs the same queries whether or not some are left out.
        .annotate(scored_total=Window(Count("pk")))
        .order_by(F(measure).desc(nulls_last=True), "customer__name", "pk")[:MATRIX_LIMIT]
    )
