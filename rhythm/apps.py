from django.apps import AppConfig


class RhythmConfig(AppConfig):
    name = "rhythm"
    verbose_name = "Programme rhythm: reviews, reminders, exports, jobs"
