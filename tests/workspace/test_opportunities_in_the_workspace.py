"""The workspace shows the plan as the customer version's PDF does: the opportunities we pursue
together with their actions, the other actions, and the risks shared with the customer. It
listed the actions alone, with no opportunity and no risk, though the customer's PDF has both."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from opportunities.models import Opportunity
from planning import services as planning_services
from planning.models import AccountPlan, PlanRisk
from tests import factories as f

from .helpers import INTERNAL, approved_plan, customer, invite, open_link

pytestmark = pytest.mark.django_db


def _section_text(html: str, section: str) -> str:
    block = re.search(rf'<section id="{section}".*?</section>', html, flags=re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def test_the_customer_reads_the_pursued_opportunities_with_their_actions(people, account):
    plan = approved_plan(account, people)
    pursued = f.OpportunityFactory(
        key_account=account, title="Vendor-managed trays", status=Opportunity.Status.PURSUING,
        owner=people.manager,
    )  # fmt: skip
    f.OpportunityFactory(key_account=account, title="Only an idea", status=Opportunity.Status.IDEA)
    f.ActionFactory(plan=plan, title="Agree the reorder points", opportunity=pursued,
                    owner=people.manager)  # fmt: skip
    PlanRisk.objects.create(plan=plan, description="Late pallets in winter",
                            mitigation="Buffer stock in Erfurt", is_internal=False)  # fmt: skip
    PlanRisk.objects.create(plan=plan, description=f"{INTERNAL} risk", is_internal=True)
    # Approve again: the workspace shows the last approved version.
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    plan.refresh_from_db()
    planning_services.plan_approve(plan=plan, acting_user=people.director)

    browser = Client()
    open_link(browser, invite(account, customer(account), people))
    html = browser.get(reverse("workspace:home")).content.decode()
    text = _section_text(html, "plan")
    assert "Opportunities we pursue together" in text
    # The opportunity, then its action under it; then the actions linked to none.
    assert re.search(
        r"Vendor-managed trays · Pursuing · Max Manager Agree the reorder points · "
        r"Max Manager · due \S+ \S+ \S+ · Planned Other actions Send the winter forecast",
        text,
    ), text
    assert "Only an idea" not in html
    assert "Risks we watch together Late pallets in winter: Buffer stock in Erfurt" in text
    assert INTERNAL not in html
