"""A customer writing when their link ends (it expired, was revoked, or their visit ended)
loses nothing: the "link no longer works" page gives back the words they had just sent."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.html_checks import page_problems
from workspace.models import Invitation, WorkspaceComment

from .helpers import approved_plan, customer, invite, open_link

pytestmark = pytest.mark.django_db


def test_a_comment_sent_after_the_link_expired_is_given_back_to_copy(account, people):
    approved_plan(account, people)
    clara = customer(account)
    client = Client()
    open_link(client, invite(account, clara, people))
    words = "Please add the Q1 promotion calendar <and> the Erfurt dates."
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("workspace:comment"), {"text": words})
    html = response.content.decode()
    assert response.status_code == 404
    assert "What you wrote was not sent" in html
    assert "Please add the Q1 promotion calendar &lt;and&gt; the Erfurt dates." in html
    assert not page_problems(html)  # labelled, valid
    assert not WorkspaceComment.objects.exists()
    # A plain visit with no words gets the page without that part.
    assert "What you wrote" not in client.get(reverse("workspace:home")).content.decode()
