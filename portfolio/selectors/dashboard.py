"""The whole portfolio dashboard and its health CSV, assembled from the topic modules."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from accounts import permissions
from accounts.models import Programme
from common import charts
from outcomes.selectors import VALUE_RULE, value_of_accounts
from planning import rules
from planning.selectors import LAST_REVIEW_RULE

from ..matrix import key_account_matrix
from .base import cached, scope_key
from .health import HEALTH_BUCKET_RULE, TREND_RULE, apply_health, health_counts, refresh_health
from .matrix import matrix_accounts
from .performance import (
    CLV_RULE,
    PROGRAMME_TARGET_RULE,
    TARGET_RULE,
    YEAR_RULE,
    performance,
    programme_profit_target,
)
from .pipeline import pipeline
from .programme import WORKLOAD_RULE, programme_overview
from .reasons import WHY_RULE
from .scope import (
    SCOPE_RULE,
    SORT_LABELS,
    PortfolioFilters,
    filter_choices,
    portfolio_scope,
)
from .table import health_table_all, health_table_page

# The health table's columns: (sort keys, class of its cells). A column of several keys holds
# one figure a line, in this order, and its heading a sort link for each: 18 columns, one a
# figure, were 200 px wider than a 1280 px screen in English and 413 px in French (the
# confirmed value and the open issues off screen until the reader scrolled); 10 fit it.
TABLE_COLUMNS = [
    (("account",), ""),
    (("director", "manager"), "portfolio-team"),
    (("class", "stage"), ""),
    (("plan", "approved", "review"), ""),
    (("overdue",), "text-end"),
    (("on_track", "at_risk", "off_track"), ""),  # the plan's targets
    # Cadence kept, and the customer's average 1–5 rating in their latest joint review
    # (workspace app): how the relationship is kept, from our side and from theirs.
    (("cadence", "satisfaction"), "text-end"),
    (("health", "change"), "text-end"),
    # Value delivered this year that the customer confirmed (outcomes), and open high or
    # critical customer issues.
    (("value",), "text-end"),
    (("issues",), "text-end"),
]


def table_columns() -> list[dict]:
    """TABLE_COLUMNS with each sort key's label, in the reader's language."""
    return [
        {"sorts": [(key, SORT_LABELS[key]) for key in keys], "css": css}
        for keys, css in TABLE_COLUMNS
    ]


def dashboard(*, user, filters: PortfolioFilters, page_number=1, today: date | None = None):
    """Everything the dashboard page and its PDF show, in a fixed number of queries."""

    today = today or timezone.localdate()
    scope = portfolio_scope(user=user)
    narrowed = filters.narrow(scope)
    refresh_health(accounts=narrowed, today=today)
    accounts = apply_health(narrowed, bucket=filters.health)
    programme = programme_overview(user=user, accounts=accounts, today=today)
    grid = programme["grid"]
    class_counts = {row["value"]: row["total"] for row in grid["rows"]}
    programme_row = programme["programme"]
    performance_data = cached(
        f"performance:{filters.year or 'complete'}",
        accounts,
        today,
        lambda: performance(
            accounts=accounts,
            accounts_total=grid["total"],
            today=today,
            year=filters.year,
            currency=programme_row.currency,
        ),
    )
    plotted, not_plotted, changes = matrix_accounts(
        accounts=accounts, bubble=filters.bubble, today=today, year=performance_data["year"]
    )
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
    pipeline_data = cached(
        "pipeline", accounts, today, lambda: pipeline(accounts=accounts, today=today)
    )
    scope_is_all = permissions.sees_all_accounts(user)
    return {
        "why_rule": WHY_RULE,
        "today": today,
        "cache_seconds": settings.PORTFOLIO_CACHE_SECONDS,
        "filters": filters,
        "choices": filter_choices(scope=scope),
        "scope_is_all": scope_is_all,
        # For executives: the whole programme's profit against its target.
        "programme_target": programme_profit_target(
            programme=programme_row, active_accounts=programme["key_accounts"]
        )
        if scope_is_all
        else None,
        "accounts_total": grid["total"],
        "health_counts": health_counts(
            accounts=narrowed,
            accounts_total=narrowed.count() if filters.health else grid["total"],
        ),
        "page": health_table_page(
            accounts=accounts,
            filters=filters,
            today=today,
            number=page_number,
            count=grid["total"],
        ),
        "value_year": value_of_accounts(
            accounts=accounts, year=today.year, scope_key=scope_key(accounts)
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
            "programme_target": PROGRAMME_TARGET_RULE,
            "year": YEAR_RULE,
            "workload": WORKLOAD_RULE,
            "clv": CLV_RULE,
            "target_status": rules.TARGET_STATUS_RULE,
            "last_review": LAST_REVIEW_RULE,
            "value": VALUE_RULE,
        },
        "columns": table_columns(),
        "sort_label": SORT_LABELS[filters.sort.lstrip("-")],
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


def performance_export(*, user, filters: PortfolioFilters, today: date | None = None) -> dict:
    """The performance section with every account's row (for the CSV), by the same year rule
    and with the same coverage as the page."""
    today = today or timezone.localdate()
    narrowed = filters.narrow(portfolio_scope(user=user))
    refresh_health(accounts=narrowed, today=today)
    accounts = apply_health(narrowed, bucket=filters.health)
    return performance(
        accounts=accounts,
        accounts_total=accounts.count(),
        today=today,
        year=filters.year,
        row_limit=None,
        currency=Programme.current().currency,
    )
