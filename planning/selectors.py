"""Reads for plan pages and dashboards, starting from what the user may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import KeyAccount
from discovery.models import Level, Stakeholder

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
from .snapshot import PlanData, loaded_target_status


def overdue_actions_q(today: date, prefix: str = "") -> Q:
    """rules.action_is_overdue as a query condition (`prefix`: "action__" and the like)."""
    return Q(**{f"{prefix}status__in": rules.ACTION_OPEN_STATUSES, f"{prefix}due_on__lt": today})


def current_plan(*, account: KeyAccount) -> AccountPlan | None:
    return (
        AccountPlan.objects.filter(key_account=account, is_current=True)
        .select_related("key_account__customer", "approved_by", "updated_by")
        .first()
    )


def latest_approved_version(*, plan: AccountPlan) -> PlanVersion | None:
    """The plan's last approved version: the only one the customer may be given. Quarterly
    reviews freeze versions too; they are not approvals."""
    return (
        plan.versions.filter(reason="approved")
        .select_related("created_by")
        .order_by("-number")
        .first()
    )


def plans_visible_to(*, user, status: str = "") -> QuerySet[AccountPlan]:
    """Current plans of the accounts `user` may see. Their approval date is the plan's own
    `approved_at`: versions are also frozen at quarterly reviews, so the newest version is
    not the last approval."""
    plans = AccountPlan.objects.filter(
        is_current=True, key_account__in=KeyAccount.objects.visible_to(user)
    )
    if status in AccountPlan.Status.values:
        plans = plans.filter(status=status)
    return plans.select_related("key_account__customer", "approved_by").order_by(
        "key_account__customer__name", "pk"
    )


LAST_REVIEW_RULE = (
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
    return (
        KeyAccount.objects.visible_to(user)
        .active()
        .exclude(plans__is_current=True)
        .order_by()
        .count()
    )


def health_for_plans(plans, *, today: date | None = None) -> dict[int, rules.PlanHealth]:
    """Health of many plans in six queries (whatever their number), via rules.plan_health."""
    today = today or timezone.localdate()
    plans = list(plans)
    if not plans:
        return {}
    ids = [p.pk for p in plans]

    def counts(queryset) -> dict[int, int]:
        return dict(queryset.values_list("plan_id").annotate(n=Count("pk")).order_by())

    overdue = counts(
        Action.objects.filter(plan_id__in=ids, status__in=Action.OPEN_STATUSES, due_on__lt=today)
    )
    missed = counts(EngagementActivity.objects.filter(plan_id__in=ids, next_due_on__lt=today))
    reviewed = dict(
        Review.objects.filter(plan_id__in=ids, completed_at__isnull=False)
        .values_list("plan_id")
        .annotate(last=Max("completed_at"))
        .order_by()
    )
    latest = Measurement.objects.filter(target=OuterRef("pk")).order_by("-measured_on", "-pk")
    target_rows = (
        Target.objects.filter(objective__plan_id__in=ids, archived_at__isnull=True)
        .annotate(
            latest_actual=Subquery(latest.values("actual")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
        .values_list(
            "objective__plan_id",
            "baseline",
            "target_value",
            "baseline_on",
            "due_on",
            "latest_actual",
            "latest_on",
        )
    )
    target_counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for plan_id, baseline, value, baseline_on, due_on, actual, measured_on in target_rows:
        status = rules.target_status(
            baseline=baseline,
            target_value=value,
            baseline_on=baseline_on,
            due_on=due_on,
            actual=actual,
            measured_on=measured_on,
            today=today,
        )
        target_counts[plan_id][status.status] += 1
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

    return {
        plan.pk: _health(
            plan,
            today=today,
            last_review=reviewed.get(plan.pk),
            overdue=overdue.get(plan.pk, 0),
            targets=target_counts[plan.pk],
            missed=missed.get(plan.pk, 0),
            key_people=key_people.get(plan.key_account_id, set()),
            covered=covered.get(plan.pk, set()),
        )
        for plan in plans
    }


def health_of_loaded_plan(data: PlanData, *, today: date | None = None) -> rules.PlanHealth:
    """The same health as health_for_plans, from what snapshot.load_plan has already read
    (actions, engagement, targets with their measurements, live stakeholders): one query for
    the latest completed review instead of six. For pages that show one plan."""
    today = today or timezone.localdate()
    plan = data.plan
    targets: dict[str, int] = defaultdict(int)
    for objective in data.objectives:
        for target in objective.targets.all():  # prefetched: live targets only
            status, _latest = loaded_target_status(target, today)
            targets[status.status] += 1
    return _health(
        plan,
        today=today,
        last_review=plan.reviews.filter(completed_at__isnull=False).aggregate(
            last=Max("completed_at")
        )["last"],
        overdue=sum(
            1 for a in data.actions if a.status in Action.OPEN_STATUSES and a.due_on < today
        ),
        targets=targets,
        missed=sum(1 for e in data.engagement if e.next_due_on and e.next_due_on < today),
        key_people={s.pk for s in data.stakeholders if s.influence == Level.HIGH},
        covered={e.stakeholder_id for e in data.engagement},
    )


def _health(
    plan, *, today, last_review, overdue, targets, missed, key_people, covered
) -> rules.PlanHealth:
    candidates = [d for d in (last_review, plan.approved_at) if d is not None]
    return rules.plan_health(
        rules.PlanFacts(
            today=today,
            last_reviewed_on=timezone.localdate(max(candidates)) if candidates else None,
            value_proposition_refreshed_on=plan.value_proposition_refreshed_on,
            overdue_actions=overdue,
            targets_off_track=targets[rules.OFF_TRACK],
            targets_at_risk=targets[rules.AT_RISK],
            engagements_missed=missed,
            key_stakeholders=len(key_people),
            key_stakeholders_uncovered=len(key_people - covered),
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
