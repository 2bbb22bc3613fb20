from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.models import Opportunity

from ..factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    ObjectiveFactory,
    OpportunityFactory,
    StakeholderFactory,
    TargetFactory,
)
from .factories import MeasurementFactory, PlanRiskFactory


@pytest.fixture
def plan(account, people):
    return AccountPlanFactory(key_account=account, period="FY2027", updated_by=people.manager)


def fill_plan(plan, people, *, actions=6, stakeholders=4, objectives=2, opportunities=2):
    """A plan with content in every section; sizes are parameters for scale tests."""
    account = plan.key_account
    plan.critical_success_factors = "On-time delivery above 98 %; one contact for every site."
    plan.save(update_fields=["critical_success_factors"])
    team = [people.manager, people.coordinator, people.team_member, people.director]
    people_rows = [
        StakeholderFactory(
            key_account=account,
            name=f"Stakeholder {i:02d}",
            influence=["high", "medium", "low"][i % 3],
            attitude=["champion", "supporter", "neutral", "sceptic", "blocker"][i % 5],
        )
        for i in range(stakeholders)
    ]
    opps = [
        OpportunityFactory(
            key_account=account,
            title=f"Pursued opportunity {i}",
            decision=Opportunity.Decision.PURSUE,
            status=Opportunity.Status.PURSUING,
        )
        for i in range(opportunities)
    ]
    objective_rows = []
    for i in range(objectives):
        objective = ObjectiveFactory(plan=plan, title=f"Objective number {i}", owner=people.manager)
        target = TargetFactory(objective=objective, kpi=f"KPI {i}")
        MeasurementFactory(target=target)
        objective_rows.append(objective)
    for i in range(actions):
        ActionFactory(
            plan=plan,
            title=f"Action {i:02d}",
            owner=team[i % len(team)],
            opportunity=opps[i % len(opps)] if opps else None,
            objective=objective_rows[i % len(objective_rows)] if objective_rows else None,
            due_on=timezone.localdate() + timedelta(days=i - 3),
        )
    for stakeholder in people_rows[:3]:
        EngagementActivityFactory(plan=plan, stakeholder=stakeholder, our_person=people.manager)
    PlanRiskFactory(plan=plan, description="Competitor undercuts our price", owner=people.manager)
    return plan


@pytest.fixture
def full_plan(plan, people):
    return fill_plan(plan, people)
