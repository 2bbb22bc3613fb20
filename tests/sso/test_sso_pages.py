"""Single sign-on without a provider: the log-in page's three forms, the password switch with
its break-glass superuser, the session check's answers (provider unreachable, htmx), the ID
token's issuer and audience, and lock-out counting only password guesses."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from kam import sso
from kam.security import not_a_password_guess
from tests.html_checks import page_problems

pytestmark = pytest.mark.django_db

User = get_user_model()
ISSUER = "https://login.example.com/realms/kam"


@pytest.fixture
def sso_on(settings):
    settings.KAM_OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = "kam"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.KAM_OIDC_PROVIDER_NAME = "Example ID"
    # Explicit endpoints: nothing is fetched.
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/auth"
    sso.forget_discovery()
    yield settings
    sso.forget_discovery()


def test_single_sign_on_urls_are_404_while_it_is_off(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_log_in_page_without_single_sign_on_is_the_password_form(client):
    page = client.get("/login/").content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page
    assert "Forgotten your password?" in page
    assert not page_problems(page)


def test_log_in_page_offers_single_sign_on_beside_the_password(client, sso_on):
    page = client.get("/login/?next=/strategy/").content.decode()
    assert 'href="/oidc/authenticate/?next=/strategy/"' in page
    assert "Sign in with Example ID" in page
    assert "Or log in with a password" in page
    assert 'name="password"' in page
    assert not page_problems(page)


def test_sign_on_starts_with_state_nonce_and_pkce(client, sso_on):
    response = client.get("/oidc/authenticate/?next=/strategy/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{ISSUER}/auth?")
    for part in ("state=", "nonce=", "code_challenge=", "code_challenge_method=S256"):
        assert part in location
    assert "client_id=kam" in location


def test_with_password_sign_in_off_only_a_superuser_gets_in(client, sso_on):
    sso_on.KAM_PASSWORD_LOGIN = False
    User.objects.create_user("dana", password="dana-password-1")
    User.objects.create_superuser("breakglass", password="breakglass-password-1")

    page = client.get("/login/").content.decode()
    assert "Sign in with Example ID" in page
    assert "<summary" in page and "Emergency administrator sign-in" in page
    assert "Forgotten your password?" not in page
    assert not page_problems(page)

    refused = client.post("/login/", {"username": "dana", "password": "dana-password-1"})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Password sign-in is switched off here" in text
    assert "Sign in with Example ID" in text
    assert '<details class="mt-5 small" open>' in text  # the form stays open with its error
    assert client.get("/", follow=False).status_code == 302

    allowed = client.post(
        "/login/", {"username": "breakglass", "password": "breakglass-password-1"}
    )
    assert allowed.status_code == 302
    assert client.get("/").status_code == 200


def test_with_password_sign_in_off_the_admin_log_in_refuses_staff_too(client, sso_on):
    sso_on.KAM_PASSWORD_LOGIN = False
    User.objects.create_user("stella", password="stella-password-1", is_staff=True)
    response = client.post("/admin/login/", {"username": "stella", "password": "stella-password-1"})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def _sso_session(client, user, *, expired: bool):
    client.force_login(user, backend=sso.BACKEND_PATH)
    session = client.session
    session["oidc_id_token_expiration"] = 0 if expired else 2e9
    session.save()


def test_an_expired_session_goes_to_the_provider_for_a_silent_sign_in(client, sso_on):
    user = User.objects.create_user("erin")
    _sso_session(client, user, expired=True)

    response = client.get("/strategy/")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{ISSUER}/auth?")
    assert "prompt=none" in response["Location"]
    assert client.session["oidc_login_next"] == "/strategy/"


def test_an_htmx_request_with_an_expired_session_moves_the_whole_page(client, sso_on):
    user = User.objects.create_user("erin")
    _sso_session(client, user, expired=True)

    response = client.get(
        "/strategy/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/strategy/"},
    )

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(f"{ISSUER}/auth?")
    assert client.session["oidc_login_next"] == "http://testserver/strategy/"


def test_a_session_that_cannot_be_checked_is_signed_out(client, sso_on):
    # No explicit endpoint and a provider that does not answer: fail closed.
    sso_on.OIDC_OP_AUTHORIZATION_ENDPOINT = None
    sso_on.KAM_OIDC_ISSUER = "http://127.0.0.1:9"
    sso_on.OIDC_TIMEOUT = 1
    user = User.objects.create_user("erin")
    _sso_session(client, user, expired=True)

    response = client.get("/strategy/", follow=True)

    assert response.redirect_chain[-1][0] == "/login/"
    assert "The sign-in service did not answer" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_valid_session_and_password_sessions_are_not_checked(client, sso_on):
    user = User.objects.create_user("erin")
    _sso_session(client, user, expired=False)
    assert client.get("/strategy/").status_code == 200
    client.logout()
    client.force_login(user, backend="kam.sso.PasswordBackend")
    assert client.get("/strategy/").status_code == 200


def test_a_user_switched_off_in_the_app_loses_their_sso_session(client, sso_on):
    user = User.objects.create_user("erin")
    _sso_session(client, user, expired=False)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/strategy/").status_code == 302


@pytest.mark.parametrize(
    ("payload", "refused"),
    [
        ({"iss": ISSUER, "aud": "kam", "sub": "s", "exp": 1}, False),
        ({"iss": ISSUER + "/", "aud": ["kam"], "sub": "s", "exp": 1}, False),
        ({"iss": "https://evil.example.com", "aud": "kam", "sub": "s", "exp": 1}, True),
        ({"iss": ISSUER, "aud": "another-app", "sub": "s", "exp": 1}, True),
        ({"iss": ISSUER, "aud": ["kam", "another-app"], "sub": "s", "exp": 1}, True),
        ({"iss": ISSUER, "aud": ["kam", "x"], "azp": "kam", "sub": "s", "exp": 1}, False),
        ({"iss": ISSUER, "aud": "kam", "sub": "s"}, True),
    ],
)
def test_the_id_token_must_be_ours(sso_on, monkeypatch, payload, refused):
    # The library checks signature, expiry and nonce; this checks what it leaves out.
    monkeypatch.setattr(
        OIDCAuthenticationBackend, "verify_token", lambda self, token, **kw: payload
    )
    backend = sso.OIDCBackend()
    if refused:
        with pytest.raises(SuspiciousOperation):
            backend.verify_token("token", nonce="n")
    else:
        assert backend.verify_token("token", nonce="n") == payload


def test_lock_out_counts_password_guesses_only():
    request = RequestFactory().post("/login/", {"username": "dana"})
    assert not not_a_password_guess(request, {"username": "dana", "password": "x"})
    assert not_a_password_guess(request, {"username": None, "nonce": "n", "code_verifier": "v"})
    assert not not_a_password_guess(request, None)
    assert not_a_password_guess(RequestFactory().get("/oidc/callback/"), None)
