"""planning.signals: later stages hear about a workflow step once, and only after it commits."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from planning import services, signals
from planning.models import AccountPlan

from ..factories import ActionFactory, add_required_parts


@pytest.fixture
def heard():
    """Every planning signal's sends, as (signal name, kwargs), while the test runs."""
    calls = []
    receivers = {}
    for name in ("plan_submitted", "plan_returned", "plan_approved", "action_assigned"):

        def receiver(sender, name=name, **kwargs):
            calls.append((name, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, dispatch_uid=f"test.{name}")
    yield calls
    for name in receivers:
        getattr(signals, name).disconnect(dispatch_uid=f"test.{name}")


def action_data(owner, **overrides):
    data = {"title": "Send samples", "owner": owner, "due_on": timezone.localdate() + timedelta(7)}
    data.update(overrides)
    return data


def test_submit_is_heard_once_and_only_after_the_commit(
    people, plan, heard, django_capture_on_commit_callbacks
):
    add_required_parts(plan, owner=people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, acting_user=people.manager)
        assert heard == []
    assert [(name, kw["plan"].pk, kw["acting_user"]) for name, kw in heard] == [
        ("plan_submitted", plan.pk, people.manager)
    ]


def test_a_rolled_back_step_is_never_heard(people, plan, heard, django_capture_on_commit_callbacks):
    add_required_parts(plan, owner=people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.plan_submit(plan=plan, acting_user=people.manager)
            raise RuntimeError("the request failed after the service")
    assert heard == []
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.DRAFT


def test_return_and_approval_carry_the_comment_and_the_version(
    people, plan, heard, django_capture_on_commit_callbacks
):
    add_required_parts(plan, owner=people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, acting_user=people.manager)
        services.plan_return(plan=plan, comment="Add a risk.", acting_user=people.director)
        services.plan_submit(plan=plan, acting_user=people.manager)
        services.plan_approve(plan=plan, acting_user=people.director)
    assert [name for name, _ in heard] == [
        "plan_submitted",
        "plan_returned",
        "plan_submitted",
        "plan_approved",
    ]
    assert heard[1][1]["comment"] == "Add a risk."
    assert heard[3][1]["version"].number == 1


def test_an_action_is_heard_when_created_and_when_reassigned_not_when_edited(
    people, plan, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_save(
            plan=plan, data=action_data(people.team_member), acting_user=people.manager
        )
        action = services.action_save(
            plan=plan,
            data=action_data(people.team_member, title="Send more samples"),
            action=action,
            revision=action.revision,
            acting_user=people.manager,
        )
        services.action_save(
            plan=plan,
            data=action_data(people.coordinator),
            action=action,
            revision=action.revision,
            acting_user=people.manager,
        )
    assert [(name, kw["action"].owner) for name, kw in heard] == [
        ("action_assigned", people.team_member),
        ("action_assigned", people.coordinator),
    ]


def test_reassigning_from_the_editor_is_on_the_timeline(client_for, people, plan):
    # The editor's form puts the new owner on the instance before the service runs; the
    # service must still see that the owner changed.
    action = ActionFactory(plan=plan, owner=people.team_member, title="Send samples")
    client_for(people.manager).post(
        reverse("planning:item_edit", args=[plan.key_account_id, "action", action.pk]),
        {
            "title": "Send samples",
            "owner": people.coordinator.pk,
            "due_on": action.due_on.isoformat(),
            "revision": action.revision,
        },
    )
    assert plan.key_account.events.filter(
        kind=AccountEvent.Kind.ACTION, summary__contains="reassigned to Chloé Coordinator"
    ).exists()
