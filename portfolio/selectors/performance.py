"""Revenue and net profit against target, the concentration curve and the lifetime value
ranking."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Power

from accounts.models import KeyAccount
from discovery import services as discovery_services
from discovery.models import LifetimeValueAssumption, ProfitabilityYear
from discovery.selectors import NET_PROFIT
from planning.models import Target

from .base import MONEY

PERFORMANCE_ROWS = 20
CLV_ROWS = 10
TARGET_RULE = (
    "Target: from the account's current plan, the target whose KPI mentions “revenue” or "
    "“sales” (for revenue) or “profit” (for net profit) and whose unit is not a percentage; "
    "if there are several, the one due last. Accounts without such a target show “no target”."
)
YEAR_RULE = (
    "Years compared: the latest complete year (one for which every account in view has "
    "profitability figures) against the year before, unless you pick a year. A year that not "
    "every account has reported says so (e.g. “2026: 1 of 12 accounts reported”), and its "
    "change is worked out like for like, over the accounts with figures for both years."
)
CLV_RULE = (
    "Customer lifetime value as on the account's Profitability page: net present value of the "
    "expected yearly profits (saved assumptions, or 3 % growth, 8 % discount rate, 5 years), "
    "starting from the entered base profit or the latest year's net profit."
)


def year_coverage(*, accounts: QuerySet[KeyAccount]) -> dict[int, int]:
    """How many accounts in view have profitability figures for each year, newest first."""
    rows = (
        ProfitabilityYear.objects.filter(key_account__in=accounts)
        .values("year")
        .annotate(n=Count("key_account", distinct=True))
        .order_by("-year")
    )
    return {row["year"]: row["n"] for row in rows}


def performance_year(
    *, coverage: dict[int, int], accounts_total: int, today: date, chosen: int | None = None
) -> int:
    """See YEAR_RULE. Without a complete year (an account has no figures at all yet), the
    latest of the best-covered years up to this one; its coverage is shown beside it."""
    if chosen in coverage:
        return chosen
    past = {year: n for year, n in coverage.items() if year <= today.year}
    complete = [year for year, n in past.items() if n >= accounts_total]
    if complete:
        return max(complete)
    if past:
        return max(past, key=lambda year: (past[year], year))
    return today.year


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


def performance(
    *,
    accounts: QuerySet[KeyAccount],
    accounts_total: int,
    today: date,
    year: int | None = None,
    row_limit: int | None = PERFORMANCE_ROWS,
) -> dict:
    """Revenue and net profit of `year` (see YEAR_RULE; None: the latest complete year)
    against the year before, per account and in total, with the concentration of that year."""
    coverage = year_coverage(accounts=accounts)
    year = performance_year(
        coverage=coverage, accounts_total=accounts_total, today=today, chosen=year
    )
    annotated = _with_performance(accounts, year)
    rows = list(
        annotated.select_related("customer").order_by(
            F("profit_now").desc(nulls_last=True), "customer__name", "pk"
        )[:row_limit]
    )
    for row in rows:
        row.sales_change = _change(row.sales_now, row.sales_before)
        row.profit_change = _change(row.profit_now, row.profit_before)
    zero = Value(Decimal(0))
    now_q, before_q = Q(year=year), Q(year=year - 1)
    figures = ProfitabilityYear.objects.filter(key_account__in=accounts)
    # Like for like: a year's row counts in the change only when its account has both years.
    reported_now = figures.filter(now_q).values("key_account_id")
    reported_before = figures.filter(before_q).values("key_account_id")
    now_both = now_q & Q(key_account__in=reported_before)
    before_both = before_q & Q(key_account__in=reported_now)
    totals = figures.filter(year__in=[year, year - 1]).aggregate(
        sales_now=Coalesce(Sum("gross_sales", filter=now_q), zero, output_field=MONEY),
        sales_before=Coalesce(Sum("gross_sales", filter=before_q), zero, output_field=MONEY),
        profit_now=Coalesce(Sum(NET_PROFIT, filter=now_q), zero, output_field=MONEY),
        profit_before=Coalesce(Sum(NET_PROFIT, filter=before_q), zero, output_field=MONEY),
        like_sales_now=Sum("gross_sales", filter=now_both),
        like_sales_before=Sum("gross_sales", filter=before_both),
        like_profit_now=Sum(NET_PROFIT, filter=now_both),
        like_profit_before=Sum(NET_PROFIT, filter=before_both),
        with_figures=Count("pk", filter=now_q),
        with_before=Count("pk", filter=before_q),
        compared=Count("pk", filter=now_both),
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
    totals["sales_change"] = _change(totals["like_sales_now"], totals["like_sales_before"])
    totals["profit_change"] = _change(totals["like_profit_now"], totals["like_profit_before"])
    # The change is over every account in view only when all of them have both years.
    totals["like_for_like"] = totals["compared"] < accounts_total
    plural = "s" if accounts_total != 1 else ""
    covered = [
        {
            "year": y,
            "reported": n,
            "complete": n >= accounts_total,
            "label": f"{y}: {n} of {accounts_total} account{plural} reported",
        }
        for y, n in coverage.items()
    ]
    return {
        "year": year,
        "previous_year": year - 1,
        "complete": coverage.get(year, 0) >= accounts_total,
        "coverage": covered,
        "partial_years": [c["label"] for c in covered if c["year"] > year and not c["complete"]],
        "rows": rows,
        "more": max(totals["accounts"] - len(rows), 0),
        "totals": totals,
        "concentration": concentration(accounts=accounts, year=year, accounts_total=accounts_total),
        "lifetime_values": lifetime_value_ranking(accounts=accounts),
    }


CONCENTRATION_TOPS = (1, 3, 5)
CONCENTRATION_SHARE = 20  # per cent of accounts: the 80/20 the programme exists for


def concentration(
    *, accounts: QuerySet[KeyAccount], year: int, accounts_total: int | None = None
) -> dict:
    """Share of the year's total net profit earned by the top 1, 3, 5 accounts and by the top
    20 % of accounts (rounded up). Above 100 % means the other accounts lose money together.
    Over the accounts with figures for `year`: `complete` says whether that is every account
    in view (`accounts_total`)."""
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
    in_view = n if accounts_total is None else accounts_total
    return {
        "year": year,
        "accounts": n,
        "in_view": in_view,
        "complete": n >= in_view,
        "total": total,
        "tops": tops,
        "curve": curve,
    }


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
