from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The customer workspace: a customer stakeholder's view of the shared plan, reached by a
    personal link (no account in the app), and the joint alignment reviews answered there."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "workspace"
    verbose_name = "Customer workspace"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from delivery.signals import work_waiting_requested
        from opportunities.signals import (
            opportunities_waiting_requested,
            opportunity_origin_requested,
        )
        from planning.signals import health_facts_requested
        from strategy.signals import key_account_deselected

        from . import receivers
        from .models import Invitation, ReviewResponse

        key_account_deselected.connect(
            receivers.revoke_links_of_deselected_account,
            dispatch_uid="workspace.revoke_links_of_deselected_account",
        )
        health_facts_requested.connect(
            receivers.workspace_health_facts, dispatch_uid="workspace_health_facts"
        )
        opportunity_origin_requested.connect(
            receivers.proposal_origin, dispatch_uid="workspace.proposal_origin"
        )
        opportunities_waiting_requested.connect(
            receivers.proposals_waiting, dispatch_uid="workspace.proposals_waiting"
        )
        work_waiting_requested.connect(
            receivers.proposals_for_my_work, dispatch_uid="workspace.proposals_for_my_work"
        )
        for model, receiver in (
            (Invitation, receivers.health_changed_for_invitation),
            (ReviewResponse, receivers.health_changed_for_response),
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    receiver,
                    sender=model,
                    dispatch_uid=f"workspace.health.{model.__name__}.{signal is post_save}",
                )
