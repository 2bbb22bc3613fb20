# The Celery app must be imported at start-up so that @shared_task binds to it
# (and to its eager mode on the embedded default) instead of Celery's default app.
from .celery import app as celery_app

__all__ = ("celery_app",)
