from django.apps import AppConfig


class RhythmConfig(AppConfig):
    name = "rhythm"
    verbose_name = "Programme rhythm: reviews, reminders, exports, jobs"

    def ready(self) -> None:
        # Connects the receiver that queues the builds the services announce.
        from . import tasks  # noqa: F401
