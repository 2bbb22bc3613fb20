"""A figure rounded for display is rounded the same way wherever it is shown: the dashboard
(Django's floatformat, halves up), the health CSV, the plan health detail and the customer tab.
The CSV and the texts used Python's round()/format(), which round halves to even, so at every
tie they disagreed with the page: a cadence of 62.5 % was 63 % on the dashboard and 62 in the
CSV; an average rating of 3.25 was 3.3 on the dashboard and 3.2 in the CSV, on the customer tab
and in the health rule's detail."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import Review
from tests.factories import AccountPlanFactory, EngagementActivityFactory
from tests.workspace.helpers import customer
from workspace import services
from workspace.models import AlignmentQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(people, account):
    today = timezone.localdate()
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    # Eight engagement activities, three past their next due date: 5 of 8 kept = 62.5 %.
    for days in (-3, -2, -1, 1, 2, 3, 4, 5):
        EngagementActivityFactory(
            plan=plan, our_person=people.manager, next_due_on=today + timedelta(days=days)
        )
    # One customer answers the default questions plus a fourth rating: ratings 3, 3, 3, 4,
    # average 13 / 4 = 3.25, shown to one decimal as 3.3 (halves up).
    questions = [q for q in services.questions_ensure_defaults() if q.is_active]
    questions.append(
        AlignmentQuestion.objects.create(
            programme=questions[0].programme,
            kind=AlignmentQuestion.Kind.RATING,
            text="Delivery on time",
            position=99,
        )
    )
    person = customer(account, email="buyer@customer.example")
    invitation, _token = services.invitation_create(
        account=account, stakeholder=person, acting_user=None, send=False
    )
    review = Review.objects.create(
        plan=plan, quarter="2026-Q3", opened_on=today - timedelta(days=5), due_on=today
    )
    joint = services.joint_review_open(review=review, participants=[person], acting_user=None)
    scores = (8, 3, 3, 3, 4)  # the recommend question first, then the four ratings
    answers = {q.pk: (score, "") for q, score in zip(questions, scores, strict=True)}
    services.review_answer(invitation=invitation, joint_review=joint, answers=answers)
    return plan


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_dashboard_and_csv_round_cadence_and_satisfaction_alike(
    client_for, people, account, planted
):
    client = client_for(people.director)
    row = _text(client.get(reverse("portfolio:dashboard"))).split("Northwind Foods", 1)[1]
    assert "63 % of 8 engagement activities on time" in row
    assert " 3.3 of 5 " in row

    response = client.get(reverse("portfolio:health_csv"))
    [line] = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert line["Engagement cadence kept (%)"] == "63"  # was 62
    assert line["Satisfaction (1-5, latest joint review)"] == "3.3"  # was 3.2


def test_customer_tab_and_health_detail_show_the_dashboards_rating(
    client_for, people, account, planted
):
    client = client_for(people.director)
    tab = _text(client.get(reverse("workspace_team:satisfaction", args=[account.pk])))
    # The review's row: quarter, 1 response, recommend score 0 (an 8 is passive), 3.3.
    assert "2026-Q3 1 0 3.3" in tab  # was 3.2
    plan_page = _text(client.get(reverse("planning:plan", args=[account.pk])))
    # Plan health's satisfaction rule states the same rating (no deduction: 3.25 is not
    # below 3 and there is no earlier review).
    assert "Latest joint review: average rating 3.3, recommend score 0" in plan_page
