"""An in-app notification to one user, which is also the outbox of the e-mail that goes with it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.dates import validate_in_window


class Notification(models.Model):
    """A message to one user (a workflow step, a mention, a review, a digest). Read ones stay
    listed. When the user is also e-mailed, the row keeps the e-mail until it has gone out
    (`email_status`), so a mail server that is down delays the e-mail instead of losing it."""

    class Email(models.TextChoices):
        NONE = "none", _("No e-mail")
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    # None: an e-mail to someone outside the app (a customer stakeholder invited to a meeting),
    # addressed to `email_to`; it is in nobody's notification list.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
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
    email_to = models.EmailField(blank=True)
    email_to_name = models.CharField(max_length=200, blank=True)
    # One text attachment (a meeting's iCalendar invitation): its file name, MIME type with
    # parameters ("text/calendar; method=REQUEST") and content.
    email_attachment_name = models.CharField(max_length=100, blank=True)
    email_attachment_type = models.CharField(max_length=100, blank=True)
    email_attachment = models.TextField(blank=True, max_length=100_000)

    class Meta:
        # The table kept its name when the model moved here from delivery: no data moved.
        db_table = "delivery_notification"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email_to=""),
                name="notification_has_recipient",
            ),
        ]
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
    def recipient_email(self) -> str:
        return self.user.email if self.user_id else self.email_to

    @property
    def recipient_label(self) -> str:
        if self.user_id:
            return f"{self.user.get_full_name() or self.user.username} <{self.user.email}>"
        return f"{self.email_to_name} <{self.email_to}>".strip()

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
