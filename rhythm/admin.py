from django.contrib import admin

from common.conflicts import RevisionAdminMixin

from .models import (
    AnnualReviewReminder,
    DigestLog,
    DigestPreference,
    JobRun,
    PlanExport,
    ReviewNotice,
)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "started_at", "finished_at", "outcome", "trigger")
    list_filter = ("job", "outcome")
    readonly_fields = ("counts", "error")


@admin.register(DigestPreference)
class DigestPreferenceAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("user", "frequency", "updated_at")
    list_filter = ("frequency",)
    list_select_related = ("user",)


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    list_display = ("user", "sent_on", "item_count", "created_at")
    list_select_related = ("user",)
    date_hierarchy = "sent_on"


@admin.register(ReviewNotice)
class ReviewNoticeAdmin(admin.ModelAdmin):
    list_display = ("review", "notified_at")
    list_select_related = ("review__plan__key_account__customer",)


@admin.register(AnnualReviewReminder)
class AnnualReviewReminderAdmin(admin.ModelAdmin):
    list_display = ("review_on", "sent_at", "recipients")


@admin.register(PlanExport)
class PlanExportAdmin(admin.ModelAdmin):
    list_display = ("requested_by", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("requested_by",)
    readonly_fields = ("id", "file_name", "error")
