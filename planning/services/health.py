"""Plan health: invalidating, refreshing and recording the stored health of plans."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from datetime import timedelta
from functools import reduce, wraps
from operator import or_

from django.db import OperationalError, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    F,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from common.compiled import CompiledPerKey

from ..models import (
    AccountPlan,
    HealthRecord,
)
from ..selectors import action_counts, health_for_plans

log = logging.getLogger(__name__)

HEALTH_BATCH = 500
HEALTH_HISTORY_DAYS = 400  # a year of trend and a little more; older records are deleted
DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE


def plan_health_invalidate(*, plans: QuerySet[AccountPlan]) -> int:
    """Something a health rule reads has changed: the stored score is stale from now on and is
    recomputed on its next read. Bumping the version makes a refresh that read the old facts
    store nothing (see plan_health_refresh). The plan page shows health, so its cached
    document is stale too (`content_version`, planning.page_cache)."""
    return plans.update(
        health_on=None,
        health_version=F("health_version") + 1,
        content_version=F("content_version") + _content_step_value(),
    )


def plan_content_invalidate(*, plans: QuerySet[AccountPlan]) -> int:
    """Something the plan page shows has changed (but nothing health reads): the page's cached
    document of these plans is stale (planning.page_cache)."""
    return plans.update(content_version=F("content_version") + _content_step_value())


def content_step() -> int:
    """How far a change moves the content version: a random step, not one, so that a version
    read inside a transaction that was then rolled back (a page drawn inside a test's or a
    bench's transaction) is not reached again by the next change with other content. 2**31
    changes a plan before the field's range ends."""
    return secrets.randbelow(2**32) + 1


def _content_step_value() -> Value:
    """A content step inside an expression, typed as the 64-bit column it is added to: a bare
    int beside an F() is taken as a 32-bit integer, which a step above 2**31 overflows when
    the parameter is bound on the server (prepared statements, kam/settings.py)."""
    return Value(content_step(), output_field=BigIntegerField())


class _StalePlans:
    """What a running `plan_write` has made stale so far."""

    def __init__(self):
        self.wheres: dict[Q, None] = {}  # filters on AccountPlan, in order, without repeats
        self.marked: set[int] = set()  # plans whose own save already marked them
        # What only the plan page's cached document reads (plan_content_changed).
        self.content_wheres: dict[Q, None] = {}

    def to_mark(self) -> list[Q]:
        done = {Q(pk=pk) for pk in self.marked}
        return [where for where in self.wheres if where not in done]

    def content_to_mark(self) -> list[Q]:
        done = {Q(pk=pk) for pk in self.marked} | set(self.wheres)
        return [where for where in self.content_wheres if where not in done]


_stale_in_write: ContextVar[_StalePlans | None] = ContextVar("planning_stale_plans", default=None)


def plan_health_changed(*, where: Q) -> None:
    """Something a health rule reads has changed for the plans matching `where`. Inside a
    `plan_write` the plans are remembered and marked stale once, in one query, when the write
    ends (still inside its transaction); elsewhere they are marked stale at once."""
    pending = _stale_in_write.get()
    if pending is None:
        plan_health_invalidate(plans=AccountPlan.objects.filter(where))
    else:
        pending.wheres[where] = None


def plan_content_changed(*, where: Q) -> None:
    """Something the plan page shows (and health does not read) has changed for the plans
    matching `where`: as plan_health_changed, once per `plan_write`, and no query at all when
    the same write marks those plans' health stale anyway (that moves the content version)."""
    pending = _stale_in_write.get()
    if pending is None:
        plan_content_invalidate(plans=AccountPlan.objects.filter(where))
    else:
        pending.content_wheres[where] = None


def plan_health_mark_in_save(plan: AccountPlan) -> list[str]:
    """Mark a plan read under a row lock stale as part of its own coming save (no query of its
    own); returns the fields to add to that save's `update_fields`. The running `plan_write`
    then leaves the plan out at its end: its row stays locked until the transaction ends, so
    one mark per transaction is enough (a health refresh meanwhile waits for the lock, then
    finds the version moved and stores nothing)."""
    plan.health_on = None
    plan.health_version += 1  # the row is locked: a plain increment loses nothing
    plan.content_version += content_step()
    pending = _stale_in_write.get()
    if pending is not None:
        pending.marked.add(plan.pk)
    return ["health_on", "health_version", "content_version"]


def plan_write(func: Callable) -> Callable:
    """A plan service's transaction: `transaction.atomic`, and every health change its saves
    announce (an item's post_save and the plan's own, often the same plan twice) marks the
    plans stale in one query at the end, inside the transaction, so a health refresh never
    sees the change without the stale mark; a plan whose own save marked it
    (`plan_health_mark_in_save`) costs no query at all. A write called inside another joins
    the outer one's set."""

    @wraps(func)
    @transaction.atomic
    def write(*args, **kwargs):
        if _stale_in_write.get() is not None:
            return func(*args, **kwargs)
        pending = _StalePlans()
        token = _stale_in_write.set(pending)
        try:
            result = func(*args, **kwargs)
        finally:
            _stale_in_write.reset(token)
        wheres = pending.to_mark()
        if wheres:
            plan_health_invalidate(plans=AccountPlan.objects.filter(reduce(or_, wheres)))
        content = pending.content_to_mark()
        if content:
            plan_content_invalidate(plans=AccountPlan.objects.filter(reduce(or_, content)))
        return result

    return write


def plan_health_refresh(
    *, plans: QuerySet[AccountPlan] | None = None, today=None, plans_key: Hashable | None = None
) -> int:
    """Store today's health score, with the open and overdue actions beside it, of every
    current plan (of `plans`, or all) whose stored score is not from today; returns how many
    were recomputed. Nothing to do costs one query;
    otherwise eight a batch of HEALTH_BATCH plans. A plan that changed while its facts were
    read keeps its stale mark (the version no longer matches) and is recomputed next time.

    Run daily by the job rhythm.refresh_plan_health just after midnight (scores depend on the
    date: due dates pass, reviews age), and by the portfolio dashboard for its own accounts
    before it reads them, so a score is never older than the last change or the day.

    `plans_key`: something that fixes `plans`' SQL and parameters (the dashboard's key of its
    account scope); with it the read of the stale plans is compiled once per key and day
    (bench/README.md, finding 52)."""
    today = today or timezone.localdate()

    def stale_plans(_ids) -> QuerySet[AccountPlan]:
        stale = AccountPlan.objects.filter(is_current=True).exclude(health_on=today)
        if plans is not None:
            stale = stale.filter(pk__in=plans.values("pk"))
        return stale.only(
            "pk",
            "key_account_id",
            "approved_at",
            "value_proposition",
            "value_proposition_refreshed_on",
            "critical_success_factors",
            "health_version",
        ).order_by("pk")

    if plans is not None and plans_key is not None:
        rows = _STALE_PLANS.rows((plans_key, today), stale_plans)
    else:
        rows = list(stale_plans(()))
    for start in range(0, len(rows), HEALTH_BATCH):
        batch = rows[start : start + HEALTH_BATCH]
        health = health_for_plans(batch, today=today)
        counts = action_counts([p.pk for p in batch], today=today)
        unchanged = {p.pk: Q(pk=p.pk, health_version=p.health_version) for p in batch}
        try:
            with transaction.atomic():  # a savepoint inside a caller's transaction
                _store_health(batch, health, counts, unchanged, today)
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


_STALE_PLANS = CompiledPerKey(maxsize=16)


def _store_health(batch, health, counts, unchanged, today) -> None:
    def stored(field: str, values: dict[int, int], output) -> Case:
        return Case(
            *[When(unchanged[p.pk], then=Value(values[p.pk])) for p in batch],
            default=F(field),
            output_field=output,
        )

    AccountPlan.objects.filter(pk__in=unchanged).update(
        health_score=stored(
            "health_score", {p.pk: health[p.pk].score for p in batch}, PositiveSmallIntegerField()
        ),
        open_actions=stored(
            "open_actions",
            {p.pk: counts.get(p.pk, (0, 0))[0] for p in batch},
            PositiveIntegerField(),
        ),
        overdue_actions=stored(
            "overdue_actions",
            {p.pk: counts.get(p.pk, (0, 0))[1] for p in batch},
            PositiveIntegerField(),
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
