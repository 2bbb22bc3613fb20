from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts.selectors import user_today
from common.conflicts import RevisionAdminMixin

from . import services
from .models import (
    Competitor,
    FinancialRatio,
    Interview,
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfileSection,
    ProfitabilityYear,
    RelationshipChange,
    Stakeholder,
)


@admin.register(ProfileSection)
class ProfileSectionAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("key_account", "key", "updated_at", "updated_by")
    list_filter = ("key",)
    search_fields = ("key_account__customer__name", "content")
    list_select_related = ("key_account__customer", "updated_by")


@admin.register(FinancialRatio)
class FinancialRatioAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("key_account", "name", "value", "year")
    search_fields = ("key_account__customer__name", "name")
    list_select_related = ("key_account__customer",)


@admin.register(Competitor)
class CompetitorAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("name", "key_account", "strength", "threat_level")
    list_filter = ("threat_level",)
    search_fields = ("name", "key_account__customer__name")
    list_select_related = ("key_account__customer",)


@admin.register(Stakeholder)
class StakeholderAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("name", "title", "key_account", "buying_role", "influence", "attitude", "owner")
    list_filter = ("buying_role", "influence", "attitude")
    search_fields = ("name", "title", "key_account__customer__name")
    list_select_related = ("key_account__customer", "owner")
    raw_id_fields = ("reports_to",)


class IdeaInline(admin.TabularInline):
    model = OpportunityIdea
    extra = 0


@admin.register(Interview)
class InterviewAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("held_on", "key_account", "interviewer")
    search_fields = ("key_account__customer__name", "notes")
    list_select_related = ("key_account__customer", "interviewer")
    inlines = [IdeaInline]


@admin.register(RelationshipChange)
class RelationshipChangeAdmin(admin.ModelAdmin):
    list_display = ("changed_on", "key_account", "field", "old_value", "new_value", "changed_by")
    list_filter = ("field",)
    list_select_related = ("key_account__customer", "changed_by")


@admin.register(ProfitabilityYear)
class ProfitabilityYearAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("key_account", "year", "gross_sales")
    list_filter = ("year",)
    search_fields = ("key_account__customer__name",)
    list_select_related = ("key_account__customer",)

    def get_form(self, request, obj=None, **kwargs):
        """The admin writes a year itself, not through the service: it asks the service's rule
        (no year later than the writer's current year) all the same."""
        form = super().get_form(request, obj, **kwargs)
        today = user_today(request.user)

        class YearForm(form):
            def clean_year(self):
                year = self.cleaned_data.get("year")
                refusal = services.profitability_year_refusal(year, today=today)
                if refusal:
                    raise ValidationError(refusal)
                return year

        return YearForm


@admin.register(LifetimeValueAssumption)
class LifetimeValueAssumptionAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("key_account", "growth_rate_percent", "discount_rate_percent", "horizon_years")
    list_select_related = ("key_account__customer",)
