"""The re-classify and de-select pages show why a quarterly review proposes the change: the
director decided from a form that left out the review's reasons (strategy may not import the
later stages: it asks them through strategy.signals.selection_proposals_requested, which rhythm
answers)."""

import re

from django.urls import reverse
from django.utils import timezone

from accounts.models import Classification
from rhythm import services
from strategy.signals import selection_proposals

from .factories import ReviewFactory

REASONS = "Growth has stalled for two quarters.\nTheir new CEO buys on price."


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _propose(plan, people, *, decision="change_class", proposed_class="status", comments=REASONS):
    review = ReviewFactory(plan=plan, quarter="2027-Q3")
    services.review_complete(
        review=review,
        decision=decision,
        proposed_class=proposed_class,
        comments=comments,
        acting_user=people.manager,
    )
    return review


def test_the_reclassify_page_shows_the_reviews_reasons(client_for, people, plan):
    account = plan.key_account
    review = _propose(plan, people)
    url = reverse("strategy:account_reclassify", args=[account.pk])
    response = client_for(people.director).get(url, {"to": "status"})
    html = response.content.decode()
    text = _text(response)
    day = timezone.localdate(review.completed_at).strftime("%-d %b %Y")
    assert "Re-classification as Status proposed in the 2027-Q3 quarterly review" in text
    assert f"Completed by Max Manager on {day}." in text
    assert "Growth has stalled for two quarters.<br>Their new CEO buys on price." in html
    assert reverse("rhythm:review", args=[account.pk, review.pk]) in html
    assert response.context["form"].initial["classification"] == "status"


def test_the_reasons_go_once_the_director_has_decided(client_for, people, plan):
    account = plan.key_account
    _propose(plan, people)
    url = reverse("strategy:account_reclassify", args=[account.pk])
    director = client_for(people.director)
    director.post(url, {"classification": "status", "reason": "As the review proposes."})
    account.refresh_from_db()
    assert account.classification == Classification.STATUS
    assert selection_proposals(account=account) == []
    assert "proposed in the 2027-Q3 quarterly review" not in _text(director.get(url))


def test_the_deselect_page_shows_a_deselection_proposal(client_for, people, plan):
    account = plan.key_account
    _propose(plan, people, decision="deselect", proposed_class="", comments="Moving to Asia.")
    text = _text(
        client_for(people.director).get(reverse("strategy:account_deselect", args=[account.pk]))
    )
    assert "De-selection proposed in the 2027-Q3 quarterly review" in text
    assert "The review's reasons Moving to Asia." in text


def test_a_review_that_keeps_the_class_proposes_nothing(client_for, people, plan):
    _propose(plan, people, decision="keep", proposed_class="")
    assert selection_proposals(account=plan.key_account) == []


def test_the_reasons_in_french(client_for, people, plan):
    people.director.language = "fr"
    people.director.save()
    _propose(plan, people)
    text = _text(
        client_for(people.director).get(
            reverse("strategy:account_reclassify", args=[plan.key_account_id])
        )
    )
    assert "Reclassement en Statut proposé dans la revue trimestrielle 2027-Q3" in text
    assert "Les raisons de la revue" in text
