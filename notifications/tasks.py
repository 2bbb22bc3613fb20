"""The e-mails of notifications, sent by a worker after the commit that wrote them.

The services announce waiting e-mails with `signals.emails_waiting` (connected when the app is
ready), so the dependency runs one way: the tasks call the services.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver

from . import services
from .models import Notification
from .signals import emails_waiting

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    name="notifications.send_emails",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_emails(ids: list[int]) -> dict:
    """Send these notifications' pending e-mails. What still fails waits for the sweep."""
    return services.emails_send_pending(ids=ids)


@receiver(emails_waiting, sender=Notification, dispatch_uid="notifications.queue_send_emails")
def queue_send_emails(*, ids: list[int], **_kwargs) -> None:
    send_emails.delay(ids)
