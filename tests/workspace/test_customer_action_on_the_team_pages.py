"""A joint action the customer owns and ticks off in the workspace, as the team reads it on the
action's page: whose it is and who updated it, even without a note."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from planning.models import Action, ActionUpdate

from .helpers import approved_plan, customer, invite, joint_action, open_link

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_action_page_names_the_customer_who_owns_and_ticked_it(people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    action = joint_action(plan, clara, title="Share the shelf data")
    browser = Client()
    open_link(browser, invite(account, clara, people))
    ticked = browser.post(reverse("workspace:action_tick", args=[action.pk]), {"done": "1"})
    assert ticked.status_code == 302

    team = Client()
    team.force_login(people.manager)
    page = _text(team.get(reverse("delivery:action_detail", args=[account.pk, action.pk])))
    # The owner was "—": the page read only our side's owner.
    assert "Owner Clara Customer (customer)" in page
    # The history row names her although she wrote no note (it was "—" and nothing else).
    (update,) = ActionUpdate.objects.filter(action=action)
    assert update.updated_by is None and update.note == "Clara Customer"
    assert "Done 100 Clara Customer" in page


def test_a_tick_that_changes_nothing_is_refused_in_the_customers_words(people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    action = joint_action(plan, clara)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE, progress_percent=100)
    browser = Client()
    open_link(browser, invite(account, clara, people))
    again = browser.post(reverse("workspace:action_tick", args=[action.pk]), {"done": "1"})
    assert again.status_code == 400
    page = again.content.decode()
    assert "Nothing changed: pick the other status or add a note." in page
    assert "percent" not in page  # their form has no percent
    assert not ActionUpdate.objects.exists()
