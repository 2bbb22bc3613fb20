"""Revenue and net profit against target, the concentration curve and the lifetime value
ranking."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Power
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from common.compiled import CompiledPerKey
from discovery import services as discovery_services
from discovery.models import LifetimeValueAssumption, ProfitabilityYear
from discovery.selectors import NET_PROFIT
from planning import rules
from planning.models import Target
from planning.selectors import money_targets

from .base import MONEY, SCOPES_KEPT, scope_key

PERFORMANCE_ROWS = 20
CLV_ROWS = 10
TARGET_RULE = _(
    "Targets: each account's live revenue and net profit targets in its current plan, by the "
    "kind and unit their team chose in the plan editor (never guessed from the KPI's name). A "
    "target covers the year of its due date and is compared only with that year's revenue or "
    "net profit, never with another year's; while that year has no figures it says so. If an "
    "account has several of one kind, the one covering the year shown counts, else the one due "
    "last. Targets are summed per year and currency, and compared with the accounts' figures "
    "(kept in the programme's currency) only in that currency and only for the accounts that "
    "reported the target's year."
)
YEAR_RULE = _(
    "Years compared: the latest complete year (one for which every account in view has "
    "profitability figures) against the year before, unless you pick a year. A year that not "
    "every account has reported says so (e.g. “2026: 1 of 12 accounts reported”), and its "
    "change is worked out like for like, over the accounts with figures for both years."
)
CLV_RULE = _(
    # xgettext:no-python-format
    "Customer lifetime value as on the account's Profitability page: net present value of the "
    "expected yearly profits (saved assumptions, or 3 % growth, 8 % discount rate, 5 years), "
    "starting from the entered base profit or the latest year's net profit."
)


def year_coverage(*, accounts: QuerySet[KeyAccount]) -> dict[int, int]:
    """How many accounts in view have profitability figures for each year, newest first (an
    account has one row a year at most, `one_row_per_year`: rows are accounts, no DISTINCT)."""
    rows = _COVERAGE.rows(
        scope_key(accounts),
        lambda _ids: (
            ProfitabilityYear.objects.filter(key_account__in=accounts)
            .values("year")
            .annotate(n=Count("pk"))
            .order_by("-year")
        ),
    )
    return {row["year"]: row["n"] for row in rows}


# The performance section's statements, compiled once per account scope (its SQL and
# parameters) and year: building and compiling them was ~1–1.5 ms each a request for the
# larger ones (bench/README.md, finding 52).
_COVERAGE = CompiledPerKey(maxsize=SCOPES_KEPT)
_TARGET_SUMS = CompiledPerKey(maxsize=SCOPES_KEPT)
_CONCENTRATION = CompiledPerKey(maxsize=SCOPES_KEPT)


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


def _targets(kind: str, year: int):
    """See TARGET_RULE: the account's (OuterRef pk) target of `kind` covering `year`, else the
    one due last."""
    return (
        money_targets()
        .filter(objective__plan__key_account=OuterRef("pk"), kind=kind)
        .order_by(Case(When(covers_year=year, then=Value(0)), default=Value(1)), "-due_on", "-pk")
    )


def _year_row(year: int) -> FilteredRelation:
    """The account's profitability row of `year` (one at most, `one_row_per_year`)."""
    return FilteredRelation("profitability_years", condition=Q(profitability_years__year=year))


def _money(path: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(path), output_field=MONEY)


def _with_performance(accounts: QuerySet[KeyAccount], year: int) -> QuerySet[KeyAccount]:
    revenue = _targets(Target.Kind.REVENUE, year)
    profit = _targets(Target.Kind.NET_PROFIT, year)
    # This year's row is a LEFT JOIN (one row at most, `one_row_per_year`), not a subquery
    # per column: the rows' sort key, this year's net profit, was an index probe for every
    # account in view. The year before stays a subquery, which PostgreSQL runs only for the
    # rows kept after the sort (bench/README.md, finding 45).
    return accounts.annotate(year_now=_year_row(year)).annotate(
        sales_now=_money("year_now__gross_sales"),
        sales_before=_year_value(year - 1, "gross_sales"),
        # discovery.selectors.NET_PROFIT's column, read through the join.
        profit_now=_money("year_now__stored_net_profit"),
        profit_before=_year_value(year - 1, "net"),
        revenue_target=Subquery(revenue.values("target_value")[:1], output_field=MONEY),
        revenue_target_currency=Subquery(revenue.values("currency")[:1]),
        revenue_target_year=Subquery(revenue.values("covers_year")[:1]),
        revenue_target_made=Subquery(revenue.values("made")[:1], output_field=MONEY),
        profit_target=Subquery(profit.values("target_value")[:1], output_field=MONEY),
        profit_target_currency=Subquery(profit.values("currency")[:1]),
        profit_target_year=Subquery(profit.values("covers_year")[:1]),
        profit_target_made=Subquery(profit.values("made")[:1], output_field=MONEY),
    )


