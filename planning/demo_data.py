"""Demo data for Stage 4: a current plan for each of the 12 hand-written key accounts.

Idempotent: every row is found by a stable key (plan by account+period, items by plan+text)
before it is created. Works without the Discovery/Opportunities demo data (no stakeholders
→ no engagement plan; no opportunities → actions hang under objectives).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import AccountEvent, Membership, Role
from discovery.models import Stakeholder
from opportunities.models import Opportunity

from .models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    PlanRisk,
    PlanVersion,
    Target,
)
from .snapshot import load_plan, plan_to_dict, pursued_opportunities_q

STATUSES = [
    AccountPlan.Status.APPROVED,
    AccountPlan.Status.SUBMITTED,
    AccountPlan.Status.DRAFT,
    AccountPlan.Status.RETURNED,
]

# title, why, KPI, unit, baseline, target
OBJECTIVES = [
    (
        "Grow our share of wallet in the core categories",
        "They buy two thirds of these categories from competitors; we win on service.",
        "Share of wallet",
        "%",
        Decimal("18"),
        Decimal("30"),
    ),
    (
        "Take cost out of the joint supply chain",
        "Their CFO's priority this year; frees budget for the innovation projects.",
        "Cost to serve",
        "% of sales",
        Decimal("9.5"),
        Decimal("7.0"),
    ),
    (
        "Build a joint innovation pipeline",
        "Moves the relationship from cooperative towards interdependent.",
        "Joint projects live",
        "projects",
        Decimal("0"),
        Decimal("3"),
    ),
    (
        "Lift on-time-in-full delivery",
        "Two late deliveries last quarter put the preferred-supplier status at risk.",
        "On time in full",
        "%",
        Decimal("91"),
        Decimal("97"),
    ),
]
# Share of the baseline→target distance reached at the measurement (110 of 360 days ≈ 31 %
# of the time): on track, at risk, off track.
PROGRESS_FACTORS = [Decimal("0.36"), Decimal("0.12"), Decimal("-0.05")]

ACTIONS = [
    ("Run the joint value workshop with their category team", -12),
    ("Send the cost-to-serve analysis to their finance lead", -3),
    ("Agree the quarterly business review agenda", 4),
    ("Prepare trial volumes for the new product line", 9),
    ("Map the decision process for the 2027 tender", 13),
    ("Set up the shared forecast with their planners", 20),
    ("Present the packaging reduction proposal", 28),
    ("Visit the new distribution centre with our supply chain lead", 35),
    ("Draft the joint innovation charter", 45),
    ("Review credit terms with commercial finance", 52),
    ("Introduce our CEO to their board sponsor", 60),
    ("Close the service-level agreement renewal", 75),
]

RISKS = [
    (
        "A competitor undercuts us in the next tender",
        "high",
        "high",
        "Quantify our total cost of ownership advantage before the tender opens.",
    ),
    (
        "Our champion in procurement moves to another role",
        "medium",
        "high",
        "Build a second relationship at head-of-category level this quarter.",
    ),
    (
        "Capacity at our plant limits the volume growth",
        "low",
        "medium",
        "Book extra capacity with operations for the peak season.",
    ),
]

ENGAGEMENT = [
    ("Quarterly business review", "quarterly", 20),
    ("Monthly operations check-in", "monthly", -5),
    ("Innovation steering", "quarterly", 40),
]


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _team(account) -> dict[str, list]:
    team: dict[str, list] = {}
    for membership in Membership.objects.filter(key_account=account).select_related("user"):
        team.setdefault(membership.role, []).append(membership.user)
    return team


def _owners(team: dict[str, list]) -> list:
    """Who takes actions: manager first, then coordinator, team members, director."""
    order = [Role.MANAGER, Role.COORDINATOR, Role.TEAM_MEMBER, Role.DIRECTOR]
    return [user for role in order for user in team.get(role, [])]


def _plan(ctx, account, index: int) -> AccountPlan | None:
    period = f"FY{ctx.today.year + 1}"
    team = _team(account)
    director = (team.get(Role.DIRECTOR) or [None])[0]
    manager = (team.get(Role.MANAGER) or [director])[0]
    plan, created = AccountPlan.objects.get_or_create(
        key_account=account,
        period=period,
        defaults={
            "value_proposition": (
                f"We help {account.name} grow profitably by taking cost and risk out of their "
                "supply chain and by bringing them new products first — measured in their "
                "margin, not in our discounts."
            ),
            "value_proposition_refreshed_on": ctx.today - timedelta(days=30 + index * 37),
            "strengths": "Reliable supply, a dedicated team and a technical service they value.",
            "weaknesses": "Few contacts above procurement; our price list is above the market.",
            "opportunities_swot": "Their sustainability targets; a new plant opening next year.",
            "threats": "A low-cost competitor is courting their procurement team.",
            "critical_success_factors": (
                "Board-level sponsor on both sides\nA shared forecast\nQuick wins in the "
                "first quarter to build credibility"
            ),
            "updated_by": manager,
        },
    )
    if not created:
        return plan
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.PLAN,
        summary=f"Plan {period} started",
        actor=manager,
        occurred_at=_aware(ctx.today - timedelta(days=150)),
    )
    owners = _owners(team) or [None]
    opportunities = list(
        Opportunity.objects.filter(pursued_opportunities_q(), key_account=account).order_by(
            "-priority", "pk"
        )
    )
    objectives = []
    for o_index, (title, why, kpi, unit, baseline, target_value) in enumerate(
        OBJECTIVES[: 2 + index % 3]
    ):
        objective = Objective.objects.create(
            plan=plan,
            title=title,
            rationale=why,
            owner=owners[o_index % len(owners)],
            due_on=ctx.today + timedelta(days=240),
            position=o_index + 1,
            is_internal=o_index == 1,
        )
        objectives.append(objective)
        target = Target.objects.create(
            objective=objective,
            kpi=kpi,
            unit=unit,
            baseline=baseline,
            baseline_on=ctx.today - timedelta(days=120),
            target_value=target_value,
            due_on=ctx.today + timedelta(days=240),
        )
        factor = PROGRESS_FACTORS[(index + o_index) % len(PROGRESS_FACTORS)]
        distance = target_value - baseline
        for days_ago, share in ((70, factor / 2), (10, factor)):
            Measurement.objects.create(
                target=target,
                measured_on=ctx.today - timedelta(days=days_ago),
                actual=(baseline + distance * share).quantize(Decimal("0.01")),
                comment="From the monthly account report",
                recorded_by=manager,
            )
    count = 5 + (index * 3) % 8
    for a_index, (title, due_in) in enumerate(ACTIONS[:count]):
        due_on = ctx.today + timedelta(days=due_in)
        done = a_index in (2, 6)
        status = (
            Action.Status.DONE
            if done
            else (Action.Status.IN_PROGRESS if a_index % 3 == 1 else Action.Status.OPEN)
        )
        Action.objects.create(
            plan=plan,
            opportunity=opportunities[a_index % len(opportunities)] if opportunities else None,
            objective=objectives[a_index % len(objectives)],
            title=title,
            owner=owners[a_index % len(owners)],
            due_on=due_on,
            status=status,
            progress_percent=100 if done else (40 if status == Action.Status.IN_PROGRESS else 0),
            completed_on=due_on if done else None,
            is_internal=a_index == 9,
        )
    rank = {"high": 0, "medium": 1, "low": 2}
    stakeholders = sorted(
        Stakeholder.objects.filter(key_account=account, archived_at__isnull=True),
        key=lambda s: (rank.get(s.influence, 3), s.name),
    )[:3]
    for (purpose, cadence, due_in), stakeholder in zip(ENGAGEMENT, stakeholders, strict=False):
        EngagementActivity.objects.create(
            plan=plan,
            our_person=manager if cadence == "monthly" else (director or manager),
            stakeholder=stakeholder,
            purpose=purpose,
            cadence=cadence,
            next_due_on=ctx.today + timedelta(days=due_in),
            last_held_on=ctx.today - timedelta(days=60),
        )
    for description, likelihood, impact, mitigation in RISKS[: 2 + index % 2]:
        PlanRisk.objects.create(
            plan=plan,
            description=description,
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation,
            owner=manager,
        )
    _workflow(ctx, plan, STATUSES[index % len(STATUSES)], director, manager)
    return plan


def _workflow(ctx, plan: AccountPlan, status: str, director, manager) -> None:
    now = timezone.now()
    if status in (AccountPlan.Status.SUBMITTED, AccountPlan.Status.APPROVED):
        plan.submitted_at = now - timedelta(days=12)
    if status == AccountPlan.Status.APPROVED:
        plan.approved_at = now - timedelta(days=10)
        plan.approved_by = director
    if status == AccountPlan.Status.RETURNED:
        plan.submitted_at = now - timedelta(days=9)
        plan.return_comment = (
            "The cost-to-serve target needs a baseline from finance, and the engagement plan "
            "has nobody meeting their operations director."
        )
    plan.status = status
    plan.save()
    events = [("Plan submitted for approval", manager, 12)]
    if status == AccountPlan.Status.APPROVED:
        snapshot = plan_to_dict(
            load_plan(plan),
            version={
                "number": 1,
                "created_at": plan.approved_at.isoformat(),
                "created_by": str(director),
                "comment": "Good plan — keep the quick wins visible.",
            },
        )
        PlanVersion.objects.create(
            plan=plan, number=1, snapshot=snapshot, reason="approved", created_by=director
        )
        events.append(("Plan approved as version 1", director, 10))
    elif status == AccountPlan.Status.RETURNED:
        events.append(("Plan returned with comments", director, 8))
    elif status == AccountPlan.Status.DRAFT:
        events = []
    for summary, actor, days_ago in events:
        AccountEvent.objects.create(
            key_account=plan.key_account,
            kind=AccountEvent.Kind.PLAN,
            summary=f"{summary} ({plan.period})",
            actor=actor,
            occurred_at=now - timedelta(days=days_ago),
        )


def seed(ctx) -> None:
    hand_written = [a for a in ctx.accounts[:12] if a.is_active]
    for index, account in enumerate(hand_written):
        _plan(ctx, account, index)
    ctx.say(f"Plans: a current plan for {len(hand_written)} hand-written key accounts.")
