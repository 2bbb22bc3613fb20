"""Personal API tokens: how a script or another system (a CRM) calls `/api/v1/` as a person.

A token acts as the person who made it, with their roles and no more (every request goes
through `accounts/permissions.py`), narrowed by its scope: `read` may only read. The secret is
shown once, when the token is made; only its SHA-256 digest is stored, with a short public
prefix to find the row (`kam_<prefix>_<secret>`). A token ends at its expiry date or when its
owner revokes it; revoked tokens stay listed (when, what they were called, when last used).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import validate_in_window


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text=_("What uses it, e.g. “Salesforce sync”."))
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.READ)
    # Public part of the token, to find its row without comparing every digest.
    prefix = models.CharField(max_length=16, unique=True)
    # sha256 hex digest of the whole token; the token itself is never stored.
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(validators=[validate_in_window])
    last_used_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    revoked_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
