"""Small helpers that the security settings point at (see SECURITY.md)."""

from django.conf import settings


def client_ip_address(request) -> str | None:
    """The address login lock-out counts failures against (settings.AXES_CLIENT_IP_CALLABLE).

    With no proxy (KAM_TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR. Behind N proxies that each
    append the address they saw to X-Forwarded-For, the client is the Nth entry from the right:
    entries further left were written by the client and cannot be trusted.
    """
    proxies = settings.KAM_TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Fewer hops than configured: the request did not come through all our proxies.
        return remote
    return forwarded[-proxies]


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (settings.AXES_LOCKOUT_CALLABLE): HTTP 429 with
    Retry-After, a page in the site's layout that says how long the pause lasts and what to do.
    It reads the same for a username that exists and one that does not."""
    from django.shortcuts import render

    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {"lockout_minutes": max(1, seconds // 60), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(seconds)
    return response


def not_a_password_guess(request, credentials=None) -> bool:
    """Lock-out counts password guesses only (settings.AXES_WHITELIST_CALLABLE). A single
    sign-on's callback also goes through authenticate(), without a username: its code is
    single-use and bound to the session's state, nonce and PKCE verifier, so a failure there is
    no guess, and counting it would lock a whole office (one address) out of single sign-on."""
    if credentials is None:
        return not request.POST.get("username")
    return not credentials.get("username")
