"""The opportunity pipeline by quarter of expected start, open and won."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.translation import gettext

from accounts.models import KeyAccount
from common.compiled import CompiledPerKey
from common.formats import half_up
from opportunities import selectors as opportunity_selectors
from opportunities import services as opportunity_services
from opportunities.models import Opportunity, Quadrant

from .base import SCOPES_KEPT, scope_key

QUARTERS_BACK, QUARTERS_AHEAD = 2, 5

# The one pass over the opportunities, compiled once per account scope (its SQL and
# parameters; bench/README.md, finding 52).
_GROUPS = CompiledPerKey(maxsize=SCOPES_KEPT)


def _quarter_index(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


def pipeline(*, accounts: QuerySet[KeyAccount], today: date) -> dict:
    """Opportunity value by status × lever (opportunities' own totals), by expected quarter,
    quick wins delivered, won and lost — one pass over the opportunities, grouped by status,
    lever, quarter and quick win (a few hundred rows however many opportunities)."""
    groups = _GROUPS.rows(
        scope_key(accounts),
        lambda _ids: (
            Opportunity.objects.filter(key_account__in=accounts)
            .order_by()
            .annotate(
                y=ExtractYear("expected_start_on"),
                q=ExtractQuarter("expected_start_on"),
                quick=ExpressionWrapper(
                    Q(quadrant=Quadrant.QUICK_WIN), output_field=BooleanField()
                ),
            )
            .values("status", "lever", "y", "q", "quick")
            .annotate(value=Sum("annual_value"), profit=Sum("profit_potential"), n=Count("pk"))
        ),
    )
    totals = opportunity_selectors.pipeline_totals_of_groups(groups)
    by_status = dict(zip(Opportunity.Status.values, totals["rows"], strict=True))
    open_statuses = set(opportunity_services.OPEN_STATUSES)
    won_status = Opportunity.Status.WON
    now = _quarter_index(today.year, (today.month - 1) // 3 + 1)
    buckets: dict[str, dict] = {}
    order = ["earlier"] + [str(now + k) for k in range(-QUARTERS_BACK, QUARTERS_AHEAD + 1)]
    order += ["later", "none"]
    for key in order:
        buckets[key] = {"open": Decimal(0), "won": Decimal(0)}
    quick = {"delivered": 0, "delivered_value": Decimal(0), "open": 0}
    for row in groups:
        is_open, is_won = row["status"] in open_statuses, row["status"] == won_status
        if row["quick"] and is_won:
            quick["delivered"] += row["n"]
            if row["value"] is not None:
                quick["delivered_value"] += row["value"]
        elif row["quick"] and is_open:
            quick["open"] += row["n"]
        if not (is_open or is_won):
            continue
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
        if row["value"] is not None:
            buckets[key]["open" if is_open else "won"] += row["value"]

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
    won, lost = by_status[Opportunity.Status.WON], by_status[Opportunity.Status.LOST]
    closed = won.count + lost.count
    return {
        "totals": totals,
        "quarters": quarters,
        "quick_wins": quick,
        "won": won,
        "lost": lost,
        # Halves up, as every percentage shown (5 won of 8 closed: 63 %, not 62 %).
        "win_rate": int(half_up(Decimal(100 * won.count) / closed)) if closed else None,
    }
