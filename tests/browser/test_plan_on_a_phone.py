"""The plan page on a phone and from the keyboard: its sections fold behind a contents bar, the
stakeholder map shrinks to the screen instead of pushing the page sideways (it was drawn 520 px
wide on a 390 px screen), and "Add action" is a few tabs from the top of the page (it was 56)."""

import pytest

from tests.factories import PASSWORD, AccountPlanFactory, ActionFactory, StakeholderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _log_in(page, user):
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", level=1).wait_for()


@pytest.fixture
def plan(account):
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    StakeholderFactory(key_account=account, name="Annika Svensson", influence="high")
    for number in range(6):
        ActionFactory(plan=plan, title=f"Call the buyer about lot {number}")
    return plan


def test_stakeholder_map_fits_a_phone_screen(page, people, account, plan):
    page.set_viewport_size(PHONE)
    _log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/#stakeholders")  # opens that folded section
    chart = page.locator("svg.stakeholder-map")
    chart.wait_for()
    screen = page.evaluate("document.documentElement.clientWidth")
    box = chart.bounding_box()
    assert box["x"] + box["width"] <= screen
    assert page.evaluate("document.documentElement.scrollWidth") <= screen


def test_on_a_phone_sections_fold_and_the_contents_bar_opens_one(page, people, account, plan):
    page.set_viewport_size(PHONE)
    _log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/")
    action_row = page.get_by_role("cell", name="Call the buyer about lot 3", exact=True)
    assert not action_row.is_visible()  # folded: only the headings show
    screens = page.evaluate("document.documentElement.scrollHeight") / PHONE["height"]
    assert screens < 4, f"the folded plan is {screens:.1f} screens tall"
    page.get_by_role("navigation", name="Plan sections").get_by_role(
        "link", name="Actions", exact=True
    ).click()
    action_row.wait_for()
    assert action_row.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_without_javascript_every_section_is_open(browser, live_server, people, account, plan):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    page = context.new_page()
    try:
        _log_in(page, people.manager)
        page.goto(f"/accounts/{account.pk}/plan/")
        assert page.get_by_role("cell", name="Call the buyer about lot 3", exact=True).is_visible()
        folds = page.locator("details.plan-fold")
        assert folds.count() == 9
        assert folds.evaluate_all("all => all.every(d => d.open)")
    finally:
        context.close()


def test_add_action_is_a_few_tabs_from_the_top_of_the_plan(page, people, account, plan):
    _log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to plan sections"
    page.keyboard.press("Enter")
    tabs = 2
    for _ in range(20):
        page.keyboard.press("Tab")
        tabs += 1
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Add action":
            break
    assert tabs <= 12, f"{tabs} tabs to 'Add action'"
    page.keyboard.press("Enter")
    page.wait_for_url("**?add=action#actions")
