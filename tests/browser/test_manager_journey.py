"""The manager's journey of issue #19 stays within 15 interactions in a real browser: from the
login page to a new key account's plan with a value proposition, an objective with a measurable
target, two actions with owners and dates and an engagement activity, submitted, and its PDF.
The journey itself is bench/flows.py's, so the benchmark and this test cannot drift apart."""

from types import SimpleNamespace

import pytest

from accounts import demo_data as people_demo
from bench.flow import Steps
from bench.flows import GOALS, manager_journey, prepare_new_account
from planning.models import AccountPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_plans_a_new_account_within_15_interactions(page):
    # The demo people (password "demo") and a new key account of the manager's, no plan yet.
    people_demo.seed(SimpleNamespace(password="demo", users={}))
    account_name = prepare_new_account()
    steps = Steps(page)
    outcome = manager_journey(steps, account_name)
    assert steps.count <= GOALS["manager"] == 15, "\n".join(steps.log)
    assert outcome["status"] == "Status: Submitted"
    assert outcome["pdf"] == {
        "status": 200,
        "content_type": "application/pdf",
        "starts_with_pdf": True,
    }
    plan = AccountPlan.objects.get(key_account__customer__name=account_name, is_current=True)
    assert plan.status == AccountPlan.Status.SUBMITTED
    assert plan.actions.filter(owner__username="manager").count() == 2
    assert plan.engagement_activities.get().stakeholder.name == "Ingrid Berg"
