from django.contrib import admin

from common.conflicts import RevisionAdminMixin

from .models import CalendarFeed, CheckIn, Meeting, Quote, QuoteLine


@admin.register(Meeting)
class MeetingAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("title", "key_account", "kind", "starts_at", "ends_at", "scheduled_by")
    list_filter = ("kind",)
    search_fields = ("title", "key_account__customer__name")
    list_select_related = ("key_account__customer", "scheduled_by")
    filter_horizontal = ("attendees", "stakeholders")


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0


@admin.register(Quote)
class QuoteAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("number", "title", "key_account", "status", "valid_until")
    list_filter = ("status",)
    search_fields = ("number", "title", "key_account__customer__name")
    list_select_related = ("key_account__customer",)
    # A quote picked by its id, not from a list of every quote ever made.
    raw_id_fields = ("renewed_from",)
    inlines = [QuoteLineInline]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "checked_on", "status", "next_step")
    list_select_related = ("opportunity",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    list_select_related = ("user",)
    exclude = ("token",)
