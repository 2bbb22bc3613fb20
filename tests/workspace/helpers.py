"""Shared set-up of the workspace tests: an approved plan with planted internal text, a
customer stakeholder with a joint action, and the personal link opened in a client."""

from __future__ import annotations

import re

from django.core import mail
from django.utils import timezone

from accounts.models import Programme
from planning import services as planning_services
from planning.models import AccountPlan, Action
from tests import factories as f
from workspace import services

INTERNAL = "ZZINTERNAL"  # planted in every internal field; never in a workspace response


def approved_plan(account, people) -> AccountPlan:
    plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
    if plan is None:
        plan = f.AccountPlanFactory(
            key_account=account,
            value_proposition="We keep your shelves full through the winter peak.",
            strengths=f"{INTERNAL} strength: their buyer trusts us",
            weaknesses=f"{INTERNAL} weakness",
            threats=f"{INTERNAL} threat",
            critical_success_factors=f"{INTERNAL} protect our margin",
        )
    objective = f.ObjectiveFactory(plan=plan, title="Keep the winter range on shelf")
    f.TargetFactory(objective=objective)
    f.ObjectiveFactory(plan=plan, title=f"{INTERNAL} objective", is_internal=True)
    f.ActionFactory(plan=plan, title="Send the winter forecast", owner=people.manager)
    f.ActionFactory(plan=plan, title=f"{INTERNAL} action", owner=people.manager, is_internal=True)
    f.EngagementActivityFactory(plan=plan, our_person=people.manager)
    f.OpportunityFactory(key_account=account, title=f"{INTERNAL} opportunity", is_internal=True)
    f.ProfitabilityYearFactory(key_account=account, year=2024)
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    plan.refresh_from_db()
    planning_services.plan_approve(plan=plan, acting_user=people.director)
    plan.refresh_from_db()
    return plan


def customer(account, *, name="Clara Customer", email="clara@customer.example", **kwargs):
    return f.StakeholderFactory(
        key_account=account,
        name=name,
        email=email,
        attitude="blocker",
        notes=f"{INTERNAL} stakeholder notes",
        **kwargs,
    )


def joint_action(plan, stakeholder, title="Share the shelf data") -> Action:
    return f.ActionFactory(
        plan=plan,
        title=title,
        customer_owner=stakeholder,
        due_on=timezone.localdate() + timezone.timedelta(days=10),
    )


def invite(account, stakeholder, people) -> str:
    """The token of a new invitation (what the e-mailed link carries)."""
    Programme.ensure()
    _invitation, token = services.invitation_create(
        account=account, stakeholder=stakeholder, acting_user=people.manager, send=False
    )
    return token


def link_in_last_mail() -> str:
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/workspace/join/\S+/", body).group(0)


def token_in_outbox(stakeholder) -> str:
    """The token of the last link e-mailed to `stakeholder` (the outbox row is written in the
    transaction; the e-mail itself goes after the commit)."""
    from notifications.models import Notification

    row = Notification.objects.filter(email_to=stakeholder.email).latest("pk")
    return re.search(r"/workspace/join/([^/\s?]+)/", row.email_body).group(1)


def open_link(client, token: str):
    return client.get(f"/workspace/join/{token}/")
