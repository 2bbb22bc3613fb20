"""A customer scored in place in a real browser (issue #19): the score form opens in the
customer's block with focus on its first option; Cancel closes it in place; the save redraws
the totals, the class, the title's badge and the note on the account's class and is announced
in the live region; the page is never reloaded (a marker set on `window` before the first click
is still there at the end)."""

import pytest

from accounts.models import Programme
from strategy.models import CriterionScore
from tests.browser.helpers import log_in, wait_until
from tests.factories import CriterionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page, expected: str) -> str:
    """The focused element's id, once it is `expected`."""
    return wait_until(page, "document.activeElement && document.activeElement.id", expected)


def test_score_a_customer_in_place(page, people, account):
    Programme.ensure()
    growth = CriterionFactory(name="Growth outlook")
    delivery = CriterionFactory(name="Our delivery record", axis="strength")
    customer = account.customer
    log_in(page, people.manager)

    page.goto(f"/strategy/customers/{customer.pk}/")
    page.evaluate("window.kamMarker = 'still here'")
    page.get_by_role("link", name="Score this customer").click()
    page.get_by_role("button", name="Save scores").wait_for()
    # Focus on the first option ("Not scored") of the first criterion.
    assert _focused(page, f"id_criterion_{growth.pk}_0") == f"id_criterion_{growth.pk}_0"

    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Save scores").wait_for(state="detached")
    assert page.locator("h1").count() == 1  # the block alone came back, not a page in it

    page.get_by_role("link", name="Score this customer").click()
    page.check(f'input[name="criterion_{growth.pk}"][value="1"]')
    page.check(f'input[name="criterion_{delivery.pk}"][value="5"]')
    page.get_by_role("button", name="Save scores").click()
    page.locator("#live-status", has_text="Scores for Northwind Foods saved.").wait_for(
        state="attached"
    )
    page.get_by_role("button", name="Save scores").wait_for(state="detached")
    # Attractiveness 0 (all 1s), strength 100 (all 5s): Status, while the account is Strategic.
    assert "Status" in page.locator("#customer-title").inner_text()
    assert "Status" in page.locator("#class-mismatch").inner_text()
    assert page.evaluate("window.kamMarker") == "still here"  # no reload
    saved = dict(CriterionScore.objects.values_list("criterion_id", "score"))
    assert saved == {growth.pk: 1, delivery.pk: 5}
