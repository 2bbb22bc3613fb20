"""Reactions to planning's workflow signals: delivery decides who is told about each plan step
(planning must not import delivery, README "Architecture"). Planning sends these after its
transaction commits, so each notification is written in its own transaction, once per step."""

from django.urls import reverse

from accounts.models import Role
from accounts.selectors import team_with_role
from notifications.services import notify_account_team

from .services.deselection import account_deselected_wind_down


def _plan_url(plan, anchor: str = "") -> str:
    url = reverse("planning:plan", args=[plan.key_account_id])
    return f"{url}#{anchor}" if anchor else url


def tell_directors_plan_submitted(sender, *, plan, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.DIRECTOR),
        text=f"{acting_user} submitted the {account.name} plan {plan.period} for your approval.",
        link=_plan_url(plan, "workflow"),
        acting_user=acting_user,
    )


def tell_managers_plan_returned(sender, *, plan, comment: str, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.MANAGER),
        text=f"{acting_user} returned the {account.name} plan {plan.period}: {comment}",
        link=_plan_url(plan, "workflow"),
        acting_user=acting_user,
    )


def tell_directors_plan_withdrawn(sender, *, plan, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.DIRECTOR),
        text=(
            f"{acting_user} changed the {account.name} plan {plan.period} while it waited for "
            "your approval: it is back in draft until they submit it again."
        ),
        link=_plan_url(plan, "workflow"),
        acting_user=acting_user,
    )


def tell_managers_plan_approved(sender, *, plan, version, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.MANAGER),
        text=(
            f"{acting_user} approved the {account.name} plan {plan.period} "
            f"as version {version.number}."
        ),
        link=reverse("planning:version", args=[account.pk, version.number]),
        acting_user=acting_user,
    )


def tell_owner_action_assigned(sender, *, action, acting_user, **kwargs):
    account = action.plan.key_account
    notify_account_team(
        account=account,
        users=[action.owner],
        text=(
            f"{acting_user} gave you an action on {account.name}: {action.title} "
            f"(due {action.due_on:%d %b %Y})."
        ),
        link=reverse("delivery:action_detail", args=[account.pk, action.pk]),
        acting_user=acting_user,
    )


def wind_down_deselected_account(sender, *, account, acting_user=None, reason: str = "", **kw):
    """De-selection (accounts' signal): future meetings cancelled, sent quotes expired."""
    account_deselected_wind_down(account=account, acting_user=acting_user, reason=reason)
