"""The link holder's session and the workspace's rate limits.

Opening a personal link binds the browser's session (Django's server-side session, a signed
cookie naming it) to one invitation: its id and the hash of the token it was opened with. Every
workspace request re-reads the invitation and refuses a session whose invitation was revoked,
expired or re-sent since (a re-sent link replaces the token, so old sessions end with it). No
Django user is ever logged in by a link.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.module_loading import import_string

from common.cache import cache_incr

from .models import Invitation

SESSION_KEY = "workspace_invitation"
LANGUAGE_KEY = "workspace_language"


def bind(request, invitation: Invitation) -> None:
    # A new session key: a session id planted before the link was opened learns nothing.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": invitation.pk, "hash": invitation.token_hash}


def unbind(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(LANGUAGE_KEY, None)


def holds_link(request) -> bool:
    return SESSION_KEY in request.session


def current_invitation(request) -> Invitation:
    """The invitation the session is bound to, still live; otherwise Http404 (the views show
    the "link no longer works" page)."""
    bound = request.session.get(SESSION_KEY)
    if not isinstance(bound, dict):
        raise Http404("No workspace link.")
    invitation = (
        Invitation.objects.select_related("stakeholder", "key_account")
        .filter(pk=bound.get("id"), token_hash=bound.get("hash"))
        .first()
    )
    if (
        invitation is None
        or not invitation.is_usable()
        or invitation.stakeholder.archived_at is not None
        or not invitation.key_account.is_active
    ):
        unbind(request)
        raise Http404("This workspace link no longer works.")
    return invitation


def _offered(language: str) -> bool:
    return bool(language) and language in dict(settings.LANGUAGES)


def page_language(request, invitation: Invitation) -> str:
    """The language of the link holder's pages: the one picked on the page for this link, else
    the stakeholder's (their e-mails'), else the one the browser asks for (LocaleMiddleware)."""
    picked = request.session.get(LANGUAGE_KEY)
    if isinstance(picked, dict) and picked.get("id") == invitation.pk:
        if _offered(picked.get("language")):
            return picked["language"]
    if _offered(invitation.stakeholder.language):
        return invitation.stakeholder.language
    return getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE


def use_page_language(request, invitation: Invitation) -> None:
    translation.activate(page_language(request, invitation))
    request.LANGUAGE_CODE = translation.get_language()


def pick_language(request, invitation: Invitation, language: str) -> None:
    """Keeps the language picked on the page, for this link in this browser's session."""
    if not _offered(language):
        raise ValueError(f"not a language the site offers: {language!r}")
    request.session[LANGUAGE_KEY] = {"id": invitation.pk, "language": language}


def client_address(request) -> str:
    # The one rule for "the client's address" (behind trusted proxies) is the login lock-out's.
    return import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"


def over_limit(request, key: str) -> bool:
    """Counts this request against `key` (a token prefix or an invitation) and the client's
    address; True once either is past its limit in the window. A cache that does not answer
    counts nothing (the link is still checked)."""
    window = settings.WORKSPACE_RATE_WINDOW
    per_key = cache_incr(f"workspace:rate:key:{key}", window)
    per_ip = cache_incr(f"workspace:rate:ip:{client_address(request)}", window)
    return (per_key or 0) > settings.WORKSPACE_RATE_PER_TOKEN or (
        per_ip or 0
    ) > settings.WORKSPACE_RATE_PER_IP


def too_many(request):
    response = render(
        request,
        "workspace/too_many.html",
        {"minutes": max(1, settings.WORKSPACE_RATE_WINDOW // 60)},
        status=429,
    )
    response["Retry-After"] = str(settings.WORKSPACE_RATE_WINDOW)
    return response
