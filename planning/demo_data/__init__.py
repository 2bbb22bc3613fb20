"""Demo data for Stage 4: a current plan for each of the 12 hand-written key accounts.

Each plan is written out in .plans (one entry per account: value proposition, SWOT,
objectives with targets, actions tied to that account's opportunities, risks and an engagement
plan with that account's stakeholders). Generated accounts (--scale) get a plan each, in bulk,
from .generated.

Idempotent: a plan is found by account + period and filled only when it is first created.
Works without the Discovery/Opportunities demo data (no stakeholder → no engagement row; no
opportunity → the action hangs under its objective only).
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.event_text import EventText
from accounts.models import AccountEvent, Membership, Role
from accounts.services import event_fields
from common.dates import at_hour
from discovery.models import Stakeholder
from opportunities.models import Opportunity

from .. import rules
from ..models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    PlanRisk,
    PlanVersion,
    Target,
)
from ..services import measurement_record, target_save
from ..snapshot import load_plan, plan_to_dict
from .generated import seed_generated
from .plans import AT_RISK, LAPSED, OFF, ON, PLANS, unit_type

# Share of the baseline→target distance reached at the latest measurement, 10 days ago (110 of
# 360 days ≈ 31 % of the time has passed): on track, at risk, off track (planning.rules).
PROGRESS = {ON: Decimal("0.36"), AT_RISK: Decimal("0.12"), OFF: Decimal("-0.05")}
BASELINE_DAYS_AGO = 120
DUE_IN_DAYS = 240
LAPSED_DAYS_AGO = 21  # a LAPSED target's due date: past, with no measurement
IN_PROGRESS_PERCENT = {"in_progress": 40, "waiting": 20, "done": 100}


def period_for(today) -> str:
    return f"FY{today.year + 1}"


def team_roles(account) -> dict:
    """Role key (as used in .plans) → user; missing roles fall back to the manager."""
    members = list(Membership.objects.filter(key_account=account).select_related("user"))
    by_role = {m.role: m.user for m in members}
    users = {m.user.username: m.user for m in members}
    manager = by_role.get(Role.MANAGER) or by_role.get(Role.DIRECTOR)
    return {
        "manager": manager,
        "director": by_role.get(Role.DIRECTOR) or manager,
        "coordinator": by_role.get(Role.COORDINATOR) or manager,
        "supply": users.get("teammember") or manager,
        "finance": users.get("financeanalyst") or manager,
    }


def _plan(ctx, account, spec) -> AccountPlan:
    team = team_roles(account)
    manager, director = team["manager"], team["director"]
    period = period_for(ctx.today)
    plan, created = AccountPlan.objects.get_or_create(
        key_account=account,
        period=period,
        defaults={
            "value_proposition": spec.value_proposition,
            "value_proposition_refreshed_on": ctx.today - timedelta(days=spec.refreshed_ago),
            "strengths": spec.strengths,
            "weaknesses": spec.weaknesses,
            "opportunities_swot": spec.opportunities_swot,
            "threats": spec.threats,
            "critical_success_factors": spec.critical_success_factors,
            "updated_by": manager,
        },
    )
    if not created:
        return plan
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.PLAN,
        **event_fields(EventText(gettext_noop("Plan %(period)s started"), period=period)),
        actor=manager,
        occurred_at=at_hour(ctx.today - timedelta(days=150), 10),
    )
    objectives = _objectives(ctx, plan, spec, team)
    if account.customer.reference in STALE_TARGETS:
        _stale_target(ctx, plan, objectives, team, STALE_TARGETS[account.customer.reference])
    _actions(ctx, plan, spec, team, objectives)
    _engagement(ctx, plan, spec, team)
    for risk in spec.risks:
        PlanRisk.objects.create(
            plan=plan,
            description=risk.description,
            likelihood=risk.likelihood,
            impact=risk.impact,
            mitigation=risk.mitigation,
            owner=team[risk.owner],
        )
    _workflow(plan, spec, director, manager)
    return plan


def _objectives(ctx, plan, spec, team) -> list[Objective]:
    objectives = []
    due_on = ctx.today + timedelta(days=DUE_IN_DAYS)
    for position, row in enumerate(spec.objectives, start=1):
        lapsed = row.progress == LAPSED
        objective = Objective.objects.create(
            plan=plan,
            title=row.title,
            rationale=row.why,
            owner=team[row.owner],
            due_on=ctx.today - timedelta(days=LAPSED_DAYS_AGO) if lapsed else due_on,
            position=position,
            is_internal=row.internal,
        )
        objectives.append(objective)
        measure, currency = unit_type(row.unit)
        target = Target.objects.create(
            objective=objective,
            kpi=row.kpi,
            kind=row.kind,
            measure=measure,
            currency=currency,
            unit=row.unit,
            baseline=row.baseline,
            baseline_on=ctx.today - timedelta(days=BASELINE_DAYS_AGO),
            target_value=row.target,
            due_on=objective.due_on,
        )
        if lapsed:
            continue  # nobody measured it: off track since its due date passed
        distance = row.target - row.baseline
        share = PROGRESS[row.progress]
        # A count is measured in whole units (8.64 SKUs launched read as made up); money to the
        # unit; other measures to the hundredth.
        step = Decimal("1") if measure in ("count", "amount") else Decimal("0.01")
        for days_ago, part in ((70, share / 2), (10, share)):
            Measurement.objects.create(
                target=target,
                measured_on=ctx.today - timedelta(days=days_ago),
                actual=(row.baseline + distance * part).quantize(step, ROUND_HALF_UP),
                comment="From the monthly account report",
                recorded_by=team[row.owner],
            )
    return objectives


# A target on track whose one measurement is older than rules.MEASURE_EVERY_DAYS, so the plan
# page, its PDF and My work ask for a new one (the account whose plan page the accessibility
# crawl reads first). Dated from today: stale whenever the demo is seeded.
# reference -> (objective position, KPI, unit, baseline, target, actual, comment)
STALE_TARGETS = {
    "C-1004": (
        2,
        "Share of Alpenmilch's packaging spend",
        "%",
        Decimal("60"),
        Decimal("65"),
        Decimal("61"),
        "From the spend analysis with Johann Hofer",
    ),
}
STALE_MEASURED_DAYS_AGO = rules.MEASURE_EVERY_DAYS + 8  # 100


def _stale_target(ctx, plan, objectives, team, row) -> None:
    """Through the plan's services, while the plan is still a draft (before _workflow)."""
    position, kpi, unit, baseline, target_value, actual, comment = row
    objective = objectives[position - 1]
    measure, currency = unit_type(unit)
    manager = team["manager"]
    target = target_save(
        objective=objective,
        data={
            "kpi": kpi,
            "measure": measure,
            "currency": currency,
            "unit": unit,
            "baseline": baseline,
            "baseline_on": ctx.today - timedelta(days=BASELINE_DAYS_AGO),
            "target_value": target_value,
            "due_on": objective.due_on,
        },
        acting_user=manager,
    )
    measurement_record(
        target=target,
        measured_on=ctx.today - timedelta(days=STALE_MEASURED_DAYS_AGO),
        actual=actual,
        comment=comment,
        acting_user=manager,
    )
    # The services moved the plan's revision and health mark: _workflow saves the whole row.
    plan.refresh_from_db()


