"""Reads for plan pages and dashboards, starting from what the user may see."""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import AccountEvent, KeyAccount, Programme
from accounts.permissions import accounts_visible_to
from common.compiled import CompiledOnce, CompiledPerKey
from common.rows import FirstRows, first_rows
from discovery.models import Level, ProfitabilityYear, Stakeholder
from discovery.selectors import NET_PROFIT

from . import rules
from .models import (
    AccountPlan,
    Action,
    EngagementActivity,
    HealthRecord,
    Measurement,
    PlanVersion,
    Review,
    Target,
)
from .signals import health_facts_from_later_stages
from .snapshot import PlanData, loaded_target_status


def overdue_actions_q(today: date, prefix: str = "") -> Q:
    """rules.action_is_overdue as a query condition (`prefix`: "action__" and the like)."""
    return Q(**{f"{prefix}status__in": rules.ACTION_OPEN_STATUSES, f"{prefix}due_on__lt": today})


def action_counts(plan_ids, *, today: date) -> dict[int, tuple[int, int]]:
    """Open and overdue actions per plan, counted (one query): what plan_health_refresh stores
    in AccountPlan.open_actions and overdue_actions."""
    return {
        plan_id: (open_, overdue)
        for plan_id, open_, overdue in Action.objects.filter(
            plan_id__in=plan_ids, status__in=rules.ACTION_OPEN_STATUSES
        )
        .values_list("plan_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    }


def stored_action_counts(*, today: date, plan: str = "pk") -> dict[str, Case]:
    """A plan's open and overdue actions today as expressions (`plan`: the path to the plan
    from the queried model): the stored counts of a plan whose health was refreshed today,
    else counted from its actions (a plan marked stale by a change, or not yet refreshed
    since midnight), so the figure is right whether or not a refresh ran first."""
    prefix = "" if plan == "pk" else f"{plan}__"
    fresh = Q(**{f"{prefix}health_on": today})
    actions = Action.objects.filter(plan=OuterRef(plan), status__in=rules.ACTION_OPEN_STATUSES)

    def counted(queryset) -> Coalesce:
        rows = queryset.order_by().values("plan").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return {
        "open_actions": Case(
            When(fresh, then=F(f"{prefix}open_actions")),
            default=counted(actions),
            output_field=IntegerField(),
        ),
        "overdue_actions": Case(
            When(fresh, then=F(f"{prefix}overdue_actions")),
            default=counted(actions.filter(due_on__lt=today)),
            output_field=IntegerField(),
        ),
    }


def current_plan(*, account: KeyAccount) -> AccountPlan | None:
    rows = _current_plan_read(for_page=False)(account.pk)
    return rows[0] if rows else None


def current_plan_for_page(*, account: KeyAccount) -> AccountPlan | None:
    """current_plan with what the plan page shows beside it, read in the same query (two
    queries fewer a page): the latest completed quarterly review (plan health and "last
    review"), the latest approved version's number (the customer PDF link) and the
    programme's currency. See plan_page_facts."""
    rows = _current_plan_read(for_page=True)(account.pk)
    return rows[0] if rows else None


@functools.cache
def _current_plan_read(*, for_page: bool) -> CompiledOnce:
    """The two reads above, compiled once per process: building and compiling the plan with
    its account, customer and two people (and, for the page, three subqueries) was ~2.9 ms
    CPU of a ~4 ms read, on every plan page, account overview and plan PDF (bench/README.md,
    finding 41). The statement is the ORM's `.first()`; its parameters: the page's approval
    kind (first, in the SELECT list), then the account."""

    def build(account_id: int) -> QuerySet[AccountPlan]:
        rows = _current_plan_for_page(account_id) if for_page else _current_plan(account_id)
        return (rows if rows.ordered else rows.order_by("pk"))[:1]  # as `.first()`

    def params(account_id: int) -> tuple:
        return (PlanVersion.Kind.APPROVAL, account_id) if for_page else (account_id,)

    return CompiledOnce(AccountPlan, build, params)


def _current_plan(account_id: int) -> QuerySet[AccountPlan]:
    return AccountPlan.objects.filter(key_account=account_id, is_current=True).select_related(
        "key_account__customer", "approved_by", "updated_by"
    )


def _current_plan_for_page(account_id: int) -> QuerySet[AccountPlan]:
    approvals = (
        PlanVersion.objects.approvals()
        .filter(plan=OuterRef("pk"))
        .order_by("-number")
        .values("number")[:1]
    )
    reviews = (
        completed_reviews()
        .filter(plan=OuterRef("pk"))
        .order_by("-completed_at")
        .values("completed_at")[:1]
    )
    return _current_plan(account_id).annotate(
        page_latest_approval_number=Subquery(approvals),
        page_completed_review_at=Subquery(reviews),
        # Programme.current()'s currency (the opportunities' money columns).
        page_currency=Subquery(Programme.objects.order_by("pk").values("currency")[:1]),
    )


def plan_page_facts(*, plan: AccountPlan) -> tuple[datetime | None, int | None]:
    """The plan's latest completed quarterly review and latest approved version's number: as
    current_plan_for_page read them with the plan, else two queries."""
    if hasattr(plan, "page_completed_review_at"):
        return plan.page_completed_review_at, plan.page_latest_approval_number
    version = latest_approved_version(plan=plan)
    return (
        last_reviews_at(plan_ids=[plan.pk]).get(plan.pk),
        version.number if version is not None else None,
    )


def latest_approved_version(*, plan: AccountPlan) -> PlanVersion | None:
    """The plan's last approved version: the only one the customer may be given. Quarterly
    reviews freeze versions too; they are not approvals."""
    return (
        plan.versions.filter(kind=PlanVersion.Kind.APPROVAL)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )


def plans_visible_to(*, user, status: str = "") -> QuerySet[AccountPlan]:
    """Current plans of the accounts `user` may see. Their approval date is the plan's own
    `approved_at`: versions are also frozen at quarterly reviews, so the newest version is
    not the last approval."""
    plans = AccountPlan.objects.filter(is_current=True, key_account__in=accounts_visible_to(user))
    if status in AccountPlan.Status.values:
        plans = plans.filter(status=status)
    return plans.select_related("key_account__customer", "approved_by").order_by(
        "key_account__customer__name", "pk"
    )


LAST_REVIEW_RULE = gettext_lazy(
    "Last review: the later of the plan's latest completed quarterly review and its latest "
    "approval (an approval is a review of the whole plan), as plan health counts it."
)


def with_last_review(plans: QuerySet[AccountPlan]) -> QuerySet[AccountPlan]:
    """Each plan with `last_reviewed_at` (see LAST_REVIEW_RULE): the one meaning of "last
    review" for the plan page, plan health and the portfolio dashboard. One expression, so a
    caller can use it inside its own subquery."""
    review = Subquery(
        Review.objects.filter(plan=OuterRef("pk"), completed_at__isnull=False)
        .order_by("-completed_at")
        .values("completed_at")[:1]
    )
    # GREATEST skips NULLs on PostgreSQL but not on SQLite: each side falls back to the other.
    return plans.annotate(
        last_reviewed_at=Greatest(Coalesce(review, "approved_at"), Coalesce("approved_at", review))
    )


def accounts_without_plan_count(*, user) -> int:
    return accounts_visible_to(user).active().exclude(plans__is_current=True).order_by().count()


# ---- "last review": one meaning everywhere --------------------------------------------------


def completed_reviews() -> QuerySet[Review]:
    return Review.objects.filter(completed_at__isnull=False)


def last_review_at(*, plan: AccountPlan) -> datetime | None:
    """The plan's last review in the one meaning of LAST_REVIEW_RULE, as the dashboard shows it."""
    return (
        with_last_review(AccountPlan.objects.filter(pk=plan.pk))
        .values_list("last_reviewed_at", flat=True)
        .first()
    )


def last_review_of(*, plan: AccountPlan, completed_review_at: datetime | None) -> datetime | None:
    """last_review_at for a plan whose latest completed quarterly review is already read (the
    plan page reads it once for plan health and for this): the later of the two, in Python."""
    return max((m for m in (completed_review_at, plan.approved_at) if m is not None), default=None)


def last_reviews_at(*, plan_ids) -> dict[int, datetime]:
    """When each plan's latest quarterly review was completed, in one query (plans never
    reviewed are left out). Plan health weighs it against the approval date itself."""
    return dict(
        completed_reviews()
        .filter(plan_id__in=list(plan_ids))
        .values_list("plan_id")
        .annotate(last=Max("completed_at"))
        .order_by()
    )


def _local_date(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localdate(moment)


# ---- plan health ------------------------------------------------------------------------------


def with_latest_measurement(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Each target with its latest measurement's actual and date (what the target status rule
    reads), as two correlated subqueries: still one query."""
    latest = Measurement.objects.filter(target=OuterRef("pk")).order_by("-measured_on", "-pk")
    return targets.annotate(
        latest_actual=Subquery(latest.values("actual")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )


ACTUAL_PLACES = Decimal(1).scaleb(-Measurement._meta.get_field("actual").decimal_places)


def with_status(targets, *, today: date) -> list[Target]:
    """The targets (annotated by with_latest_measurement), each given `.status` by
    rules.target_status: the one way a stored target gets its status."""
    targets = list(targets)
    for target in targets:
        if target.latest_actual is not None:
            # To the cent, as stored: a subquery's decimal comes back from SQLite with the
            # float's digits ("95.8000000000000" in the targets CSV).
            target.latest_actual = Decimal(target.latest_actual).quantize(ACTUAL_PLACES)
        target.status = rules.target_status(
            baseline=target.baseline,
            target_value=target.target_value,
            baseline_on=target.baseline_on,
            due_on=target.due_on,
            actual=target.latest_actual,
            measured_on=target.latest_on,
            today=today,
            aim=target.aim,
        )
    return targets


def targets_with_status(plan_ids, *, today: date) -> list[Target]:
    """The plans' live targets with their objective, earliest due first, each with `.status`
    (one query)."""
    plan_ids = list(plan_ids)
    if not plan_ids:
        return []
    return with_status(_LIVE_TARGETS.rows(None, _live_targets, plan_ids), today=today)


def _live_targets(plan_ids) -> QuerySet[Target]:
    return (
        with_latest_measurement(
            Target.objects.filter(objective__plan_id__in=plan_ids, archived_at__isnull=True)
        )
        .select_related("objective")
        .order_by("due_on", "pk")
    )


def targets_to_measure_again(*, accounts, today: date, limit: int) -> FirstRows:
    """The live targets of `accounts`' current plans that are due a new measurement by the
    target rule (`TargetStatus.measure_again`, rules.MEASURE_EVERY_DAYS), the longest without
    one first, at most `limit`; each with `.status` and its plan's account (one query)."""
    targets = with_status(
        with_latest_measurement(
            Target.objects.filter(
                objective__plan__is_current=True,
                objective__plan__key_account__in=accounts,
                archived_at__isnull=True,
                # Past its due date a target is judged, not measured again (the rule's own
                # answer too): left out here so the rows read are the live ones only.
                due_on__gte=today,
            )
        )
        # Only the rows old enough to be due; the rule below decides on each of them.
        .annotate(last=Coalesce("latest_on", "baseline_on"))
        .filter(last__lt=today - timedelta(days=rules.MEASURE_EVERY_DAYS))
        .select_related("objective__plan__key_account__customer"),
        today=today,
    )
    due = [target for target in targets if target.status.measure_again]
    due.sort(key=lambda target: (-target.status.measure_again, target.kpi, target.pk))
    return first_rows(due, limit)


# ---- money targets against the year they cover ---------------------------------------------


def money_targets() -> QuerySet[Target]:
    """Every live revenue and net profit target (an amount of money) of a current plan, each
    with the year it covers (`covers_year`: rules.target_year, as SQL) and what its account
    recorded for that year (`made`: gross sales for a revenue target, discovery's net profit
    for a profit target; None while that year has no figures). The one place that puts a
    target beside revenue or profit (rules.target_year): the portfolio's page, PDF and
    CSV narrow it to their accounts; never evaluated as it is."""
    year_row = ProfitabilityYear.objects.filter(
        key_account=OuterRef("objective__plan__key_account"), year=OuterRef("covers_year")
    )
    money = Target._meta.get_field("target_value")
    return (
        Target.objects.filter(
            objective__plan__is_current=True,
            archived_at__isnull=True,
            kind__in=[Target.Kind.REVENUE, Target.Kind.NET_PROFIT],
            measure=Target.Measure.AMOUNT,
        )
        .annotate(covers_year=ExtractYear("due_on"))
        .annotate(
            made=Case(
                When(
                    kind=Target.Kind.REVENUE,
                    then=Subquery(year_row.values("gross_sales")[:1], output_field=money),
                ),
                default=Subquery(
                    year_row.annotate(net=NET_PROFIT).values("net")[:1], output_field=money
                ),
                output_field=money,
            )
        )
    )


# Compiled once per number of plans: the dashboard's health page reads 25 plans' targets on
# every view, ~0.8 ms of compiling for SQL that only the ids change (bench/README.md,
# finding 52).
_LIVE_TARGETS = CompiledPerKey(maxsize=32)


def target_status_counts(
    plan_ids, *, today: date
) -> tuple[dict[int, dict[str, int]], dict[int, set[int]]]:
    """Per plan, how many live targets are in each status, and which objectives have a live
    target: one query, for plan health, the portfolio table and the overview alike."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    objectives: dict[int, set[int]] = defaultdict(set)
    for target in targets_with_status(plan_ids, today=today):
        counts[target.objective.plan_id][target.status.status] += 1
        objectives[target.objective.plan_id].add(target.objective_id)
    return counts, objectives


def health_for_plans(plans, *, today: date | None = None) -> dict[int, rules.PlanHealth]:
    """Health of many plans in six queries (whatever their number), via rules.plan_health.
    The plans need value_proposition, critical_success_factors, approved_at and
    value_proposition_refreshed_on loaded."""
    today = today or timezone.localdate()
    plans = list(plans)
    if not plans:
        return {}
    ids = [p.pk for p in plans]

    action_counts = {
        plan_id: (overdue, owned)
        for plan_id, overdue, owned in Action.objects.filter(plan_id__in=ids)
        .values_list("plan_id")
        .annotate(
            overdue=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES, due_on__lt=today)),
            owned=Count(
                "pk",
                filter=(Q(owner__isnull=False) | Q(customer_owner__isnull=False))
                & ~Q(status=Action.Status.CANCELLED),
            ),
        )
        .order_by()
    }
    engagement_counts = {
        plan_id: (total, missed)
        for plan_id, total, missed in EngagementActivity.objects.filter(plan_id__in=ids)
        .values_list("plan_id")
        .annotate(total=Count("pk"), missed=Count("pk", filter=Q(next_due_on__lt=today)))
        .order_by()
    }
    reviewed = last_reviews_at(plan_ids=ids)
    target_counts, objectives_with_target = target_status_counts(ids, today=today)
    key_people: dict[int, set[int]] = defaultdict(set)
    for account_id, stakeholder_id in Stakeholder.objects.filter(
        key_account_id__in={p.key_account_id for p in plans},
        influence=Level.HIGH,
        archived_at__isnull=True,
    ).values_list("key_account_id", "pk"):
        key_people[account_id].add(stakeholder_id)
    covered: dict[int, set[int]] = defaultdict(set)
    for plan_id, stakeholder_id in EngagementActivity.objects.filter(plan_id__in=ids).values_list(
        "plan_id", "stakeholder_id"
    ):
        covered[plan_id].add(stakeholder_id)
    later = health_facts_from_later_stages(
        account_ids={p.key_account_id for p in plans}, today=today
    )

    health = {}
    for plan in plans:
        overdue, owned = action_counts.get(plan.pk, (0, 0))
        engagements, missed = engagement_counts.get(plan.pk, (0, 0))
        health[plan.pk] = _health(
            plan,
            today=today,
            last_review=reviewed.get(plan.pk),
            content=rules.PlanContent(
                value_proposition=bool(plan.value_proposition.strip()),
                critical_success_factors=bool(plan.critical_success_factors.strip()),
                objectives_with_target=len(objectives_with_target.get(plan.pk, ())),
                actions_with_owner=owned,
                engagement_activities=engagements,
            ),
            overdue=overdue,
            targets=target_counts[plan.pk],
            missed=missed,
            key_people=key_people.get(plan.key_account_id, set()),
            covered=covered.get(plan.pk, set()),
            later=later.get(plan.key_account_id, {}),
        )
    return health


def plan_content(*, plan: AccountPlan) -> rules.PlanContent:
    """How much substance a plan has, counted in the database (for a page that has not loaded
    the whole plan, e.g. one section redrawn in place). The same counts as
    content_of_loaded_plan."""
    return rules.PlanContent(
        value_proposition=bool(plan.value_proposition.strip()),
        critical_success_factors=bool(plan.critical_success_factors.strip()),
        objectives_with_target=Target.objects.filter(objective__plan=plan, archived_at__isnull=True)
        .values("objective")
        .distinct()
        .count(),
        actions_with_owner=plan.actions.filter(
            Q(owner__isnull=False) | Q(customer_owner__isnull=False)
        )
        .exclude(status=Action.Status.CANCELLED)
        .count(),
        engagement_activities=plan.engagement_activities.count(),
    )


def _count_per_plan(queryset: QuerySet, plan_path: str, counted: str = "pk", *, distinct=False):
    """A subquery counting `counted` of `queryset` for the outer plan row: a plain COUNT over
    the plan's rows (no GROUP BY, so a plan with none counts 0 without a COALESCE)."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    count = Func(F(counted), template=template, output_field=IntegerField())
    rows = queryset.filter(**{plan_path: OuterRef("pk")}).order_by().annotate(n=count)
    return Subquery(rows.values("n"), output_field=IntegerField())


# What plan_content counts, as columns of the plan's row.
CONTENT_COUNTS = ("n_objectives_with_target", "n_actions_with_owner", "n_engagement")


@functools.cache
def _plans_with_content_counts() -> QuerySet[AccountPlan]:
    """Every plan with plan_content's counts, built once per process: building the three
    subqueries cost as much as compiling and running the query (bench/README.md, finding 27).
    Each use filters a copy, as a view's class-level queryset is (never evaluated itself)."""
    return AccountPlan.objects.annotate(
        n_objectives_with_target=_count_per_plan(
            Target.objects.filter(archived_at__isnull=True),
            "objective__plan",
            "objective",
            distinct=True,
        ),
        n_actions_with_owner=_count_per_plan(
            Action.objects.filter(Q(owner__isnull=False) | Q(customer_owner__isnull=False)).exclude(
                status=Action.Status.CANCELLED
            ),
            "plan",
        ),
        n_engagement=_count_per_plan(EngagementActivity.objects.all(), "plan"),
    )


def plan_as_saved_with_content(
    *, plan: AccountPlan, fields: tuple[str, ...]
) -> tuple[dict, rules.PlanContent]:
    """The plan's `fields` as saved now (after an in-place save moved its state) and the same
    counts as plan_content, in one query (values, not a model: a fragment reads a few fields)."""
    names = tuple(dict.fromkeys((*fields, "critical_success_factors", "value_proposition")))
    [row] = _plan_with_content_counts(names)(plan.pk)
    saved = {name: getattr(row, name) for name in (*names, *CONTENT_COUNTS)}
    content = rules.PlanContent(
        value_proposition=bool(saved["value_proposition"].strip()),
        critical_success_factors=bool(saved["critical_success_factors"].strip()),
        objectives_with_target=saved["n_objectives_with_target"],
        actions_with_owner=saved["n_actions_with_owner"],
        engagement_activities=saved["n_engagement"],
    )
    return saved, content


@functools.cache
def _plan_with_content_counts(names: tuple[str, ...]) -> CompiledOnce:
    """plan_as_saved_with_content's read (the plan's `names` and its content counts), compiled
    once per process: compiling it was ~0.4 ms of a save in place that moves the plan's status
    (bench/README.md, finding 40). Its parameters: the cancelled status the action count leaves
    out, and the plan."""

    def build(pk: int) -> QuerySet[AccountPlan]:
        return _plans_with_content_counts().filter(pk=pk).only(*names).order_by()[:1]

    return CompiledOnce(AccountPlan, build, params=lambda pk: (Action.Status.CANCELLED, pk))


def plan_to_edit(*, account: KeyAccount) -> AccountPlan | None:
    """The account's current plan for a save in place: `account` as its key account (already
    read), and of the people only its approver (a section's snapshot names them)."""
    plan = (
        AccountPlan.objects.filter(key_account=account, is_current=True)
        .select_related("approved_by")
        .first()
    )
    if plan is not None:
        plan.key_account = account
    return plan


def plan_item_to_edit(
    *, account: KeyAccount, model: type, pk: int, related: tuple[str, ...] = (), approver=True
):
    """An item of the account's current plan (`model`: one with a `plan` link: an objective,
    action, engagement activity or risk) for a save in place, read with its plan in one query
    (plan_to_edit's plan: `account` as its key account, its approver unless `approver` is
    False: an item whose save answers with its row alone needs it only for an error or a
    conflict, which then read it); None if the current plan has no such item."""
    rows = _item_with_plan(model, tuple(related), approver)(pk, account.pk)
    item = rows[0] if rows else None
    if item is not None:
        item.plan.key_account = account
    return item


@functools.cache
def _item_with_plan(model: type, related: tuple[str, ...], approver: bool) -> CompiledOnce:
    """plan_item_to_edit's read, compiled once per process per kind of item: compiling its
    ~100 columns was two thirds of its time (bench/README.md, finding 40)."""

    def build(pk: int, account_id: int) -> QuerySet:
        rows = model.objects.filter(
            pk=pk, plan__key_account=account_id, plan__is_current=True
        ).select_related("plan__approved_by" if approver else "plan", *related)
        return (rows if rows.ordered else rows.order_by("pk"))[:1]  # as `.first()`

    return CompiledOnce(model, build, params=lambda pk, account_id: (pk, account_id))


def content_of_loaded_plan(data: PlanData) -> rules.PlanContent:
    """How much substance a loaded plan has (live targets are prefetched by load_plan)."""
    plan = data.plan
    return rules.PlanContent(
        value_proposition=bool(plan.value_proposition.strip()),
        critical_success_factors=bool(plan.critical_success_factors.strip()),
        objectives_with_target=sum(1 for o in data.objectives if o.targets.all()),
        actions_with_owner=sum(
            1
            for a in data.actions
            if (a.owner_id is not None or a.customer_owner_id is not None)
            and a.status != Action.Status.CANCELLED
        ),
        engagement_activities=len(data.engagement),
    )


_NOT_READ = object()


def health_of_loaded_plan(
    data: PlanData, *, today: date | None = None, completed_review_at=_NOT_READ
) -> rules.PlanHealth:
    """The same health as health_for_plans, from what snapshot.load_plan has already read
    (actions, engagement, targets with their measurements, live stakeholders): one query for
    the latest completed review instead of six (none when the caller has read it:
    `completed_review_at`, from last_reviews_at). For pages that show one plan."""
    today = today or timezone.localdate()
    plan = data.plan
    if completed_review_at is _NOT_READ:
        completed_review_at = last_reviews_at(plan_ids=[plan.pk]).get(plan.pk)
    targets: dict[str, int] = defaultdict(int)
    for objective in data.objectives:
        for target in objective.targets.all():  # prefetched: live targets only
            status, _latest = loaded_target_status(target, today)
            targets[status.status] += 1
    return _health(
        plan,
        today=today,
        # The latest completed review alone, as health_for_plans reads it: the rules weigh
        # it against the approval themselves (LAST_REVIEW_RULE).
        last_review=completed_review_at,
        content=content_of_loaded_plan(data),
        overdue=sum(
            1 for a in data.actions if a.status in Action.OPEN_STATUSES and a.due_on < today
        ),
        targets=targets,
        missed=sum(1 for e in data.engagement if e.next_due_on and e.next_due_on < today),
        key_people={s.pk for s in data.stakeholders if s.influence == Level.HIGH},
        covered={e.stakeholder_id for e in data.engagement},
        later=health_facts_from_later_stages(account_ids={plan.key_account_id}, today=today).get(
            plan.key_account_id, {}
        ),
    )


def _health(
    plan, *, today, last_review, content, overdue, targets, missed, key_people, covered, later
) -> rules.PlanHealth:
    return rules.plan_health(
        rules.PlanFacts(
            today=today,
            last_review_on=_local_date(last_review),
            last_approved_on=_local_date(plan.approved_at),
            value_proposition_refreshed_on=plan.value_proposition_refreshed_on,
            content=content,
            overdue_actions=overdue,
            targets_off_track=targets[rules.OFF_TRACK],
            targets_at_risk=targets[rules.AT_RISK],
            targets_unmeasured=targets[rules.NO_DATA],
            engagements_missed=missed,
            key_stakeholders=len(key_people),
            key_stakeholders_uncovered=len(key_people - covered),
            **later,
        )
    )


TREND_DAYS = 90


def health_records(plan: AccountPlan, *, today: date | None = None) -> list[tuple[date, int]]:
    """The plan's daily scores of the last TREND_DAYS days, oldest first (one query)."""
    today = today or timezone.localdate()
    return list(
        HealthRecord.objects.filter(
            plan=plan, recorded_on__gte=today - timedelta(days=TREND_DAYS), recorded_on__lt=today
        )
        .order_by("recorded_on")
        .values_list("recorded_on", "score")
    )


# ---- proposals of quarterly reviews ---------------------------------------------------------


def open_selection_proposals(account_ids) -> list[Review]:
    """The latest completed review of each current plan of the active accounts `account_ids`,
    when it proposes a class change or a de-selection and nothing has answered it since: no
    later classification change or de-selection of the account and no later completed review.
    With the review's plan, account, customer and who completed it (one query). Read by the
    director's inbox (portfolio) and, through strategy's selection_proposals_requested, by the
    re-classify and de-select pages."""
    later_review = Review.objects.filter(
        plan=OuterRef("plan"), completed_at__gt=OuterRef("completed_at")
    )
    answered = AccountEvent.objects.filter(
        key_account=OuterRef("plan__key_account"),
        kind__in=[AccountEvent.Kind.CLASS_CHANGED, AccountEvent.Kind.DESELECTED],
        occurred_at__gt=OuterRef("completed_at"),
    )
    return list(
        Review.objects.filter(
            plan__is_current=True,
            plan__key_account_id__in=account_ids,
            plan__key_account__status=KeyAccount.Status.ACTIVE,
            completed_at__isnull=False,
            decision__in=[Review.Decision.CHANGE_CLASS, Review.Decision.DESELECT],
        )
        .exclude(Exists(later_review))
        .exclude(Exists(answered))
        .select_related("plan__key_account__customer", "completed_by")
        .order_by("completed_at", "pk")
    )
