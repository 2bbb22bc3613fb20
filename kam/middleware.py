"""Security headers that Django 5.2 does not send by itself.

Content-Security-Policy and Permissions-Policy come from settings.KAM_CONTENT_SECURITY_POLICY and
settings.KAM_PERMISSIONS_POLICY (dicts: directive -> sources). Django's SecurityMiddleware and
XFrameOptionsMiddleware already send nosniff, Referrer-Policy, Cross-Origin-Opener-Policy,
X-Frame-Options and (over HTTPS in real mode) HSTS.

The policy is enforced in every mode, DEBUG included, so that a developer sees a violation in the
browser console as soon as a template breaks the rules. The one exception: with DEBUG on, a 404 or
500 is Django's technical error page, which needs inline CSS and JavaScript; it gets the same
policy as Content-Security-Policy-Report-Only, so the page stays readable and a violation is
still reported in the console.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html

from audit.removed import removed_response
from common.inplace import FRAGMENT_HEADERS

DEBUG_PAGE_STATUSES = frozenset({404, 500})


def build_policy(directives: dict[str, list[str]]) -> str:
    """{'default-src': ["'self'"], 'object-src': ["'none'"]} -> "default-src 'self'; ..." """
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def build_permissions_policy(features: dict[str, list[str]]) -> str:
    """{'camera': [], 'fullscreen': ['self']} -> 'camera=(), fullscreen=(self)'"""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = build_policy(settings.KAM_CONTENT_SECURITY_POLICY)
        self.permissions_policy = build_permissions_policy(settings.KAM_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        header = "Content-Security-Policy"
        if settings.DEBUG and response.status_code in DEBUG_PAGE_STATUSES:
            header = "Content-Security-Policy-Report-Only"
        # setdefault: a view that needs a narrower policy may set its own.
        response.headers.setdefault(header, self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class UserLanguageMiddleware:
    """The language a signed-in user chose on their settings page beats the browser's
    (LocaleMiddleware, before this one, chose from Accept-Language). A user who chose nothing,
    and every anonymous page (log-in, password reset), follows the browser.

    It also remembers, on the user, the language their browser asks for (`browser_language`):
    their e-mails and the PDFs jobs make for them are written in it when they chose none
    (accounts.selectors.user_language), since outside a request no browser is asking. One
    UPDATE when it changes, none on an ordinary request; a request that names no language (a
    script, a feed reader) changes nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._remember_browser_language(request, user)
            chosen = user.language
            if chosen and translation.check_for_language(chosen):
                translation.activate(chosen)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    @staticmethod
    def _remember_browser_language(request, user) -> None:
        asked = "HTTP_ACCEPT_LANGUAGE" in request.META or (
            settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        )
        browser = getattr(request, "LANGUAGE_CODE", "")  # LocaleMiddleware's answer
        if not asked or not browser or browser == user.browser_language:
            return
        get_user_model().objects.filter(pk=user.pk).update(browser_language=browser)
        user.browser_language = browser


class VaryOnFragmentMiddleware:
    """A page edited in place answers its URL with the whole page, or to htmx with one of its
    blocks alone (common/inplace.py): each answer says which request headers chose it (`Vary`).
    Without that the browser's cache, keyed by the URL alone, may give the block back as the
    page: Back to a list whose editor had been cancelled in place showed the bare list."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            patch_vary_headers(response, FRAGMENT_HEADERS)
        return response


class SessionEndedInPlaceMiddleware:
    """A save from an editor in place (htmx) whose session has ended — logged out in another
    tab, expired — was sent to the log-in page, and htmx swapped that page into the editor's
    block, over what was typed. To htmx the redirect to log in is a 401 instead, whose short
    text static/js/inplace.js shows above the form, which stays as typed: log in again in
    another tab and save again (the script sends the new security token)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 302
            and request.headers.get("HX-Request")
            and not request.user.is_authenticated
        ):
            login = resolve_url(settings.LOGIN_URL)
            if urlsplit(response["Location"]).path == login:
                text = translation.gettext(
                    "Not saved: your session has ended. What you typed is still here: log in "
                    "again in a new tab, then save again."
                )
                link = translation.gettext("Log in in a new tab")
                body = format_html(
                    '{} <a href="{}" target="_blank" rel="noopener">{}</a>', text, login, link
                )
                return HttpResponse(body, status=401, content_type="text/html; charset=utf-8")
        return response


class RemovedWhileEditingMiddleware:
    """A POST to an edit view whose object was removed meanwhile answers with a page that
    keeps what the person typed (audit/removed.py), not a bare 404 — for those who could have
    edited it only; anyone else keeps the 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404):
            return None
        return removed_response(request, getattr(request, "resolver_match", None))


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string (`/calendar/%00.ics`, `?q=%00`) is never a
    real address or search: PostgreSQL refuses it in a query ("A string literal cannot contain
    NUL"), which would answer 500. Such requests get the 400 page before any view runs.
    Form fields are covered by Django's forms (they refuse NUL in every CharField)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _query_has_nul(request.META.get("QUERY_STRING", "")):
            from .errors import bad_request_page

            return bad_request_page(
                request,
                translation.gettext(
                    "The address contains a character that no page here uses (NUL)."
                ),
            )
        return self.get_response(request)


def _query_has_nul(query: str) -> bool:
    from urllib.parse import unquote

    return "\x00" in query or "\x00" in unquote(query)
