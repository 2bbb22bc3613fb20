from django.contrib import admin
from django.db.models import F

from accounts.models import KeyAccount
from common.conflicts import RevisionAdminMixin

from .models import (
    AllocationDecision,
    Competence,
    CompetenceScore,
    ExecutiveSponsor,
    JobSpecification,
    MentoringNextStep,
    MentoringSession,
    SkillsAssessment,
)


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position", "is_active")
    list_editable = ("position", "is_active")


class CompetenceScoreInline(admin.TabularInline):
    model = CompetenceScore
    extra = 0


@admin.register(SkillsAssessment)
class SkillsAssessmentAdmin(admin.ModelAdmin):
    list_display = (
        "manager",
        "assessed_on",
        "assessed_by",
        "concern_for_customer",
        "concern_for_sale",
    )
    list_select_related = ("manager", "assessed_by")
    inlines = [CompetenceScoreInline]


@admin.register(ExecutiveSponsor)
class ExecutiveSponsorAdmin(admin.ModelAdmin):
    list_display = ("key_account", "user", "named_on")
    list_select_related = ("key_account__customer", "user")

    # The sponsor form on the team page checks the account's sponsor_revision: a sponsor
    # named, changed or removed here moves it too, so that form gets the conflict.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _sponsor_changed(obj.key_account_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _sponsor_changed(obj.key_account_id)

    def delete_queryset(self, request, queryset):
        accounts = list(queryset.values_list("key_account_id", flat=True))
        super().delete_queryset(request, queryset)
        for account_id in accounts:
            _sponsor_changed(account_id)


def _sponsor_changed(account_id: int) -> None:
    KeyAccount.objects.filter(pk=account_id).update(sponsor_revision=F("sponsor_revision") + 1)


@admin.register(AllocationDecision)
class AllocationDecisionAdmin(admin.ModelAdmin):
    list_display = ("key_account", "previous_manager", "new_manager", "decided_by", "decided_at")
    list_select_related = ("key_account__customer", "previous_manager", "new_manager", "decided_by")


@admin.register(JobSpecification)
class JobSpecificationAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("role", "updated_at", "updated_by")
    readonly_fields = ("revision",)


class MentoringNextStepInline(admin.TabularInline):
    model = MentoringNextStep
    extra = 0
    raw_id_fields = ("action",)


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ("held_on", "director", "manager", "key_account")
    list_select_related = ("director", "manager", "key_account__customer")
    inlines = [MentoringNextStepInline]
