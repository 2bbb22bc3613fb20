from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery: meetings, quotes, progress"

    def ready(self) -> None:
        from planning import signals
        from strategy.signals import key_account_deselected

        from . import receivers

        key_account_deselected.connect(
            receivers.wind_down_deselected_account,
            dispatch_uid="delivery.wind_down_deselected_account",
        )

        for signal, receiver in (
            (signals.plan_submitted, receivers.tell_directors_plan_submitted),
            (signals.plan_returned, receivers.tell_managers_plan_returned),
            (signals.plan_withdrawn, receivers.tell_directors_plan_withdrawn),
            (signals.plan_approved, receivers.tell_managers_plan_approved),
            (signals.action_assigned, receivers.tell_owner_action_assigned),
        ):
            signal.connect(receiver, dispatch_uid=f"delivery.{receiver.__name__}")
