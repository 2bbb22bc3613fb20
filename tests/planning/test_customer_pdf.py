"""The customer version of the plan PDF (`?audience=customer`).

It is printed from the last *approved* version only (a frozen snapshot), never from a draft or
a returned plan, and it holds only what a customer should read. Each test plants one internal
thing on an approved plan and checks that the customer PDF's text lacks it while it still
shows the customer-safe content next to it.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from opportunities.models import Opportunity
from planning import services
from planning.models import AccountPlan, Action, PlanVersion
from planning.snapshot import customer_version, load_plan, plan_to_dict

from ..factories import (
    ActionFactory,
    EngagementActivityFactory,
    ObjectiveFactory,
    OpportunityFactory,
    StakeholderFactory,
    TargetFactory,
)
from .factories import MeasurementFactory, PlanRiskFactory

TODAY = timezone.localdate


@pytest.fixture
def plan(account, people):
    return AccountPlan.objects.create(
        key_account=account,
        period="FY2027",
        value_proposition="We keep your shelves full through the winter peak.",
        strengths="Their buyer trusts us",
        weaknesses="Our transport cost is too high",
        opportunities_swot="Their new region",
        threats="A cheaper rival courts their CFO",
        critical_success_factors="Protect our margin",
    )


def complete(plan, people) -> None:
    """The parts a plan needs before it can be approved, where a test has not planted its own."""
    if not plan.objectives.filter(targets__isnull=False).exists():
        TargetFactory(objective=ObjectiveFactory(plan=plan, title="Keep the winter range on shelf"))
    if not plan.actions.filter(owner__isnull=False, due_on__isnull=False).exists():
        ActionFactory(plan=plan, title="Send the winter forecast", owner=people.manager)
    if not plan.engagement_activities.exists():
        EngagementActivityFactory(plan=plan, our_person=people.manager)


def approve(plan, people) -> PlanVersion:
    complete(plan, people)
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    plan.refresh_from_db()
    return services.plan_approve(plan=plan, acting_user=people.director)


def customer_pdf(client, plan) -> str:
    url = reverse("planning:plan_pdf", args=[plan.key_account_id]) + "?audience=customer"
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    return " ".join("\n".join(p.extract_text() for p in reader.pages).split())


# ---- which version the customer gets ------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_a_plan_never_approved_gets_a_message_page_not_a_pdf(client_for, people, plan, status):
    AccountPlan.objects.filter(pk=plan.pk).update(status=status)
    url = reverse("planning:plan_pdf", args=[plan.key_account_id]) + "?audience=customer"
    response = client_for(people.manager).get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "No customer version of the Northwind Foods plan yet" in page
    assert "only the last <strong>approved</strong> version" in page


def test_the_customer_gets_the_last_approved_version_not_later_edits(client_for, people, plan):
    approve(plan, people)
    services.plan_section_update(
        plan=plan,
        section="value_proposition",
        data={"value_proposition": "Draft promise we have not agreed internally"},
        revision=0,
        acting_user=people.manager,
    )
    AccountPlan.objects.filter(pk=plan.pk).update(
        status=AccountPlan.Status.RETURNED, return_comment="Not yet"
    )
    text = customer_pdf(client_for(people.manager), plan)
    assert "We keep your shelves full through the winter peak." in text
    assert "Draft promise" not in text
    assert "Approved version 1" in text and "Shared with the customer" in text
    assert "Working plan" not in text and "returned" not in text.lower()


def test_review_snapshots_are_not_what_the_customer_gets(client_for, people, plan):
    approve(plan, people)
    plan.refresh_from_db()
    snapshot = plan_to_dict(load_plan(plan))
    snapshot["plan"]["value_proposition"] = "Snapshot taken at a quarterly review"
    PlanVersion.objects.create(plan=plan, number=1, snapshot=snapshot, kind=PlanVersion.Kind.REVIEW)
    text = customer_pdf(client_for(people.manager), plan)
    assert "Approved version 1" in text
    assert "quarterly review" not in text


# ---- what the customer version leaves out -------------------------------------------------


def test_stakeholder_roles_and_attitudes_are_left_out(client_for, people, plan):
    StakeholderFactory(
        key_account=plan.key_account,
        name="Greta Gatekeeper",
        title="Purchasing assistant",
        buying_role="gatekeeper",
        attitude="blocker",
        influence="high",
    )
    approve(plan, people)
    text = customer_pdf(client_for(people.manager), plan)
    assert "Greta Gatekeeper, Purchasing assistant" in text
    for word in ("Gatekeeper —", "Blocker", "Stakeholder map", "Influence", "attitude"):
        assert word not in text, word
    assert text.count("Gatekeeper") == 1  # her surname only


@pytest.mark.parametrize("status", ["lost", "dropped"])
def test_lost_and_dropped_opportunities_are_left_out(client_for, people, plan, status):
    OpportunityFactory(
        key_account=plan.key_account,
        title="Shared opportunity we pursue",
        decision=Opportunity.Decision.PURSUE,
        status=Opportunity.Status.PURSUING,
    )
    OpportunityFactory(
        key_account=plan.key_account,
        title="Opportunity that went nowhere",
        decision=Opportunity.Decision.PURSUE,
        status=status,
    )
    approve(plan, people)
    text = customer_pdf(client_for(people.manager), plan)
    assert "Shared opportunity we pursue" in text
    assert "Opportunity that went nowhere" not in text
    assert "Lost" not in text and "Dropped" not in text


def test_internal_status_words_are_left_out(client_for, people, plan):
    ActionFactory(
        plan=plan,
        title="Send the volume forecast",
        owner=people.manager,
        status=Action.Status.WAITING,
        due_on=TODAY() - timedelta(days=4),
    )
    ActionFactory(
        plan=plan,
        title="Book the kick-off",
        owner=people.manager,
        status=Action.Status.OPEN,
        due_on=TODAY() - timedelta(days=2),
    )
    ActionFactory(plan=plan, title="Dropped idea", status=Action.Status.CANCELLED)
    objective = ObjectiveFactory(plan=plan, title="Grow the winter range")
    target = TargetFactory(objective=objective, kpi="Winter lines listed")
    MeasurementFactory(target=target, actual=Decimal("101"))  # far behind: off track
    EngagementActivityFactory(
        plan=plan,
        our_person=people.manager,
        purpose="Monthly supply review",
        next_due_on=TODAY() - timedelta(days=20),  # missed
    )
    approve(plan, people)
    text = customer_pdf(client_for(people.manager), plan)
    assert "Send the volume forecast" in text and "Book the kick-off" in text
    assert "In progress" in text and "Planned" in text  # waiting → in progress, open → planned
    assert "Winter lines listed" in text and "Monthly supply review" in text
    lowered = text.lower()
    for word in (
        "overdue",
        "waiting on others",
        "off track",
        "at risk",
        "on track",
        "no measurement",
        "missed",
        "dropped idea",
        "cancelled",
    ):
        assert word not in lowered, word


def test_internal_items_and_notes_are_left_out(client_for, people, plan):
    ObjectiveFactory(plan=plan, title="Shared objective")
    ObjectiveFactory(plan=plan, title="Raise our margin on them", is_internal=True)
    ActionFactory(plan=plan, title="Shared action", notes="Their buyer is difficult")
    ActionFactory(plan=plan, title="Check their credit limit", is_internal=True)
    EngagementActivityFactory(plan=plan, purpose="Lunch to sound out the CFO", is_internal=True)
    PlanRiskFactory(plan=plan, description="Shared supply risk", is_internal=False)
    PlanRiskFactory(plan=plan, description="They may switch to a rival")  # internal by default
    target = TargetFactory(objective=ObjectiveFactory(plan=plan, title="Listed lines"))
    MeasurementFactory(target=target, comment="Measured from their leaked report")
    approve(plan, people)
    text = customer_pdf(client_for(people.manager), plan)
    assert "Shared objective" in text and "Shared action" in text
    assert "Shared supply risk" in text
    for secret in (
        "Raise our margin",
        "Check their credit limit",
        "Lunch to sound out the CFO",
        "They may switch to a rival",
        "Their buyer is difficult",
        "leaked report",
        # the SWOT and critical success factors are our own analysis
        "Their buyer trusts us",
        "Our transport cost",
        "Their new region",
        "A cheaper rival",
        "Protect our margin",
        "Situation analysis",
        "Critical success factors",
        "Internal",
    ):
        assert secret not in text, secret


def test_profitability_and_class_are_left_out(client_for, people, plan):
    OpportunityFactory(
        key_account=plan.key_account,
        title="Refill dispensers in every hotel",
        decision=Opportunity.Decision.PURSUE,
        status=Opportunity.Status.PURSUING,
        annual_value=Decimal("123456"),
        profit_potential=Decimal("45678"),
    )
    approve(plan, people)
    manager = client_for(people.manager)
    internal = " ".join(
        PdfReader(
            io.BytesIO(
                manager.get(reverse("planning:plan_pdf", args=[plan.key_account_id])).content
            )
        )
        .pages[1]
        .extract_text()
        .split()
    )
    assert "123,456" in internal  # the internal PDF does show it
    text = customer_pdf(manager, plan)
    assert "Refill dispensers in every hotel" in text
    assert "123,456" not in text and "45,678" not in text and "a year" not in text
    assert "Class:" not in text and "Strategic" not in text


def test_the_sanitiser_keeps_only_named_fields():
    """A field added to the snapshot later stays internal until someone names it."""
    snapshot = {
        "schema": 1,
        "generated_on": "2027-01-01",
        "version": {"number": 3},
        "account": {"id": 1, "name": "Acme", "classification": "strategic", "secret": "x"},
        "plan": {"id": 1, "period": "FY2027", "value_proposition": "v", "health_score": 40},
        "objectives": [
            {
                "id": 1,
                "title": "o",
                "is_internal": False,
                "new_internal_field": "x",
                "targets": [
                    {
                        "id": 1,
                        "kpi": "k",
                        "status_label": "Off track",
                        "latest": {"actual": "1", "comment": "secret"},
                    }
                ],
            }
        ],
        "actions": [
            {
                "id": 1,
                "title": "a",
                "status": "open",
                "notes": "n",
                "overdue": True,
                "opportunity_id": 9,
                "objective_id": 1,
            }
        ],
        "engagement": [{"id": 1, "purpose": "p", "missed": True, "is_internal": False}],
        "risks": [],
        "opportunities": [{"id": 9, "title": "t", "status": "lost", "annual_value": "1"}],
        "stakeholders": [
            {"id": 1, "name": "n", "attitude": "blocker", "buying_role": "gatekeeper"}
        ],
    }
    shared = customer_version(snapshot)
    flat = repr(shared)
    for leaked in (
        "secret",
        "classification",
        "health_score",
        "new_internal_field",
        "Off track",
        "notes",
        "blocker",
        "gatekeeper",
        "annual_value",
        "lost",
    ):
        assert leaked not in flat, leaked
    assert shared["actions"][0]["overdue"] is False
    assert shared["actions"][0]["opportunity_id"] is None  # its opportunity was lost
    assert shared["engagement"][0]["missed"] is False
