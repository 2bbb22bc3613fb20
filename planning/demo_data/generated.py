# ruff: noqa: E501 -- data tables read best one row per line.
"""Plans for generated accounts (--scale), in bulk: per account a current plan with
OBJECTIVES_PER_PLAN objectives (one target and two measurements each), ACTIONS_PER_PLAN
actions owned by the account's generated director and manager, an engagement plan with its
most influential stakeholders, and two risks.

Accounts that already have a plan are skipped (one query), so a rerun creates nothing. The
plans are drafts, submitted or returned: an approved plan needs a frozen snapshot
(planning.snapshot), which costs queries per plan and is left to the hand-written accounts.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import F

from accounts.models import Membership, Role
from discovery.models import Level, Stakeholder
from opportunities.models import Opportunity

from ..models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    PlanRisk,
    Target,
)
from .plans import unit_type

BATCH = 2000
OBJECTIVES_PER_PLAN = 3
ACTIONS_PER_PLAN = 50
STEPS_PER_WORKSTREAM = 5

# title, why, KPI, unit, baseline, target
# fmt: off
OBJECTIVE_TEMPLATES = [
    ("Grow our share of wallet in the core categories", "They still buy most of these categories from competitors.", "Share of wallet", "%", "18", "30"),
    ("Take cost out of the joint supply chain", "Their finance director's priority this year.", "Cost to serve", "% of sales", "9.5", "7.0"),
    ("Build a joint innovation pipeline", "Moves the relationship from cooperative towards interdependent.", "Joint projects live", "projects", "0", "3"),
    ("Lift on-time-in-full delivery", "Two late deliveries last quarter put our preferred status at risk.", "On time in full", "%", "91", "97"),
    ("Win the renewal of the framework agreement", "The framework carries two thirds of our volume with them.", "Volume under contract", "%", "60", "90"),
    ("Widen our contacts beyond procurement", "One buyer is our only regular contact.", "Senior contacts met", "people", "1", "5"),
]
# fmt: on
# Share of the baseline→target distance reached: on track, at risk, off track (see .plans).
PROGRESS_SHARES = [Decimal("0.36"), Decimal("0.12"), Decimal("-0.05")]
STEPS = [
    "Qualify the need with their buyer",
    "Send the proposal",
    "Agree the pilot scope",
    "Review the pilot results",
    "Agree the roll-out plan",
]
PURPOSES = [
    ("Quarterly business review", "quarterly"),
    ("Monthly commercial review", "monthly"),
    ("Half-yearly executive meeting", "half_yearly"),
]
# fmt: off
RISKS = [
    ("A competitor undercuts us in the next tender", "high", "high", "Quantify our total cost of ownership advantage before the tender opens."),
    ("Our main contact moves to another role", "medium", "high", "Build a second relationship at head-of-department level this quarter."),
    ("Our plant capacity limits the volume growth", "low", "medium", "Book extra capacity with operations for the peak season."),
]
# fmt: on
STATUSES = [AccountPlan.Status.DRAFT, AccountPlan.Status.SUBMITTED, AccountPlan.Status.RETURNED]
STATUS_WEIGHTS = [4, 4, 1]


def _action_status(rng, overdue: bool) -> tuple[str, int]:
    """Past due: mostly done, the rest overdue; not yet due: mostly open."""
    if overdue:
        if rng.random() < 0.75:
            return Action.Status.DONE, 100
        return rng.choice([(Action.Status.OPEN, 0), (Action.Status.IN_PROGRESS, 40)])
    return rng.choices(
        [(Action.Status.OPEN, 0), (Action.Status.IN_PROGRESS, 40), (Action.Status.WAITING, 20)],
        weights=[6, 3, 1],
    )[0]


def seed_generated(ctx, period: str) -> int:
    """Returns the number of plans created."""
    generated = [a for a in ctx.accounts if a.customer.reference.startswith("GEN-")]
    if not generated:
        return 0
    gen = {"key_account__customer__reference__startswith": "GEN-"}
    done = set(
        AccountPlan.objects.filter(**gen, is_current=True).values_list("key_account_id", flat=True)
    )
    todo = [a for a in generated if a.pk not in done]
    if not todo:
        return 0
    team = defaultdict(dict)
    for account_id, role, user_id in Membership.objects.filter(
        **gen, role__in=[Role.DIRECTOR, Role.MANAGER]
    ).values_list("key_account_id", "role", "user_id"):
        team[account_id][role] = user_id
    opportunities = defaultdict(list)
    for account_id, pk, title in (
        Opportunity.objects.filter(**gen)
        .order_by(F("priority").desc(nulls_last=True), "pk")
        .values_list("key_account_id", "pk", "title")
    ):
        opportunities[account_id].append((pk, title))
    key_people = defaultdict(list)
    for account_id, pk in (
        Stakeholder.objects.filter(**gen, influence=Level.HIGH)
        .order_by("pk")
        .values_list("key_account_id", "pk")
    ):
        key_people[account_id].append(pk)

    rng, today = ctx.rng, ctx.today
    plans = []
    for account in todo:
        manager = team[account.pk].get(Role.MANAGER)
        plans.append(
            AccountPlan(
                key_account=account,
                period=period,
                status=rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0],
                value_proposition=(
                    f"We help {account.name} grow profitably by taking cost and risk out of "
                    "their supply chain and bringing them new products first — measured in "
                    "their margin, not in our discounts."
                ),
                value_proposition_refreshed_on=today - timedelta(days=rng.randint(10, 400)),
                strengths="Reliable supply and a dedicated account team.",
                weaknesses="Few contacts above procurement.",
                opportunities_swot="Their sustainability targets and growth plans.",
                threats="A low-cost competitor is courting their procurement team.",
                critical_success_factors="A senior sponsor on both sides\nA shared forecast",
                updated_by_id=manager,
            )
        )
    AccountPlan.objects.bulk_create(plans, batch_size=BATCH)

    objectives, targets = [], []
    for plan in plans:
        owners = team[plan.key_account_id]
        for position, (title, why, kpi, unit, baseline, target) in enumerate(
            rng.sample(OBJECTIVE_TEMPLATES, OBJECTIVES_PER_PLAN), start=1
        ):
            objective = Objective(
                plan=plan,
                title=title,
                rationale=why,
                owner_id=owners.get(Role.MANAGER),
                due_on=today + timedelta(days=240),
                position=position,
            )
            objectives.append(objective)
            targets.append(
                Target(
                    objective=objective,
                    kpi=kpi,
                    measure=unit_type(unit)[0],
                    unit=unit,
                    baseline=Decimal(baseline),
                    baseline_on=today - timedelta(days=120),
                    target_value=Decimal(target),
                    due_on=today + timedelta(days=240),
                )
            )
    Objective.objects.bulk_create(objectives, batch_size=BATCH)
    Target.objects.bulk_create(targets, batch_size=BATCH)
    measurements = []
    for target in targets:
        share = rng.choice(PROGRESS_SHARES)
        distance = target.target_value - target.baseline
        for days_ago, part in ((70, share / 2), (10, share)):
            measurements.append(
                Measurement(
                    target=target,
                    measured_on=today - timedelta(days=days_ago),
                    actual=(target.baseline + distance * part).quantize(Decimal("0.01")),
                    comment="From the monthly account report",
                    recorded_by_id=target.objective.owner_id,
                )
            )
    Measurement.objects.bulk_create(measurements, batch_size=BATCH)

    by_plan = defaultdict(list)
    for objective in objectives:
        by_plan[objective.plan_id].append(objective)
    actions, engagement, risks = [], [], []
    for plan in plans:
        owners = team[plan.key_account_id]
        manager, director = owners.get(Role.MANAGER), owners.get(Role.DIRECTOR)
        plan_objectives = by_plan[plan.pk]
        # Workstreams: the account's opportunities (best first), else the plan's objectives.
        streams = opportunities.get(plan.key_account_id) or [
            (None, o.title) for o in plan_objectives
        ]
        for n in range(ACTIONS_PER_PLAN):
            opportunity_id, subject = streams[(n // STEPS_PER_WORKSTREAM) % len(streams)]
            due_on = today + timedelta(days=-90 + n * 5 + rng.randint(-3, 3))
            status, progress = _action_status(rng, due_on < today)
            actions.append(
                Action(
                    plan=plan,
                    opportunity_id=opportunity_id,
                    objective=plan_objectives[(n // STEPS_PER_WORKSTREAM) % len(plan_objectives)],
                    title=f"{STEPS[n % STEPS_PER_WORKSTREAM]}: {subject}"[:250],
                    owner_id=director if rng.random() < 0.3 else manager,
                    due_on=due_on,
                    status=status,
                    progress_percent=progress,
                    completed_on=due_on if status == Action.Status.DONE else None,
                )
            )
        for (purpose, cadence), stakeholder_id in zip(
            PURPOSES, key_people.get(plan.key_account_id, []), strict=False
        ):
            engagement.append(
                EngagementActivity(
                    plan=plan,
                    our_person_id=director if cadence == "half_yearly" else manager,
                    stakeholder_id=stakeholder_id,
                    purpose=purpose,
                    cadence=cadence,
                    next_due_on=today + timedelta(days=rng.randint(-20, 90)),
                    last_held_on=today - timedelta(days=rng.randint(5, 120)),
                )
            )
        for description, likelihood, impact, mitigation in rng.sample(RISKS, 2):
            risks.append(
                PlanRisk(
                    plan=plan,
                    description=description,
                    likelihood=likelihood,
                    impact=impact,
                    mitigation=mitigation,
                    owner_id=manager,
                )
            )
    Action.objects.bulk_create(actions, batch_size=BATCH)
    EngagementActivity.objects.bulk_create(engagement, batch_size=BATCH)
    PlanRisk.objects.bulk_create(risks, batch_size=BATCH)
    return len(plans)
