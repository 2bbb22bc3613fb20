from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations (webhooks and CRM exchange)"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
