"""A French-speaking manager (browser set to French) logs in and reaches an account plan; the
pages are in French, <html lang="fr">, with French number formats."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def french_page(browser, live_server, django_db_serialized_rollback):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_french_browser_gets_the_app_in_french(french_page):
    page = french_page
    call_command("seed_demo", "--force")
    page.goto("/")
    page.get_by_role("heading", name="Se connecter").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Nom d’utilisateur").fill("manager")
    page.get_by_label("Mot de passe").fill("demo")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mes comptes").wait_for()
    assert page.get_by_role("link", name="Comptes clés").count() == 1
    page.get_by_role("link", name="Northwind Foods").first.click()
    page.get_by_role("heading", name="Chiffre d’affaires et profit net").wait_for()
    # Money in French: the amount, then the currency sign.
    assert "€" in page.locator("#ov-money").locator("..").inner_text()
    page.get_by_role("navigation", name="Pages de Northwind Foods").get_by_role(
        "link", name="Plan"
    ).click()
    page.wait_for_url("**/plan/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Vue d’ensemble").count() == 1
