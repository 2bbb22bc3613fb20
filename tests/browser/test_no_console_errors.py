"""Pages load without errors in the browser console (the missing favicon was a 404 on every
page)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_loads_without_console_errors(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/login/")
    page.get_by_label("Username").wait_for()
    page.wait_for_load_state("networkidle")
    assert errors == []
