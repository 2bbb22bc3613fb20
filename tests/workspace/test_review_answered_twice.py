"""A customer who sends their review answers twice at once (a double click) answers once: the
second send, racing past the "already answered" check, is refused by the database's rule (one
response per participant) and told so, not given a server error (tests/concurrency too)."""

from contextlib import contextmanager

import pytest
from django.urls import reverse
from django.utils import timezone

from common.constraints import refused_as
from planning.models import Review
from workspace import services
from workspace.models import JointReview, ReviewResponse
from workspace.services import questions_ensure_defaults

from .helpers import approved_plan, customer, invite, open_link, token_in_outbox

pytestmark = pytest.mark.django_db


def test_answers_sent_twice_at_once_count_once(client, people, account, monkeypatch):
    plan = approved_plan(account, people)
    clara = customer(account)
    invite(account, clara, people)
    today = timezone.localdate()
    review = Review.objects.create(plan=plan, quarter="2026-Q2", opened_on=today, due_on=today)
    client.force_login(people.manager)
    held = client.post(
        reverse("workspace_team:joint_review", args=[account.pk, review.pk]),
        {"participants": [clara.pk]},
    )
    assert held.status_code == 302
    client.logout()
    joint = JointReview.objects.get(review=review)
    open_link(client, token_in_outbox(clara))
    questions = [q for q in questions_ensure_defaults() if q.is_active]
    data = {f"q{q.pk}": str(q.high - 1) for q in questions}  # 9 of 10, 4 of 5
    data[f"c{questions[1].pk}"] = "Sent twice"

    @contextmanager
    def first_send_got_in(error):
        # The other send's response commits between this one's check and its INSERT.
        ReviewResponse.objects.bulk_create(
            [
                ReviewResponse(
                    joint_review=joint,
                    stakeholder=clara,
                    buying_role=clara.buying_role,
                    submitted_at=timezone.now(),
                )
            ]
        )
        with refused_as(error):
            yield

    monkeypatch.setattr(services, "refused_as", first_send_got_in)
    response = client.post(reverse("workspace:review_answer", args=[joint.pk]), data)
    assert response.status_code == 400
    assert "You have already answered this review. Thank you!" in response.content.decode()
    assert not ReviewResponse.objects.exists()  # the planted rival rolled back with the refusal
