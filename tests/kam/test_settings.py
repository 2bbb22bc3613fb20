import os
import subprocess
import sys
from pathlib import Path

import pytest

from kam.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_env_helpers_read_typed_values(monkeypatch):
    monkeypatch.setenv("KAM_FLAG", "off")
    monkeypatch.setenv("KAM_NUMBER", "42")
    monkeypatch.setenv("KAM_HOSTS", "a.example.com, b.example.com")
    assert env_bool("KAM_FLAG", True) is False
    assert env_int("KAM_NUMBER", 1) == 42
    assert env_list("KAM_HOSTS", []) == ["a.example.com", "b.example.com"]
    assert env_bool("KAM_ABSENT", True) is True


@pytest.mark.parametrize(("helper", "value"), [(env_bool, "maybe"), (env_int, "ten")])
def test_bad_env_values_fail_loudly(monkeypatch, helper, value):
    monkeypatch.setenv("KAM_BAD", value)
    with pytest.raises(ImproperlyConfiguredEnv, match="KAM_BAD"):
        helper("KAM_BAD", 1)


def _run(command: list[str], env: dict):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CELERY_", "DJANGO_ALLOW_ASYNC", "DJANGO_SETTINGS"))
    }
    return subprocess.run(  # noqa: S603 - fixed argument list
        command,
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _run_manage(*args, **env):
    return _run([sys.executable, "manage.py", *args], env)


def _start_up(code: str, **env):
    """A fresh process that loads the settings (kam/settings.py, as every start-up does: a
    variable that is wrong stops it there) and runs `code` with them as `s`. Without
    manage.py's app loading and shell it costs a fifth of the time (0.4 s against 2)."""
    return _run([sys.executable, "-c", f"import kam.settings as s; {code}"], env)


def test_real_mode_settings_come_from_environment():
    code = (
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CELERY_BROKER_URL, s.ALLOWED_HOSTS, s.EMAIL_BACKEND)"
    )
    result = _start_up(
        code,
        DEBUG="0",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://kam@db.internal:5432/kam",
        CELERY_BROKER_URL="redis://redis.internal:6379/0",
        ALLOWED_HOSTS="kam.example.com",
        EMAIL_HOST="smtp.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "False django.db.backends.postgresql False redis://redis.internal:6379/0 "
        "['kam.example.com'] django.core.mail.backends.smtp.EmailBackend"
    )


def test_embedded_default_needs_no_variables():
    code = "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    result = _start_up(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True django.db.backends.sqlite3 True")


