from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Account plans"

    def ready(self) -> None:
        from accounts.signals import key_account_deselected

        from .receivers import archive_plan_on_deselection

        key_account_deselected.connect(
            archive_plan_on_deselection, dispatch_uid="planning.archive_plan_on_deselection"
        )
