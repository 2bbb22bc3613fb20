from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "text", "created_at", "read_at", "email_status")
    list_filter = ("read_at", "email_status")
    search_fields = ("user__username", "text")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "text",
        "link",
        "created_at",
        "email_subject",
        "email_body",
        "email_html",
        "email_attempts",
        "email_error",
        "emailed_at",
    )
