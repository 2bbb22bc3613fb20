"""Joint alignment reviews: the questions, the customer's answers in the workspace, the results
per review, stakeholder and role, the follow-up on a drop, and the two health rules."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from planning import rules
from planning.models import Action, Review
from planning.selectors import health_for_plans
from workspace.models import AlignmentQuestion, Invitation, JointReview
from workspace.selectors import recommend_score
from workspace.services import questions_ensure_defaults

from .helpers import approved_plan, customer, invite, open_link, token_in_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(account, people):
    return approved_plan(account, people)


def _review(plan, quarter, opened_on):
    return Review.objects.create(plan=plan, quarter=quarter, opened_on=opened_on, due_on=opened_on)


def _hold(client, people, account, review, stakeholders):
    client.force_login(people.manager)
    response = client.post(
        reverse("workspace_team:joint_review", args=[account.pk, review.pk]),
        {"participants": [s.pk for s in stakeholders]},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.logout()
    return JointReview.objects.get(review=review)


def _answer(client, joint, scores, comment=""):
    questions = [q for q in questions_ensure_defaults() if q.is_active]
    data = {f"q{q.pk}": str(s) for q, s in zip(questions, scores, strict=True)}
    data[f"c{questions[1].pk}"] = comment
    return client.post(reverse("workspace:review_answer", args=[joint.pk]), data)


def test_defaults_are_seeded_and_the_admin_edits_them(client, people):
    questions = questions_ensure_defaults()
    assert [q.kind for q in questions] == ["recommend", "rating", "rating", "rating"]
    client.force_login(people.programme_admin)
    question = questions[1]
    url = reverse("workspace_team:question_edit", args=[question.pk])
    response = client.post(
        url,
        {"text": "How good is our delivery?", "kind": "rating", "position": 1,
         "is_active": "on", "revision": question.revision},
    )  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "How good is our delivery?"
    # A stale form: refused with both versions.
    stale = client.post(
        url,
        {"text": "Another wording", "kind": "rating", "position": 1, "is_active": "on",
         "revision": question.revision - 1},
    )  # fmt: skip
    assert stale.status_code == 409
    assert "How good is our delivery?" in stale.content.decode()
    # A second recommend question is refused at the field.
    second = client.post(
        reverse("workspace_team:questions"),
        {"text": "Would you buy again?", "kind": "recommend", "position": 9, "is_active": "on"},
    )
    assert second.status_code == 400
    assert "one recommend question" in second.content.decode()
    client.force_login(people.manager)
    assert client.get(reverse("workspace_team:questions")).status_code == 403


def test_a_question_edit_with_errors_answers_400_and_keeps_the_input(client, people):
    question = questions_ensure_defaults()[1]
    client.force_login(people.programme_admin)
    response = client.post(
        reverse("workspace_team:question_edit", args=[question.pk]),
        {"text": "", "kind": "rating", "position": "second", "is_active": "on",
         "revision": question.revision},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="second"' in html
    assert "This field is required." in html
    question.refresh_from_db()
    assert question.text != ""


def test_recommend_score_by_hand():
    # 2 promoters (9, 10), 1 passive (8), 2 detractors (6, 0): (2 - 2) / 5 = 0.
    assert recommend_score([9, 10, 8, 6, 0]) == 0
    # 3 promoters of 4, no detractor: 75.
    assert recommend_score([9, 9, 10, 7]) == 75
    assert recommend_score([]) is None


def test_customer_answers_and_a_drop_opens_one_follow_up(client, people, account, plan):
    clara = customer(account)
    otto = customer(account, name="Otto Other", email="otto@customer.example",
                    buying_role="user")  # fmt: skip
    invite(account, otto, people)
    invite(account, clara, people)
    today = timezone.localdate()
    q1 = _hold(client, people, account, _review(plan, "2026-Q2", today.replace(month=4, day=1)),
               [clara, otto])  # fmt: skip
    q2 = _hold(client, people, account, _review(plan, "2026-Q3", today.replace(month=7, day=1)),
               [clara])  # fmt: skip
    token = token_in_outbox(clara)  # each review e-mailed her a fresh link: the latest works
    open_link(client, token)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "tell us how we are doing" in page
    # A missing score: refused at the field, the typed comment kept.
    incomplete = client.post(
        reverse("workspace:review_answer", args=[q1.pk]),
        {f"c{questions_ensure_defaults()[1].pk}": "Typed and kept"},
    )
    assert incomplete.status_code == 400
    text = incomplete.content.decode()
    assert "Pick a score from 0 to 10." in text and "Typed and kept" in text

    assert _answer(client, q1, (10, 5, 5, 4), comment="Great service").status_code == 302
    assert not Action.objects.filter(title__startswith="Follow up").exists()
    # The worse review: average (3+3+3)/3 = 3.0 against (5+5+4)/3 = 4.67; recommend
    # 10 -> 0 -> 100 points down.
    assert _answer(client, q2, (5, 3, 3, 3)).status_code == 302
    follow_up = Action.objects.get(title__startswith="Follow up the drop")
    assert follow_up.owner == people.manager and follow_up.is_internal
    # A negative score with the minus sign (U+2212), as pages write numbers.
    assert follow_up.notes == ("Average rating 3.0 (was 4.7), recommend score \u2212100 (was 100).")
    # Once: answering again is refused, and the follow-up is not repeated.
    again = _answer(client, q2, (5, 3, 3, 3))
    assert again.status_code == 200 and "You have answered this review." in again.content.decode()
    assert Action.objects.filter(title__startswith="Follow up the drop").count() == 1
    assert AccountEvent.objects.filter(
        summary__contains="answered the joint review 2026-Q3"
    ).exists()

    # Otto's review answer page: not Clara's to open? Clara was a participant of q1 only with
    # Otto; a review she is not asked to answer is 404.
    q3 = _hold(client, people, account, _review(plan, "2026-Q4", today.replace(month=10, day=1)),
               [otto])  # fmt: skip
    open_link(client, token)
    assert client.get(reverse("workspace:review_answer", args=[q3.pk])).status_code == 404

    # The manager's results page: over time, per stakeholder, per role.
    client.force_login(people.manager)
    page = client.get(reverse("workspace_team:satisfaction", args=[account.pk])).content.decode()
    assert "2026-Q2" in page and "2026-Q3" in page
    assert "Great service" in page
    assert "Follow up the drop" in page

    health = health_for_plans([plan])[plan.pk]
    satisfaction = next(r for r in health.rules if r.key == "satisfaction")
    assert satisfaction.points == 10  # dropped; latest average 3.0 is not below 3
    assert satisfaction.detail == (
        "Latest joint review: average rating 3.0 (was 4.7), recommend score \u2212100 (was 100)"
    )


def test_workspace_activity_rule():
    base = {"today": timezone.localdate(), "last_review_on": None, "last_approved_on": None,
            "value_proposition_refreshed_on": None}  # fmt: skip

    def rule(**facts):
        health = rules.plan_health(rules.PlanFacts(**base, **facts))
        return next(r for r in health.rules if r.key == "customer_activity")

    assert rule().points == 0
    assert rule(workspace_invited=True).points == 10
    assert rule(workspace_invited=True, workspace_idle_days=91).points == 10
    assert rule(workspace_invited=True, workspace_idle_days=90).points == 0


def test_health_reads_the_customers_last_visit(client, people, account, plan):
    clara = customer(account)
    token = invite(account, clara, people)
    health = health_for_plans([plan])[plan.pk]
    assert next(r for r in health.rules if r.key == "customer_activity").detail == (
        "Invited, never opened"
    )
    open_link(client, token)
    assert Invitation.objects.get().visits == 1
    health = health_for_plans([plan])[plan.pk]
    activity = next(r for r in health.rules if r.key == "customer_activity")
    assert (activity.points, activity.detail) == (0, "Last opened 0 days ago")


def test_questions_answered_keep_their_wording(client, people, account, plan):
    clara = customer(account)
    invite(account, clara, people)
    joint = _hold(client, people, account, _review(plan, "2026-Q1", timezone.localdate()), [clara])
    open_link(client, token_in_outbox(clara))
    _answer(client, joint, (8, 4, 4, 4))
    AlignmentQuestion.objects.filter(kind="recommend").update(text="Changed later")
    from workspace.models import ReviewAnswer

    assert ReviewAnswer.objects.filter(question_text="Changed later").count() == 0
