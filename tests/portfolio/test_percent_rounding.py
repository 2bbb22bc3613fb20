"""Whole-number percentages round halves up, as every other figure on the pages does (money to
the cent, Django's floatformat): Python's round() rounds halves to even, so 5 won of 8 closed
showed a win rate of 62 % (62.5 %), 1 key account of 8 customers 12 %, a target 62.5 % of the
way 62 %, and a recommend score of 12.5 was 12."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import Review
from tests.factories import (
    AccountPlanFactory,
    CustomerFactory,
    ObjectiveFactory,
    OpportunityFactory,
    TargetFactory,
)
from tests.workspace.helpers import customer
from workspace import services

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_win_rate_and_key_account_share(client_for, people, account):
    # 5 won and 3 lost: 5 / 8 = 62.5 % -> 63 %.
    for status in ["won"] * 5 + ["lost"] * 3:
        OpportunityFactory(key_account=account, status=status)
    # 1 active key account among 8 customers: 12.5 %, to one decimal as the strategy pages
    # write it (the dashboard read "13 %" beside the programme page's "12.5 %").
    CustomerFactory.create_batch(7)
    page = _text(client_for(people.executive).get(reverse("portfolio:dashboard")))
    assert "3 lost · EUR 300,000 · win rate 63 %" in page  # was 62 %
    assert "1 active key account of 8 customers (12.5 %)" in page
    programme = _text(client_for(people.programme_admin).get(reverse("strategy:strategy")))
    assert "1 of 8 customers (12.5 %, limit 20 %)" in programme


def test_target_progress_on_the_overview(client_for, people, account):
    today = timezone.localdate()
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    target = TargetFactory(
        objective=ObjectiveFactory(plan=plan),
        kpi="New listings",
        baseline=Decimal("0"),
        target_value=Decimal("200"),
        baseline_on=today - timedelta(days=1),
        due_on=today + timedelta(days=7),
    )
    # 125 of 200 = 62.5 % of the way; 1 of 8 days = 12.5 % expected.
    target.measurements.create(measured_on=today, actual=Decimal("125"))
    page = _text(
        client_for(people.director).get(reverse("accounts:account_detail", args=[account.pk]))
    )
    # The KPI is a link (to its row on the plan page): its tag leaves a space before the colon.
    assert "New listings : On track (63 % of the way, 13 % expected)" in page  # was 62 %, 12 %


def test_recommend_score_on_the_customer_tab(client_for, people, account):
    today = timezone.localdate()
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    questions = [q for q in services.questions_ensure_defaults() if q.is_active]
    review = Review.objects.create(
        plan=plan, quarter="2026-Q3", opened_on=today - timedelta(days=5), due_on=today
    )
    respondents = []
    for n in range(8):
        person = customer(account, name=f"Buyer {n}", email=f"buyer{n}@customer.example")
        invitation, _token = services.invitation_create(
            account=account, stakeholder=person, acting_user=None, send=False
        )
        respondents.append((person, invitation))
    joint = services.joint_review_open(
        review=review, participants=[p for p, _i in respondents], acting_user=None
    )
    # 3 promoters (9), 2 detractors (5), 3 passives (8): (3 − 2) / 8 = 12.5 points -> 13.
    for (_person, invitation), recommend in zip(respondents, (9, 9, 9, 5, 5, 8, 8, 8), strict=True):
        scores = (recommend, 4, 4, 4)
        answers = {q.pk: (s, "") for q, s in zip(questions, scores, strict=True)}
        services.review_answer(invitation=invitation, joint_review=joint, answers=answers)
    tab = _text(
        client_for(people.director).get(reverse("workspace_team:satisfaction", args=[account.pk]))
    )
    assert "2026-Q3 8 13 4.0" in tab  # was 12
