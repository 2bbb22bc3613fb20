"""A fall of exactly 0.5 in the average rating is a drop (planning.rules.satisfaction_dropped:
"fell by 0.5 or more"). The averages are floats to the hundredth and 2.3 − 1.8 is
0.4999999999999998 in floating point: such a fall cost no health points and opened no
follow-up action."""

import re
from datetime import date

import pytest
from django.urls import reverse

from planning.models import Action, Review
from tests.factories import AccountPlanFactory
from workspace import services
from workspace.models import AlignmentQuestion

from .helpers import customer

pytestmark = pytest.mark.django_db


def test_a_fall_of_exactly_half_a_point_is_a_drop(client_for, people, account):
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    questions = [q for q in services.questions_ensure_defaults() if q.is_active]
    programme = questions[0].programme
    for position, text in ((97, "Delivery on time"), (98, "Invoices right")):
        questions.append(
            AlignmentQuestion.objects.create(
                programme=programme,
                kind=AlignmentQuestion.Kind.RATING,
                text=text,
                position=position,
            )
        )
    # Two customers, five ratings each: ten ratings a review.
    people_and_links = []
    for n in (1, 2):
        person = customer(account, email=f"buyer{n}@customer.example")
        invitation, _token = services.invitation_create(
            account=account, stakeholder=person, acting_user=None, send=False
        )
        people_and_links.append((person, invitation))
    reviews = [
        # Q2: (2+2+2+3+3) + (2+2+2+2+3) = 23 over 10 ratings: 2.3.
        ("2026-Q2", date(2026, 4, 1), [(2, 2, 2, 3, 3), (2, 2, 2, 2, 3)]),
        # Q3: (2+2+2+2+2) + (1+1+2+2+2) = 18 over 10 ratings: 1.8, a fall of exactly 0.5.
        ("2026-Q3", date(2026, 7, 1), [(2, 2, 2, 2, 2), (1, 1, 2, 2, 2)]),
    ]
    for quarter, opened_on, ratings in reviews:
        review = Review.objects.create(
            plan=plan, quarter=quarter, opened_on=opened_on, due_on=opened_on
        )
        joint = services.joint_review_open(
            review=review, participants=[p for p, _i in people_and_links], acting_user=None
        )
        for (_person, invitation), theirs in zip(people_and_links, ratings, strict=True):
            scores = (8, *theirs)  # the recommend question first: 8 both times, no change
            answers = {q.pk: (s, "") for q, s in zip(questions, scores, strict=True)}
            services.review_answer(invitation=invitation, joint_review=joint, answers=answers)

    # The follow-up action the drop opens for the manager (none before the fix).
    followups = Action.objects.filter(plan=plan, title__startswith="Follow up the drop")
    assert [a.notes for a in followups] == [
        "Average rating 1.8 (was 2.3), recommend score 0 (was 0)."
    ]
    # The plan page's health: −10 for the drop, −5 for a latest average below 3 (was −5).
    response = client_for(people.director).get(reverse("planning:plan", args=[account.pk]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert (
        "Customer satisfaction trend Latest joint review: average rating 1.8 (was 2.3), "
        "recommend score 0 (was 0) −15 / 15"
    ) in text
