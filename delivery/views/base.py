"""What the delivery pages share: paging, errors from services, safe `next`, the account's
flags."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import permissions
from accounts.selectors import user_time_zone
from common.dates import wall_clock

from ..services.shared import DESELECTED

PAGE_SIZE = 25


def reader_times(meetings, user) -> None:
    """Each meeting's start and end in the reader's own time zone (`reader_starts_at`,
    `reader_ends_at`, `reader_zone`), when their clock reads another time than the meeting's
    zone: an attendee in New York read only '09:00 (Europe/Paris)'. None when it is the same."""
    zone = user_time_zone(user)
    for meeting in meetings:
        starts = wall_clock(meeting.starts_at, zone)
        same = starts.replace(tzinfo=None) == meeting.local_starts_at.replace(tzinfo=None)
        meeting.reader_starts_at = None if same else starts
        meeting.reader_ends_at = None if same else wall_clock(meeting.ends_at, zone)
        meeting.reader_zone = zone.key


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors where they belong."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _account_context(request, account) -> dict:
    return {
        "account": account,
        **permissions.account_flags(request.user, account),
        # Why a de-selected account offers no "Schedule a meeting" or "New quote".
        "deselected_note": None if account.is_active else DESELECTED,
    }
