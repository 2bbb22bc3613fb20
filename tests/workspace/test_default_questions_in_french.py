"""The alignment review's default questions read in each reader's language — the customer in
the workspace, the team on the satisfaction page, the programme admin on the questions page —
while a programme admin has not reworded them; a reworded one reads as typed."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planning.models import Review
from workspace.models import AlignmentQuestion, ReviewAnswer
from workspace.services import questions_ensure_defaults

from .helpers import approved_plan, customer, invite, open_link, token_in_outbox

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
NBSP = "\u00a0"


def _hold(client, people, account, plan, stakeholders):
    review = Review.objects.create(
        plan=plan, quarter="2026-Q2", opened_on=timezone.localdate(), due_on=timezone.localdate()
    )
    client.force_login(people.manager)
    response = client.post(
        reverse("workspace_team:joint_review", args=[account.pk, review.pk]),
        {"participants": [s.pk for s in stakeholders]},
    )
    assert response.status_code == 302
    client.logout()
    return review.joint


def _reword_the_last_question(client, people):
    question = questions_ensure_defaults()[3]
    client.force_login(people.programme_admin)
    response = client.post(
        reverse("workspace_team:question_edit", args=[question.pk]),
        {"text": "How well do we keep our promises?", "kind": "rating", "position": 3,
         "is_active": "on", "revision": question.revision},
    )  # fmt: skip
    assert response.status_code == 302
    client.logout()


def test_the_customer_reads_the_default_questions_in_their_language(people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    invite(account, clara, people)
    staff = Client()
    joint = _hold(staff, people, account, plan, [clara])
    token = token_in_outbox(clara)  # holding the review e-mailed her a fresh link
    _reword_the_last_question(staff, people)
    url = reverse("workspace:review_answer", args=[joint.pk])

    french = Client()
    french.get(f"/workspace/join/{token}/", **FR)
    page = french.get(url, **FR).content.decode()
    assert f"Quelle est la probabilité que vous nous recommandiez à un collègue{NBSP}?" in page
    assert f"Dans quelle mesure êtes-vous satisfait de notre service{NBSP}?" in page
    assert f"Quelle valeur notre collaboration vous apporte-t-elle{NBSP}?" in page
    assert "How well do we keep our promises?" in page  # reworded: as typed
    assert "How satisfied are you" not in page

    english = Client()
    open_link(english, token)
    page = english.get(url).content.decode()
    assert "How likely are you to recommend us to a colleague?" in page
    assert "How satisfied are you with our service?" in page
    assert "How well do we keep our promises?" in page


def test_the_team_reads_the_answered_questions_in_their_language(client_for, people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    invite(account, clara, people)
    staff = Client()
    joint = _hold(staff, people, account, plan, [clara])
    token = token_in_outbox(clara)  # holding the review e-mailed her a fresh link
    _reword_the_last_question(staff, people)
    questions = questions_ensure_defaults()
    answering = Client()
    open_link(answering, token)
    data = {f"q{q.pk}": "4" for q in questions}
    data[f"c{questions[1].pk}"] = "Deliveries were on time."
    data[f"c{questions[3].pk}"] = "Mostly."
    answered = answering.post(reverse("workspace:review_answer", args=[joint.pk]), data)
    assert answered.status_code == 302
    # The answer keeps the English wording it was asked in.
    assert ReviewAnswer.objects.filter(
        question_text="How satisfied are you with our service?"
    ).exists()

    url = reverse("workspace_team:satisfaction", args=[account.pk])
    english = client_for(people.manager).get(url).content.decode()
    assert (
        "2026-Q2, Clara Customer on “How satisfied are you with our service?” (4): "
        "Deliveries were on time." in english
    )
    assert "2026-Q2, Clara Customer on “How well do we keep our promises?” (4): Mostly." in english
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    french = client_for(people.manager).get(url).content.decode()
    assert (
        f"2026-Q2, Clara Customer sur «{NBSP}Dans quelle mesure êtes-vous satisfait de notre "
        f"service{NBSP}?{NBSP}» (4){NBSP}: Deliveries were on time." in french
    )
    assert (
        f"2026-Q2, Clara Customer sur «{NBSP}How well do we keep our promises?{NBSP}» "
        f"(4){NBSP}: Mostly." in french
    )


def test_the_admin_reads_and_saves_a_default_question_in_their_language(client_for, people):
    question = questions_ensure_defaults()[1]
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    admin = client_for(people.programme_admin)
    listing = admin.get(reverse("workspace_team:questions")).content.decode()
    assert f"<td>Dans quelle mesure êtes-vous satisfait de notre service{NBSP}?</td>" in listing
    url = reverse("workspace_team:question_edit", args=[question.pk])
    assert f"Dans quelle mesure êtes-vous satisfait de notre service{NBSP}?" in (
        admin.get(url).content.decode()
    )
    # Saved as the form showed it (only the order changed): still the default, so an English
    # reader keeps reading English.
    response = admin.post(
        url,
        {"text": f"Dans quelle mesure êtes-vous satisfait de notre service{NBSP}?",
         "kind": "rating", "position": 5, "is_active": "on", "revision": question.revision},
    )  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.position) == ("How satisfied are you with our service?", 5)
    people.programme_admin.language = "en"
    people.programme_admin.save(update_fields=["language"])
    english = client_for(people.programme_admin).get(reverse("workspace_team:questions"))
    assert "<td>How satisfied are you with our service?</td>" in english.content.decode()
    # A reworded question is shown as typed, whoever reads it.
    AlignmentQuestion.objects.filter(pk=question.pk).update(text="Are we easy to work with?")
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    listing = client_for(people.programme_admin).get(reverse("workspace_team:questions"))
    assert "<td>Are we easy to work with?</td>" in listing.content.decode()
