from django.urls import path

from . import views

app_name = "delivery"

ACCOUNT = "accounts/<int:account_id>/"

urlpatterns = [
    path("delivery/", views.index, name="index"),
    path("delivery/calendar/", views.calendar_settings, name="calendar_settings"),
    path("delivery/calendar/create/", views.calendar_create, name="calendar_create"),
    path("delivery/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    # Action progress
    path(f"{ACCOUNT}actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path(
        f"{ACCOUNT}actions/<int:action_id>/progress/",
        views.action_progress,
        name="action_progress",
    ),
    # Meetings
    path(f"{ACCOUNT}meetings/", views.account_meetings, name="account_meetings"),
    path(f"{ACCOUNT}meetings/new/", views.meeting_create, name="meeting_create"),
    path(f"{ACCOUNT}meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(f"{ACCOUNT}meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path(f"{ACCOUNT}meetings/<int:meeting_id>/notes/", views.meeting_notes, name="meeting_notes"),
    path(
        f"{ACCOUNT}meetings/<int:meeting_id>/follow-ups/",
        views.meeting_follow_up,
        name="meeting_follow_up",
    ),
    path(
        f"{ACCOUNT}meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"
    ),
    path(f"{ACCOUNT}meetings/<int:meeting_id>/invite.ics", views.meeting_ics, name="meeting_ics"),
    # Quotes
    path(f"{ACCOUNT}quotes/", views.account_quotes, name="account_quotes"),
    path(f"{ACCOUNT}quotes/new/", views.quote_create, name="quote_create"),
    path(f"{ACCOUNT}quotes/<int:quote_id>/", views.quote_detail, name="quote_detail"),
    path(f"{ACCOUNT}quotes/<int:quote_id>/edit/", views.quote_edit, name="quote_edit"),
    path(f"{ACCOUNT}quotes/<int:quote_id>/approve/", views.quote_approve, name="quote_approve"),
    path(f"{ACCOUNT}quotes/<int:quote_id>/refuse/", views.quote_refuse, name="quote_refuse"),
    path(f"{ACCOUNT}quotes/<int:quote_id>/status/", views.quote_status, name="quote_status"),
    path(f"{ACCOUNT}quotes/<int:quote_id>/renew/", views.quote_renew, name="quote_renew"),
    path(f"{ACCOUNT}quotes/<int:quote_id>/quote.pdf", views.quote_pdf, name="quote_pdf"),
    # Progress monitoring
    path(f"{ACCOUNT}progress/", views.progress, name="progress"),
    path(
        f"{ACCOUNT}progress/opportunities/<int:opportunity_id>/check-ins/",
        views.check_in_create,
        name="check_in_create",
    ),
    path(
        f"{ACCOUNT}progress/opportunities/<int:opportunity_id>/apply/",
        views.check_in_apply,
        name="check_in_apply",
    ),
    path(
        f"{ACCOUNT}progress/targets/<int:target_id>/measurements/",
        views.measurement_create,
        name="measurement_create",
    ),
    # Timeline
    path(f"{ACCOUNT}timeline/", views.timeline, name="timeline"),
    path(f"{ACCOUNT}timeline/comments/", views.comment_create, name="comment_create"),
]
