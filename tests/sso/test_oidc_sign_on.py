"""Single sign-on against a real OpenID Connect provider (tests/sso/provider.mjs), the app on
pytest-django's live server, driven like a browser without JavaScript (requests following the
redirects, posting the provider's forms): sign-on creates the user, groups give global roles and
take them away, a tampered state or nonce is refused, an expired ID token sends the session back
to the provider (renewed, or signed out), and log-out ends the provider's session too."""

import re
import time
from importlib import import_module
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import EXECUTIVE_GROUP, PROGRAMME_ADMIN_GROUP, SingleSignOnIdentity
from kam.sso import REFUSED

from .conftest import ID_TOKEN_TTL, PROVIDER_NAME, with_param

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()


class Visitor:
    """One browser: a cookie jar for the app (localhost) and the provider (127.0.0.1)."""

    def __init__(self, live_url: str):
        self.live = live_url
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(urljoin(self.live, path), timeout=30, **kwargs)

    def start_sign_on(self, next_path: str | None = None) -> str:
        """The provider's authorization URL the app sends the visitor to."""
        query = f"?next={next_path}" if next_path else ""
        response = self.get(f"/oidc/authenticate/{query}", allow_redirects=False)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def sign_in_at_provider(self, authorization_url: str, username: str, password: str):
        page = self.http.get(authorization_url, timeout=30)
        assert "Test provider sign-in" in page.text, page.text
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)[1]
        return self.http.post(
            urljoin(page.url, action),
            data={"username": username, "password": password},
            timeout=30,
        )

    def sign_on(self, username: str, password: str, next_path: str | None = None):
        return self.sign_in_at_provider(self.start_sign_on(next_path), username, password)

    def signed_in(self) -> bool:
        response = self.get("/", allow_redirects=False)
        return response.status_code == 200

    def age_past_the_id_token(self) -> None:
        """Move this session's ID-token check to a second ago, as if ID_TOKEN_TTL had passed,
        after checking that sign-on set it from the token's own expiry (at most ID_TOKEN_TTL
        from now, not the KAM_OIDC_RENEW_SECONDS default). Waiting it out cost 9 s a test."""
        store = import_module(settings.SESSION_ENGINE).SessionStore(
            session_key=self.http.cookies[settings.SESSION_COOKIE_NAME]
        )
        due = store["oidc_id_token_expiration"]
        assert time.time() < due <= time.time() + ID_TOKEN_TTL, due - time.time()
        store["oidc_id_token_expiration"] = time.time() - 1
        store.save()

    def log_out(self) -> requests.Response:
        home = self.get("/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text)[1]
        return self.http.post(
            urljoin(self.live, "/logout/"), data={"csrfmiddlewaretoken": token}, timeout=30
        )


@pytest.fixture
def visitor(live_server):
    return Visitor(live_server.url)


def _roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_first_sign_on_creates_the_user_with_the_roles_of_their_groups(sso, visitor):
    landing = visitor.sign_on("alice", "alice-password")

    assert landing.status_code == 200
    assert urlsplit(landing.url).path == "/"
    assert "Log out" in landing.text
    alice = User.objects.get(username="alice")
    assert (alice.email, alice.first_name, alice.last_name) == (
        "alice@example.com",
        "Alice",
        "Adams",
    )
    assert not alice.has_usable_password()
    # "staff" is a provider group the setting does not map: no role from it.
    assert _roles(alice) == {PROGRAMME_ADMIN_GROUP}
    identity = SingleSignOnIdentity.objects.get(user=alice)
    assert (identity.issuer, identity.subject) == (sso.issuer, "7f1c-alice")
    # A programme admin's menu, seen by the person.
    assert "Job runs" in landing.text


def test_the_next_page_asked_for_is_where_sign_on_lands(sso, visitor):
    landing = visitor.sign_on("alice", "alice-password", next_path="/strategy/")
    assert urlsplit(landing.url).path == "/strategy/"


def test_roles_follow_the_groups_at_every_sign_on(sso, visitor, live_server):
    visitor.sign_on("alice", "alice-password")
    alice = User.objects.get(username="alice")
    assert _roles(alice) == {PROGRAMME_ADMIN_GROUP}
    # A role the app gave outside the mapping stays; the account itself is the same user.
    visitor.log_out()
    sso.update_person("alice", groups=["kam-execs"])

    again = Visitor(live_server.url)
    again.sign_on("alice", "alice-password")

    assert User.objects.filter(username__startswith="alice").count() == 1
    assert _roles(alice) == {EXECUTIVE_GROUP}
    sso.update_person("alice", groups=[])
    third = Visitor(live_server.url)
    third.sign_on("alice", "alice-password")
    assert _roles(alice) == set()


def test_roles_not_named_by_the_setting_stay_managed_in_the_app(sso, visitor, settings):
    settings.KAM_OIDC_GROUP_ROLES = {"kam-admins": "programme_admin"}
    alice = User.objects.create_user("alice", email="alice@example.com")
    alice.groups.add(Group.objects.get_or_create(name=EXECUTIVE_GROUP)[0])

    visitor.sign_on("alice", "alice-password")

    assert _roles(alice) == {PROGRAMME_ADMIN_GROUP, EXECUTIVE_GROUP}


def test_an_existing_user_is_linked_by_a_verified_email_only(sso, visitor, live_server):
    bob = User.objects.create_user("robert", email="Bob@example.com", password="x" * 12)

    refused = visitor.sign_on("bob", "bob-password")

    assert urlsplit(refused.url).path == "/login/"
    assert "has not confirmed that the address is yours" in refused.text
    assert not visitor.signed_in()
    assert not SingleSignOnIdentity.objects.exists()
    assert User.objects.count() == 1

    sso.update_person("bob", email_verified=True)
    second = Visitor(live_server.url)
    landing = second.sign_on("bob", "bob-password")

    assert urlsplit(landing.url).path == "/"
    assert SingleSignOnIdentity.objects.get(subject="9a2e-bob").user_id == bob.pk
    bob.refresh_from_db()
    assert bob.has_usable_password()  # their password stays theirs


def test_a_user_switched_off_in_the_app_is_refused(sso, visitor):
    User.objects.create_user("alice", email="alice@example.com", is_active=False)

    refused = visitor.sign_on("alice", "alice-password")

    assert urlsplit(refused.url).path == "/login/"
    assert "Your account here is switched off" in refused.text
    assert not visitor.signed_in()


def test_a_state_the_session_did_not_start_is_refused(sso, visitor):
    authorization = visitor.start_sign_on()
    tampered = with_param(authorization, state="a-state-this-browser-never-had")

    refused = visitor.sign_in_at_provider(tampered, "alice", "alice-password")

    assert urlsplit(refused.url).path == "/login/"
    assert str(REFUSED) in refused.text
    assert not visitor.signed_in()
    assert not User.objects.filter(username="alice").exists()


def test_a_nonce_that_does_not_match_the_session_is_refused(sso, visitor):
    authorization = visitor.start_sign_on()
    sent = parse_qs(urlsplit(authorization).query)
    # State, nonce and a PKCE challenge go with every request.
    assert {"state", "nonce", "code_challenge"} <= set(sent)
    assert sent["code_challenge_method"] == ["S256"]
    tampered = with_param(authorization, nonce="a-nonce-of-another-request")

    refused = visitor.sign_in_at_provider(tampered, "alice", "alice-password")

    assert urlsplit(refused.url).path == "/login/"
    assert str(REFUSED) in refused.text
    assert not visitor.signed_in()


def test_a_state_is_used_once(sso, visitor):
    authorization = visitor.start_sign_on()
    landing = visitor.sign_in_at_provider(authorization, "alice", "alice-password")
    callback = next(r for r in landing.history if "/oidc/callback/" in r.url)

    replay = visitor.http.get(callback.url, timeout=30)

    assert urlsplit(replay.url).path == "/login/"
    assert str(REFUSED) in replay.text
    # The replay signed the visitor out too.
    assert not visitor.signed_in()


def test_after_the_id_token_expires_the_provider_renews_the_session(sso, visitor):
    visitor.sign_on("alice", "alice-password")
    sso.update_person("alice", groups=["kam-execs"])
    visitor.age_past_the_id_token()

    page = visitor.get("/strategy/")

    # A silent sign-in at the provider (its session still open), back on the page asked for.
    assert any("prompt=none" in r.headers.get("Location", "") for r in page.history)
    assert urlsplit(page.url).path == "/strategy/"
    assert page.status_code == 200
    assert _roles(User.objects.get(username="alice")) == {EXECUTIVE_GROUP}


def test_after_the_id_token_expires_a_user_removed_at_the_provider_is_signed_out(sso, visitor):
    visitor.sign_on("alice", "alice-password")
    assert visitor.signed_in()
    sso.update_person("alice", active=False)
    visitor.age_past_the_id_token()

    page = visitor.get("/strategy/")

    assert urlsplit(page.url).path == "/login/", page.text
    assert f"Your session with {PROVIDER_NAME} has ended" in page.text
    assert "Log out" not in page.text
    assert not visitor.signed_in()


def test_before_the_id_token_expires_no_request_goes_to_the_provider(sso, visitor):
    visitor.sign_on("alice", "alice-password")

    page = visitor.get("/strategy/")

    assert page.history == []
    assert page.status_code == 200


def test_log_out_ends_the_session_at_the_provider_too(sso, visitor):
    visitor.sign_on("alice", "alice-password")

    confirm = visitor.log_out()

    # The provider's end-session page (id_token_hint sent), then back to our log-in page.
    went = confirm.history[-1].headers["Location"]
    assert went.startswith(f"{sso.issuer}/session/end")
    assert "id_token_hint" in went
    assert not visitor.signed_in()
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', confirm.text, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form[2]))
    done = visitor.http.post(form[1], data={**fields, "logout": "yes"}, timeout=30)
    assert urlsplit(done.url).path == "/login/"
    assert f"Sign in with {PROVIDER_NAME}" in done.text
    # Signing on again asks for the password at the provider: its session ended.
    page = visitor.http.get(visitor.start_sign_on(), timeout=30)
    assert "Test provider sign-in" in page.text


def test_password_sessions_are_not_sent_to_the_provider(sso, visitor, live_server):
    User.objects.create_user("carol", password="carol-password-1")
    page = visitor.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    visitor.http.post(
        urljoin(live_server.url, "/login/"),
        data={"username": "carol", "password": "carol-password-1", "csrfmiddlewaretoken": token},
        timeout=30,
    )
    time.sleep(0.2)

    home = visitor.get("/", allow_redirects=False)
    assert home.status_code == 200
    assert visitor.log_out().url.endswith("/login/")
