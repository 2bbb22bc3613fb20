"""Single sign-on with OpenID Connect, on mozilla-django-oidc (SECURITY.md "Single sign-on").

The library does the protocol: the authorization code flow with state, nonce and PKCE, the
token exchange, the ID token's signature (the provider's JWKS), the userinfo call and the
session refresh (a silent `prompt=none` sign-in when the session's check is due). What this
module adds around it:

- settings read when a sign-on needs them, endpoints from the provider's discovery document
  unless configured one by one (`setting`), so that nothing is fetched at start-up and tests
  can point the app at a provider started for them;
- the ID token's issuer and audience checked (the library checks neither);
- users found by (issuer, subject), linked once by an e-mail address only when the provider
  verified it, created at their first sign-on, their global roles following the provider's
  groups (`accounts.services.sso_sign_on`);
- every refusal ends on the log-in page with a message saying what happened (never a 500),
  and a session whose check the provider refuses is signed out;
- a session is checked when its ID token expires, at the latest KAM_OIDC_RENEW_SECONDS after
  the last check;
- log-out also ends the session at the provider (RP-initiated logout) when it offers that;
- password sign-in switched off for everyone but superusers (KAM_PASSWORD_LOGIN=0).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import jwt
import requests
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts.services import SignOnRefused, sso_sign_on
from common.limits import NOTE_MAX_CHARS
from notifications.selectors import with_unread_count

logger = logging.getLogger(__name__)

BACKEND_PATH = "kam.sso.OIDCBackend"
DISCOVERY_SECONDS = 60 * 60
# The library's setting names for the provider's endpoints -> the discovery document's keys.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
# Answers of a silent sign-in (prompt=none) that mean "the provider wants the person again".
SESSION_ENDED_ERRORS = {
    "login_required",
    "interaction_required",
    "consent_required",
    "account_selection_required",
}
UNAVAILABLE = _("The sign-in service did not answer. Please try again in a few minutes.")
REFUSED = _(
    "The sign-in could not be completed: it was started in another window or browser, or it "
    "took too long. Please sign in again."
)

_discovered: dict[str, tuple[float, dict]] = {}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read (or names another issuer)."""


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.KAM_OIDC_ISSUER)


def provider_name() -> str:
    return settings.KAM_OIDC_PROVIDER_NAME


def password_login_allowed() -> bool:
    return settings.KAM_PASSWORD_LOGIN or not enabled()


def discovery() -> dict:
    """The provider's discovery document, fetched on first use and kept for an hour."""
    issuer = settings.KAM_OIDC_ISSUER
    kept = _discovered.get(issuer)
    if kept and kept[0] > time.monotonic():
        return kept[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} names another issuer: {document.get('issuer')!r}")
    _discovered[issuer] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


def forget_discovery() -> None:
    _discovered.clear()


def setting(name: str, *default):
    """A mozilla-django-oidc setting; an endpoint not configured comes from discovery."""
    if name in ENDPOINTS:
        value = getattr(settings, name, None) or discovery().get(ENDPOINTS[name])
        if not value:
            raise ProviderUnavailable(f"the provider names no {ENDPOINTS[name]}")
        return value
    return import_from_settings(name, *default)


def end_session_endpoint() -> str | None:
    if settings.KAM_OIDC_END_SESSION_ENDPOINT:
        return settings.KAM_OIDC_END_SESSION_ENDPOINT
    try:
        return discovery().get("end_session_endpoint")
    except ProviderUnavailable as exc:
        logger.warning("Single sign-on: no end-session endpoint (%s)", exc)
        return None


# ---- authentication backends ----------------------------------------------------------------


def _user_for_request(user_id):
    """The signed-in user as every request's log-in check reads it, with the menu badge's
    unread count in the same query (notifications.selectors.with_unread_count)."""
    users = get_user_model()._default_manager.all()
    try:
        return with_unread_count(users).get(pk=user_id)
    except get_user_model().DoesNotExist:
        return None


