"""An in-app notification to one user, which is also the outbox of the e-mail that goes with it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from common.dates import validate_in_window


class Notification(models.Model):
    """A message to one user (a workflow step, a mention, a review, a digest). Read ones stay
    listed. When the user is also e-mailed, the row keeps the e-mail until it has gone out
    (`email_status`), so a mail server that is down delays the e-mail instead of losing it."""

    class Email(models.TextChoices):
        NONE = "none", "No e-mail"
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])
    # The e-mail, written with the notification and sent after the commit (services.py).
    email_status = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE)
    email_subject = models.CharField(max_length=150, blank=True)
    email_body = models.TextField(blank=True)
    email_html = models.TextField(blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=300, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_window])

    class Meta:
        # The table kept its name when the model moved here from delivery: no data moved.
        db_table = "delivery_notification"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(
                fields=["created_at"],
                name="notification_email_pending",
                condition=Q(email_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
