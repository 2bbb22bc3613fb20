"""A demo manager logs in through a real browser and sees their accounts, not another's."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_manager_sees_own_accounts_only(committed_demo, page):
    page.goto("/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="My accounts").wait_for()
    body = page.content()
    assert "Northwind Foods" in body  # managed by 'manager'
    assert "Baltic Marine Supply" not in body  # managed by 'manager2'
    page.get_by_role("link", name="Key accounts").click()
    page.get_by_role("heading", name="Key accounts").wait_for()
    assert "Baltic Marine Supply" not in page.content()
    page.goto("/accounts/")
    # A guessed URL of another manager's account is a 404, in the browser too.
    from accounts.models import KeyAccount

    other = KeyAccount.objects.get(customer__reference="C-1003")
    response = page.goto(f"/accounts/{other.pk}/")
    assert response.status == 404
