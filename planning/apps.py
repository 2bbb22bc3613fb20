from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Account plans"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from discovery.models import Stakeholder
        from strategy.signals import key_account_deselected

        from . import receivers
        from .models import (
            AccountPlan,
            Action,
            EngagementActivity,
            Measurement,
            Objective,
            Review,
            Target,
        )

        key_account_deselected.connect(
            receivers.archive_plan_on_deselection,
            dispatch_uid="planning.archive_plan_on_deselection",
        )
        health = [
            (AccountPlan, receivers.health_changed_on_plan, (post_save,)),
            (Action, receivers.health_changed_in_plan, (post_save, post_delete)),
            (EngagementActivity, receivers.health_changed_in_plan, (post_save, post_delete)),
            (Review, receivers.health_changed_in_plan, (post_save, post_delete)),
            (Objective, receivers.health_changed_in_plan, (post_delete,)),
            (Target, receivers.health_changed_for_target, (post_save, post_delete)),
            (Measurement, receivers.health_changed_for_measurement, (post_save, post_delete)),
            (Stakeholder, receivers.health_changed_for_stakeholder, (post_save, post_delete)),
        ]
        for model, receiver, signals in health:
            for signal in signals:
                signal.connect(
                    receiver,
                    sender=model,
                    dispatch_uid=f"planning.health.{model.__name__}.{signal is post_save}",
                )
