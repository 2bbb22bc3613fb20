from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Operators see who holds which token and may revoke one (set "revoked at"); nobody sees
    or types a secret here: tokens are made on the person's own settings page."""

    list_display = ("name", "user", "prefix", "scope", "expires_on", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "scope", "prefix", "digest", "created_at", "last_used_at")
    fields = (*readonly_fields, "expires_on", "revoked_at")

    def has_add_permission(self, request):
        return False
