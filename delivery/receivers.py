"""Reactions to planning's workflow signals: delivery decides who is told about each plan step
(planning must not import delivery, README "Architecture"). Planning sends these after its
transaction commits, so each notification is written in its own transaction, once per step."""

from functools import partial

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import team_with_role
from notifications.services import notify_account_team

from .services.deselection import account_deselected_wind_down


def _plan_url(plan, anchor: str = "") -> str:
    url = reverse("planning:plan", args=[plan.key_account_id])
    return f"{url}#{anchor}" if anchor else url


# The texts are callables: the outbox calls each in its recipient's language
# (notifications.services), so dates and words follow the recipient, not the actor.


def _plan_names(acting_user, plan) -> dict:
    return {"user": acting_user, "account": plan.key_account.name, "period": plan.period}


def _submitted_text(acting_user, plan) -> str:
    return _("%(user)s submitted the %(account)s plan %(period)s for your approval.") % (
        _plan_names(acting_user, plan)
    )


def _returned_text(acting_user, plan, comment: str) -> str:
    return _("%(user)s returned the %(account)s plan %(period)s: %(comment)s") % {
        **_plan_names(acting_user, plan),
        "comment": comment,
    }


def _withdrawn_text(acting_user, plan) -> str:
    return _(
        "%(user)s changed the %(account)s plan %(period)s while it waited for your approval: "
        "it is back in draft until they submit it again."
    ) % _plan_names(acting_user, plan)


def _approved_text(acting_user, plan, version) -> str:
    return _("%(user)s approved the %(account)s plan %(period)s as version %(number)s.") % {
        **_plan_names(acting_user, plan),
        "number": version.number,
    }


def _assigned_text(acting_user, action) -> str:
    return _("%(user)s gave you an action on %(account)s: %(title)s (due %(due)s).") % {
        "user": acting_user,
        "account": action.plan.key_account.name,
        "title": action.title,
        "due": date_format(action.due_on, "PADDED_DATE_FORMAT"),
    }


def tell_directors_plan_submitted(sender, *, plan, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.DIRECTOR),
        text=partial(_submitted_text, acting_user, plan),
        link=_plan_url(plan, "workflow"),
        acting_user=acting_user,
    )


def tell_managers_plan_returned(sender, *, plan, comment: str, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.MANAGER),
        text=partial(_returned_text, acting_user, plan, comment),
        link=_plan_url(plan, "workflow"),
        acting_user=acting_user,
    )


def tell_directors_plan_withdrawn(sender, *, plan, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.DIRECTOR),
        text=partial(_withdrawn_text, acting_user, plan),
        link=_plan_url(plan, "workflow"),
        acting_user=acting_user,
    )


def tell_managers_plan_approved(sender, *, plan, version, acting_user, **kwargs):
    account = plan.key_account
    notify_account_team(
        account=account,
        users=team_with_role(account=account, role=Role.MANAGER),
        text=partial(_approved_text, acting_user, plan, version),
        link=reverse("planning:version", args=[account.pk, version.number]),
        acting_user=acting_user,
    )


def tell_owner_action_assigned(sender, *, action, acting_user, **kwargs):
    account = action.plan.key_account
    notify_account_team(
        account=account,
        users=[action.owner],
        text=partial(_assigned_text, acting_user, action),
        link=reverse("delivery:action_detail", args=[account.pk, action.pk]),
        acting_user=acting_user,
    )


def wind_down_deselected_account(sender, *, account, acting_user=None, reason: str = "", **kw):
    """De-selection (accounts' signal): future meetings cancelled, sent quotes expired."""
    account_deselected_wind_down(account=account, acting_user=acting_user, reason=reason)
