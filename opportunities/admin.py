from django.contrib import admin

from common.conflicts import RevisionAdminMixin

from .models import (
    BusinessUnit,
    ListPrice,
    Offering,
    Opportunity,
    OpportunityDecision,
    WhiteSpaceCell,
    Workshop,
)


class DecisionInline(admin.TabularInline):
    model = OpportunityDecision
    extra = 0
    readonly_fields = ("decision", "reason", "decided_by", "decided_at")


@admin.register(Opportunity)
class OpportunityAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "key_account",
        "lever",
        "status",
        "decision",
        "annual_value",
        "profit_potential",
        "priority",
    )
    list_filter = ("status", "lever", "decision", "source")
    search_fields = ("title", "key_account__customer__name")
    list_select_related = ("key_account__customer",)
    raw_id_fields = ("source_idea", "workshop", "owner")
    filter_horizontal = ("stakeholders",)
    inlines = [DecisionInline]


@admin.register(Workshop)
class WorkshopAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("title", "held_on", "key_account")
    search_fields = ("title", "key_account__customer__name")
    list_select_related = ("key_account__customer",)


@admin.register(Offering)
class OfferingAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("name", "archived_at")
    search_fields = ("name",)


@admin.register(BusinessUnit)
class BusinessUnitAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("name", "key_account")
    search_fields = ("name", "key_account__customer__name")
    list_select_related = ("key_account__customer",)


@admin.register(WhiteSpaceCell)
class WhiteSpaceCellAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("business_unit", "offering", "state", "opportunity")
    list_filter = ("state",)
    list_select_related = ("business_unit__key_account__customer", "offering", "opportunity")


@admin.register(ListPrice)
class ListPriceAdmin(admin.ModelAdmin):
    list_display = ("offering", "currency", "unit_price", "unit", "valid_from", "valid_until")
    list_filter = ("currency", "offering")
    search_fields = ("offering__name", "unit")
    list_select_related = ("offering",)
    raw_id_fields = ("created_by",)
