"""The plan page on a phone: the stakeholder map shrinks to the screen instead of pushing the
page sideways (it was drawn 520 px wide on a 390 px screen)."""

import pytest

from tests.factories import PASSWORD, AccountPlanFactory, StakeholderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stakeholder_map_fits_a_phone_screen(page, people, account):
    AccountPlanFactory(key_account=account, period="FY2027")
    StakeholderFactory(key_account=account, name="Annika Svensson", influence="high")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/")
    page.get_by_label("Username").fill(people.manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/accounts/{account.pk}/plan/")
    chart = page.locator("svg.stakeholder-map")
    chart.wait_for()
    screen = page.evaluate("document.documentElement.clientWidth")
    box = chart.bounding_box()
    assert box["x"] + box["width"] <= screen
    assert page.evaluate("document.documentElement.scrollWidth") <= screen
