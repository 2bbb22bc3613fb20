"""Webhook subscriptions and their delivery log; the CRM exchange's external ids and imports."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.event_text import shown_or
from common.limits import NOTE_MAX_CHARS


class Event(models.TextChoices):
    """What a subscription may ask to be told about (the `event` field of every payload)."""

    PLAN_SUBMITTED = "plan.submitted", _("Plan submitted for approval")
    PLAN_APPROVED = "plan.approved", _("Plan approved")
    OPPORTUNITY_DECIDED = "opportunity.decided", _("Opportunity decided (pursue, hold, drop)")
    ACTION_OVERDUE = "action.overdue", _("Action overdue")
    MEASUREMENT_RECORDED = "measurement.recorded", _("Measurement recorded against a target")
    ACCOUNT_SELECTED = "account.selected", _("Key account selected")
    ACCOUNT_DESELECTED = "account.deselected", _("Key account de-selected")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    url = models.URLField("Receiver URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    # Kept as written: signing needs the key itself (a hash could not sign). See SECURITY.md.
    secret = models.CharField(max_length=100, default=new_secret)
    is_active = models.BooleanField("Active", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["url", "pk"]

    def __str__(self) -> str:
        return self.description or self.url

    def event_labels(self) -> list[str]:
        return [Event(e).label for e in self.events if e in Event.values]


class WebhookDelivery(models.Model):
    """One event for one subscription: created once (unique per subscription and event key),
    sent at least once. Its id is the `X-KAM-Delivery` header, so a receiver can drop repeats."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed, will retry")
        DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
        FAILED = "failed", _("Failed (gave up)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    # What happened, named so that the same happening always gets the same key.
    event_key = models.CharField(max_length=200)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)  # in English
    # The same as message and values (accounts.event_text), read in the reader's language.
    last_error_text = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # Due for (another) attempt from then on; also the lease of the attempt in progress.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_key"], name="webhook_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"

    @property
    def shown_error(self) -> str:
        """Why the last attempt failed, in the reader's language (an older row's English)."""
        return shown_or(self.last_error_text, self.last_error)


class Source(models.TextChoices):
    SALESFORCE = "salesforce", _("Salesforce")
    HUBSPOT = "hubspot", _("HubSpot")
    DYNAMICS = "dynamics", _("Microsoft Dynamics 365")


class ObjectType(models.TextChoices):
    ACCOUNT = "account", _("Accounts")
    CONTACT = "contact", _("Contacts")
    OPPORTUNITY = "opportunity", _("Opportunities")
    TARGET = "target", _("Actuals for targets")


class ExternalRef(models.Model):
    """A CRM's id for one of our rows: accounts → Customer, contacts → Stakeholder,
    opportunities → Opportunity, targets → Target."""

    source = models.CharField(max_length=20, choices=Source.choices)
    object_type = models.CharField(max_length=20, choices=ObjectType.choices)
    external_id = models.CharField(max_length=64)
    local_id = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_type", "external_id"], name="external_ref_unique"
            ),
            models.UniqueConstraint(
                fields=["source", "object_type", "local_id"], name="external_ref_one_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_type} {self.external_id} → {self.local_id}"


class ImportRun(models.Model):
    """An uploaded CRM file: checked (the preview) and, once confirmed, applied."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview (nothing written)")
        QUEUED = "queued", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Could not be applied")

    source = models.CharField(max_length=20, choices=Source.choices)
    object_type = models.CharField(max_length=20, choices=ObjectType.choices)
    file_name = models.CharField(max_length=200)
    # The file's rows as read (list of dicts), so that the confirmed import applies what was
    # previewed without a second upload.
    rows = models.JSONField(default=list)
    line_numbers = models.JSONField(default=list)
    preview = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    error = models.CharField(max_length=NOTE_MAX_CHARS, blank=True)  # in English
    # The same as message and values (accounts.event_text), read in the reader's language.
    error_text = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.get_object_type_display()}: {self.file_name}"

    @property
    def shown_error(self) -> str:
        """What stopped the import, in the reader's language (an older row's English)."""
        return shown_or(self.error_text, self.error)
