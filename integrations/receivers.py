"""The stages announce what happened with signals; this turns them into webhook events.

Every stage signal used here is sent after its step commits, except strategy's
`key_account_deselected` (sent inside the de-selection, so planning archives the plan in the
same transaction): that one is recorded inside the transaction, so its deliveries exist exactly
when the de-selection does. Overdue actions have no moment of change (a date passes): the
`integrations.announce_overdue_actions` job finds them with planning's one definition of
"overdue" and announces each action once per due date.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from accounts.models import Programme
from notifications.links import absolute_url
from opportunities.services import detail_url as opportunity_url

from .models import Event
from .services import event_emit


def _account(account) -> dict:
    return {
        "id": account.pk,
        "name": account.customer.name,
        "customer_reference": account.customer.reference,
        "classification": account.classification,
        "status": account.status,
        "url": absolute_url(f"/accounts/{account.pk}/"),
    }


def _plan(plan) -> dict:
    return {
        "id": plan.pk,
        "period": plan.period,
        "status": plan.status,
        "url": absolute_url(f"/accounts/{plan.key_account_id}/plan/"),
    }


def _decimal(instance, field: str) -> str:
    """A decimal as the API writes it: with the field's own places ("9.50", not the "9.5" a
    form typed, which the saved object still holds when its signal is sent)."""
    places = type(instance)._meta.get_field(field).decimal_places
    return f"{Decimal(getattr(instance, field)):.{places}f}"


def _user(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.get_full_name()}


def on_plan_submitted(sender, *, plan, acting_user=None, **kwargs):
    event_emit(
        event=Event.PLAN_SUBMITTED,
        key=f"plan:{plan.pk}:revision:{plan.revision}",
        data={
            "account": _account(plan.key_account),
            "plan": _plan(plan),
            "by": _user(acting_user),
        },
    )


def on_plan_approved(sender, *, plan, version, acting_user=None, **kwargs):
    event_emit(
        event=Event.PLAN_APPROVED,
        key=f"plan:{plan.pk}:version:{version.pk}",
        data={
            "account": _account(plan.key_account),
            "plan": _plan(plan),
            "version": version.number,
            "by": _user(acting_user),
        },
    )


def on_key_account_selected(sender, *, account, acting_user=None, **kwargs):
    event_emit(
        event=Event.ACCOUNT_SELECTED,
        key=f"account:{account.pk}:revision:{account.revision}:{account.selected_on}",
        data={"account": _account(account), "by": _user(acting_user)},
    )


def on_key_account_deselected(sender, *, account, acting_user=None, reason="", **kwargs):
    event_emit(
        event=Event.ACCOUNT_DESELECTED,
        key=f"account:{account.pk}:revision:{account.revision}",
        data={"account": _account(account), "reason": reason, "by": _user(acting_user)},
    )


def on_opportunity_decided(sender, *, opportunity, decision, reason="", acting_user=None, **kw):
    event_emit(
        event=Event.OPPORTUNITY_DECIDED,
        key=f"opportunity:{opportunity.pk}:revision:{opportunity.revision}",
        data={
            "account": _account(opportunity.key_account),
            "opportunity": {
                "id": opportunity.pk,
                "title": opportunity.title,
                "status": opportunity.status,
                "decision": decision,
                "currency": Programme.current().currency,  # as the API's opportunity
                "annual_value": _decimal(opportunity, "annual_value"),
                "url": absolute_url(opportunity_url(opportunity)),
            },
            "reason": reason,
            "by": _user(acting_user),
        },
    )


def _target_status(target) -> dict:
    """The target's status after the measurement, on the programme's date (an event has no
    reader), by the plan page's rule and in the API's shape (the API's target `status`)."""
    from planning.models import Measurement
    from planning.snapshot import loaded_target_status

    latest_first = Measurement.objects.order_by("-measured_on", "-pk")
    prefetch_related_objects([target], Prefetch("measurements", queryset=latest_first))
    status, _latest = loaded_target_status(target, timezone.localdate())
    return {
        "code": status.status,
        "progress_percent": status.progress_percent,
        "expected_percent": status.expected_percent,
        "measure_again_days": status.measure_again,
    }


def on_measurement_recorded(sender, *, measurement, acting_user=None, **kwargs):
    target = measurement.target
    plan = target.objective.plan
    event_emit(
        event=Event.MEASUREMENT_RECORDED,
        key=f"measurement:{measurement.pk}",
        data={
            "account": _account(plan.key_account),
            "plan": _plan(plan),
            "target": {
                "id": target.pk,
                "kpi": target.kpi,
                "kind": target.kind,
                # What the figures count, as the API's target has it: money's currency, or
                # the unit of any other measure.
                "measure": target.measure,
                "currency": target.currency,
                "unit": target.unit,
                "baseline": _decimal(target, "baseline"),
                "target_value": _decimal(target, "target_value"),
                "aim": target.aim,
                "due_on": target.due_on.isoformat(),
                "status": _target_status(target),
            },
            "measurement": {
                "id": measurement.pk,
                "measured_on": measurement.measured_on.isoformat(),
                "actual": _decimal(measurement, "actual"),
                "comment": measurement.comment,
            },
            "by": _user(acting_user),
        },
    )


def overdue_actions_announce(*, today=None) -> int:
    """Announce every action overdue today (the programme's date), once per action and due
    date: a second run, or the next day's, announces nothing new; an action moved to a later
    date and missed again is announced again."""
    from planning.models import Action
    from planning.selectors import overdue_actions_q

    from .models import WebhookSubscription

    if not any(
        Event.ACTION_OVERDUE in s.events
        for s in WebhookSubscription.objects.filter(is_active=True).only("events")
    ):
        return 0
    today = today or timezone.localdate()
    announced = 0
    actions = (
        Action.objects.filter(overdue_actions_q(today))
        .filter(plan__is_current=True)
        .select_related("plan__key_account__customer", "owner")
        .order_by("pk")
    )
    for action in actions.iterator(chunk_size=500):
        created = event_emit(
            event=Event.ACTION_OVERDUE,
            key=f"action:{action.pk}:due:{action.due_on}",
            data={
                "account": _account(action.plan.key_account),
                "plan": _plan(action.plan),
                "action": {
                    "id": action.pk,
                    "title": action.title,
                    "status": action.status,
                    "due_on": action.due_on.isoformat(),
                    "owner": _user(action.owner),
                },
            },
        )
        announced += bool(created)
    return announced


def connect() -> None:
    from opportunities.signals import opportunity_decided
    from planning.signals import measurement_recorded, plan_approved, plan_submitted
    from strategy.signals import key_account_deselected, key_account_selected

    pairs = [
        (plan_submitted, on_plan_submitted),
        (plan_approved, on_plan_approved),
        (measurement_recorded, on_measurement_recorded),
        (opportunity_decided, on_opportunity_decided),
        (key_account_selected, on_key_account_selected),
        (key_account_deselected, on_key_account_deselected),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"integrations.{receiver.__name__}")
