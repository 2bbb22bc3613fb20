"""Holding a joint review with the customer tells each participant: an e-mail with a fresh
personal link that opens the review's questions. Nothing told them before, and the link they
were invited with had often expired by the next quarter (a link works 90 days)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planning.models import Review
from workspace.models import Invitation
from workspace.services import questions_ensure_defaults

from .helpers import approved_plan, customer, invite, open_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(account, people):
    plan = approved_plan(account, people)
    today = timezone.localdate()
    return Review.objects.create(plan=plan, quarter="2026-Q4", opened_on=today, due_on=today)


def _hold(people, account, review, stakeholders, capture):
    staff = Client()
    staff.force_login(people.manager)
    with capture(execute=True):
        response = staff.post(
            reverse("workspace_team:joint_review", args=[account.pk, review.pk]),
            {"participants": [s.pk for s in stakeholders]},
        )
    assert response.status_code == 302, response.content.decode()[-1500:]
    return staff.get(response["Location"]).content.decode()


def _link(message) -> str:
    (line,) = [x for x in message.body.splitlines() if "/workspace/join/" in x]
    return line.strip()


def test_a_participant_whose_link_expired_gets_a_link_to_the_questions(
    people, account, review, django_capture_on_commit_callbacks
):
    clara = customer(account)
    old_token = invite(account, clara, people)
    # Invited last quarter: her link has expired since.
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    questions_ensure_defaults()

    page = _hold(people, account, review, [clara], django_capture_on_commit_callbacks)
    assert "each participant gets an e-mail with a personal link to answer it" in page

    (message,) = mail.outbox
    assert message.to == ["clara@customer.example"]
    assert message.subject == "Our review 2026-Q4: how are we doing? (Northwind Foods)"
    assert "Max Manager asks for your view in our quarterly review 2026-Q4" in message.body
    assert "it works for 90 days and replaces any link we sent you before" in message.body
    # The link opens the review's questions directly, in a browser that had nothing.
    customer_browser = Client()
    opened = customer_browser.get(_link(message))
    joint = review.joint
    assert opened["Location"] == reverse("workspace:review_answer", args=[joint.pk])
    questions = customer_browser.get(opened["Location"]).content.decode()
    assert "Review 2026-Q4: how are we doing?" in questions
    assert "How likely are you to recommend us to a colleague?" in questions
    invitation = Invitation.objects.get()
    assert invitation.is_usable()
    # The link she had is replaced (one live link per invitation, as "Send a new link" does).
    assert open_link(Client(), old_token).status_code == 404


def test_only_participants_newly_asked_are_emailed(
    people, account, review, django_capture_on_commit_callbacks
):
    clara = customer(account)
    otto = customer(account, name="Otto Other", email="otto@customer.example")
    invite(account, clara, people)
    invite(account, otto, people)
    _hold(people, account, review, [clara], django_capture_on_commit_callbacks)
    _hold(people, account, review, [clara, otto], django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["clara@customer.example"], ["otto@customer.example"]]


def test_the_review_in_a_link_opens_only_a_review_the_holder_is_asked_to_answer(
    people, account, review, django_capture_on_commit_callbacks
):
    clara = customer(account)
    otto = customer(account, name="Otto Other", email="otto@customer.example")
    clara_token = invite(account, clara, people)
    invite(account, otto, people)
    _hold(people, account, review, [otto], django_capture_on_commit_callbacks)
    browser = Client()
    sent = browser.get(f"/workspace/join/{clara_token}/?review={review.joint.pk}")
    assert sent.status_code == 302
    assert browser.get(sent["Location"]).status_code == 404  # Otto's review, not hers
    other = browser.get(f"/workspace/join/{clara_token}/?review=/elsewhere")
    assert other["Location"] == reverse("workspace:home")


def test_the_review_email_is_in_the_language_of_the_manager_who_holds_it(
    people, account, review, django_capture_on_commit_callbacks
):
    clara = customer(account)
    invite(account, clara, people)
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    _hold(people, account, review, [clara], django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    nbsp = "\u00a0"
    assert message.subject == (
        f"Notre revue 2026-Q4{nbsp}: comment nous en sortons-nous{nbsp}? (Northwind Foods)"
    )
    assert "il est valable 90 jours et remplace tout lien" in message.body
