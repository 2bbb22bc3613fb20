from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Helpers every app may import: PDF rendering, CSV export, uploads, charts, edit conflicts.

    It imports no app of the project, so any stage can use it without pointing back up.
    """

    name = "common"
    verbose_name = "Shared helpers"