def _actions(ctx, plan, spec, team, objectives) -> None:
    opportunities = {
        o.title: o for o in Opportunity.objects.filter(key_account_id=plan.key_account_id)
    }
    for row in spec.actions:
        due_on = ctx.today + timedelta(days=row.due_in)
        done = row.status == Action.Status.DONE
        Action.objects.create(
            plan=plan,
            opportunity=opportunities.get(row.opportunity),
            objective=objectives[row.objective - 1] if row.objective else None,
            title=row.title,
            owner=team[row.owner],
            due_on=due_on,
            status=row.status,
            progress_percent=IN_PROGRESS_PERCENT.get(row.status, 0),
            completed_on=due_on if done else None,
            # Director and finance homework that advances no opportunity is ours alone: it
            # stays out of the customer version of the plan.
            is_internal=row.owner in ("finance", "director") and not row.opportunity,
        )


def _engagement(ctx, plan, spec, team) -> None:
    people = {
        s.name: s
        for s in Stakeholder.objects.filter(
            key_account_id=plan.key_account_id, archived_at__isnull=True
        )
    }
    for row in spec.engagement:
        stakeholder = people.get(row.stakeholder)
        if stakeholder is None:
            continue
        EngagementActivity.objects.create(
            plan=plan,
            our_person=team[row.our_person],
            stakeholder=stakeholder,
            purpose=row.purpose,
            cadence=row.cadence,
            next_due_on=ctx.today + timedelta(days=row.next_due_in),
            last_held_on=(
                ctx.today - timedelta(days=row.last_held_ago)
                if row.last_held_ago is not None
                else None
            ),
        )


def _workflow(plan: AccountPlan, spec, director, manager) -> None:
    now = timezone.now()
    status = spec.status
    if status in (AccountPlan.Status.SUBMITTED, AccountPlan.Status.APPROVED):
        plan.submitted_at = now - timedelta(days=12)
    if status == AccountPlan.Status.APPROVED:
        plan.approved_at = now - timedelta(days=10)
        plan.approved_by = director
    if status == AccountPlan.Status.RETURNED:
        plan.submitted_at = now - timedelta(days=9)
        plan.return_comment = spec.return_comment
    plan.status = status
    plan.save()
    events = [(gettext_noop("Plan %(period)s submitted for approval"), manager, 12)]
    if status == AccountPlan.Status.APPROVED:
        snapshot = plan_to_dict(
            load_plan(plan),
            version={
                "kind": PlanVersion.Kind.APPROVAL,
                "number": 1,
                "created_at": plan.approved_at.isoformat(),
                "created_by": str(director),
                "comment": "Good plan — keep the quick wins visible.",
            },
        )
        version = PlanVersion.objects.create(
            plan=plan,
            kind=PlanVersion.Kind.APPROVAL,
            number=1,
            snapshot=snapshot,
            created_by=director,
        )
        # Frozen when the director approved it (created_at is set on insert): else the
        # versions page and the customer workspace dated version 1 to the day of the seeding
        # while the plan page says it was approved ten days ago.
        PlanVersion.objects.filter(pk=version.pk).update(created_at=plan.approved_at)
        events.append(
            (gettext_noop("Plan %(period)s approved as version %(number)s"), director, 10)
        )
    elif status == AccountPlan.Status.RETURNED:
        events.append((gettext_noop("Plan %(period)s returned with comments"), director, 8))
    elif status == AccountPlan.Status.DRAFT:
        events = []
    for message, actor, days_ago in events:
        AccountEvent.objects.create(
            key_account=plan.key_account,
            kind=AccountEvent.Kind.PLAN,
            **event_fields(EventText(message, period=plan.period, number=1)),
            actor=actor,
            occurred_at=now - timedelta(days=days_ago),
        )


def seed(ctx) -> None:
    hand_written = [a for a in ctx.accounts[:12] if a.is_active and a.customer.reference in PLANS]
    for account in hand_written:
        _plan(ctx, account, PLANS[account.customer.reference])
    created = seed_generated(ctx, period_for(ctx.today))
    ctx.say(
        f"Plans: a current plan for {len(hand_written)} hand-written key accounts"
        f" and {created} generated ones."
    )
