"""Under 576 px the home table becomes one card per account: every column stays on screen with
its name beside the value, instead of hiding behind a sideways scroll (the plan and overdue
columns were off a 390 px screen)."""

import pytest

from tests.factories import PASSWORD, AccountPlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_accounts_are_cards_on_a_phone(page, people, account):
    AccountPlanFactory(key_account=account, period="FY2027")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.get_by_label("Username").fill(people.manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="My accounts").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    plan_cell = page.locator("td[data-label='Plan']").first
    assert "FY2027" in plan_cell.inner_text()
    box = plan_cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The column's name is drawn before the value (CSS generated content from data-label).
    label = plan_cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Plan"'
    assert not page.locator(".table-cards thead").first.is_visible() or (
        page.locator(".table-cards thead").first.bounding_box()["height"] <= 1
    )
