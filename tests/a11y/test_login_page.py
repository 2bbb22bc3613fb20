"""The log-in page in each of its forms is accessible (axe-core) and valid HTML (the Nu HTML
Checker): the password form alone, single sign-on beside it, and single sign-on only with the
emergency administrator's password form folded away (closed, and open with an error). The crawl
(test_pages_accessible_and_valid.py) starts signed in, so it never sees this page."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kam import sso
from tests.conftest import require_service
from tests.html_checks import page_problems

from .checkers import AXE, JAVA, VNU, axe_findings, serve_axe, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VARIANTS = {
    "password": {},
    "sso-and-password": {"KAM_PASSWORD_LOGIN": True},
    "sso-only": {"KAM_PASSWORD_LOGIN": False},
}


def _switch(settings, variant):
    if variant == "password":
        settings.OIDC_RP_CLIENT_ID = ""
        return
    settings.KAM_OIDC_ISSUER = "https://login.example.com/realms/kam"
    settings.OIDC_RP_CLIENT_ID = "kam"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.KAM_OIDC_PROVIDER_NAME = "Example ID"
    for name, value in VARIANTS[variant].items():
        setattr(settings, name, value)


def test_log_in_page_in_every_form_is_accessible_and_valid(
    browser, live_server, settings, tmp_path
):
    require_service(AXE.exists() and VNU.exists(), "node_modules/ has no axe-core or vnu-jar")
    require_service(JAVA is not None, "no java for the Nu HTML Checker (default-jre-headless)")
    get_user_model().objects.create_user("dana", password="dana-password-1")
    findings, basics = [], []
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    serve_axe(context)
    page = context.new_page()
    for variant in VARIANTS:
        _switch(settings, variant)
        sso.forget_discovery()
        pages = {variant: Client().get("/login/").content.decode()}
        if variant == "sso-only":
            refused = Client().post("/login/", {"username": "dana", "password": "dana-password-1"})
            pages["sso-only-refused"] = refused.content.decode()
        for name, html in pages.items():
            (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
            basics += [f"{name}: {problem}" for problem in page_problems(html)]
        page.goto("/login/")
        findings += [f"{variant}: {line}" for line in axe_findings(page)]
        if variant == "sso-only":
            page.get_by_text("Emergency administrator sign-in").click()
            page.get_by_label("Username").fill("dana")
            page.get_by_label("Password").fill("dana-password-1")
            page.get_by_role("button", name="Log in with a password").click()
            page.get_by_text("it is kept for the emergency administrator account only").wait_for()
            findings += [f"{variant} refused: {line}" for line in axe_findings(page)]
    context.close()
    errors = [
        f"{name}: {line}"
        for name, lines in vnu_errors(sorted(tmp_path.glob("*.html"))).items()
        for line in lines
    ]
    assert not basics, basics
    assert not findings, "axe (serious/critical):\n" + "\n".join(findings)
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)
