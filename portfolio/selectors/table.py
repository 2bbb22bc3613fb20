"""The health table: one row per key account in view, sorted in the database where it can
be and paged; the CSV reads every row."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
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
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from accounts.models import Classification, KeyAccount, Programme, RelationshipStage, Role
from common.compiled import CompiledPerKey
from outcomes.models import CustomerIssue, ValueDelivered
from planning import rules
from planning.models import AccountPlan, EngagementActivity, HealthRecord
from planning.selectors import stored_action_counts, with_last_review
from workspace.selectors import latest_satisfaction

from .base import SCOPES_KEPT, display_labels, person_with_role, scope_key
from .health import HEALTH_BUCKET_LABELS, TREND_DAYS, bucket_of
from .reasons import Why, targets_by_status, why_off_track
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


def _columns(*, today: date, names=None, skip=()) -> dict[str, object]:
    """The per-account columns of the table (`names`, default every one), as correlated
    subqueries on the account (OuterRef pk), by name. Only the columns asked for are built: a
    sort reads one or two, and building the other subqueries costs about as much Python as
    reading the page's rows (bench/README.md, finding 29); `skip`: those read otherwise (the
    current plan's fields, `_with_current_plan`). Value delivered: money entries of this
    calendar year in the programme's currency."""
    account = OuterRef("pk")

    def value():
        return ValueDelivered.objects.filter(
            key_account=account,
            delivered_on__year=today.year,
            measure=ValueDelivered.Measure.MONEY,
            currency=Subquery(Programme.objects.order_by("pk").values("currency")[:1]),
        )

    def current():
        # No ordering: AccountPlan's default order (account, then its customer's name) would
        # join two more tables into every one of these subqueries for nothing (one plan is
        # current).
        return AccountPlan.objects.filter(key_account=account, is_current=True).order_by()

    def engagements():
        return EngagementActivity.objects.filter(plan__key_account=account, plan__is_current=True)

    def earlier():
        # The current plan's score as the nightly job recorded it TREND_DAYS ago (or the last
        # record before, if the job missed that day); none for a plan younger than that.
        return HealthRecord.objects.filter(
            plan__key_account=account,
            plan__is_current=True,
            recorded_on__lte=today - timedelta(days=TREND_DAYS),
        ).order_by("-recorded_on")

    columns = {
        "director_name": lambda: person_with_role(Role.DIRECTOR),
        "manager_name": lambda: person_with_role(Role.MANAGER),
        "plan_id": lambda: Subquery(current().values("pk")[:1]),
        "health_score": lambda: Subquery(current().values("health_score")[:1]),
        "health_before": lambda: Subquery(earlier().values("score")[:1]),
        "health_before_on": lambda: Subquery(earlier().values("recorded_on")[:1]),
        "plan_period": lambda: Subquery(current().values("period")[:1]),
        "plan_status": lambda: Subquery(current().values("status")[:1]),
        "last_approved_at": lambda: Subquery(current().values("approved_at")[:1]),
        # Planning's one meaning of "last review" (review or approval, whichever is later).
        "last_review_at": lambda: Subquery(
            with_last_review(current()).values("last_reviewed_at")[:1]
        ),
        # Stored on the plan with its health (planning.selectors.stored_action_counts).
        "overdue_actions": lambda: Coalesce(
            Subquery(
                current()
                .annotate(n=stored_action_counts(today=today)["overdue_actions"])
                .values("n")[:1]
            ),
            Value(0),
        ),
        "engagement_total": lambda: _count(engagements(), "plan__key_account"),
        "engagement_missed": lambda: _count(
            engagements().filter(next_due_on__lt=today), "plan__key_account"
        ),
        "value_delivered_year": lambda: _money(value()),
        "value_confirmed_year": lambda: _money(
            value().filter(status=ValueDelivered.Status.CONFIRMED)
        ),
        "issues_open_high": lambda: _count(
            CustomerIssue.objects.filter(
                key_account=account,
                status__in=CustomerIssue.OPEN_STATUSES,
                severity__in=CustomerIssue.HIGH_SEVERITIES,
            ),
            "key_account",
        ),
        "satisfaction": lambda: latest_satisfaction(account),
    }
    chosen = columns if names is None else names
    return {name: columns[name]() for name in chosen if name not in skip}


