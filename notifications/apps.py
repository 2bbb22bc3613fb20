from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications and the e-mails that go with them, for every stage.

    It imports only `accounts` and `common`, so every stage (and the cross-cutting apps) may
    tell people things without pointing at a later stage.
    """

    name = "notifications"
    verbose_name = "Notifications and their e-mails"

    def ready(self) -> None:
        # Connects the receiver that queues the e-mails the services announce.
        from . import tasks  # noqa: F401