@lru_cache(maxsize=4)
def _every_performance_column(year: int) -> QuerySet[KeyAccount]:
    """Every key account with its performance columns for `year`, built once per process and
    year; the page narrows it to the accounts in view (`pk__in`, a semi-join). Building the
    eight column subqueries cost ~3 ms of CPU a request, and the health filter's scope inside
    one IN is cheaper for PostgreSQL than beside them (bench/README.md, finding 37). A
    queryset is never changed by the filters applied to it; this one is never evaluated."""
    # Only what the table and the CSV show: the accounts in view go through the joins and
    # the sort with these columns, not every text column of account and customer (finding 45).
    return (
        _with_performance(KeyAccount.objects.all(), year)
        .select_related("customer")
        .only("customer__name", "customer__reference")
    )


def target_sums(*, accounts: QuerySet[KeyAccount], year: int, currency: str) -> dict[str, list]:
    """Revenue and net profit targets (by kind), each summed per year covered and currency
    (see TARGET_RULE), earliest year first and the programme's currency first within a year:
    how many accounts have one, their sum, and — in the programme's currency — the sum of the
    targets of the accounts that reported the target's year against what those accounts made
    that year (gross sales for revenue, net profit for profit).

    One query over the candidate targets of both kinds (planning.selectors.money_targets,
    with what their account made in the year each covers): each account's target of a kind is
    picked here as the table's row picks it (the one covering `year`, else the one due last),
    so that the sums are the totals of the table's target columns."""
    targets = _TARGET_SUMS.rows(
        (scope_key(accounts), year), lambda _ids: _candidate_targets(accounts, year)
    )
    chosen: dict[str, dict[int, tuple]] = {
        Target.Kind.REVENUE: {},
        Target.Kind.NET_PROFIT: {},
    }
    for account_id, kind, covers, code, value, made in targets:
        # The first of an account's kind is the one the table shows.
        chosen[kind].setdefault(account_id, (covers, code, value, made))
    return {kind: _summed(chosen[kind], currency) for kind in chosen}


def _candidate_targets(accounts: QuerySet[KeyAccount], year: int) -> QuerySet[Target]:
    return (
        money_targets()
        .filter(objective__plan__key_account__in=accounts)
        .order_by(
            "objective__plan__key_account_id",
            "kind",
            Case(When(covers_year=year, then=Value(0)), default=Value(1)),
            "-due_on",
            "-pk",
        )
        .values_list(
            "objective__plan__key_account_id",
            "kind",
            "covers_year",
            "currency",
            "target_value",
            "made",
        )
    )


