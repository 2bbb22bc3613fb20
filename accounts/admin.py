from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from common.conflicts import RevisionAdminMixin, RevisionInlineMixin

from .models import (
    AccountEvent,
    Customer,
    KeyAccount,
    Membership,
    Programme,
    SingleSignOnIdentity,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "job_title", "is_active")
    list_filter = ("is_active", "is_staff", "groups")
    fieldsets = BaseUserAdmin.fieldsets + (("KAM", {"fields": ("job_title", "time_zone")}),)


@admin.register(SingleSignOnIdentity)
class SingleSignOnIdentityAdmin(admin.ModelAdmin):
    """Who signs in as whom through single sign-on. Delete a row to unlink a user from their
    provider subject (their next sign-on then links again by a verified e-mail address)."""

    list_display = ("user", "issuer", "subject", "created_at", "last_login_at")
    search_fields = ("user__username", "user__email", "subject")
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_login_at")

    def has_add_permission(self, request):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "trigger", "annual_review_on", "currency", "key_account_limit_percent")


@admin.register(Customer)
class CustomerAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "reference",
        "sector",
        "country",
        "annual_revenue",
        "classification",
        "attractiveness_score",
        "strength_score",
    )
    list_filter = ("classification", "sector", "country")
    search_fields = ("name", "reference")


class MembershipInline(RevisionInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(KeyAccount)
class KeyAccountAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("customer", "classification", "status", "relationship_stage", "selected_on")
    list_filter = ("classification", "status", "relationship_stage")
    search_fields = ("customer__name", "customer__reference")
    list_select_related = ("customer",)
    inlines = [MembershipInline]
    # The executive sponsor's counter is not the admin's to type (the sponsor is not edited here).
    revision_fields = ("revision", "sponsor_revision")


@admin.register(Membership)
class MembershipAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("user", "key_account", "role", "function", "time_share_percent")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "key_account__customer__name")
    list_select_related = ("user", "key_account__customer")


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "key_account", "kind", "summary", "actor")
    list_filter = ("kind",)
    search_fields = ("summary", "key_account__customer__name")
    list_select_related = ("key_account__customer", "actor")
