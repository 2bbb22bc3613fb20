"""The demo director finds which accounts are off track and why, and everything waiting for
their decision, on one page within the flow benchmark's goal (issue 19): bench/flows_portfolio.py
counts the interactions (login = 4) and checks that the facts are visible."""

import pytest

from bench.flow import Steps
from bench.flows_portfolio import DIRECTOR_GOAL, director_journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_director_journey_stays_within_its_goal(committed_demo, page):
    steps = director_journey(Steps(page))
    assert steps.count <= DIRECTOR_GOAL, steps.log
    # One page: nothing after the login's click.
    assert steps.log[-1] == "click: Log in"
    inbox = page.locator("#decisions").inner_text()
    assert "Plans waiting for your approval" in inbox
