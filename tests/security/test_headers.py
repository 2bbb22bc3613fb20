"""Security headers: Content-Security-Policy and friends on every response, in real mode and in
DEBUG; secure cookies and HSTS in real mode (checked in a subprocess, because DEBUG decides them
at start-up)."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from kam.middleware import build_permissions_policy, build_policy

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP_PARTS = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
]


def _directives(policy: str) -> dict[str, list[str]]:
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def test_policy_text_is_built_from_settings():
    assert build_policy({"default-src": ["'self'"], "object-src": ["'none'"]}) == (
        "default-src 'self'; object-src 'none'"
    )
    assert build_permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


@pytest.mark.parametrize("url_name", ["login", "password_reset", "healthz"])
def test_every_response_carries_the_security_headers(client, db, url_name):
    response = client.get(reverse(url_name))
    csp = response["Content-Security-Policy"]
    for part in EXPECTED_CSP_PARTS:
        assert part in csp
    directives = _directives(csp)
    assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_logged_in_pages_and_lists_carry_the_policy(client_for, people, account):
    client = client_for(people.manager)
    for url in (reverse("home"), reverse("accounts:account_list")):
        response = client.get(url)
        assert response.status_code == 200
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_policy_is_enforced_in_debug_too(client, db, settings):
    settings.DEBUG = True
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


def test_debug_error_pages_get_the_policy_report_only(client, db, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Content-Security-Policy" not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_error_pages_are_enforced_outside_debug(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_two_allowed_inline_styles_still_match_their_sources():
    """If htmx or Django's admin changes its inline <style>, the hash in settings must follow."""
    style_src = django_settings.KAM_CONTENT_SECURITY_POLICY["style-src"]
    assert len(style_src) == 3  # 'self' and the two hashes below: nothing else sneaks in

    htmx = (ROOT / "static/vendor/htmx/htmx.min.js").read_text()
    assert (
        'includeIndicatorStyles:true,indicatorClass:"htmx-indicator",requestClass:"htmx-request"'
        in htmx
    )
    template = re.search(r"`<style\$\{e\}>`\+(.*?)\+\"</style>\"", htmx).group(1)
    pieces = re.findall(r"`([^`]*)`", template)
    css = "".join(pieces).replace("${t}", "htmx-indicator").replace("${n}", "htmx-request")
    assert _sha256(css) in style_src

    admin = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html"
    block = re.search(r"<style>(.*?)</style>", admin.read_text(), re.S).group(1)
    assert _sha256(block) in style_src


REAL_MODE_SCRIPT = """
import json
from django.apps import apps
from django.core.management import call_command
from django.test import Client, override_settings
from accounts.models import User
# Tables straight from the models (no migrations) and a fast hasher: this checks headers and
# cookies, not the schema, and stays quick.
with override_settings(MIGRATION_MODULES={a.label: None for a in apps.get_app_configs()}):
    call_command("migrate", run_syncdb=True, verbosity=0)
fast = override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    STORAGES={"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
)
fast.enable()
User.objects.create_user("max", password="a-long-enough-passphrase")
out = {}
client = Client()
plain = client.get("/login/")
out["http_redirect"] = [plain.status_code, plain.get("Location", "")]
page = client.get("/login/", secure=True)
out["page_headers"] = dict(page.headers)
out["csrf_cookie"] = page.cookies["csrftoken"].output()
login = client.post(
    "/login/", {"username": "max", "password": "a-long-enough-passphrase"}, secure=True
)
out["login_status"] = login.status_code
out["session_cookie"] = login.cookies["sessionid"].output()
print(json.dumps(out))
"""


def test_real_mode_sends_secure_cookies_hsts_and_the_policy():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CELERY_", "DJANGO_ALLOW_ASYNC", "DEBUG"))
    }
    env.update(DEBUG="0", SECRET_KEY="s" * 60, DATABASE_URL="sqlite://:memory:")
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "manage.py", "shell", "-c", REAL_MODE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])

    assert out["http_redirect"] == [301, "https://testserver/login/"]
    headers = out["page_headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    for part in EXPECTED_CSP_PARTS:
        assert part in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"

    assert out["login_status"] == 302
    session = out["session_cookie"]
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session
    assert "expires" not in session.lower() and "max-age" not in session.lower()
    assert "Secure" in out["csrf_cookie"]
