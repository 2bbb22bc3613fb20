from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations (webhooks and CRM exchange)"

    def ready(self) -> None:
        from . import receivers, tasks  # noqa: F401 - tasks: the receivers that queue them

        receivers.connect()
