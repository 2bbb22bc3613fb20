"""The plan page on a phone and from the keyboard: its sections fold behind a contents bar, the
stakeholder map shrinks to the screen instead of pushing the page sideways (it was drawn 520 px
wide on a 390 px screen), and "Add action" is a few tabs from the top of the page (it was 56)."""

import pytest

from tests.browser.helpers import log_in
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    ObjectiveFactory,
    StakeholderFactory,
    TargetFactory,
)
from tests.planning.factories import PlanRiskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plan(account):
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    StakeholderFactory(key_account=account, name="Annika Svensson", influence="high")
    for number in range(6):
        ActionFactory(plan=plan, title=f"Call the buyer about lot {number}")
    return plan


def test_stakeholder_map_fits_a_phone_screen(page, people, account, plan):
    page.set_viewport_size(PHONE)
    log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/#stakeholders")  # opens that folded section
    chart = page.locator("svg.stakeholder-map")
    chart.wait_for()
    screen = page.evaluate("document.documentElement.clientWidth")
    box = chart.bounding_box()
    assert box["x"] + box["width"] <= screen
    assert page.evaluate("document.documentElement.scrollWidth") <= screen


def test_on_a_phone_sections_fold_and_the_contents_bar_opens_one(page, people, account, plan):
    page.set_viewport_size(PHONE)
    log_in(page, people.manager)
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
        log_in(page, people.manager)
        page.goto(f"/accounts/{account.pk}/plan/")
        assert page.get_by_role("cell", name="Call the buyer about lot 3", exact=True).is_visible()
        folds = page.locator("details.plan-fold")
        assert folds.count() == 9
        assert folds.evaluate_all("all => all.every(d => d.open)")
    finally:
        context.close()


def test_add_action_is_a_few_tabs_from_the_top_of_the_plan(page, people, account, plan):
    log_in(page, people.manager)
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


def test_the_plans_tables_are_cards_and_nothing_scrolls_sideways(page, people, account, plan):
    """Objectives' targets, actions, engagement and risks: one card per row under 576 px, each
    value with its column's name, and the plan (every section open) no wider than the phone."""
    objective = ObjectiveFactory(plan=plan, title="Grow the chilled range", owner=people.manager)
    TargetFactory(objective=objective, kpi="Chilled revenue share of the whole account")
    annika = plan.key_account.stakeholders.get()
    EngagementActivityFactory(
        plan=plan, stakeholder=annika, our_person=people.manager, purpose="Quarterly range review"
    )
    PlanRiskFactory(plan=plan, description="A competitor undercuts our price", owner=people.manager)
    page.set_viewport_size(PHONE)
    log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/")
    page.locator("details.plan-fold").evaluate_all("all => all.forEach(d => { d.open = true; })")
    for section in ("objectives", "actions", "engagement", "risks"):
        table = page.locator(f"#{section} table.table-cards").first
        assert table.is_visible(), section
        row = table.locator("tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block", section
        assert table.locator("thead").evaluate("h => h.getBoundingClientRect().height") <= 1
    due = page.locator("#actions td[data-label='Due']").first
    assert due.evaluate("td => getComputedStyle(td, '::before').content") == '"Due"'
    screen = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= screen
    # An editor opened in a card row keeps to the screen too.
    page.locator("#actions").get_by_role("link", name="Edit").first.click()
    page.locator("#actions form").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= screen
