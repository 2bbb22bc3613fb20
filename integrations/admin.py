from django.contrib import admin
from django.db import models

from common.conflicts import RevisionAdminMixin

from .models import ExternalRef, ImportRun, WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(RevisionAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("url", "description", "is_active", "created_at")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "subscription", "status", "attempts", "response_code", "created_at")
    list_filter = ("status", "event")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]


@admin.register(ExternalRef)
class ExternalRefAdmin(admin.ModelAdmin):
    list_display = ("source", "object_type", "external_id", "local_id")
    list_filter = ("source", "object_type")
    search_fields = ("external_id",)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A record of an import (its preview and outcome): read here, run from the CRM page."""

    list_display = ("file_name", "source", "object_type", "status", "created_at")
    exclude = ("rows", "line_numbers")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ImportRun._meta.concrete_fields if f.name not in self.exclude]

    def has_add_permission(self, request, obj=None):
        return False
