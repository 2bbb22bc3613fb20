"""Plan health asks the workspace (planning.signals.health_facts_requested) for the customer's
own voice: the satisfaction of the two latest answered joint reviews, and when an invited
customer last opened the workspace. Two queries for any number of accounts. The opportunity
pages ask it (opportunities.signals) where an opportunity came from and what waits."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from accounts import permissions
from delivery.signals import WorkItem
from discovery.models import Stakeholder
from opportunities.signals import Origin, Waiting
from planning.models import AccountPlan
from planning.services import plan_health_invalidate

from .models import Invitation
from .selectors import (
    proposal_counts,
    proposal_for_opportunity,
    proposals_waiting_on,
    reviews_by_account,
)
from .services.proposals import team_url


def workspace_health_facts(sender, *, account_ids, today, **kwargs) -> dict[int, dict]:
    facts: dict[int, dict] = {}
    for account_id, rows in reviews_by_account(account_ids=account_ids).items():
        latest = rows[-1]
        previous = rows[-2] if len(rows) > 1 else None
        facts[account_id] = {
            "satisfaction_latest": latest.average,
            "satisfaction_previous": previous.average if previous else None,
            "recommend_latest": latest.recommend,
            "recommend_previous": previous.recommend if previous else None,
        }
    now = timezone.now()
    for row in (
        Invitation.objects.filter(
            key_account_id__in=account_ids, revoked_at__isnull=True, expires_at__gt=now
        )
        .values("key_account_id")
        .annotate(last=Max("last_visit_at"))
        .order_by()
    ):
        last = row["last"]
        facts.setdefault(row["key_account_id"], {}).update(
            workspace_invited=True,
            workspace_idle_days=None if last is None else (today - timezone.localdate(last)).days,
        )
    return facts


# What workspace_health_facts reads changed: the account's current plan's stored health and the
# plan page's cached document are stale. Connected in apps.py to post_save and post_delete.


def health_changed_for_invitation(sender, instance, **kwargs) -> None:
    """Invitation: created, revoked, deleted (whether the customer is invited at all)."""
    plan_health_invalidate(
        plans=AccountPlan.objects.filter(key_account_id=instance.key_account_id, is_current=True)
    )


def health_changed_for_response(sender, instance, **kwargs) -> None:
    """ReviewResponse: a joint review's answers (satisfaction, recommendation)."""
    account = Stakeholder.objects.filter(pk=instance.stakeholder_id).values("key_account_id")
    plan_health_invalidate(
        plans=AccountPlan.objects.filter(key_account_id__in=account, is_current=True)
    )


def revoke_links_of_deselected_account(sender, *, account, acting_user=None, **kwargs) -> None:
    """strategy.signals.key_account_deselected: the customer's links stop working."""
    from .services import invitations_revoke_all

    invitations_revoke_all(account=account, acting_user=acting_user)


def proposal_origin(sender, *, opportunity, **kwargs) -> list[Origin]:
    """opportunities.signals.opportunity_origin_requested: the customer proposal it came from."""
    proposal = proposal_for_opportunity(opportunity_id=opportunity.pk)
    if proposal is None:
        return []
    return [
        Origin(
            text=gettext("Proposed by the customer: %(name)s, %(date)s")
            % {
                "name": proposal.stakeholder.name,
                "date": date_format(timezone.localtime(proposal.submitted_at), "SHORT_DATE_FORMAT"),
            },
            words=proposal.benefit,
            link=team_url(proposal),
            link_text=gettext("Read their proposal"),
        )
    ]


def proposals_waiting(sender, *, account_id, **kwargs) -> list[Waiting]:
    """opportunities.signals.opportunities_waiting_requested: the account's customer proposals,
    saying how many wait for a decision (none proposed: nothing)."""
    counts = proposal_counts(account_id=account_id)
    if not counts["proposed"]:
        return []
    waiting = counts["waiting"]
    text = (
        ngettext(
            "%(count)s customer proposal waits for a decision.",
            "%(count)s customer proposals wait for a decision.",
            waiting,
        )
        % {"count": waiting}
        if waiting
        else ""
    )
    return [
        Waiting(
            text=text,
            link=reverse("workspace_team:proposals", args=[account_id]),
            link_text=gettext("Customer proposals"),
        )
    ]


def proposals_for_my_work(sender, *, user, **kwargs) -> list[WorkItem]:
    """delivery.signals.work_waiting_requested: the customer proposals waiting for a decision
    on the accounts where `user` decides them, the longest waiting first (one query; none when
    they decide on no account)."""
    account_ids = permissions.account_ids_with(user, permissions.DECIDE_CUSTOMER_PROPOSAL)
    if not account_ids:
        return []
    kind = gettext("Customer proposals to answer")
    return [
        WorkItem(
            kind=kind,
            title=proposal.title,
            link=team_url(proposal),
            account=proposal.key_account.name,
            detail=gettext("Proposed by %(name)s on %(date)s")
            % {
                "name": proposal.stakeholder.name,
                "date": date_format(timezone.localtime(proposal.submitted_at), "SHORT_DATE_FORMAT"),
            },
        )
        for proposal in proposals_waiting_on(account_ids=account_ids)
    ]