class PasswordBackend(ModelBackend):
    """Django's password check; with KAM_PASSWORD_LOGIN off only superusers pass it (the
    break-glass account), whichever form asks (log-in page or admin)."""

    def get_user(self, user_id):
        user = _user_for_request(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not password_login_allowed() and not user.is_superuser:
            return None
        return user


class OIDCBackend(OIDCAuthenticationBackend):
    """The library's backend, reading its settings when a sign-on needs them, checking the ID
    token's issuer and audience, and finding users by subject (accounts.services)."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # The library reads every setting (and so would fetch the discovery document) each
        # time Django builds the backend, password log-ins included.
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 - the library's attribute names
        return setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return setting("OIDC_OP_JWKS_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self):  # noqa: N802
        return settings.OIDC_RP_SIGN_ALGO

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback view asks this backend (with a nonce); a password log-in whose
        # address happens to carry ?code=&state= must not start a token exchange.
        if not enabled() or "nonce" not in kwargs or "username" in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """Signature, expiry and nonce (the library), then issuer and audience."""
        payload = super().verify_token(token, **kwargs)
        if str(payload.get("iss", "")).rstrip("/") != settings.KAM_OIDC_ISSUER:
            raise SuspiciousOperation(f"token from another issuer: {payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        client_id = settings.OIDC_RP_CLIENT_ID
        if client_id not in audiences:
            raise SuspiciousOperation(f"token for another audience: {audience!r}")
        if len(audiences) > 1 and payload.get("azp") != client_id:
            raise SuspiciousOperation("token for several audiences without our azp")
        if "exp" not in payload or "sub" not in payload:
            raise SuspiciousOperation("token without exp or sub")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo answered for another subject")
        claims = {**payload, **userinfo}
        try:
            user = sso_sign_on(
                issuer=settings.KAM_OIDC_ISSUER,
                claims=claims,
                groups_claim=settings.KAM_OIDC_GROUPS_CLAIM,
                group_roles=settings.KAM_OIDC_GROUP_ROLES,
                create_users=settings.OIDC_CREATE_USER,
            )
        except SignOnRefused as refusal:
            logger.warning("Single sign-on refused for sub %s: %s", payload.get("sub"), refusal)
            self.request.kam_sso_refusal = str(refusal)
            return None
        # The callback ends this session's validity at the ID token's expiry.
        self.request.session["kam_oidc_id_token_exp"] = int(payload["exp"])
        return user

    def get_user(self, user_id):
        user = _user_for_request(user_id)
        # The library's get_user keeps a user switched off in the app signed in.
        return user if user is not None and user.is_active else None


# ---- views ------------------------------------------------------------------------------------


class AuthenticateView(OIDCAuthenticationRequestView):
    """/oidc/authenticate/: off to the provider with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's __init__ reads the endpoint eagerly

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802
        return setting("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on is not switched on.")
        try:
            return super().get(request)
        except ProviderUnavailable as exc:
            logger.warning("Single sign-on: %s", exc)
            messages.error(request, UNAVAILABLE)
            return redirect("login")


class CallbackView(OIDCAuthenticationCallbackView):
    """/oidc/callback/: the provider's answer. Success signs in (or renews the session);
    anything else signs out and says why on the log-in page."""

    get_settings = staticmethod(setting)

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on is not switched on.")
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            # Unknown state, nonce that does not match, bad signature, issuer or audience.
            logger.warning("Single sign-on refused: %s", exc)
            return self._refuse(REFUSED)
        except (requests.RequestException, ProviderUnavailable, jwt.InvalidTokenError) as exc:
            # Includes the provider refusing the code (a user removed there meanwhile).
            logger.warning("Single sign-on failed: %s", exc)
            return self._refuse(UNAVAILABLE if isinstance(exc, ProviderUnavailable) else REFUSED)

    def login_success(self):
        response = super().login_success()
        session = self.request.session
        token_exp = session.pop("kam_oidc_id_token_exp", None)
        if token_exp is not None:
            session["oidc_id_token_expiration"] = min(
                session["oidc_id_token_expiration"], float(token_exp)
            )
        return response

    def login_failure(self):
        request = self.request
        user = getattr(self, "user", None)
        error = request.GET.get("error", "")
        if getattr(request, "kam_sso_refusal", None):
            message = request.kam_sso_refusal
        elif user is not None and not user.is_active:
            message = _("Your account here is switched off. Ask a programme administrator.")
        elif error in SESSION_ENDED_ERRORS:
            message = _("Your session with %(provider)s has ended. Please sign in again.") % {
                "provider": provider_name()
            }
        elif error == "access_denied":
            message = _("Sign-in with %(provider)s was cancelled.") % {"provider": provider_name()}
        else:
            message = REFUSED
        return self._refuse(message)

    def _refuse(self, message: str):
        request = self.request
        if request.user.is_authenticated:
            auth.logout(request)
        messages.error(request, message)
        return redirect(settings.LOGIN_REDIRECT_URL_FAILURE)


# ---- log-in and log-out -----------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    # Django's password field has no length limit (common.limits: every text has one).
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "password_login_off": _(
            "Password sign-in is switched off here: it is kept for the emergency administrator "
            "account only. Please use “Sign in with %(provider)s”."
        ),
    }

    def get_invalid_login_error(self):
        if password_login_allowed():
            return super().get_invalid_login_error()
        return ValidationError(
            self.error_messages["password_login_off"],
            code="password_login_off",
            params={"provider": provider_name()},
        )


