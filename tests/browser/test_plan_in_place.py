"""An action edited in place on the plan page in a real browser (issue #19): the form opens in
the action's row with focus in its first field, a refused save keeps the typed text, and the
save answers with that row alone (the rest of the section is not redrawn): the row shows the
change, the editor closes, the save is announced in the live region and in the section, focus
goes back to the row's "Edit" link, the row stays in view (no jump) and the page is never reloaded
(a marker set on `window` before the first click is still there at the end)."""

import pytest

from planning.models import Action
from tests.browser.helpers import log_in, wait_until
from tests.factories import AccountPlanFactory, ActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_action_saved_in_place_replaces_its_row_alone(page, people, account):
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    actions = [
        ActionFactory(plan=plan, title=f"Call the buyer about lot {n}", owner=people.manager)
        for n in range(8)
    ]
    edited, neighbour = actions[4], actions[5]
    page.set_viewport_size({"width": 1200, "height": 700})
    log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/")
    page.evaluate("window.kamMarker = 'still here'")
    # Marks on a neighbouring row: a redrawn section would lose it, a swapped row keeps it.
    page.locator(f"#action-{neighbour.pk}").evaluate("row => row.dataset.marked = 'yes'")
    row = page.locator(f"#action-{edited.pk}")
    row.scroll_into_view_if_needed()
    row.get_by_role("link", name="Edit").click()
    page.get_by_role("heading", name="Edit action").wait_for()
    assert wait_until(page, "document.activeElement.name", "title") == "title"

    # A refused save: the error in place, the typed text kept, focus on the field in error.
    page.locator("#id_title").fill("Call the buyer about lots 4 and 5")
    page.locator("#id_due_on").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Not saved yet: please correct the fields marked below.").wait_for()
    assert page.locator("#id_title").input_value() == "Call the buyer about lots 4 and 5"
    assert wait_until(page, "document.activeElement.name", "due_on") == "due_on"

    page.locator("#id_due_on").fill("2027-03-31")
    page.locator(f"#action-{neighbour.pk}").evaluate("row => row.dataset.marked = 'yes'")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("cell", name="Call the buyer about lots 4 and 5", exact=True).wait_for()
    page.locator("#live-status", has_text="Action updated.").wait_for(state="attached")
    assert page.locator("#saved-actions").inner_text() == "Action updated."
    assert page.locator("form.plan-editor").count() == 0
    assert page.locator(f"#action-{neighbour.pk}").get_attribute("data-marked") == "yes"
    focused = f"document.activeElement.closest('#action-{edited.pk}') !== null"
    assert wait_until(page, focused, True) is True
    assert page.evaluate("document.activeElement.textContent.trim()") == "Edit"
    # The page stays where the user was: no jump to the top, the saved row still in view (the
    # browser's scroll anchoring may shift the page by the closed editor's height).
    assert page.evaluate("window.scrollY") > 0
    box = page.locator(f"#action-{edited.pk}").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 700
    assert page.evaluate("window.kamMarker") == "still here"  # no reload
    saved = Action.objects.get(pk=edited.pk)
    assert saved.title == "Call the buyer about lots 4 and 5"
    assert saved.due_on.isoformat() == "2027-03-31"


def test_a_plan_edited_in_place_is_submitted_from_the_same_page(page, people, account):
    """Saves in place move the plan's revision; the workflow's Submit form on the same page
    must follow, or the manager's own edits would make their submission an edit conflict."""
    from planning.models import AccountPlan
    from tests.factories import (
        EngagementActivityFactory,
        ObjectiveFactory,
        TargetFactory,
    )

    plan = AccountPlanFactory(
        key_account=account,
        period="FY2027",
        value_proposition="We keep your shelves full through the winter peak.",
        critical_success_factors="Protect our margin",
    )
    TargetFactory(objective=ObjectiveFactory(plan=plan, title="Keep the winter range on shelf"))
    action = ActionFactory(plan=plan, title="Send the winter forecast", owner=people.manager)
    EngagementActivityFactory(plan=plan, our_person=people.manager)
    page.set_viewport_size({"width": 1200, "height": 900})
    log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/plan/")
    shown = page.locator("input[data-plan-revision]").first.input_value()

    # An action saved in place (the plan's own revision stays), then the value proposition
    # (a section of the plan itself: its revision moves).
    row = page.locator(f"#action-{action.pk}")
    row.get_by_role("link", name="Edit").click()
    page.get_by_role("heading", name="Edit action").wait_for()
    page.locator("#id_title").fill("Send the winter forecast by week 2")
    page.get_by_role("button", name="Save", exact=True).click()
    row.get_by_role("cell", name="Send the winter forecast by week 2", exact=True).wait_for()
    section = page.locator("#value_proposition")
    section.get_by_role("link", name="Edit value proposition").click()
    section.locator("textarea").first.fill("Fewer stock-outs through shared weekly forecasts.")
    section.get_by_role("button", name="Save", exact=True).click()
    section.get_by_text("Fewer stock-outs through shared weekly forecasts.").wait_for()
    plan.refresh_from_db()
    assert str(plan.revision) != shown  # the save moved it…
    assert (  # …and the page's Submit form follows
        wait_until(
            page,
            "document.querySelector('input[data-plan-revision]').value",
            str(plan.revision),
        )
        == str(plan.revision)
    )

    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_role("heading", level=1).wait_for()
    assert "changed since you looked" not in page.content()
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED
