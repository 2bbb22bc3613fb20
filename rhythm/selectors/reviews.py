"""Reads for the rhythm pages: quarterly reviews, the annual programme review, bulk exports
and job runs. Lists start from what the user may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import (
    PROGRAMME_ADMIN_GROUP,
    AccountEvent,
    Classification,
    KeyAccount,
    Programme,
    Role,
    User,
)
from accounts.selectors import class_counts, key_accounts_with_role
from delivery.selectors import progress_opportunities
from discovery.models import Level
from discovery.services import service_exceeds_stage
from planning.models import AccountPlan, Review
from planning.selectors import health_of_loaded_plan
from planning.snapshot import hydrate, load_plan, plan_to_dict

from ..models import JobRun, PlanExport

# ---- quarterly reviews --------------------------------------------------------------------


def account_reviews(*, account: KeyAccount) -> QuerySet[Review]:
    return (
        Review.objects.filter(plan__key_account=account)
        .select_related("plan", "completed_by")
        .order_by("-opened_on", "-pk")
    )


def review_for_account(*, account: KeyAccount, review_id) -> Review:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Review.objects.select_related("plan__key_account__customer", "completed_by"),
        pk=review_id,
        plan__key_account=account,
    )


def review_walkthrough(review: Review, *, today: date | None = None) -> dict:
    """What the review page walks through, from the plan as it is now: targets vs actuals,
    overdue actions, opportunities' progress, stakeholder coverage, relationship stage."""
    today = today or timezone.localdate()
    plan = review.plan
    data = load_plan(plan)
    doc = hydrate(plan_to_dict(data, today=today))
    health = health_of_loaded_plan(data, today=today)
    covered = {e.stakeholder_id for e in data.engagement}
    key_people = [s for s in data.stakeholders if s.influence == Level.HIGH]
    account = plan.key_account
    return {
        "doc": doc,
        "targets": [
            {**t, "objective": o["title"]} for o in doc["objectives"] for t in o["targets"]
        ],
        "overdue_actions": [a for a in doc["actions"] if a["overdue"]],
        "opportunities": list(progress_opportunities(account=account)),
        "key_stakeholders": [{"stakeholder": s, "covered": s.pk in covered} for s in key_people],
        "uncovered_count": sum(1 for s in key_people if s.pk not in covered),
        "health": health,
        "service_exceeds_stage": service_exceeds_stage(account),
    }


# ---- annual programme review --------------------------------------------------------------

ANNUAL_REVIEW_EVENT_KINDS = (
    AccountEvent.Kind.SELECTED,
    AccountEvent.Kind.RESELECTED,
    AccountEvent.Kind.DESELECTED,
    AccountEvent.Kind.CLASS_CHANGED,
)


def annual_review_period(today: date | None = None) -> tuple[date, date]:
    """The year the annual review looks back on: the 12 months up to today."""
    today = today or timezone.localdate()
    return today - timedelta(days=365), today


MISMATCH_ROWS = 50


def annual_review_summary(today: date | None = None) -> dict:
    start, end = annual_review_period(today)
    programme = Programme.current()
    events = list(
        AccountEvent.objects.filter(
            kind__in=ANNUAL_REVIEW_EVENT_KINDS,
            occurred_at__date__gte=start,
            occurred_at__date__lte=end,
        )
        .select_related("key_account__customer", "actor")
        .order_by("-occurred_at", "-pk")
    )
    by_kind: dict[str, list[AccountEvent]] = defaultdict(list)
    for event in events:
        by_kind[event.kind].append(event)
    active = KeyAccount.objects.active()
    counts = class_counts(accounts=active)
    decisions = dict(
        Review.objects.filter(completed_at__date__gte=start, completed_at__date__lte=end)
        .values_list("decision")
        .annotate(n=Count("pk"))
        .order_by()
    )
    mismatched = (
        active.exclude(customer__classification="")
        .exclude(customer__classification=F("classification"))
        .select_related("customer")
        .order_by("customer__name", "pk")
    )
    return {
        "programme": programme,
        "start": start,
        "end": end,
        # Accounts whose scores now point to another class than the one they hold.
        "mismatches": list(mismatched[:MISMATCH_ROWS]),
        "mismatch_count": mismatched.count(),
        "selections": by_kind[AccountEvent.Kind.SELECTED] + by_kind[AccountEvent.Kind.RESELECTED],
        "deselections": by_kind[AccountEvent.Kind.DESELECTED],
        "class_changes": by_kind[AccountEvent.Kind.CLASS_CHANGED],
        "classes": [(label, counts.get(value, 0)) for value, label in Classification.choices],
        "active_total": sum(counts.values()),
        "review_decisions": [
            (label, decisions.get(value, 0)) for value, label in Review.Decision.choices
        ],
    }


def programme_admins() -> QuerySet[User]:
    return User.objects.filter(
        Q(groups__name=PROGRAMME_ADMIN_GROUP) | Q(is_superuser=True), is_active=True
    ).distinct()


# ---- bulk export --------------------------------------------------------------------------


def exportable_plans(*, user) -> list[AccountPlan]:
    """Current plans of the active accounts `user` directs (what their zip will contain)."""
    accounts = key_accounts_with_role(user=user, role=Role.DIRECTOR)
    return list(
        AccountPlan.objects.filter(is_current=True, key_account__in=accounts)
        .select_related("key_account__customer", "approved_by")
        .order_by("key_account__customer__name", "pk")
    )


def my_exports(*, user) -> QuerySet[PlanExport]:
    return PlanExport.objects.filter(requested_by=user).order_by("-created_at")


# ---- job runs -----------------------------------------------------------------------------

RUNS_PER_JOB = 10


def latest_runs() -> list[tuple[str, str, list[JobRun]]]:
    """The last runs of each job (one small query per job; the number of jobs is fixed)."""
    return [
        (
            job,
            label,
            list(JobRun.objects.filter(job=job).order_by("-started_at", "-pk")[:RUNS_PER_JOB]),
        )
        for job, label in JobRun.Job.choices
    ]
