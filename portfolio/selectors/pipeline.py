"""The opportunity pipeline by quarter of expected start, open and won."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils.translation import gettext

from accounts.models import KeyAccount
from opportunities import selectors as opportunity_selectors
from opportunities import services as opportunity_services
from opportunities.models import Opportunity, Quadrant

from .base import MONEY

QUARTERS_BACK, QUARTERS_AHEAD = 2, 5


def _quarter_index(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


def pipeline(*, accounts: QuerySet[KeyAccount], today: date) -> dict:
    """Opportunity value by status × lever (opportunities' own totals), by expected quarter,
    quick wins delivered, won and lost — three aggregate queries."""
    opportunities = Opportunity.objects.filter(key_account__in=accounts)
    totals = opportunity_selectors.pipeline_totals(opportunities=opportunities)
    by_status = dict(zip(Opportunity.Status.values, totals["rows"], strict=True))
    open_q = Q(status__in=opportunity_services.OPEN_STATUSES)
    won_q = Q(status=Opportunity.Status.WON)
    quick_q = Q(quadrant=Quadrant.QUICK_WIN)
    # One pass over the opportunities for the quarters and the quick wins (summed below).
    rows = list(
        opportunities.order_by()
        .annotate(y=ExtractYear("expected_start_on"), q=ExtractQuarter("expected_start_on"))
        .values("y", "q")
        .annotate(
            open=Coalesce(
                Sum("annual_value", filter=open_q), Value(Decimal(0)), output_field=MONEY
            ),
            won=Coalesce(Sum("annual_value", filter=won_q), Value(Decimal(0)), output_field=MONEY),
            quick_delivered=Count("pk", filter=quick_q & won_q),
            quick_delivered_value=Coalesce(
                Sum("annual_value", filter=quick_q & won_q), Value(Decimal(0)), output_field=MONEY
            ),
            quick_open=Count("pk", filter=quick_q & open_q),
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
            return gettext("Earlier")
        if key == "later":
            return gettext("Later")
        if key == "none":
            return gettext("No date")
        index = int(key)
        return gettext("Q%(quarter)s %(year)s") % {"quarter": index % 4 + 1, "year": index // 4}

    quarters = [
        {"label": label(key), "open": buckets[key]["open"], "won": buckets[key]["won"]}
        for key in order
        if key not in {"earlier", "later", "none"} or buckets[key]["open"] or buckets[key]["won"]
    ]
    quick = {
        "delivered": sum(row["quick_delivered"] for row in rows),
        "delivered_value": sum((row["quick_delivered_value"] for row in rows), Decimal(0)),
        "open": sum(row["quick_open"] for row in rows),
    }
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
