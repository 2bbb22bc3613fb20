"""Celery application. Settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")

app = Celery("kam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="kam.ping")
def ping() -> str:
    """Round trip used by the health check's tests and by operators to prove a worker answers."""
    return "pong"
