from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Account plans"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from accounts.models import KeyAccount, Membership
        from discovery.models import Stakeholder
        from opportunities.models import Opportunity
        from strategy.signals import key_account_deselected

        from . import (
            receivers,
            tasks,  # noqa: F401 - connects the receiver that queues PDFs drawn ahead
        )
        from .models import (
            AccountPlan,
            Action,
            EngagementActivity,
            HealthRecord,
            Measurement,
            Objective,
            PlanRisk,
            PlanVersion,
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
        # The rest of what the plan page shows (its cached document: planning.page_cache).
        both = (post_save, post_delete)
        content = [
            (Objective, receivers.content_changed_in_plan, (post_save,)),
            (PlanRisk, receivers.content_changed_in_plan, both),
            (PlanVersion, receivers.content_changed_in_plan, both),
            # The trend: one record a plan and day, by the nightly job in bulk (no signal), for
            # today, which the trend leaves out until tomorrow (today is in the cache key).
            (HealthRecord, receivers.content_changed_in_plan, both),
            (Opportunity, receivers.content_changed_for_account, both),
            (Membership, receivers.content_changed_for_account, both),
            (KeyAccount, receivers.content_changed_on_account, (post_save,)),
            (get_user_model(), receivers.content_changed_for_user, (post_save,)),
        ]
        for model, receiver, signals in content:
            for signal in signals:
                signal.connect(
                    receiver,
                    sender=model,
                    dispatch_uid=f"planning.content.{model.__name__}.{signal is post_save}",
                )
