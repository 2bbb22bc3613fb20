"""A decision is of the version the person saw: approving, returning or submitting a plan,
approving or refusing a quote's discount, and the other decision buttons carry the revision
their page showed, and a decision from a page loaded before the thing changed is refused with
HTTP 409, what the page showed beside what is stored now, and nothing applied."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from planning import services as plan_services
from planning.models import AccountPlan

from ..factories import AccountPlanFactory, add_required_parts


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_revision(html: str, action: str) -> str:
    """The hidden revision of the form posting to `action` on a page."""
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return re.search(r'name="revision" value="(\d+)"', form).group(1)


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


@pytest.fixture
def submitted_plan(account, people):
    plan = AccountPlanFactory(
        key_account=account, period="FY2027", value_proposition="Fewer, larger deliveries."
    )
    add_required_parts(plan, owner=people.manager)
    plan_services.plan_submit(plan=plan, acting_user=people.manager)
    return plan


def test_approving_a_plan_changed_and_resubmitted_since_the_page_loaded_is_refused(
    account, people, submitted_plan
):
    director = login(people.director)
    plan_url = reverse("planning:plan", args=[account.pk])
    approve_url = reverse("planning:approve", args=[account.pk])
    seen = form_revision(director.get(plan_url).content.decode(), approve_url)
    # Meanwhile the manager rewrites the value proposition (back to draft) and submits again.
    plan_services.plan_section_update(
        plan=submitted_plan,
        section="value_proposition",
        data={"value_proposition": "Daily deliveries at no extra cost."},
        revision=None,
        acting_user=people.manager,
    )
    plan_services.plan_submit(plan=submitted_plan, acting_user=people.manager)

    response = director.post(approve_url, {"revision": seen, "comment": "Fine"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Daily deliveries at no extra cost." in section(html, "conflict-title")
    assert "Fewer, larger deliveries." in section(html, "conflict-yours-title")
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == AccountPlan.Status.SUBMITTED
    assert not submitted_plan.versions.exists()
    # From the page as it is now, the approval goes through.
    fresh = form_revision(director.get(plan_url).content.decode(), approve_url)
    assert director.post(approve_url, {"revision": fresh}).status_code == 302
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == AccountPlan.Status.APPROVED


def test_returning_a_plan_resubmitted_unchanged_since_the_page_loaded_is_refused(
    account, people, submitted_plan
):
    director = login(people.director)
    return_url = reverse("planning:return", args=[account.pk])
    seen = form_revision(
        director.get(reverse("planning:plan", args=[account.pk])).content.decode(), return_url
    )
    plan_services.plan_return(plan=submitted_plan, comment="Add a risk", acting_user=people.director)
    plan_services.plan_submit(plan=submitted_plan, acting_user=people.manager)

    response = director.post(return_url, {"revision": seen, "comment": "Shorter, please"})

    assert response.status_code == 409
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == AccountPlan.Status.SUBMITTED
    assert submitted_plan.return_comment == "Add a risk"
