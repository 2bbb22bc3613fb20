"""Error pages in the site's layout that Django would otherwise answer bare or with inline
styles (which the Content-Security-Policy blocks): a bad request, a request body over the
limit, and a failed CSRF check. Each keeps the user's text safe by telling them it is still
in the form they came from."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render

from common import limits


def _with_user(request):
    # Raised before AuthenticationMiddleware ran (e.g. a malformed query): the layout's
    # menu asks for request.user.
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return request


def bad_request_page(request, reason: str = ""):
    return render(_with_user(request), "400.html", {"reason": reason}, status=400)


def request_too_large_page(request):
    context = {
        "limit_megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
        "long_text_chars": limits.LONG_TEXT_MAX_CHARS,
    }
    return render(_with_user(request), "413.html", context, status=413)


def bad_request(request, exception=None):
    """handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE gets its own page (413)."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large_page(request)
    return bad_request_page(request)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: the form's security token was missing or stale (an old tab,
    a log-in in another tab, cookies blocked). Django's own page has inline styles."""
    return render(_with_user(request), "403_csrf.html", {"reason": reason}, status=403)
