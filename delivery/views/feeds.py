"""Calendar feeds: a user's private feed and its settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import user_language

from .. import selectors
from ..ics import FEED_REFRESH, calendar_for
from ..models import CalendarFeed
from ..services import calendar


@login_required
@require_GET
def calendar_settings(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("delivery:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "delivery/calendar_settings.html", {"feed": feed, "feed_url": feed_url})


@login_required
@require_POST
def calendar_create(request):
    calendar.calendar_feed_get_or_create(user=request.user)
    messages.success(request, _("Your private calendar feed is ready. Keep its address secret."))
    return redirect("delivery:calendar_settings")


@login_required
@require_POST
def calendar_revoke(request):
    calendar.calendar_feed_revoke(user=request.user)
    messages.success(
        request,
        _("The old feed address no longer works. Subscribe your calendar app to the new one."),
    )
    return redirect("delivery:calendar_settings")


@require_GET
def calendar_feed(request, token: str):
    """No login: the secret token in the URL is the credential (calendar apps cannot log in)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None or not token:
        raise Http404("No such calendar feed.")
    feed_meetings = selectors.feed_meetings(user=feed.user)
    # A calendar app asks, not its owner: the feed is written in the owner's language (their
    # choice, else their browser's last), not in whatever the app's Accept-Language says.
    with translation.override(user_language(feed.user)):
        body = calendar_for(
            feed_meetings,
            name=_("KAM meetings — %(user)s") % {"user": feed.user},
            refresh=FEED_REFRESH,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
