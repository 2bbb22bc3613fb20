from django.contrib import admin

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
