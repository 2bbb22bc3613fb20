"""What the customer wrote reaches the manager where they are told of it: the notification and
its e-mail quote the comment or the note (they said only "commented on the plan", and the
manager had to open the app to read what about)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import Notification

from .helpers import approved_plan, customer, invite, joint_action, open_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    joint_action(plan, clara, title="Share the shelf data")
    client = Client()
    open_link(client, invite(account, clara, people))
    return client


def _told(people) -> str:
    return Notification.objects.filter(user=people.manager).latest("pk").text


def test_the_comment_is_quoted_in_the_notification_and_its_email(
    browser, people, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("workspace:comment"), {"text": "Please add the Q1\npromotions."})
    expected = (
        "Customer Clara Customer commented on the plan (Approved version 1) (Northwind Foods): "
        "Please add the Q1 promotions."
    )
    assert _told(people) == expected
    (sent,) = [m for m in mail.outbox if m.to == [people.manager.email]]
    assert expected in sent.body


def test_a_long_comment_is_cut_after_a_word(browser, people):
    words = "The forecast must include the regional promotions " * 8  # 408 characters
    browser.post(reverse("workspace:comment"), {"text": words})
    told = _told(people)
    # 160 characters at most of her words, cut after a whole word, with "…".
    quoted = told.split("(Northwind Foods): ", 1)[1]
    assert quoted.endswith("…") and len(quoted) <= 160
    assert words.startswith(quoted[:-1]) and words[len(quoted) - 1] == " "


def test_the_note_of_a_tick_is_quoted(browser, people, account):
    action = account.plans.get().actions.get(title="Share the shelf data")
    browser.post(
        reverse("workspace:action_tick", args=[action.pk]), {"done": "1", "note": "Sent Monday"}
    )
    assert _told(people) == (
        "Customer Clara Customer marked “Share the shelf data” done (Northwind Foods): Sent Monday"
    )
    browser.post(reverse("workspace:action_tick", args=[action.pk]), {"done": "0"})
    assert _told(people) == (
        "Customer Clara Customer marked “Share the shelf data” not done yet (Northwind Foods)"
    )


def test_the_manager_reads_it_in_french(browser, people):
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    browser.post(reverse("workspace:comment"), {"text": "Merci pour le plan."})
    nbsp = "\u00a0"
    assert _told(people).endswith(f"(Northwind Foods){nbsp}: Merci pour le plan.")
