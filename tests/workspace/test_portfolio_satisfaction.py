"""The portfolio's Satisfaction column (dashboard, health CSV): each account's average 1–5
rating in its latest answered joint review — the figure the plan's health rule shows."""

import csv
import io
from datetime import date

from django.urls import reverse

from planning.models import Review
from tests.factories import AccountPlanFactory
from workspace import services

from .helpers import customer


def _answered_reviews(account, people, ratings_by_quarter):
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    person = customer(account, email=f"buyer{account.pk}@customer.example")
    invitation, _token = services.invitation_create(
        account=account, stakeholder=person, acting_user=None, send=False
    )
    questions = [q for q in services.questions_ensure_defaults() if q.is_active]
    for quarter, opened_on, ratings in ratings_by_quarter:
        review = Review.objects.create(
            plan=plan, quarter=quarter, opened_on=opened_on, due_on=opened_on
        )
        joint = services.joint_review_open(review=review, participants=[person], acting_user=None)
        scores = (8, *ratings)  # the recommend question first, then the 1-5 ratings
        answers = {q.pk: (score, "") for q, score in zip(questions, scores, strict=True)}
        services.review_answer(invitation=invitation, joint_review=joint, answers=answers)


def test_each_account_shows_its_own_latest_joint_review(client_for, people, account, other_account):
    # Northwind: Q2 (5+4+5)/3 = 4.7, then Q3 (3+3+4)/3 = 3.3 — the latest counts.
    _answered_reviews(
        account,
        people,
        [("2026-Q2", date(2026, 4, 1), (5, 4, 5)), ("2026-Q3", date(2026, 7, 1), (3, 3, 4))],
    )
    # Helios: one review, (2+2+2)/3 = 2.0.
    _answered_reviews(other_account, people, [("2026-Q3", date(2026, 7, 1), (2, 2, 2))])

    response = client_for(people.executive).get(reverse("portfolio:health_csv"))

    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    satisfaction = {row["Account"]: row["Satisfaction (1-5, latest joint review)"] for row in rows}
    assert satisfaction == {"Northwind Foods": "3.3", "Helios Retail": "2.0"}