def _derived() -> dict[str, tuple[tuple[str, ...], object]]:
    """Columns worked out from other columns: name -> (the columns it reads, expression)."""
    return {
        # No plan: below every plan.
        "health_rank": (("health_score",), Coalesce(F("health_score"), Value(-1))),
        # Negative: the plan got worse. Sorted ascending, the biggest falls come first.
        "health_change": (
            ("health_score", "health_before"),
            F("health_score") - F("health_before"),
        ),
        "cadence_kept": (
            ("engagement_total", "engagement_missed"),
            Case(
                When(engagement_total=0, then=Value(None)),
                default=(F("engagement_total") - F("engagement_missed"))
                * 100.0
                / F("engagement_total"),
                output_field=FloatField(),
            ),
        ),
        "class_rank": (
            (),
            _ranked([(i, {"classification": v}) for i, v in enumerate(Classification.values)]),
        ),
        "stage_rank": (
            (),
            _ranked(
                [(i, {"relationship_stage": v}) for i, v in enumerate(RelationshipStage.values)]
            ),
        ),
    }


def table_queryset(accounts: QuerySet[KeyAccount], *, today: date) -> QuerySet[KeyAccount]:
    """One row per account with everything the health table shows and sorts on."""
    return (
        _with_current_plan(accounts.select_related("customer"), CURRENT_PLAN_FIELDS)
        .annotate(**_columns(today=today, skip=CURRENT_PLAN_FIELDS))
        .annotate(**{name: expression for name, (_, expression) in _derived().items()})
    )


def _with_current_plan(accounts: QuerySet[KeyAccount], names) -> QuerySet[KeyAccount]:
    """The current plan's plain fields `names` (CURRENT_PLAN_FIELDS) through one LEFT JOIN (at
    most one current plan, `one_current_plan_per_account`) instead of a subquery per account
    and field: the same values (bench/README.md, finding 45)."""
    if not names:
        return accounts
    return accounts.annotate(
        current_plan=FilteredRelation("plans", condition=Q(plans__is_current=True))
    ).annotate(**{name: F(f"current_plan__{CURRENT_PLAN_FIELDS[name]}") for name in names})


@lru_cache(maxsize=2)
def _every_column(today: date) -> QuerySet[KeyAccount]:
    """`table_queryset` of every key account, built once per process and day: the page
    narrows it to its 25 ids. Building its ~20 column expressions cost ~11 ms of CPU a
    request for SQL that only `today` changes (bench/README.md, finding 37). A queryset is
    never changed by the filters applied to it, so sharing it is safe; it is never evaluated
    itself. Two days kept: a request that crosses midnight and the next."""
    return table_queryset(KeyAccount.objects.all(), today=today)


def _sort_queryset(
    accounts: QuerySet[KeyAccount], *, sort: str, today: date
) -> QuerySet[KeyAccount]:
    """The accounts with only the columns their order reads: the whole portfolio is sorted
    before the page is cut, so every other column would be computed for every account in
    vain (finding 23 in bench/README.md)."""
    derived = _derived()
    wanted = [name for name in DB_SORTS.get(sort.lstrip("-"), []) if "__" not in name]
    columns = {}
    for name in wanted:
        columns.update(dict.fromkeys(derived[name][0] if name in derived else (name,)))
    accounts = _with_current_plan(
        accounts, [name for name in columns if name in CURRENT_PLAN_FIELDS]
    )
    others = [name for name in columns if name not in CURRENT_PLAN_FIELDS]
    ordered = accounts.annotate(**_columns(today=today, names=others))
    return ordered.annotate(
        **{name: derived[name][1] for name in wanted if name in derived}
    ).order_by(*_order(sort))


