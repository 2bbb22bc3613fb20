"""Cancel in an editor opened in place, in a real browser: the block comes back closed, alone
(never the whole page, menu and all, nested in it), and focus goes back to the link that opened
the editor; the page is never reloaded (a marker set on `window` before the first click is
still there at the end)."""

import os

import pytest

from tests.browser.helpers import log_in, wait_until
from tests.factories import StakeholderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a folder to keep a screenshot of the page after each Cancel.
SHOTS = os.environ.get("KAM_BROWSER_SHOTS", "")


def _focused_text(page, expected: str) -> str:
    """The focused element's text (white space as one space), once it is `expected`."""
    script = (
        "document.activeElement"
        " ? document.activeElement.textContent.trim().split(/\\s+/).join(' ') : ''"
    )
    return wait_until(page, script, expected)


def _one_page(page):
    """One page: one menu, one title, one live region (a page swapped into a block has its own)."""
    assert page.locator("nav").count() == page.evaluate("document.querySelectorAll('nav').length")
    assert page.locator("h1").count() == 1
    assert page.locator("#live-status").count() == 1
    assert page.locator("html html, body body, #stakeholder-list #stakeholder-list").count() == 0


def test_cancel_closes_the_editor_in_its_block(page, people, account):
    StakeholderFactory(key_account=account, name="Anna Berger")
    log_in(page, people.manager)
    page.goto(f"/accounts/{account.pk}/stakeholders/")
    navs = page.locator("nav").count()
    page.evaluate("window.kamMarker = 'still here'")

    for opener in ("Edit Anna Berger", "Add a stakeholder"):
        page.get_by_role("link", name=opener).click()
        page.locator("#stakeholder-list form.plan-editor").wait_for()
        page.get_by_role("link", name="Cancel").click()
        page.locator("form.plan-editor").wait_for(state="detached")
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"cancel-{opener}.png"), full_page=True)
        assert page.locator("nav").count() == navs  # no second menu inside the block
        _one_page(page)
        assert page.locator("#stakeholder-list tbody strong", has_text="Anna Berger").is_visible()
        # Back where the user was: on the link that opened the editor.
        assert _focused_text(page, opener) == opener
    assert page.evaluate("window.kamMarker") == "still here"  # no reload

    # The list's URL answered htmx with the block alone: Back from another page must not show
    # that fragment from the browser's cache as the page (the answers vary on HX-Request).
    page.get_by_role("link", name="Profile", exact=True).click()
    page.get_by_role("heading", level=1, name="Northwind Foods: account profile").wait_for()
    page.go_back()
    page.get_by_role("heading", level=1).wait_for()
    _one_page(page)
    assert page.locator("nav").count() == navs
