"""Reactions to earlier stages' signals (they never import planning)."""

from django.db.models import Q
from django.utils.translation import gettext

from .services import plan_archive_current, plan_content_changed, plan_health_changed


def archive_plan_on_deselection(sender, *, account, acting_user=None, reason: str = "", **kwargs):
    """A de-selected key account keeps its plan history, but no current plan."""
    plan_archive_current(
        account=account,
        acting_user=acting_user,
        reason=reason or gettext("The account was de-selected."),
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


# ---- the plan page's cached document (planning.page_cache) ------------------------------------
# Everything the plan page shows moves the plan's `content_version`. What health reads already
# does (plan_health_invalidate moves both); the receivers below cover the rest of the page:
# connected in apps.py (its `content` list), and later stages connect their own (workspace).
# Facts read in the plan's own query (its row, the latest approval number, the latest
# completed review, the programme's currency) are part of the cache key and need no receiver.
# Writes that bypass model signals must call services.plan_content_invalidate themselves.

# The user fields the page prints (str(user): the full name, else the username).
USER_NAME_FIELDS = frozenset({"first_name", "last_name", "username"})


def content_changed_in_plan(sender, instance, **kwargs):
    """Objective (its save: health reads only its deletion), PlanRisk, PlanVersion,
    HealthRecord."""
    plan_content_changed(where=Q(pk=instance.plan_id))


def content_changed_for_account(sender, instance, **kwargs):
    """Opportunity (the pursued ones are listed), Membership (the team's manager and
    director)."""
    plan_content_changed(where=Q(key_account_id=instance.key_account_id, is_current=True))


def content_changed_on_account(sender, instance, **kwargs):
    """KeyAccount: its name, class and relationship stage are printed in the document."""
    plan_content_changed(where=Q(key_account_id=instance.pk, is_current=True))


def content_changed_for_user(sender, instance, created=False, update_fields=None, **kwargs):
    """A person's name is printed wherever they own something, on any plan: a renamed user
    moves every current plan (rare). A new user is on no plan yet; a save of other fields
    (the log-in's last_login) changes no name."""
    if created or (update_fields is not None and not USER_NAME_FIELDS & set(update_fields)):
        return
    plan_content_changed(where=Q(is_current=True))
