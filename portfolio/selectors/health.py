"""Plan health on the dashboard: the stored scores refreshed, bucketed, counted and filtered."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, ngettext

from accounts.models import KeyAccount
from common.charts import HEALTH_COLOURS
from common.compiled import CompiledPerKey
from planning import rules
from planning.models import AccountPlan
from planning.services import plan_health_refresh

from .base import SCOPES_KEPT, scope_key

TREND_DAYS = 30  # the health table compares each score with the one stored this long ago
NO_PLAN = "no_plan"
HEALTH_BUCKETS = [
    ("good", gettext_lazy("Healthy")),
    ("fair", gettext_lazy("Needs attention")),
    ("poor", gettext_lazy("Unhealthy")),
    (NO_PLAN, gettext_lazy("No current plan")),
]
HEALTH_BUCKET_LABELS = dict(HEALTH_BUCKETS)


def _bucket_rule() -> str:
    return gettext(
        "Healthy: plan health score %(good)s or more; needs attention: %(fair)s–%(below_good)s; "
        "unhealthy: below %(fair)s; no current plan: the account has no plan to score."
    ) % {"good": rules.HEALTH_GOOD, "fair": rules.HEALTH_FAIR, "below_good": rules.HEALTH_GOOD - 1}


def _trend_rule() -> str:
    return ngettext(
        "%(days)s-day change: the health score now minus the score stored %(days)s day ago (or "
        "the last one before that); — for a plan with no score that old.",
        "%(days)s-day change: the health score now minus the score stored %(days)s days ago (or "
        "the last one before that); — for a plan with no score that old.",
        TREND_DAYS,
    ) % {"days": TREND_DAYS}


# Read in the language of the page that shows them.
HEALTH_BUCKET_RULE = lazy(_bucket_rule, str)()
TREND_RULE = lazy(_trend_rule, str)()


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
    return plan_health_refresh(
        plans=_current_plans(accounts), today=today, plans_key=scope_key(accounts)
    )


def apply_health(accounts: QuerySet[KeyAccount], *, bucket: str) -> QuerySet[KeyAccount]:
    if not bucket:
        return accounts
    if bucket == NO_PLAN:
        return accounts.exclude(plans__is_current=True)
    in_bucket = AccountPlan.objects.filter(BUCKET_FILTERS[bucket], is_current=True)
    return accounts.filter(pk__in=in_bucket.values("key_account_id"))


# Compiled once per account scope (its SQL and parameters; bench/README.md, finding 52).
_BUCKET_COUNTS = CompiledPerKey(maxsize=SCOPES_KEPT)


def health_counts(*, accounts: QuerySet[KeyAccount], accounts_total: int) -> list[dict]:
    # An aggregate as a one-row `values()` statement (grouped by a constant: no GROUP BY, so
    # one row even for no plans), which CompiledPerKey can keep compiled per account scope.
    [counts] = _BUCKET_COUNTS.rows(
        scope_key(accounts),
        lambda _ids: (
            _current_plans(accounts)
            .order_by()
            .annotate(one=Value(1, output_field=IntegerField()))
            .values("one")
            .annotate(
                plans=Count("pk"),
                **{key: Count("pk", filter=q) for key, q in BUCKET_FILTERS.items()},
            )
        ),
    )
    counts = {key: n for key, n in counts.items() if key != "one"}
    counts[NO_PLAN] = accounts_total - counts.pop("plans")
    return [
        {"key": key, "label": label, "count": counts.get(key, 0), "colour": HEALTH_COLOURS[key]}
        for key, label in HEALTH_BUCKETS
    ]
