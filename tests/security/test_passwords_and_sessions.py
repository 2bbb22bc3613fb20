"""Strong passwords on change, sessions that end, cookies that stay on the server's side."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("new_password", "reason"),
    [
        ("Short1!", "too short"),
        ("password123", "too common"),
        ("4815162342", "entirely numeric"),
        ("max-manager-x", "too similar"),
    ],
)
def test_weak_password_is_refused_on_change(client_for, people, new_password, reason):
    people.manager.email = "max-manager-x@example.com"
    people.manager.save()
    client = client_for(people.manager)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    people.manager.refresh_from_db()
    assert people.manager.check_password(PASSWORD)


def test_weak_password_is_refused_on_reset(client, people):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(people.manager.pk))
    token = default_token_generator.make_token(people.manager)
    form_url = client.get(
        reverse("password_reset_confirm", args=[uid, token])
    ).url  # Django swaps the token for a session-held one
    response = client.post(form_url, {"new_password1": "qwerty", "new_password2": "qwerty"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    people.manager.refresh_from_db()
    assert people.manager.check_password(PASSWORD)


def test_session_cookie_lasts_only_as_long_as_the_browser(client, people):
    client.post(reverse("login"), {"username": "max", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_session_ends_on_the_server_after_session_cookie_age(client, people, settings):
    settings.SESSION_COOKIE_AGE = 15 * 60
    client.post(reverse("login"), {"username": "max", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    later = timezone.now() + timedelta(minutes=16)
    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=later):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _settings_in_subprocess(code: str, **env) -> str:
    import os

    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CELERY_", "DJANGO_ALLOW_ASYNC", "DEBUG"))
    }
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_session_and_login_limits_come_from_the_environment(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 60 * 60  # the default: a working day
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT,"
        " int(s.AXES_COOLOFF_TIME.total_seconds()), s.KAM_TRUSTED_PROXY_COUNT)"
    )
    out = _settings_in_subprocess(
        code,
        SESSION_COOKIE_AGE="900",
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_LOCKOUT_MINUTES="60",
        TRUSTED_PROXY_COUNT="1",
    )
    assert out == "900 8 3600 1"
