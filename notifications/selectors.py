"""Reads of notifications, for the user who reads them."""

from django.db.models import QuerySet

from .models import Notification


def notifications_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user) -> int:
    """The number in the menu badge and on the notifications page."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


OUTBOX_LIST_SIZE = 50


def email_outbox(*, limit: int = OUTBOX_LIST_SIZE) -> dict:
    """For programme admins (the /jobs/ page): how many e-mails wait to be sent and how many were
    given up, and the oldest of each with their last error. Two counts on the partial index and
    two short lists."""
    waiting = Notification.objects.filter(email_status=Notification.Email.PENDING)
    given_up = Notification.objects.filter(email_status=Notification.Email.FAILED)
    fields = ("user",)
    return {
        "pending_count": waiting.count(),
        "failed_count": given_up.count(),
        "pending": list(waiting.select_related(*fields).order_by("created_at", "pk")[:limit]),
        "failed": list(given_up.select_related(*fields).order_by("-created_at", "-pk")[:limit]),
        "limit": limit,
    }
