from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CommonConfig(AppConfig):
    """Helpers every app may import: PDF rendering, CSV export, uploads, charts, edit conflicts.

    It imports no app of the project, so any stage can use it without pointing back up.
    """

    name = "common"
    verbose_name = "Shared helpers"

    def ready(self):
        from .dates import install_window_loaders

        # Dates stored outside the app's window read as its edge (common/dates.py).
        connection_created.connect(install_window_loaders, dispatch_uid="common-date-window")
