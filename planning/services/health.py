"""Plan health: invalidating, refreshing and recording the stored health of plans."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db import OperationalError, transaction
from django.db.models import (
    Case,
    DateField,
    F,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from ..models import (
    AccountPlan,
    HealthRecord,
)
from ..selectors import health_for_plans

log = logging.getLogger(__name__)

HEALTH_BATCH = 500
HEALTH_HISTORY_DAYS = 400  # a year of trend and a little more; older records are deleted
DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE


def plan_health_invalidate(*, plans: QuerySet[AccountPlan]) -> int:
    """Something a health rule reads has changed: the stored score is stale from now on and is
    recomputed on its next read. Bumping the version makes a refresh that read the old facts
    store nothing (see plan_health_refresh)."""
    return plans.update(health_on=None, health_version=F("health_version") + 1)


def plan_health_refresh(*, plans: QuerySet[AccountPlan] | None = None, today=None) -> int:
    """Store today's health score of every current plan (of `plans`, or all) whose stored
    score is not from today; returns how many were recomputed. Nothing to do costs one query;
    otherwise seven a batch of HEALTH_BATCH plans. A plan that changed while its facts were
    read keeps its stale mark (the version no longer matches) and is recomputed next time.

    Run daily by the job rhythm.refresh_plan_health just after midnight (scores depend on the
    date: due dates pass, reviews age), and by the portfolio dashboard for its own accounts
    before it reads them, so a score is never older than the last change or the day."""
    today = today or timezone.localdate()
    stale = AccountPlan.objects.filter(is_current=True).exclude(health_on=today)
    if plans is not None:
        stale = stale.filter(pk__in=plans.values("pk"))
    rows = list(
        stale.only(
            "pk",
            "key_account_id",
            "approved_at",
            "value_proposition",
            "value_proposition_refreshed_on",
            "critical_success_factors",
            "health_version",
        ).order_by("pk")
    )
    for start in range(0, len(rows), HEALTH_BATCH):
        batch = rows[start : start + HEALTH_BATCH]
        health = health_for_plans(batch, today=today)
        unchanged = {p.pk: Q(pk=p.pk, health_version=p.health_version) for p in batch}
        try:
            with transaction.atomic():  # a savepoint inside a caller's transaction
                _store_health(batch, health, unchanged, today)
        except OperationalError as error:
            # Two refreshes of overlapping plans (the nightly job and a dashboard view) may lock
            # rows in different orders; PostgreSQL then cancels one. Its plans stay stale and
            # are recomputed on their next read: no page fails for a cache fill.
            if getattr(error.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
                raise
            log.warning(
                "Plan health: lost a deadlock storing %s scores; they stay stale", len(batch)
            )
    return len(rows)


def _store_health(batch, health, unchanged, today) -> None:
    AccountPlan.objects.filter(pk__in=unchanged).update(
        health_score=Case(
            *[When(unchanged[p.pk], then=Value(health[p.pk].score)) for p in batch],
            default=F("health_score"),
            output_field=PositiveSmallIntegerField(),
        ),
        health_on=Case(
            When(reduce(or_, unchanged.values()), then=Value(today)),
            default=F("health_on"),
            output_field=DateField(),
        ),
    )


def plan_health_record(*, today=None) -> dict:
    """Keep today's stored score of every current plan as a HealthRecord (the dashboard's
    trend) and delete records older than HEALTH_HISTORY_DAYS. Run by the nightly job right
    after plan_health_refresh; a second run the same day records nothing (one record per plan
    and day, a database constraint)."""
    today = today or timezone.localdate()
    scored = AccountPlan.objects.filter(
        is_current=True, health_on=today, health_score__isnull=False
    ).values_list("pk", "health_score")
    recorded_today = HealthRecord.objects.filter(recorded_on=today)
    before = recorded_today.count()
    HealthRecord.objects.bulk_create(
        [HealthRecord(plan_id=pk, recorded_on=today, score=score) for pk, score in scored],
        ignore_conflicts=True,
        batch_size=1000,
    )
    cutoff = today - timedelta(days=HEALTH_HISTORY_DAYS)
    deleted, _ = HealthRecord.objects.filter(recorded_on__lt=cutoff).delete()
    return {"recorded": recorded_today.count() - before, "deleted": deleted}
