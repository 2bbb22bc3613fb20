from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The customer workspace: a customer stakeholder's view of the shared plan, reached by a
    personal link (no account in the app), and the joint alignment reviews answered there."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "workspace"
    verbose_name = "Customer workspace"

    def ready(self):
        from planning.signals import health_facts_requested

        from . import receivers

        health_facts_requested.connect(
            receivers.workspace_health_facts, dispatch_uid="workspace_health_facts"
        )
