from django.apps import AppConfig


class RhythmConfig(AppConfig):
    name = "rhythm"
    verbose_name = "Programme rhythm: reviews, reminders, exports, jobs"

    def ready(self) -> None:
        from strategy.signals import selection_proposals_requested

        # Connects the receiver that queues the builds the services announce.
        from . import receivers, tasks  # noqa: F401

        # The re-classify and de-select pages show the review that proposed the change.
        selection_proposals_requested.connect(
            receivers.review_proposals, dispatch_uid="rhythm.review_proposals"
        )
