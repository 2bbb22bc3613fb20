"""A decision refused as stale (the plan changed since the page was read) gives back the words
the person typed: the director's return comment or approval comment, the manager's review
comments, the reason for an opportunity decision. The 409 page listed what changed and an
'Open the version saved now' button, and the comment was gone. The page is in the reader's
language (its title read 'The plan FY2027 of Northwind Foods changed since you looked' on
French pages)."""

from html import unescape

from django.urls import reverse

from planning.models import AccountPlan
from tests.rhythm.factories import ReviewFactory

from ..factories import add_required_parts


def _submitted(plan, people):
    add_required_parts(plan, owner=people.manager)
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    plan.refresh_from_db()
    return plan


def _moved_on(plan):
    """Someone saved the plan after the page was read: its revision moved."""
    AccountPlan.objects.filter(pk=plan.pk).update(revision=plan.revision + 1)


def test_a_stale_return_gives_back_the_directors_comment(client_for, people, plan):
    plan = _submitted(plan, people)
    seen = plan.revision
    _moved_on(plan)
    comment = "Add a cost target for the Erfurt plant and name who meets Sabine Koch."
    response = client_for(people.director).post(
        reverse("planning:return", args=[plan.key_account_id]),
        {"comment": comment, "revision": seen},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 409
    page = unescape(response.content.decode())
    assert f">{comment}</textarea>" in page
    assert "Ce qui doit changer" in page  # the field's label, in French
    assert f"Le plan FY2027 de {plan.key_account.name}\u00a0: modifié" in page
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED


def test_a_stale_approval_gives_back_the_comment(client_for, people, plan):
    plan = _submitted(plan, people)
    seen = plan.revision
    _moved_on(plan)
    response = client_for(people.director).post(
        reverse("planning:approve", args=[plan.key_account_id]),
        {"comment": "Good: keep the Erfurt dates.", "revision": seen},
    )
    assert response.status_code == 409
    page = unescape(response.content.decode())
    assert ">Good: keep the Erfurt dates.</textarea>" in page
    assert "What you typed (not saved)" in page
    assert not plan.versions.exists()


def test_a_stale_review_completion_gives_back_the_decision_and_comments(client_for, people, plan):
    review = ReviewFactory(plan=plan)
    seen = plan.revision
    _moved_on(plan)
    comments = "Went through the plan with the team: on course, class kept."
    response = client_for(people.manager).post(
        reverse("rhythm:review_complete", args=[plan.key_account_id, review.pk]),
        {"decision": "keep", "comments": comments, "revision": seen},
    )
    assert response.status_code == 409
    page = unescape(response.content.decode())
    assert f">{comments}</textarea>" in page
    assert ">Keep class</textarea>" in page  # the choice by its label, not "keep"
    review.refresh_from_db()
    assert review.completed_at is None


def test_a_stale_opportunity_decision_gives_back_the_reason(client_for, people, account):
    from tests.factories import OpportunityFactory

    opportunity = OpportunityFactory(key_account=account, title="Erfurt VMI")
    response = client_for(people.manager).post(
        reverse("opportunities:opportunity_decide", args=[account.pk, opportunity.pk]),
        {"decision": "pursue", "reason": "Florian Wagner asked twice.", "revision": -5},
    )
    assert response.status_code == 409
    assert ">Florian Wagner asked twice.</textarea>" in unescape(response.content.decode())