def test_secret_key_is_required_in_real_mode():
    result = _start_up("", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_in_real_mode():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k7$Qm2!vR9@pX4#tL8^wZ1&nB6*cF3(hJ0)dG5-sY2_eU7+aK9=iO4",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="kam.example.com",
        # The security settings that come from the environment (SECURITY.md).
        BEHIND_TLS_PROXY="1",
        TRUSTED_PROXY_COUNT="1",
        LOGIN_FAILURE_LIMIT="5",
        LOGIN_LOCKOUT_MINUTES="30",
        SESSION_COOKIE_AGE="28800",
        UPLOAD_MAX_BYTES="1048576",
        UPLOAD_MAX_ROWS="2000",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# Single sign-on's variables as a real installation sets them (README, configuration).
SSO_ENVIRONMENT = {
    "KAM_OIDC_ISSUER": "https://login.example.com/realms/kam",
    "KAM_OIDC_CLIENT_ID": "kam-programme",
    "KAM_OIDC_CLIENT_SECRET": "Zq8!vR2@pX7#tL4^wZ9&nB1*cF6(hJ3)",
    "KAM_OIDC_SCOPES": "openid email profile groups",
    "KAM_OIDC_PROVIDER_NAME": "Example ID",
    "KAM_OIDC_GROUPS_CLAIM": "groups",
    "KAM_OIDC_GROUP_ROLES": "kam-admins=programme_admin,kam-execs=executive",
    "KAM_OIDC_RENEW_SECONDS": "600",
    "KAM_PASSWORD_LOGIN": "0",
}


def test_check_deploy_is_clean_with_single_sign_on_configured():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k7$Qm2!vR9@pX4#tL8^wZ1&nB6*cF3(hJ0)dG5-sY2_eU7+aK9=iO4",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        ALLOWED_HOSTS="kam.example.com",
        BEHIND_TLS_PROXY="1",
        **SSO_ENVIRONMENT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_single_sign_on_settings_come_from_environment():
    code = (
        "print(s.OIDC_RP_CLIENT_ID, s.KAM_OIDC_GROUP_ROLES, s.KAM_PASSWORD_LOGIN, s.OIDC_USE_PKCE,"
        " s.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS, s.KAM_CONTENT_SECURITY_POLICY['form-action'])"
    )
    result = _start_up(code, **SSO_ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("\n")[-1] == (
        "kam-programme {'kam-admins': 'programme_admin', 'kam-execs': 'executive'} False True "
        "600 [\"'self'\", 'https://login.example.com']"
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"KAM_OIDC_CLIENT_ID": "kam"}, "KAM_OIDC_ISSUER must be set"),
        (
            {**SSO_ENVIRONMENT, "KAM_OIDC_GROUP_ROLES": "kam-admins=wizard"},
            "KAM_OIDC_GROUP_ROLES must be group=role pairs",
        ),
        ({"KAM_PASSWORD_LOGIN": "0"}, "KAM_PASSWORD_LOGIN=0 needs single sign-on"),
    ],
)
def test_bad_single_sign_on_settings_stop_start_up(environment, message):
    result = _start_up("", **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_real_mode_security_settings():
    code = (
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER, s.X_FRAME_OPTIONS, s.SECURE_CROSS_ORIGIN_OPENER_POLICY,"
        " s.AUTHENTICATION_BACKENDS[0], 'kam.middleware.SecurityHeadersMiddleware' in s.MIDDLEWARE,"
        " s.MIDDLEWARE[-1])"
    )
    result = _start_up(code, DEBUG="0", SECRET_KEY="x" * 60, BEHIND_TLS_PROXY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "True True True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') DENY same-origin"
        " axes.backends.AxesStandaloneBackend True axes.middleware.AxesMiddleware"
    )


def test_postgresql_connections_turn_jit_off(db):
    """PostgreSQL's JIT spent 1.1 s compiling the dashboard's 0.13 s query (bench/README.md)."""
    code = "print(s.DATABASES['default']['OPTIONS'])"
    result = _start_up(code, DATABASE_URL="postgres://kam@db.internal:5432/kam")
    assert result.returncode == 0, result.stderr
    assert "-c jit=off" in result.stdout
    from django.db import connection

    if connection.vendor == "postgresql":  # the suite's own database in CI
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"


def test_postgresql_connections_prepare_repeated_statements(db):
    """psycopg binds parameters on the server and prepares a statement after its fifth run,
    so PostgreSQL stops planning it again (finding 46); DB_PREPARED_STATEMENTS=0 turns it off
    for a pooler that cannot keep prepared statements."""
    code = "print(s.DATABASES['default']['OPTIONS'])"
    url = "postgres://kam@db.internal:5432/kam"
    result = _start_up(code, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "'server_side_binding': True, 'prepare_threshold': 5" in result.stdout
    result = _start_up(code, DATABASE_URL=url, DB_PREPARED_STATEMENTS="0")
    assert result.returncode == 0, result.stderr
    assert "server_side_binding" not in result.stdout
    assert "prepare_threshold" not in result.stdout
    from django.db import connection

    from accounts.models import User

    if connection.vendor == "postgresql" and connection.features.uses_server_side_binding:
        for _ in range(6):
            list(User.objects.filter(username="nobody-7f3a"))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%accounts_user%username%"],
            )
            assert cursor.fetchone()[0] == 1


def test_cache_is_per_process_by_default_and_bad_cache_urls_stop_start_up():
    code = "print(s.CACHES['default']['BACKEND'])"
    result = _start_up(code)
    assert result.stdout.strip().endswith("LocMemCache")
    result = _start_up(code, CACHE_URL="memcached://cache:11211")
    assert result.returncode != 0 and "CACHE_URL" in result.stderr


def test_workers_share_one_cache_through_redis():
    """With CACHE_URL, what one process caches (a dashboard's aggregates) another reads."""
    from tests.conftest import require_service

    broker = os.environ.get("KAM_TEST_BROKER_URL", "")
    require_service(bool(broker), "KAM_TEST_BROKER_URL is not set (no Redis)")
    cache_url = broker.rsplit("/", 1)[0] + "/12"
    write = "from django.core.cache import cache; cache.set('shared-check', 'from A', 30)"
    read = "from django.core.cache import cache; print(cache.get('shared-check'))"
    env = {"CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "kam.settings"}
    assert _run([sys.executable, "-c", write], env).returncode == 0
    result = _run([sys.executable, "-c", read], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("from A")
