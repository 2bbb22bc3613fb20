from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes: value delivered and customer issues"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from planning.signals import health_facts_requested, plan_print_lines_requested

        from . import receivers
        from .models import CustomerIssue, ValueDelivered

        # Plan health reads what this app records (planning.rules: "confirmed value",
        # "customer issues"); planning asks for it with a signal, since it never imports us.
        health_facts_requested.connect(receivers.health_facts, dispatch_uid="outcomes.health_facts")
        plan_print_lines_requested.connect(
            receivers.plan_print_lines, dispatch_uid="outcomes.plan_print_lines"
        )
        for model in (ValueDelivered, CustomerIssue):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.health_changed_for_account,
                    sender=model,
                    dispatch_uid=f"outcomes.health.{model.__name__}.{signal is post_save}",
                )
