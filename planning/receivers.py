"""Reactions to earlier stages' signals (they never import planning)."""

from django.db.models import Q

from .services import plan_archive_current, plan_health_changed


def archive_plan_on_deselection(sender, *, account, acting_user=None, reason: str = "", **kwargs):
    """A de-selected key account keeps its plan history, but no current plan."""
    plan_archive_current(
        account=account,
        acting_user=acting_user,
        reason=reason or "The account was de-selected.",
    )


# ---- stored plan health: anything the health rules read marks the plan's score stale ----------
# Connected in apps.py to post_save and post_delete. Writes that bypass model signals
# (queryset.update, bulk_create) must call services.plan_health_invalidate themselves; none of
# the models below is written that way today. Inside a plan service (`plan_write`) the plans
# are marked once when it ends, however many of its saves touched them.


def health_changed_on_plan(sender, instance, **kwargs):
    """AccountPlan: approval date, value proposition refresh, becoming (not) current."""
    plan_health_changed(where=Q(pk=instance.pk))


def health_changed_in_plan(sender, instance, **kwargs):
    """Action, EngagementActivity, Review, Objective (its deletion takes its targets)."""
    plan_health_changed(where=Q(pk=instance.plan_id))


def health_changed_for_target(sender, instance, **kwargs):
    plan_health_changed(where=Q(objectives=instance.objective_id))


def health_changed_for_measurement(sender, instance, **kwargs):
    plan_health_changed(where=Q(objectives__targets=instance.target_id))


def health_changed_for_stakeholder(sender, instance, **kwargs):
    """Coverage of high-influence stakeholders is scored on the account's current plan."""
    plan_health_changed(where=Q(key_account_id=instance.key_account_id, is_current=True))
