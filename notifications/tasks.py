"""The e-mails of notifications, sent by a worker after the commit that wrote them."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

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
