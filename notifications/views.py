"""The notifications page and marking notifications read. Each user sees only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .models import Notification

PAGE_SIZE = 25


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_GET
def index(request):
    notifications = selectors.notifications_of(user=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/index.html",
        {"page": page, "unread": selectors.unread_count(user=request.user)},
    )


@login_required
@require_POST
def read(request, notification_id: int):
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    services.notification_mark_read(notification=notification, acting_user=request.user)
    messages.success(request, gettext("Marked as read."))
    return redirect(_safe_next(request, reverse("notifications:index")))


@login_required
@require_POST
def read_all(request):
    count = services.notifications_mark_all_read(acting_user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:index")
