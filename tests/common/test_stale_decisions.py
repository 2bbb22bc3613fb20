"""A decision is of the version the person saw: approving, returning or submitting a plan,
approving or refusing a quote's discount, and the other decision buttons carry the revision
their page showed, and a decision from a page loaded before the thing changed is refused with
HTTP 409, what the page showed beside what is stored now, and nothing applied."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from delivery.models import Meeting, Quote
from delivery.services import quotes
from delivery.services.quotes import QuoteLineData
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from planning import services as plan_services
from planning.models import AccountPlan, Review

from ..factories import (
    AccountPlanFactory,
    MeetingFactory,
    OpportunityFactory,
    QuoteFactory,
    QuoteLineFactory,
    add_required_parts,
)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_revision(html: str, action: str) -> str:
    """The hidden revision of the form posting to `action` on a page (its action may carry
    the block's anchor: `…/decide/#opportunity-decision`)."""
    form = re.split(rf'action="{re.escape(action)}(?:#[\w-]+)?"', html, maxsplit=1)[1]
    form = form.split("</form>", 1)[0]
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
    plan_services.plan_return(
        plan=submitted_plan, comment="Add a risk", acting_user=people.director
    )
    plan_services.plan_submit(plan=submitted_plan, acting_user=people.manager)

    response = director.post(return_url, {"revision": seen, "comment": "Shorter, please"})

    assert response.status_code == 409
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == AccountPlan.Status.SUBMITTED
    assert submitted_plan.return_comment == "Add a risk"


# ---- quotes ------------------------------------------------------------------------------


@pytest.fixture
def quote(account, people):
    quote = QuoteFactory(
        key_account=account, overall_discount_percent=Decimal("15"), prepared_by=people.coordinator
    )
    QuoteLineFactory(quote=quote, description="Pallets of product")
    return quote


def _change_discount(quote, percent, user):
    quotes.quote_update(
        quote=quote,
        revision=None,
        title=quote.title,
        valid_until=quote.valid_until,
        overall_discount_percent=Decimal(percent),
        opportunity=None,
        notes="",
        lines=[QuoteLineData("Pallets of product", Decimal("10"), Decimal("99.50"))],
        acting_user=user,
    )


@pytest.mark.parametrize("decision", ["quote_approve", "quote_refuse"])
def test_a_discount_decision_from_a_page_loaded_before_the_discount_changed_is_refused(
    account, people, quote, decision
):
    director = login(people.director)
    url = reverse(f"delivery:{decision}", args=[account.pk, quote.pk])
    seen = form_revision(director.get(quote.get_absolute_url()).content.decode(), url)
    _change_discount(quote, "45", people.coordinator)  # the coordinator, meanwhile

    response = director.post(url, {"revision": seen, "reason": "Too deep for this volume"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "45.00 %" in section(html, "conflict-title")
    assert "15.00 %" in section(html, "conflict-yours-title")
    quote.refresh_from_db()
    assert quote.discount_approved_at is None and quote.discount_refused_at is None
    # Decided from the page as it is now, it applies.
    fresh = form_revision(director.get(quote.get_absolute_url()).content.decode(), url)
    assert director.post(url, {"revision": fresh, "reason": "Too deep"}).status_code == 302
    quote.refresh_from_db()
    assert (quote.discount_approved_at or quote.discount_refused_at) is not None


def test_marking_a_quote_sent_from_a_stale_page_is_refused(account, people, quote):
    quote.overall_discount_percent = Decimal("5")
    quote.save()
    coordinator = login(people.coordinator)
    url = reverse("delivery:quote_status", args=[account.pk, quote.pk])
    seen = form_revision(coordinator.get(quote.get_absolute_url()).content.decode(), url)
    _change_discount(quote, "8", people.manager)

    response = coordinator.post(url, {"revision": seen, "status": "sent"})

    assert response.status_code == 409
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT


# ---- opportunities: a state machine, and stale decisions refused --------------------------


def decide(client, opportunity, decision, revision):
    url = reverse(
        "opportunities:opportunity_decide", args=[opportunity.key_account_id, opportunity.pk]
    )
    return client.post(url, {"decision": decision, "reason": "Agreed", "revision": revision})


def test_two_people_deciding_from_stale_pages_cannot_leave_dropped_with_pursue(account, people):
    opportunity = OpportunityFactory(key_account=account, status="qualified")
    detail = reverse("opportunities:opportunity_detail", args=[account.pk, opportunity.pk])
    url = reverse("opportunities:opportunity_decide", args=[account.pk, opportunity.pk])
    manager, director = login(people.manager), login(people.director)
    seen_by_manager = form_revision(manager.get(detail).content.decode(), url)
    seen_by_director = form_revision(director.get(detail).content.decode(), url)

    assert decide(director, opportunity, "drop", seen_by_director).status_code == 302
    response = decide(manager, opportunity, "pursue", seen_by_manager)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Dropped" in section(html, "conflict-title")
    assert "Qualified" in section(html, "conflict-yours-title")
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.decision) == ("dropped", "drop")


def test_pursuing_a_dropped_opportunity_reopens_it(account, people):
    opportunity = OpportunityFactory(key_account=account, status="dropped", decision="drop")
    result = opportunity_services.opportunity_decide(
        opportunity=opportunity, decision="pursue", reason="New budget", acting_user=people.manager
    )
    assert (result.status, result.decision) == ("pursuing", "pursue")


@pytest.mark.parametrize(
    ("status", "decision", "message"),
    [
        ("dropped", "drop", "This opportunity is already dropped."),
        ("dropped", "hold", "open decisions: pursue"),
        ("won", "drop", "The customer has decided: this opportunity is won"),
        ("lost", "pursue", "The customer has decided: this opportunity is lost"),
    ],
)
def test_a_decision_the_state_machine_does_not_allow_is_refused_with_a_reason(
    account, people, status, decision, message
):
    opportunity = OpportunityFactory(
        key_account=account, status=status, decision="drop" if status == "dropped" else ""
    )
    detail = reverse("opportunities:opportunity_detail", args=[account.pk, opportunity.pk])
    manager = login(people.manager)
    url = reverse("opportunities:opportunity_decide", args=[account.pk, opportunity.pk])
    seen = form_revision(manager.get(detail).content.decode(), url)
    response = decide(manager, opportunity, decision, seen)
    assert response.status_code == 400
    assert message in response.content.decode()
    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert (stored.status, stored.decision) == (opportunity.status, opportunity.decision)


def test_reopening_a_dropped_opportunity_by_hand_clears_the_drop_decision(account, people):
    opportunity = OpportunityFactory(key_account=account, status="dropped", decision="drop")
    result = opportunity_services.opportunity_change_status(
        opportunity=opportunity, status="won", reason="Signed after all", acting_user=people.manager
    )
    assert (result.status, result.decision) == ("won", "")


# ---- meetings, check-ins, quarterly reviews -------------------------------------------------


def test_cancelling_a_meeting_moved_since_the_page_loaded_is_refused(account, people):
    meeting = MeetingFactory(key_account=account, title="Quarterly business review")
    coordinator = login(people.coordinator)
    url = reverse("delivery:meeting_cancel", args=[account.pk, meeting.pk])
    seen = form_revision(coordinator.get(meeting.get_absolute_url()).content.decode(), url)
    Meeting.objects.filter(pk=meeting.pk).update(title="QBR moved to the customer's site")
    meeting.refresh_from_db()
    meeting.revision += 1
    meeting.save()

    response = coordinator.post(url, {"revision": seen, "reason": "Clash"})

    assert response.status_code == 409
    assert "QBR moved to the customer" in section(response.content.decode(), "conflict-title")
    assert ">Clash</textarea>" in response.content.decode()  # the reason typed, to copy
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None


def test_completing_a_review_of_a_plan_changed_since_the_page_loaded_is_refused(account, people):
    plan = AccountPlanFactory(key_account=account, period="FY2027", value_proposition="Old text")
    review = Review.objects.create(
        plan=plan, quarter="2026-Q4", opened_on="2026-10-01", due_on="2026-12-31"
    )
    manager = login(people.manager)
    page = reverse("rhythm:review", args=[account.pk, review.pk])
    url = reverse("rhythm:review_complete", args=[account.pk, review.pk])
    seen = form_revision(manager.get(page).content.decode(), url)
    plan_services.plan_section_update(
        plan=plan,
        section="value_proposition",
        data={"value_proposition": "New text"},
        revision=None,
        acting_user=people.director,
    )

    response = manager.post(url, {"revision": seen, "decision": "keep", "comments": ""})

    assert response.status_code == 409
    review.refresh_from_db()
    assert review.completed_at is None
