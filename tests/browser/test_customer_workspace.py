"""A customer stakeholder on a phone: opens their personal link, ticks off their action and
answers the joint review; the manager then finds it on the account timeline and in health."""

import pytest
from django.utils import timezone

from planning.models import Review
from tests.browser.helpers import log_in
from tests.workspace.helpers import approved_plan, customer, invite, joint_action
from workspace.services import joint_review_open, questions_ensure_defaults

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_customer_on_a_phone_ticks_an_action_and_answers_the_review(
    browser, live_server, people, account
):
    plan = approved_plan(account, people)
    clara = customer(account)
    joint_action(plan, clara, title="Share the shelf data")
    today = timezone.localdate()
    review = Review.objects.create(plan=plan, quarter="2026-Q4", opened_on=today, due_on=today)
    joint_review_open(review=review, participants=[clara], acting_user=people.manager)
    questions_ensure_defaults()
    token = invite(account, clara, people)

    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/workspace/join/{token}/")
    page.get_by_role("heading", name="Welcome, Clara Customer").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("group", name="Status of “Share the shelf data”").get_by_label(
        "Done", exact=True
    ).check()
    page.get_by_label("Note (optional)").first.fill("Sent on Monday")
    page.get_by_role("button", name="Save “Share the shelf data”").click()
    page.get_by_text("Saved: “Share the shelf data”").wait_for()

    page.get_by_role("link", name="tell us how we are doing").click()
    page.get_by_role("heading", name="Review 2026-Q4: how are we doing?").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for question, score in zip(questions_ensure_defaults(), ("9", "4", "5", "4"), strict=True):
        page.get_by_role("group", name=question.text).get_by_label(score, exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Thank you: your answers are sent").wait_for()
    phone.close()

    desk = browser.new_context(base_url=live_server.url)
    page = desk.new_page()
    page.set_default_timeout(10_000)
    log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/timeline/")
    page.get_by_text("Customer Clara Customer marked “Share the shelf data” done").wait_for()
    page.get_by_text("Customer Clara Customer answered the joint review 2026-Q4").wait_for()
    page.goto(f"/accounts/{account.pk}/plan/")
    health = " ".join(page.locator("main").text_content().split())
    # (4 + 5 + 4) / 3 = 4.3; one answer of 9: recommend score 100.
    assert "Latest joint review: average rating 4.3, recommend score 100" in health
    assert "Last opened 0 days ago" in health
    desk.close()


def test_customer_on_a_phone_proposes_and_reads_the_managers_answer(
    browser, live_server, people, account
):
    approved_plan(account, people)
    clara = customer(account)
    token = invite(account, clara, people)

    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/workspace/join/{token}/")
    page.get_by_role("link", name="Propose an opportunity").click()
    page.get_by_role("heading", name="Propose an opportunity", level=1).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Title").fill("Vendor-managed stock for Erfurt")
    page.get_by_label("What you need, or the problem to solve").fill("We reorder by hand.")
    page.get_by_label("Expected benefit for you").fill("No more line stops.")
    page.get_by_label("When would you need it? (optional)").select_option("quarter")
    page.get_by_role("button", name="Send my proposal").click()
    page.get_by_text("Thank you: “Vendor-managed stock for Erfurt” is sent").wait_for()

    desk = browser.new_context(base_url=live_server.url)
    office = desk.new_page()
    office.set_default_timeout(10_000)
    log_in(office, people.manager)
    office.goto(f"/accounts/{account.pk}/opportunities/")
    office.get_by_text("1 customer proposal waits for a decision.").wait_for()
    office.get_by_role("link", name="Customer proposals").click()
    office.get_by_role("link", name="Vendor-managed stock for Erfurt").click()
    office.get_by_label("Accept: add it to our opportunities (not scored yet)").check()
    office.get_by_label("Your answer to the customer").fill("Let us talk on Monday.")
    office.get_by_role("button", name="Record decision").click()
    office.get_by_text("Proposed by the customer: Clara Customer").wait_for()
    office.get_by_text("Not scored yet").first.wait_for()
    desk.close()

    page.reload()
    page.get_by_text("accepted: we are working on it with you").wait_for()
    page.get_by_text("Let us talk on Monday.").wait_for()
    phone.close()