class LoginView(auth_views.LoginView):
    """The log-in page: "Sign in with <provider>" when single sign-on is on, the password form
    beside it, or (password sign-in off) folded away as the emergency administrator sign-in."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=enabled(),
            sso_provider_name=provider_name(),
            password_login=password_login_allowed(),
        )
        return context


class LogoutView(auth_views.LogoutView):
    """Log-out here; a single sign-on session also goes to the provider's end-session page,
    which comes back to the log-in page (RP-initiated logout)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        from_sso = request.session.get(BACKEND_SESSION_KEY) == BACKEND_PATH
        response = super().post(request, *args, **kwargs)
        endpoint = end_session_endpoint() if from_sso and enabled() else None
        if not endpoint:
            return response
        params = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
        if id_token:
            params["id_token_hint"] = id_token
        separator = "&" if "?" in endpoint else "?"
        return HttpResponseRedirect(f"{endpoint}{separator}{urlencode(params)}")


# ---- session refresh --------------------------------------------------------------------------


class SessionRefreshMiddleware(SessionRefresh):
    """mozilla-django-oidc's SessionRefresh, reading its settings per request. A single sign-on
    session whose check is due is sent to the provider for a silent sign-in (prompt=none); the
    callback renews it or signs the user out. Password sessions are not touched."""

    get_settings = staticmethod(setting)

    def __init__(self, get_response):
        MiddlewareMixin.__init__(self, get_response)

    OIDC_STATE_SIZE = 32
    OIDC_NONCE_SIZE = 32
    OIDC_USE_NONCE = True
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

    @cached_property
    def exempt_urls(self):
        # The library adds its own log-out view's name, which this app does not mount.
        names = [
            *settings.OIDC_EXEMPT_URLS,
            "oidc_authentication_init",
            "oidc_authentication_callback",
        ]
        return {reverse(name) for name in names}

    exempt_url_patterns = frozenset()

    @property
    def OIDC_OP_AUTHORIZATION_ENDPOINT(self):  # noqa: N802
        return setting("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_SCOPES(self):  # noqa: N802
        return settings.OIDC_RP_SCOPES

    def process_request(self, request):
        if not self.is_refreshable_url(request):
            return None
        if not enabled():
            # Single sign-on switched off since this session began: nothing can renew it.
            auth.logout(request)
            return redirect("login")
        try:
            response = super().process_request(request)
        except ProviderUnavailable as exc:
            # The check cannot be made: fail closed.
            logger.warning("Single sign-on: session not renewed: %s", exc)
            auth.logout(request)
            messages.error(request, UNAVAILABLE)
            return redirect("login")
        if response is not None and request.headers.get("HX-Request"):
            # An htmx request cannot follow a redirect to the provider: the whole page goes.
            current = request.headers.get("HX-Current-URL", "")
            if current.startswith(request.build_absolute_uri("/")):
                request.session["oidc_login_next"] = current
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = response["Location"]
            return answer
        return response
