"""Removing a plan item asks first (a page, no JavaScript) and a deletion can be undone right
after, with what the cascade took along (an objective's targets and their measurements)."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from planning.models import Action, EngagementActivity, Measurement, Objective, PlanRisk, Target

from ..factories import ActionFactory, EngagementActivityFactory, ObjectiveFactory, TargetFactory
from .factories import MeasurementFactory, PlanRiskFactory


def _remove_url(plan, kind, pk):
    return reverse("planning:item_remove", args=[plan.key_account_id, kind, pk])


def _plan_url(plan):
    return reverse("planning:plan", args=[plan.key_account_id])


@pytest.fixture
def objective(plan, people):
    objective = ObjectiveFactory(plan=plan, title="Win the frozen tender", owner=people.manager)
    for kpi in ("Volume", "Margin"):
        target = TargetFactory(objective=objective, kpi=kpi)
        MeasurementFactory(target=target, recorded_by=people.manager)
    ActionFactory(plan=plan, objective=objective, owner=people.manager, title="Linked action")
    return objective


def test_the_plan_page_links_to_a_confirmation_instead_of_removing(client_for, people, objective):
    client = client_for(people.manager)
    page = client.get(_plan_url(objective.plan)).content.decode()
    url = _remove_url(objective.plan, "objective", objective.pk)
    assert f'href="{url}"' in page
    confirm = client.get(url).content.decode()
    assert "Remove the objective “Win the frozen tender”?" in confirm
    # Counted from the planted rows: 2 targets, one measurement each; one linked action.
    assert "Its 2 targets and 2 measurements are removed with it." in confirm
    assert "1 action linked to it stay in the plan" in confirm
    assert 'name="confirm" value="yes"' in confirm
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_a_post_without_confirmation_only_asks(client_for, people, objective):
    response = client_for(people.manager).post(
        _remove_url(objective.plan, "objective", objective.pk)
    )
    assert response.status_code == 200
    assert "Remove objective" in response.content.decode()
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_undo_brings_back_the_objective_its_targets_and_measurements(client_for, people, objective):
    plan = objective.plan
    client = client_for(people.manager)
    response = client.post(
        _remove_url(plan, "objective", objective.pk), {"confirm": "yes"}, follow=True
    )
    assert not Objective.objects.filter(pk=objective.pk).exists()
    page = response.content.decode()
    undo_url = reverse("audit:undo_removal", args=[plan.key_account_id, "objective", objective.pk])
    assert f'action="{undo_url}"' in page and ">Undo</button>" in page
    # Offered once: the next view of the plan no longer shows it.
    assert undo_url not in client.get(_plan_url(plan)).content.decode()

    response = client.post(undo_url, follow=True)
    assert "Undone: Win the frozen tender is back." in response.content.decode()
    assert "With it: 2 × target, 2 × measurement." in response.content.decode()
    restored = Objective.objects.get(pk=objective.pk)
    assert restored.owner == people.manager
    assert set(Target.objects.filter(objective=restored).values_list("kpi", flat=True)) == {
        "Volume",
        "Margin",
    }
    assert Measurement.objects.filter(target__objective=restored).count() == 2
    assert "Win the frozen tender" in client.get(_plan_url(plan)).content.decode()


def test_only_the_remover_undoes_and_only_for_a_while(client_for, people, objective):
    plan = objective.plan
    client_for(people.manager).post(
        _remove_url(plan, "objective", objective.pk), {"confirm": "yes"}
    )
    undo_url = reverse("audit:undo_removal", args=[plan.key_account_id, "objective", objective.pk])
    refused = client_for(people.director).post(undo_url, follow=True).content.decode()
    assert "Only the person who removed an item can undo it" in refused
    assert not Objective.objects.filter(pk=objective.pk).exists()

    Objective.history.filter(id=objective.pk).update(
        history_date=F("history_date") - timedelta(minutes=31)
    )
    late = client_for(people.manager).post(undo_url, follow=True).content.decode()
    assert "It is too late to undo this removal" in late
    assert not Objective.objects.filter(pk=objective.pk).exists()


@pytest.mark.parametrize(
    ("kind", "make", "question", "model"),
    [
        (
            "engagement",
            lambda plan, people: EngagementActivityFactory(
                plan=plan, purpose="Steering call", our_person=people.manager
            ),
            "Remove the engagement activity “Steering call”",
            EngagementActivity,
        ),
        (
            "risk",
            lambda plan, people: PlanRiskFactory(plan=plan, description="Price war"),
            "Remove the risk “Price war”?",
            PlanRisk,
        ),
    ],
)
def test_siblings_that_are_deleted_ask_and_can_be_undone(
    client_for, people, plan, kind, make, question, model
):
    item = make(plan, people)
    client = client_for(people.manager)
    assert question in client.get(_remove_url(plan, kind, item.pk)).content.decode()
    client.post(_remove_url(plan, kind, item.pk), {"confirm": "yes"})
    assert not model.objects.filter(pk=item.pk).exists()
    client.post(reverse("audit:undo_removal", args=[plan.key_account_id, kind, item.pk]))
    assert model.objects.filter(pk=item.pk).exists()


def test_archiving_a_target_and_cancelling_an_action_ask_first(client_for, people, plan):
    target = TargetFactory(objective=ObjectiveFactory(plan=plan), kpi="Share of wallet")
    action = ActionFactory(plan=plan, owner=people.manager, title="Send samples")
    client = client_for(people.manager)
    assert "Archive the target “Share of wallet”?" in (
        client.get(_remove_url(plan, "target", target.pk)).content.decode()
    )
    confirm = client.get(_remove_url(plan, "action", action.pk)).content.decode()
    assert "Cancel the action “Send samples”?" in confirm and 'name="reason"' in confirm
    client.post(_remove_url(plan, "action", action.pk), {"confirm": "yes", "reason": "Dropped"})
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED
    assert plan.key_account.events.filter(reason="Dropped").exists()
