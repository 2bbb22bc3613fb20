from django.contrib import admin

from common.conflicts import RevisionAdminMixin, RevisionInlineMixin

from .models import (
    AccountPlan,
    Action,
    ActionUpdate,
    EngagementActivity,
    HealthRecord,
    Measurement,
    Objective,
    PlanRisk,
    PlanVersion,
    Review,
    Target,
)
from .services import SECTIONS


@admin.register(AccountPlan)
class AccountPlanAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("key_account", "period", "status", "is_current", "updated_at")
    list_filter = ("status", "is_current", "period")
    search_fields = ("key_account__customer__name",)
    list_select_related = ("key_account__customer",)
    # The sections are edited in the app with their own counters: an admin save may have
    # changed any of them, so each moves on (and none can be typed back).
    revision_fields = ("revision", "section_revisions")

    def revisions_moved(self, obj, saved) -> None:
        super().revisions_moved(obj, saved)
        obj.section_revisions = {key: saved.section_revisions.get(key, 0) + 1 for key in SECTIONS}


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "kind", "created_at", "created_by")
    list_select_related = ("plan__key_account__customer", "created_by")
    readonly_fields = ("plan", "number", "snapshot", "kind", "created_at", "created_by")

    def has_change_permission(self, request, obj=None):
        return False  # versions are immutable


@admin.register(HealthRecord)
class HealthRecordAdmin(admin.ModelAdmin):
    list_display = ("plan", "recorded_on", "score")
    list_filter = ("recorded_on",)
    list_select_related = ("plan__key_account__customer",)
    readonly_fields = ("plan", "recorded_on", "score")

    def has_change_permission(self, request, obj=None):
        return False  # written by the nightly job only


class TargetInline(RevisionInlineMixin, admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("title", "plan", "owner", "due_on")
    search_fields = ("title", "plan__key_account__customer__name")
    list_select_related = ("plan__key_account__customer", "owner")
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("kpi", "objective", "baseline", "target_value", "aim", "unit", "due_on")
    list_filter = ("aim",)
    search_fields = ("kpi",)
    list_select_related = ("objective",)


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ("target", "measured_on", "actual")
    list_select_related = ("target",)


@admin.register(Action)
class ActionAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("title", "plan", "owner", "due_on", "status", "progress_percent")
    list_filter = ("status",)
    search_fields = ("title", "plan__key_account__customer__name")
    list_select_related = ("plan__key_account__customer", "owner")
    raw_id_fields = ("opportunity", "objective", "owner")


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ("action", "status", "progress_percent", "updated_by", "created_at")
    list_select_related = ("action", "updated_by")


@admin.register(EngagementActivity)
class EngagementActivityAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("plan", "our_person", "stakeholder", "purpose", "cadence", "next_due_on")
    list_filter = ("cadence",)
    list_select_related = ("plan__key_account__customer", "our_person", "stakeholder")


@admin.register(PlanRisk)
class PlanRiskAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("description", "plan", "likelihood", "impact", "owner")
    list_select_related = ("plan__key_account__customer", "owner")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("plan", "quarter", "opened_on", "due_on", "completed_at", "decision")
    list_filter = ("quarter", "decision")
    list_select_related = ("plan__key_account__customer",)