def _summed(chosen: dict, currency: str) -> list[dict]:
    sums: dict[tuple[int, str], dict] = {}
    for year, code, value, made in chosen.values():
        item = sums.setdefault(
            (year, code),
            {
                "year": year,
                "currency": code,
                "accounts": 0,
                "target": Decimal(0),
                "compared": code == currency,
                "reported": 0,
                "target_reported": Decimal(0),
                "actual": Decimal(0),
            },
        )
        item["accounts"] += 1
        item["target"] += value
        if code == currency and made is not None:
            item["reported"] += 1
            item["target_reported"] += value
            item["actual"] += Decimal(made)
    for item in sums.values():
        item["attainment"] = (
            rules.target_reached_percent(item["target_reported"], item["actual"])
            if item["reported"]
            else None
        )
    return sorted(
        sums.values(),
        key=lambda item: (item["year"], item["currency"] != currency, item["currency"]),
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
    currency: str = "EUR",
) -> dict:
    """Revenue and net profit of `year` (see YEAR_RULE; None: the latest complete year)
    against the year before, per account and in total, with the concentration of that year."""
    coverage = year_coverage(accounts=accounts)
    year = performance_year(
        coverage=coverage, accounts_total=accounts_total, today=today, chosen=year
    )
    rows = _PERFORMANCE_ROWS.rows(
        (scope_key(accounts), year, row_limit),
        lambda _ids: (
            _every_performance_column(year)
            .filter(pk__in=accounts)
            .order_by(F("profit_now").desc(nulls_last=True), "customer__name", "pk")[:row_limit]
        ),
    )
    for row in rows:
        row.sales_change = _change(row.sales_now, row.sales_before)
        row.profit_change = _change(row.profit_now, row.profit_before)
    zero = Value(Decimal(0))
    now_q, before_q = Q(year=year), Q(year=year - 1)
    figures = ProfitabilityYear.objects.filter(key_account__in=accounts)
    # Like for like: a year's row counts in the change only when its account has both years,
    # i.e. two of the rows aggregated (one row per account and year, `one_row_per_year`),
    # counted by a window over each account's rows: five hashed IN subqueries before
    # (bench/README.md, findings 33 and 41).
    both = Q(years_of_account=2)
    now_both, before_both = now_q & both, before_q & both
    totals = (
        figures.filter(year__in=[year, year - 1])
        .annotate(years_of_account=Window(Count("pk"), partition_by=F("key_account_id")))
        .aggregate(
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
    )
    by_kind = target_sums(accounts=accounts, year=year, currency=currency)
    totals["revenue_targets"] = by_kind[Target.Kind.REVENUE]
    totals["profit_targets"] = by_kind[Target.Kind.NET_PROFIT]
    totals["accounts"] = accounts_total
    totals["sales_change"] = _change(totals["like_sales_now"], totals["like_sales_before"])
    totals["profit_change"] = _change(totals["like_profit_now"], totals["like_profit_before"])
    # The change is over every account in view only when all of them have both years.
    totals["like_for_like"] = totals["compared"] < accounts_total
    covered = [
        {
            "year": y,
            "reported": n,
            "complete": n >= accounts_total,
            # Counted on who reported: French agrees the verb with it ("1 compte sur 12 a
            # déclaré"), which the total chose before ("1 comptes sur 12 ont déclaré").
            "label": ngettext(
                "%(year)s: %(reported)s account of %(total)s reported",
                "%(year)s: %(reported)s accounts of %(total)s reported",
                n,
            )
            % {"year": y, "reported": n, "total": accounts_total},
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


# The performance rows and the lifetime value ranking, compiled once per account scope (its
# SQL and parameters) and year: ~1.3 ms each a request (bench/README.md, finding 52).
_PERFORMANCE_ROWS = CompiledPerKey(maxsize=SCOPES_KEPT)
_PROGRAMME_PROFIT = CompiledPerKey(maxsize=4)
_LIFETIME_RANKING = CompiledPerKey(maxsize=SCOPES_KEPT)


PROGRAMME_TARGET_RULE = _(
    "Programme target: set on the programme page by programme admins; compared with the net "
    "profit of every active key account for the target's year (whatever the filters), over "
    "the accounts that have reported it."
)


def programme_profit_target(*, programme, active_accounts: int) -> dict | None:
    """The programme's net profit target against the net profit of its year of the
    `active_accounts` active key accounts (their number, which the caller has counted; see
    PROGRAMME_TARGET_RULE); None when no target is set."""
    if programme.net_profit_target is None or programme.net_profit_target_year is None:
        return None
    year, target = programme.net_profit_target_year, programme.net_profit_target
    # As a one-row `values()` statement (grouped by a constant: no GROUP BY, one row even
    # for no figures), compiled once per year (bench/README.md, finding 52).
    [figures] = _PROGRAMME_PROFIT.rows(
        year,
        lambda _ids: (
            ProfitabilityYear.objects.filter(key_account__in=KeyAccount.objects.active(), year=year)
            .order_by()
            .annotate(one=Value(1, output_field=IntegerField()))
            .values("one")
            .annotate(net=Sum(NET_PROFIT, output_field=MONEY), reported=Count("pk"))
        ),
    )
    total = active_accounts
    net = figures["net"] or Decimal(0)
    return {
        "year": year,
        "target": target,
        "net": net,
        "reported": figures["reported"],
        "accounts": total,
        "complete": figures["reported"] >= total,
        "attainment": (net / target * 100).quantize(Decimal("0.1")) if target > 0 else None,
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
        for p in _CONCENTRATION.rows(
            (scope_key(accounts), year),
            lambda _ids: (
                ProfitabilityYear.objects.filter(key_account__in=accounts, year=year)
                .annotate(net=NET_PROFIT)
                .order_by("-net")
                .values_list("net", flat=True)
            ),
        )
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
            "label": ngettext("Top %(count)s account", "Top %(count)s accounts", k) % {"count": k},
            "accounts": min(k, n),
            "share": share(k),
        }
        for k in CONCENTRATION_TOPS
    ]
    top_share = max(1, math.ceil(n * CONCENTRATION_SHARE / 100)) if n else 0
    tops.append(
        {
            "label": gettext("Top %(share)s %% of accounts") % {"share": CONCENTRATION_SHARE},
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


@lru_cache(maxsize=1)
def _every_lifetime_key() -> QuerySet[KeyAccount]:
    """Every key account with the closed-form lifetime value it is ranked by, built once per
    process (its ~15 expressions cost ~3 ms of CPU a request; bench/README.md, finding 37);
    the ranking narrows it to the accounts in view. Never evaluated itself."""
    defaults = {
        name: LifetimeValueAssumption._meta.get_field(name).default
        for name in ("growth_rate_percent", "discount_rate_percent", "horizon_years")
    }
    # The saved assumptions are one row per account at most: a join, not five subqueries.
    saved = "lifetime_value_assumption__"
    latest = (
        ProfitabilityYear.objects.filter(key_account=OuterRef("pk"))
        .annotate(net=NET_PROFIT)
        .order_by("-year")
    )
    return (
        KeyAccount.objects.annotate(
            clv_latest_net=Subquery(latest.values("net")[:1], output_field=MONEY),
        )
        .annotate(
            clv_base=Coalesce(F(f"{saved}base_profit"), F("clv_latest_net"), output_field=MONEY),
            clv_base_year=Subquery(latest.values("year")[:1]),
            # The base is the entered one only when the team typed a base profit; saved
            # growth or discount rates alone still start from the computed net profit.
            clv_entered=ExpressionWrapper(
                Q(**{f"{saved}base_profit__isnull": False}), output_field=BooleanField()
            ),
            clv_g=Coalesce(
                F(f"{saved}growth_rate_percent"),
                Value(defaults["growth_rate_percent"]),
                output_field=DecimalField(max_digits=5, decimal_places=2),
            ),
            clv_r=Coalesce(
                F(f"{saved}discount_rate_percent"),
                Value(defaults["discount_rate_percent"]),
                output_field=DecimalField(max_digits=5, decimal_places=2),
            ),
            clv_n=Coalesce(
                F(f"{saved}horizon_years"),
                Value(defaults["horizon_years"]),
                output_field=IntegerField(),
            ),
        )
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
        .only("customer__name")  # the list shows the name (finding 45)
    )


def lifetime_value_ranking(*, accounts: QuerySet[KeyAccount]) -> list[dict]:
    """Top CLV_ROWS accounts by lifetime value (see CLV_RULE).

    The database ranks every account with the closed form of the same sum,
    base / (1 + r) × (1 − q^N) / (1 − q) with q = (1 + g) / (1 + r); the few best candidates
    are then computed exactly (cent rounding per year) by discovery.services.lifetime_value.
    """

    def ranked(_ids):
        return (
            _every_lifetime_key()
            .filter(pk__in=accounts)
            .order_by(F("clv_approx").desc(nulls_last=True), "pk")[: CLV_ROWS + 5]
        )

    # An account with no base (no figures, none entered) has no value; its NULL key sorts
    # last, so it is dropped here rather than by a filter in the query: PostgreSQL would
    # evaluate the latest-net subquery for every account twice, in the filter and the key.
    # CLV_ROWS + 5: a margin for cent rounding near the cut.
    candidates = _LIFETIME_RANKING.rows((scope_key(accounts), CLV_ROWS), ranked)
    result = []
    for account in candidates:
        if account.clv_base is None:
            continue
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
                "entered": account.clv_entered,
                # The latest recorded year's computed net profit, shown beside an entered base
                # so that nobody reads the entered figure as a recorded one.
                "latest_year": account.clv_base_year,
                "latest_net": account.clv_latest_net,
                "growth": account.clv_g,
                "discount": account.clv_r,
                "years": account.clv_n,
            }
        )
    result.sort(key=lambda item: (-item["npv"], item["account"].pk))
    return result[:CLV_ROWS]
