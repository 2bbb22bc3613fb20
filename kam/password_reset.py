"""Password reset with a throttle per address and per client (settings.KAM_PASSWORD_RESET_*).

Every reset request counts against the e-mail address typed (whether or not it belongs to
anyone) and against the client's address (kam.security.client_ip_address, which honours
TRUSTED_PROXY_COUNT). Above either limit within the window, no e-mail is sent and the person
sees a page in the site's layout (HTTP 429 with Retry-After) saying how long to wait and that
links already sent still work. The answer is the same for a known and an unknown address, so
the throttle reveals no more than the reset page itself.

The counters live in the cache (Redis in real mode, shared by every worker). When the cache does
not answer, requests are let through and a warning is logged: a reset link only ever reaches the
mailbox of the account's owner, so a lost throttle costs some e-mails, not access.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import render
from django.utils import translation

from accounts.selectors import user_language
from common.cache import cache_incr

from .security import client_ip_address


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"password-reset:{kind}:{digest}"


def reset_allowed(*, email: str, client: str | None) -> bool:
    """Counts this request and says whether it is within both limits."""
    window = settings.KAM_PASSWORD_RESET_WINDOW_SECONDS
    by_email = cache_incr(_key("email", email.strip().lower()), window)
    by_client = cache_incr(_key("client", client or "unknown"), window)
    over_email = by_email is not None and by_email > settings.KAM_PASSWORD_RESET_PER_EMAIL
    over_client = by_client is not None and by_client > settings.KAM_PASSWORD_RESET_PER_CLIENT
    return not (over_email or over_client)


class RecipientLanguagePasswordResetForm(PasswordResetForm):
    """The reset e-mail is written in its recipient's language (their choice, else the site's),
    like every other e-mail, not in the language of the browser that asked for it."""

    def send_mail(self, *args, **kwargs):
        context = args[2] if len(args) > 2 else kwargs["context"]
        with translation.override(user_language(context["user"])):
            super().send_mail(*args, **kwargs)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    form_class = RecipientLanguagePasswordResetForm

    def form_valid(self, form):
        if reset_allowed(email=form.cleaned_data["email"], client=client_ip_address(self.request)):
            return super().form_valid(form)
        window = settings.KAM_PASSWORD_RESET_WINDOW_SECONDS
        response = render(
            self.request,
            "registration/password_reset_throttled.html",
            {"window_minutes": window // 60},
            status=429,
        )
        response["Retry-After"] = str(window)
        return response
