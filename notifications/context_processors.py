"""The unread-notification badge in the navbar: read with the user (kam.sso's backends annotate
the user the log-in check loads), else one cheap query, only when a page shows it, and at most
once per request."""

from django.utils.functional import SimpleLazyObject

from .selectors import UNREAD_ATTRIBUTE, unread_count


def _unread_count(request) -> int:
    cached = getattr(request, "_kam_unread_notifications", None)
    if cached is None:
        cached = getattr(request.user, UNREAD_ATTRIBUTE, None)
    if cached is None:  # a user not loaded by the log-in check (e.g. a test's request factory)
        cached = unread_count(user=request.user)
        request._kam_unread_notifications = cached
    return cached


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread_notifications": SimpleLazyObject(lambda: _unread_count(request))}
