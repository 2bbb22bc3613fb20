"""A small, hand-counted portfolio for Dana (people.director).

| account         | class / stage              | plan → health              | net profit   |
|-----------------|----------------------------|----------------------------|--------------|
| Northwind Foods | strategic / interdependent | approved today → 80        | 600k (500k)  |
| Baltic Marine   | star / basic               | submitted, no review → 55  | 300k         |
| Castello Hotels | status / basic             | draft, 5 overdue → 10      | 100k         |
| Dover Tools     | streamline / cooperative   | no plan                    | −100k        |
(net profit this year; last year in brackets)
Health (planning.rules): Northwind −15 for three unmeasured targets, −5 for a missed
engagement; Baltic lacks an objective with a target (−15), was never reviewed or approved
(−25) and missed its one engagement (−5), with its high-influence stakeholder;
Castello lacks an objective with a target and an engagement activity (−30), has 5 overdue
actions (−25), no review (−25) and no high-influence stakeholder (−10).
Helios Retail (other_account, Otto's) has a plan and a large opportunity Dana must never see.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import AccountEvent, Role
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    KeyAccountFactory,
    MembershipFactory,
    ObjectiveFactory,
    OpportunityFactory,
    ProfitabilityYearFactory,
    TargetFactory,
)

CSF = "Supply security; one contact for every site."


def _profit(account, year, sales, costs):
    ProfitabilityYearFactory(
        key_account=account, year=year, gross_sales=Decimal(sales), other_costs=Decimal(costs)
    )


@pytest.fixture
def portfolio(people, account, other_account):
    today = timezone.localdate()
    year = today.year
    account.customer.attractiveness_score = Decimal("80")
    account.customer.strength_score = Decimal("70")
    account.customer.sector = "Food manufacturing"
    account.customer.annual_revenue = Decimal("2000000")
    account.customer.save()
    account.relationship_stage = "interdependent"
    account.save()

    def directed(name, classification, stage, sector, attractiveness, strength):
        ka = KeyAccountFactory(
            customer__name=name,
            customer__sector=sector,
            customer__attractiveness_score=Decimal(attractiveness),
            customer__strength_score=Decimal(strength),
            classification=classification,
            relationship_stage=stage,
        )
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
        return ka

    baltic = directed("Baltic Marine", "star", "basic", "Marine services", 75, 30)
    castello = directed("Castello Hotels", "status", "basic", "Hospitality", 20, 80)
    dover = directed("Dover Tools", "streamline", "cooperative", "Retail", 10, 10)
    for ka in (baltic, castello):
        MembershipFactory(user=people.manager, key_account=ka, role=Role.MANAGER)

    now = timezone.now()
    northwind_plan = AccountPlanFactory(
        key_account=account,
        status="approved",
        approved_at=now,
        value_proposition_refreshed_on=today,
        critical_success_factors=CSF,
    )
    EngagementActivityFactory(plan=northwind_plan, next_due_on=today + timedelta(days=5))
    EngagementActivityFactory(plan=northwind_plan, next_due_on=today - timedelta(days=5))
    ActionFactory.create_batch(
        2, plan=northwind_plan, owner=people.manager, due_on=today + timedelta(days=3)
    )
    ActionFactory(
        plan=northwind_plan, owner=people.manager, due_on=today - timedelta(days=3), status="done"
    )
    objective = ObjectiveFactory(plan=northwind_plan)
    money = {"measure": "amount", "currency": "EUR", "unit": "EUR"}
    TargetFactory(objective=objective, kpi="Revenue", kind="revenue", **money,
                  target_value=Decimal("1200000"))  # fmt: skip
    TargetFactory(objective=objective, kpi="Net profit", kind="net_profit", **money,
                  target_value=Decimal("700000"))  # fmt: skip
    TargetFactory(objective=objective, kpi="Share of wallet", measure="percent", unit="%",
                  target_value=Decimal("60"))  # fmt: skip
    baltic_plan = AccountPlanFactory(
        key_account=baltic, status="submitted", submitted_at=now, critical_success_factors=CSF
    )
    baltic_plan.value_proposition_refreshed_on = today
    baltic_plan.save()
    EngagementActivityFactory(
        plan=baltic_plan,
        stakeholder__influence="high",
        our_person=people.manager,
        next_due_on=today - timedelta(days=5),
    )
    ActionFactory(plan=baltic_plan, owner=people.manager, due_on=today + timedelta(days=14))
    castello_plan = AccountPlanFactory(
        key_account=castello, status="draft", critical_success_factors=CSF
    )
    castello_plan.value_proposition_refreshed_on = today
    castello_plan.save()
    ActionFactory.create_batch(
        5, plan=castello_plan, owner=people.manager, due_on=today - timedelta(days=10)
    )
    AccountPlanFactory(key_account=other_account, status="submitted", submitted_at=now)

    _profit(account, year, 1_000_000, 400_000)
    _profit(account, year - 1, 900_000, 400_000)
    _profit(baltic, year, 500_000, 200_000)
    _profit(castello, year, 300_000, 200_000)
    _profit(dover, year, 100_000, 200_000)
    _profit(other_account, year, 9_000_000, 1_000_000)

    this_quarter = today.replace(day=1)
    next_quarter = this_quarter + timedelta(days=95)
    OpportunityFactory(
        key_account=account,
        status="won",
        quadrant="quick_win",
        lever="volume",
        annual_value=Decimal("100000"),
        expected_start_on=this_quarter,
    )
    OpportunityFactory(
        key_account=account, status="lost", lever="cross_sell", annual_value=Decimal("50000")
    )
    OpportunityFactory(
        key_account=baltic,
        status="pursuing",
        quadrant="quick_win",
        lever="volume",
        annual_value=Decimal("200000"),
        expected_start_on=next_quarter,
    )
    OpportunityFactory(key_account=baltic, status="idea", annual_value=Decimal("30000"))
    OpportunityFactory(key_account=other_account, status="pursuing", annual_value=Decimal("999000"))
    AccountEvent.objects.create(
        key_account=baltic,
        kind=AccountEvent.Kind.CLASS_CHANGED,
        summary="Class changed",
        old_value="streamline",
        new_value="star",
        occurred_at=now - timedelta(days=60),
    )
    return SimpleNamespace(
        northwind=account,
        baltic=baltic,
        castello=castello,
        dover=dover,
        helios=other_account,
        year=year,
    )