# The table's columns that are plain fields of the current plan, for the sort's join.
CURRENT_PLAN_FIELDS = {
    "plan_id": "id",
    "health_score": "health_score",
    "plan_period": "period",
    "plan_status": "status",
    "last_approved_at": "approved_at",
}

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


def _decorate(rows: list[KeyAccount], *, today: date, overdue: bool = True) -> list[KeyAccount]:
    """Target counts by planning's rule, and the "why" each row expands to (two queries; one
    without the overdue actions by name, which only the page shows)."""
    plan_ids = [r.plan_id for r in rows if r.plan_id]
    reasons = why_off_track(plan_ids, today) if overdue else targets_by_status(plan_ids, today)
    # Translated once per call: get_<field>_display() hashes, and so translates, every label
    # of the choices on each call (bench/README.md, finding 26).
    classes = display_labels(Classification)
    stages = display_labels(RelationshipStage)
    for row in rows:
        row.classification_label = classes.get(row.classification, row.classification)
        row.stage_label = stages.get(row.relationship_stage, row.relationship_stage)
        # Not `or Why()`: a plan with targets but nothing off track or overdue is a falsy Why
        # that still carries its target counts.
        row.why = reasons.get(row.plan_id, Why())
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
    *, accounts: QuerySet[KeyAccount], filters: PortfolioFilters, today, number, count: int
) -> Page:
    """The page of the table: the accounts are sorted on the sort's own columns, then only the
    page's rows get every column (two queries; `count`, how many `accounts` there are, the
    caller knows already)."""
    paginator = Paginator(_SortedIds(accounts, sort=filters.sort, today=today), PAGE_SIZE)
    paginator.count = count  # a cached property: no COUNT query of its own
    page = paginator.get_page(number)
    ids = list(page.object_list)
    # Compiled once per day and page length: its ~20 column subqueries took ~3.4 ms to compile
    # on every request, for SQL that only the day and the ids change (bench/README.md,
    # finding 52).
    found = (
        _PAGE_ROWS.rows(today, lambda stand_ins: _every_column(today).filter(pk__in=stand_ins), ids)
        if ids
        else []
    )
    rows = {row.pk: row for row in found}
    page.object_list = _page_sort(_decorate([rows[pk] for pk in ids], today=today), filters.sort)
    return page


_PAGE_ROWS = CompiledPerKey(maxsize=4)
_SORTED_IDS = CompiledPerKey(maxsize=2 * SCOPES_KEPT)


class _SortedIds:
    """The ids of the accounts in the table's order, as the paginator slices them: each
    page's statement compiled once per account scope (its SQL and parameters), sort, day and
    page (bench/README.md, finding 52)."""

    def __init__(self, accounts: QuerySet[KeyAccount], *, sort: str, today: date) -> None:
        self.accounts, self.sort, self.today = accounts, sort, today

    def __getitem__(self, window: slice) -> list[int]:
        start, stop = window.start, window.stop
        if stop <= start:
            return []  # as an empty slice of a queryset: no query
        return _SORTED_IDS.rows(
            (scope_key(self.accounts), self.sort, self.today, start, stop),
            lambda _ids: _sort_queryset(
                self.accounts, sort=self.sort, today=self.today
            ).values_list("pk", flat=True)[start:stop],
        )


def health_table_all(
    *, accounts: QuerySet[KeyAccount], filters: PortfolioFilters, today
) -> list[KeyAccount]:
    """Every row (the CSV export), in the table's order; targets sort across all rows."""
    rows = list(table_queryset(accounts, today=today).order_by(*_order(filters.sort)))
    return _page_sort(_decorate(rows, today=today, overdue=False), filters.sort)
