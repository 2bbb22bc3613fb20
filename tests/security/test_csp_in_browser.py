"""The pages people use render in Chromium with the Content-Security-Policy and break none of it:
no blocked script, style or image, no console error."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, KeyAccountFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched_page(page):
    """The page, recording console errors and CSP violations for the assertions below."""
    problems = []

    def on_console(msg):
        if msg.location.get("url", "").endswith("/favicon.ico"):
            return  # no favicon is served; nothing to do with the policy
        if msg.type in {"error", "warning"} or "Content Security Policy" in msg.text:
            problems.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.add_init_script(RECORD_VIOLATIONS)
    page.problems = problems
    return page


def assert_clean(page, url):
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], f"{url}: {violations}"
    assert page.problems == [], f"{url}: {page.problems}"


def test_login_home_and_account_pages_render_without_csp_violations(watched_page):
    # Built here rather than with the `people` fixture: transactional tests flush the groups
    # that a data migration created.
    page = watched_page
    account = KeyAccountFactory(customer__name="Northwind Foods")
    MembershipFactory(user=UserFactory(username="max"), key_account=account, role=Role.MANAGER)
    response = page.goto(reverse("login"))
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert_clean(page, "login")

    page.get_by_label("Username").fill("max")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="My accounts").wait_for()
    assert_clean(page, "home")
    # Bootstrap's stylesheet and JavaScript really loaded (a blocked file would leave these off).
    assert page.evaluate("typeof bootstrap") == "object"
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "flex"
    # htmx's indicator <style> was allowed by its hash, not silently dropped.
    assert page.evaluate(
        "[...document.styleSheets].some(s => !s.href &&"
        " [...s.cssRules].some(r => r.selectorText === '.htmx-indicator'))"
    )

    for url in (
        reverse("accounts:account_list"),
        reverse("accounts:account_detail", args=[account.pk]),
    ):
        page.goto(url)
        page.get_by_role("heading", level=1).wait_for()
        assert_clean(page, url)

    # The user menu opens (Bootstrap's dropdown positions itself through the CSSOM, which the
    # policy allows; a style="" attribute in markup would be refused).
    page.locator("a.dropdown-toggle").click()
    page.get_by_role("button", name="Log out").wait_for()
    assert_clean(page, "menu")


def test_admin_change_list_renders_without_csp_violations(watched_page):
    page = watched_page
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(reverse("admin:axes_accessattempt_changelist"))
    page.get_by_role("heading", level=1).wait_for()
    page.goto(reverse("admin:accounts_user_changelist"))
    page.get_by_role("heading", level=1).wait_for()
    assert_clean(page, "admin")


def test_lockout_page_renders_without_csp_violations(watched_page):
    page = watched_page
    UserFactory(username="max")
    page.goto(reverse("login"))
    for _ in range(5):
        page.get_by_label("Username").fill("max")
        page.get_by_label("Password").fill("wrong-guess")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="Log-in paused").wait_for()
    page.problems[:] = [p for p in page.problems if "429" not in p]  # the status itself is logged
    assert_clean(page, "locked out")
