"""Reads of notifications, for the user who reads them."""

from django.db.models import QuerySet

from .models import Notification


def notifications_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user) -> int:
    """The number in the menu badge and on the notifications page."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
