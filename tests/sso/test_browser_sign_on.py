"""A person signs on in Chromium: the log-in page's button, the provider's page, back home."""

import pytest

from .conftest import PROVIDER_NAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_on_in_a_browser(sso, page):
    page.goto("/strategy/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/strategy/")
    assert (
        page.get_by_role("button", name="Alice Adams").count()
        + page.get_by_text("Alice Adams").count()
    )
