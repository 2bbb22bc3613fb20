"""The director's approval comment is never dropped: a comment over the limit approved the plan
without it, and a plan that could not be approved answered with a message above an empty box.
Now both give the plan page back with the comment in its box and what to do at the form."""

from html import unescape

from django.urls import reverse

from common.limits import NOTE_MAX_CHARS
from planning.models import AccountPlan

from ..factories import add_required_parts


def _submitted(plan, people):
    add_required_parts(plan, owner=people.manager)
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    plan.refresh_from_db()
    return plan


def _approve(client, plan, comment):
    return client.post(
        reverse("planning:approve", args=[plan.key_account_id]),
        {"comment": comment, "revision": plan.revision},
    )


def test_a_comment_over_the_limit_is_kept_and_nothing_is_approved(client_for, people, plan):
    plan = _submitted(plan, people)
    comment = "Good plan; tighten the Erfurt dates. " + "x" * NOTE_MAX_CHARS
    response = _approve(client_for(people.director), plan, comment)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert comment in page  # in the box, to shorten
    assert f"at most {NOTE_MAX_CHARS:,}".replace(",", "") in page.replace(",", "")
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED and not plan.versions.exists()


def test_a_plan_no_longer_complete_keeps_the_comment_and_says_what_is_missing(
    client_for, people, plan
):
    plan = _submitted(plan, people)
    # Emptied by a write that went round the editor (the service checks again on approval).
    plan.engagement_activities.all().delete()
    comment = "Approved once the Erfurt review is booked."
    response = _approve(client_for(people.director), plan, comment)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert f"{comment}</textarea>" in page
    assert "engagement" in page.lower() and "cannot be approved" in page
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED


def test_approving_with_a_comment_still_freezes_the_version(client_for, people, plan):
    plan = _submitted(plan, people)
    response = _approve(client_for(people.director), plan, "Well argued.")
    assert response.status_code == 302
    assert plan.versions.get().number == 1
    assert plan.key_account.events.filter(reason="Well argued.").exists()


def test_approving_a_plan_no_longer_submitted_says_so(client_for, people, plan):
    response = client_for(people.director).post(
        reverse("planning:approve", args=[plan.key_account_id]), {"comment": "Fine"}, follow=True
    )
    assert "cannot be approved" in response.content.decode()
    assert not plan.versions.exists()
