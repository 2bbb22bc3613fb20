from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = "Discovery: profiles, stakeholders, interviews, profitability"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
