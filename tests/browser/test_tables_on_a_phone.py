"""Under 576 px the home table becomes one card per account: every column stays on screen with
its name beside the value, instead of hiding behind a sideways scroll (the plan and overdue
columns were off a 390 px screen)."""

from decimal import Decimal

import pytest

from planning import services
from planning.models import AccountPlan
from tests.browser.helpers import log_in
from tests.discovery.factories import OpportunityIdeaFactory
from tests.factories import (
    AccountPlanFactory,
    InterviewFactory,
    ObjectiveFactory,
    OpportunityFactory,
    ProfitabilityYearFactory,
    StakeholderFactory,
    TargetFactory,
    add_required_parts,
)
from tests.rhythm.factories import ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in_on_a_phone(page, user):
    log_in(page, user, width=390)
    page.get_by_role("heading", name="My accounts").wait_for()


def test_home_accounts_are_cards_on_a_phone(page, people, account):
    AccountPlanFactory(key_account=account, period="FY2027")
    _log_in_on_a_phone(page, people.manager)
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


def test_discovery_pages_stay_within_a_phone_screen(page, people, account):
    """A wide table scrolls inside its own box: its visually hidden caption (absolutely
    positioned) used to escape it and widen the whole page; long badges (a stakeholder's gaps,
    an idea turned into an opportunity) wrap instead of running off the screen."""
    for year in (2023, 2024, 2025):
        ProfitabilityYearFactory(
            key_account=account,
            year=year,
            gross_sales=Decimal("14838462"),
            cost_of_goods=Decimal("9100000"),
        )
    StakeholderFactory(key_account=account, name="Sabine Koch", influence="high", owner=None)
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    idea = OpportunityIdeaFactory(interview=interview, title="Longer shelf life")
    OpportunityFactory(
        key_account=account,
        title="Modified-atmosphere trays for the clean-label range",
        source_idea=idea,
    )
    _log_in_on_a_phone(page, people.manager)
    for path in ("profitability/", "stakeholders/map/", f"interviews/{interview.pk}/"):
        page.goto(f"/accounts/{account.pk}/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_plan_versions_are_cards_on_a_phone(page, people, account):
    """The versions tables ran off a 390 px screen inside their sideways scroll: 'What changed'
    was cut and the PDF and 'Compare with the live plan' links could not be seen. Each record
    is a card now, its links on screen."""
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    add_required_parts(plan, owner=people.manager)
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    services.plan_approve(plan=plan, acting_user=people.director)
    services.plan_review_snapshot_record(plan=plan, quarter="2026-Q4", acting_user=people.manager)
    _log_in_on_a_phone(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/versions/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in (
        "PDF of approved version 1",
        "Compare with the live plan (approved version 1)",
        "Compare with the live plan (review snapshot 1)",
    ):
        link = page.get_by_role("link", name=name)
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
    changes = page.locator("td[data-label='Changes']").first
    assert "First approved version" in changes.inner_text()
    assert changes.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Changes"'


def test_the_quarterly_review_is_cards_on_a_phone(page, people, account):
    """The review's targets table hid its progress and status columns past a 390 px screen (a
    sideways scroll inside the table): each target is a card now, its status on screen."""
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    TargetFactory(objective=ObjectiveFactory(plan=plan, title="Grow the deli range"), kpi="SKUs")
    review = ReviewFactory(plan=plan)
    _log_in_on_a_phone(page, people.manager)
    # The list of reviews: its status and decision were off the screen too.
    page.goto(f"/accounts/{account.pk}/reviews/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for cell in ("td[data-label='Status']", "td[data-label='Decision']"):
        box = page.locator(cell).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, cell
    page.goto(f"/accounts/{account.pk}/reviews/{review.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    status = page.locator("td[data-label='Status']").first
    box = status.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert "No measurement yet" in status.inner_text()


def test_the_plans_list_is_cards_on_a_phone(page, people, account):
    """The plans list showed account, period and status on a 390 px screen; health, the last
    approval, the last change and the PDF link were past a sideways scroll."""
    AccountPlanFactory(key_account=account, period="FY2027")
    _log_in_on_a_phone(page, people.manager)
    page.goto("/plans/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for cell in ("td[data-label='Health']", "td[data-label='Last approved']"):
        box = page.locator(cell).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, cell
    assert page.locator("td[data-label='Last approved']").first.inner_text().endswith("never")
    box = page.get_by_role("link", name="PDF of the Northwind Foods plan").bounding_box()
    assert box and box["x"] + box["width"] <= 390


def test_every_part_of_a_card_stays_inside_it_on_a_phone(page, people, account):
    """A cell of several parts (a badge, who confirmed and when, how) was a flex row: each part
    became a column, the 'Confirmed' badge stretched three lines tall and the row's second link
    ran off the card. Now the column's name floats left and the value wraps beside it."""
    from datetime import timedelta

    from django.utils import timezone

    from outcomes.models import ValueDelivered
    from outcomes.services import confirm_value_delivered

    entry = ValueDelivered.objects.create(
        key_account=account,
        title="Stock-outs on chilled salads down from 4.1 % to 1.7 %",
        delivered_on=timezone.localdate() - timedelta(days=30),
        amount=Decimal("185000"),
        currency="EUR",
        evidence="Recovered sales at their shelf price, from their own availability report.",
    )
    stakeholder = StakeholderFactory(key_account=account, name="Katrin Vogel")
    confirm_value_delivered(entry, stakeholder=stakeholder, via=ValueDelivered.ConfirmedVia.EMAIL)
    _log_in_on_a_phone(page, people.manager)
    page.goto(f"/accounts/{account.pk}/value/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card = page.locator(f"#value-{entry.pk}")
    card_box = card.bounding_box()
    for part in card.locator("a, .badge, button").all():
        box = part.bounding_box()
        assert box["x"] >= card_box["x"] - 0.5, part.inner_text()
        assert box["x"] + box["width"] <= card_box["x"] + card_box["width"] + 0.5, part.inner_text()
    badge = card.locator(".badge").first
    line = badge.evaluate("b => parseFloat(getComputedStyle(b).fontSize)")
    assert badge.bounding_box()["height"] < 2.5 * line  # one line, not stretched
    # The history's rows too: their details and the Restore button were behind a sideways
    # scroll; each row is now a card with every part on screen. (The director reads it.)
    page.context.clear_cookies()
    log_in(page, people.director)
    page.goto(f"/accounts/{account.pk}/history/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.locator(".table-cards tbody tr")
    assert rows.count() >= 2
    for row in rows.all():
        row_box = row.bounding_box()
        for part in row.locator("td, a, button, li").all():
            box = part.bounding_box()
            if box is None:  # an empty details cell takes no line
                continue
            assert box["x"] + box["width"] <= row_box["x"] + row_box["width"] + 0.5


def test_the_coordinators_engagements_are_cards_on_a_phone(page, people, account):
    """The coordinator's home table had no scroll box of its own: the whole page was 502 px
    wide on a 390 px phone, the Schedule buttons past its edge."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import EngagementActivityFactory

    plan = AccountPlanFactory(key_account=account, period="FY2027")
    for days, purpose in ((-3, "Open-book cost review"), (8, "Esbjerg port operations call")):
        EngagementActivityFactory(
            plan=plan,
            our_person=people.manager,
            purpose=purpose,
            next_due_on=timezone.localdate() + timedelta(days=days),
        )
    log_in(page, people.coordinator, width=390)
    page.get_by_role("heading", name="Meetings to arrange").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for button in page.get_by_role("link", name="Schedule").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_the_discovery_list_and_relationship_history_are_cards_on_a_phone(page, people, account):
    """The Discovery list showed account, class and freshness on a 390 px screen; the
    stakeholders, gaps, stage, latest net profit and margin were past a sideways scroll. The
    relationship history squeezed its 'Why' column to a letter a line."""
    from datetime import date

    from discovery.models import RelationshipChange

    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("1000000"),
        cost_of_goods=Decimal("700000"),
        discounts=0,
        rebates=0,
        transport=0,
        returns=0,
        customer_service=0,
        kam_team_cost=0,
        other_costs=Decimal("100000"),
    )
    RelationshipChange.objects.create(
        key_account=account,
        field=RelationshipChange.Field.STAGE,
        old_value="basic",
        new_value="cooperative",
        changed_on=date(2026, 3, 11),
        reason="Regular business reviews; their operations team now works with ours.",
        changed_by=people.director,
    )
    _log_in_on_a_phone(page, people.manager)
    page.goto("/discovery/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # By hand: net profit 1,000,000 − 700,000 − 100,000 = 200,000; margin 20.0 %.
    for label, text in (("Latest net profit", "EUR 200,000 (2025)"), ("Net margin", "20.0 %")):
        cell = page.locator(f"td[data-label='{label}']").first
        assert text in cell.inner_text(), label
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
        assert cell.evaluate("c => getComputedStyle(c, '::before').content") == f'"{label}"'
    page.goto(f"/accounts/{account.pk}/relationship/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    why = page.locator("td[data-label='Why']").first
    box = why.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The reason reads on a few lines, not a letter a line.
    assert box["width"] > 150
    assert "their operations team now works with ours" in why.inner_text()


def test_the_profitability_charts_key_is_readable_on_a_phone(page, people, account):
    """The chart shrinks to the phone's width and its key's words shrank with it (11 px drawn
    at 640 wide, about 6 px on a 390 px screen): on a phone the key is a list under it."""
    # 2025 a loss, so the key has "Net loss" too: 500,000 − 450,000 − 80,000 = −30,000.
    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("500000"),
        cost_of_goods=Decimal("450000"),
        other_costs=Decimal("80000"),
    )
    _log_in_on_a_phone(page, people.manager)
    page.goto(f"/accounts/{account.pk}/profitability/")
    key = page.get_by_role("list", name="Colour key")
    labels = [item.inner_text().strip() for item in key.get_by_role("listitem").all()]
    assert labels == ["Gross sales", "Gross margin", "Cost to serve", "Net profit", "Net loss"]
    size = key.evaluate("list => parseFloat(getComputedStyle(list).fontSize)")
    assert size >= 12
    assert not page.locator(".kam-chart .chart-legend").is_visible()
    # On a wide screen the chart draws its key itself, and the list is not shown.
    page.set_viewport_size({"width": 1280, "height": 844})
    assert page.locator(".kam-chart .chart-legend").is_visible()
    assert not key.is_visible()


def test_my_work_actions_are_cards_on_a_phone(page, people, account):
    """My work's actions ran off a 390 px screen inside their sideways scroll: the status and
    the one-click progress form (the page's point) were past the edge, the note under the table
    cut. Each action is a card now, its Save button on screen."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ActionFactory

    plan = AccountPlanFactory(key_account=account, period="FY2027", is_current=True)
    ActionFactory(
        plan=plan,
        owner=people.team_member,
        title="Send the line trial report to the Erfurt plant",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    log_in(page, people.team_member, width=390)
    page.goto("/delivery/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    status = page.locator("td[data-label='Status · progress']").first
    assert status.inner_text().endswith("Open · 0 %")
    for element in (status, page.get_by_role("button", name="Save").first):
        box = element.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    caption = page.locator("table caption").first.bounding_box()
    assert caption["x"] >= 0 and caption["x"] + caption["width"] <= 390


def test_progress_check_ins_are_cards_on_a_phone(page, people, account):
    """The check-ins under each opportunity ran off a 390 px screen: 'By' was cut. Each
    check-in is a card now."""
    from django.utils import timezone

    from delivery.models import CheckIn

    opportunity = OpportunityFactory(key_account=account, title="Pilot", status="pursuing")
    CheckIn.objects.create(
        opportunity=opportunity,
        checked_on=timezone.localdate(),
        status="pursuing",
        next_step="Book the Erfurt pilot line for the first two SKUs",
        blockers="Pilot line fully booked until the end of the month",
        recorded_by=people.manager,
    )
    _log_in_on_a_phone(page, people.manager)
    page.goto(f"/accounts/{account.pk}/progress/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    by = page.locator("td[data-label='By']").first
    assert by.inner_text().endswith(str(people.manager))
    box = by.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_profitability_years_are_cards_on_a_phone(page, people, account):
    """The years × lines table scrolled sideways inside its box on a 390 px screen (three
    years: the 2025 column was off the edge). Each year is a card of its lines now, every value
    on screen beside its label; from 576 px the table is back."""
    for year in (2023, 2024, 2025):
        ProfitabilityYearFactory(
            key_account=account, year=year, gross_sales=Decimal("14838462"), transport=1000
        )
    _log_in_on_a_phone(page, people.manager)
    page.goto(f"/accounts/{account.pk}/profitability/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards = page.locator("table.profitability-cards tbody tr")
    assert cards.count() == 3
    last = cards.nth(2)
    assert last.locator("td").first.inner_text().strip() == "2025"
    sales = last.locator("td[data-label='Gross sales']")
    assert sales.inner_text().strip() == "EUR 14,838,462"
    assert sales.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Gross sales"'
    for cell in last.locator("td[data-label]").all():
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.get_by_role("link", name="Edit 2025").is_visible()
    assert not page.locator("table.profitability-table").is_visible()
    # Nothing in the section scrolls sideways on its own either.
    boxes = "[...document.querySelectorAll('#profitability-years .table-responsive')]"
    assert page.evaluate(f"{boxes}.every(box => box.scrollWidth <= box.clientWidth)")
    page.set_viewport_size({"width": 1280, "height": 844})
    assert page.locator("table.profitability-table").is_visible()
    assert not page.locator("table.profitability-cards").is_visible()


def _open_the_dashboard(page, user, *, width: int) -> None:
    log_in(page, user, width=width)
    page.goto("/portfolio/")


def test_the_dashboards_account_column_stays_in_view_while_the_figures_scroll(
    page, people, account
):
    """The plan health table has more columns than a phone shows (ten, several figures in some:
    it fits a laptop, tests/browser/test_dashboard_fits_a_laptop.py); it scrolls inside its
    box, and the account's name stays at the box's left edge meanwhile."""
    AccountPlanFactory(key_account=account, period="FY2027")
    _open_the_dashboard(page, people.director, width=390)
    box = page.locator("[aria-labelledby=plan-health-caption]")
    name = box.locator("tbody tr").first.locator("td, th").first
    assert account.customer.name in name.inner_text()
    before = name.bounding_box()["x"]
    wider = box.evaluate("b => b.scrollWidth - b.clientWidth")
    assert wider > 100  # the table does scroll on a phone
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert box.evaluate("b => b.scrollLeft") > 100
    assert abs(name.bounding_box()["x"] - before) < 1
    last = box.locator("tbody tr").first.locator("td").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 391


def test_the_dashboards_class_by_stage_table_fits_a_laptop(page, people, account):
    """Five relationship stages and a total in half of a 1280 px page were 5 px too wide, so the
    small table scrolled sideways; it has the row to itself below 1400 px."""
    _open_the_dashboard(page, people.director, width=1280)
    box = page.locator("[aria-labelledby=class-stage-caption]")
    assert box.evaluate("b => b.scrollWidth - b.clientWidth") == 0
