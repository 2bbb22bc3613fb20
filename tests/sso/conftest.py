"""A real OpenID Connect provider for the single sign-on tests.

`oidc_provider` starts tests/sso/provider.mjs (the npm package oidc-provider, run with the
machine's node) on a free port, once per test session, registered for the live server's
callback; `sso` points the app at it for one test and resets its people. Without node 20.19+
or node_modules/oidc-provider the tests skip (fail under KAM_REQUIRE_SERVICES=1, as in CI).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from kam import sso as sso_module
from tests.conftest import ROOT, require_service

NODE = shutil.which("node")
SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = ROOT / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "kam-programme"
CLIENT_SECRET = "test-only-client-secret-0123456789abcdef"  # noqa: S105
# Seconds an ID token lives: far below KAM_OIDC_RENEW_SECONDS, so a session's check is the
# token's expiry; long enough for a sign-on and the next request on a loaded machine.
ID_TOKEN_TTL = 8
PROVIDER_NAME = "Test IdP"
GROUP_ROLES = {"kam-admins": "programme_admin", "kam-execs": "executive"}


def _node_is_recent() -> bool:
    if NODE is None:
        return False
    done = subprocess.run([NODE, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.match(r"v(\d+)\.(\d+)", done.stdout.strip())
    return bool(found) and (int(found[1]), int(found[2])) >= (20, 19)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    people_file: Path

    def set_people(self, people: dict) -> None:
        self.people_file.write_text(json.dumps(people), encoding="utf-8")

    def update_person(self, username: str, **changes) -> None:
        people = json.loads(self.people_file.read_text(encoding="utf-8"))
        people[username].update(changes)
        self.set_people(people)


def default_people() -> dict:
    return {
        "alice": {
            "sub": "7f1c-alice",
            "password": "alice-password",
            "email": "alice@example.com",
            "email_verified": True,
            "given_name": "Alice",
            "family_name": "Adams",
            "groups": ["kam-admins", "staff"],
        },
        "bob": {
            "sub": "9a2e-bob",
            "password": "bob-password",
            "email": "bob@example.com",
            "email_verified": False,
            "given_name": "Bob",
            "family_name": "Brown",
            "groups": [],
        },
    }


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    require_service(_node_is_recent(), "node 20.19 or later is needed for oidc-provider")
    require_service(
        PACKAGE.exists(), "node_modules/ has no oidc-provider: run `make install` (npm ci)"
    )
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("oidc-provider")
    provider = Provider(issuer=issuer, people_file=folder / "people.json")
    provider.set_people(default_people())
    config = {
        "port": port,
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server.url}/oidc/callback/"],
        "post_logout_redirect_uris": [f"{live_server.url}/login/"],
        "id_token_ttl": ID_TOKEN_TTL,
        "accounts_file": str(provider.people_file),
    }
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [NODE, str(SCRIPT)],
        cwd=ROOT,
        env={**os.environ, "KAM_TEST_OP_CONFIG": json.dumps(config)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "oidc-provider did not start:\n"
                    + (folder / "provider.log").read_text(encoding="utf-8")
                )
            time.sleep(0.1)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def sso(oidc_provider, settings, live_server):
    """The app signing on with the test provider, its people back to `default_people()`."""
    oidc_provider.set_people(default_people())
    settings.KAM_OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.KAM_OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.KAM_OIDC_GROUP_ROLES = GROUP_ROLES
    settings.KAM_OIDC_GROUPS_CLAIM = "groups"
    # A machine under load may answer slowly; the default (5 s) is for production.
    settings.OIDC_TIMEOUT = 30
    sso_module.forget_discovery()
    yield oidc_provider
    sso_module.forget_discovery()


def with_param(url: str, **changes) -> str:
    """`url` with some query parameters replaced (a tampered request)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))
