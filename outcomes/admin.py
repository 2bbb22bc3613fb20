from django.contrib import admin
from django.db import models

from common.conflicts import RevisionAdminMixin

from .models import CustomerIssue, ValueDelivered


@admin.register(ValueDelivered)
class ValueDeliveredAdmin(RevisionAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "key_account", "delivered_on", "amount", "currency", "unit", "status")
    list_filter = ("status", "measure")
    search_fields = ("title", "key_account__customer__name")
    list_select_related = ("key_account__customer",)
    raw_id_fields = ("key_account", "opportunity", "objective", "confirmed_by")
    readonly_fields = ("created_by", "updated_by", "confirmation_recorded_by")


@admin.register(CustomerIssue)
class CustomerIssueAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("title", "key_account", "severity", "status", "owner", "due_on", "escalated_at")
    list_filter = ("severity", "status", "customer_visible")
    search_fields = ("title", "key_account__customer__name")
    list_select_related = ("key_account__customer", "owner")
    raw_id_fields = ("key_account", "owner")
    readonly_fields = ("created_by", "updated_by", "resolved_at", "escalated_at")
