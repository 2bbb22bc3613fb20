"""A few pages in French are as accessible and valid as in English: <html lang="fr">, the
basics of tests/html_checks.py, axe-core and the Nu HTML Checker. French formats numbers with
a decimal comma: a chart whose coordinates went through the page's number format would be
invalid SVG, so the pages with charts are among them."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from accounts.models import KeyAccount
from tests.conftest import require_service
from tests.html_checks import page_problems

from .checkers import AXE, JAVA, VNU, axe_findings, serve_axe, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(account_id: int) -> list[str]:
    return [
        "/",
        "/accounts/",
        f"/accounts/{account_id}/",
        f"/accounts/{account_id}/profitability/",
        f"/accounts/{account_id}/opportunities/",
        f"/accounts/{account_id}/plan/",
        f"/accounts/{account_id}/history/",
        "/delivery/notifications/",
        "/settings/",
        "/portfolio/",
    ]


def _french_workspace() -> Client:
    """A client (English browser, no login) holding a fresh link of a customer stakeholder who
    reads French (seed_demo's French retailer)."""
    from discovery.models import Stakeholder
    from workspace.services import invitation_create

    stakeholder = (
        Stakeholder.objects.filter(language="fr", key_account__status="active", archived_at=None)
        .exclude(email="")
        .select_related("key_account")
        .first()
    )
    assert stakeholder is not None, "seed_demo has no French-reading stakeholder"
    _invitation, token = invitation_create(
        account=stakeholder.key_account, stakeholder=stakeholder, acting_user=None, send=False
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert client.get(f"/workspace/join/{token}/").status_code == 302
    return client


def test_pages_in_french_are_accessible_and_valid(browser, live_server, tmp_path):
    require_service(AXE.exists() and VNU.exists(), "node_modules/ has no axe-core or vnu-jar")
    require_service(JAVA is not None, "no java for the Nu HTML Checker (default-jre-headless)")
    call_command("seed_demo", "--force", stdout=StringIO())
    director = get_user_model().objects.get(username="director")
    director.language = "fr"
    director.save(update_fields=["language"])
    account = KeyAccount.objects.get(customer__reference="C-1001")
    client = Client()
    login = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="fr")
    pages = {"login": ("/login/", login)}
    client.force_login(director)
    for number, url in enumerate(_pages(account.pk)):
        pages[f"fr-{number:02d}"] = (url, client.get(url))
    # A French-reading customer stakeholder's workspace, opened by an English browser.
    customer = _french_workspace()
    pages["workspace"] = ("/workspace/", customer.get("/workspace/"))
    basics = []
    for name, (url, response) in pages.items():
        assert response.status_code == 200, f"{url}: {response.status_code}"
        html = response.content.decode()
        assert '<html lang="fr">' in html, url
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
        basics += [f"{url}: {problem}" for problem in page_problems(html)]

    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fr-FR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    serve_axe(context)
    page = context.new_page()
    findings = []
    for url in _pages(account.pk)[:4]:
        page.goto(url)
        findings += [f"{url}: {line}" for line in axe_findings(page)]
    context.close()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-GB")
    session = customer.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    serve_axe(context)
    page = context.new_page()
    page.goto("/workspace/")
    findings += [f"/workspace/: {line}" for line in axe_findings(page)]
    context.close()
    errors = [
        f"{pages[name][0]}: {line}"
        for name, lines in vnu_errors(sorted(tmp_path.glob("*.html"))).items()
        for line in lines
        for name in [name.removesuffix(".html")]
    ]
    assert not basics, "tests/html_checks.py:\n" + "\n".join(basics)
    assert not findings, "axe (serious/critical):\n" + "\n".join(findings)
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)
