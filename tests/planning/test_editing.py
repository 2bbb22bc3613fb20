from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from planning.models import AccountPlan, Action, Objective, Target

from ..factories import (
    AccountPlanFactory,
    ActionFactory,
    ObjectiveFactory,
    TargetFactory,
    UserFactory,
)


def section_url(plan, section):
    return reverse("planning:section_save", args=[plan.key_account_id, section])


def add_url(plan, kind, parent=None):
    if parent is not None:
        return reverse("planning:item_add_to", args=[plan.key_account_id, kind, parent])
    return reverse("planning:item_add", args=[plan.key_account_id, kind])


def edit_url(plan, kind, pk):
    return reverse("planning:item_edit", args=[plan.key_account_id, kind, pk])


def action_data(people, **overrides):
    data = {
        "title": "Book the tasting session",
        "owner": people.team_member.pk,
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    data.update(overrides)
    return data


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# ---- starting a plan ----------------------------------------------------------------------


def test_manager_sees_a_start_form_and_starts_the_plan(client_for, people, account):
    client = client_for(people.manager)
    page = client.get(reverse("planning:plan", args=[account.pk])).content.decode()
    assert "Start the plan" in page
    response = client.post(reverse("planning:plan_start", args=[account.pk]), {"period": "FY2028"})
    assert response.status_code == 302
    plan = AccountPlan.objects.get(key_account=account, is_current=True)
    assert plan.period == "FY2028"
    assert account.events.filter(kind=AccountEvent.Kind.PLAN, summary="Plan FY2028 started")


@pytest.mark.parametrize("who", ["coordinator", "team_member", "executive"])
def test_readers_see_that_there_is_no_plan_and_cannot_start_one(client_for, people, account, who):
    client = client_for(getattr(people, who))
    page = client.get(reverse("planning:plan", args=[account.pk])).content.decode()
    assert "There is no current plan" in page
    assert "Start the plan" not in page
    response = client.post(reverse("planning:plan_start", args=[account.pk]), {"period": "FY28"})
    assert response.status_code == 403
    assert not AccountPlan.objects.exists()


def test_bad_period_is_refused_and_kept(client_for, people, account):
    response = client_for(people.manager).post(
        reverse("planning:plan_start", args=[account.pk]), {"period": "<FY>"}
    )
    page = response.content.decode()
    assert "Use 2–20 letters" in page
    assert "&lt;FY&gt;" in page
    assert not AccountPlan.objects.exists()


# ---- sections and conflicts ---------------------------------------------------------------


def test_section_edit_in_place_saves_and_sets_refresh_date(client_for, people, plan):
    client = client_for(people.manager)
    form_page = client.get(
        reverse("planning:plan", args=[plan.key_account_id]) + "?section=value_proposition"
    )
    assert 'name="value_proposition"' in form_page.content.decode()
    response = client.post(
        section_url(plan, "value_proposition"),
        {"value_proposition": "Fresher, cheaper cold chain.", "revision": 0},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.value_proposition == "Fresher, cheaper cold chain."
    assert plan.value_proposition_refreshed_on == timezone.localdate()
    assert plan.section_revisions == {"value_proposition": 1}


def test_two_people_saving_the_same_section_get_a_conflict_not_an_overwrite(people, plan):
    manager, director = logged_in(people.manager), logged_in(people.director)
    # Both opened the SWOT form at revision 0.
    manager.post(
        section_url(plan, "swot"),
        {
            "strengths": "Manager's strengths",
            "weaknesses": "",
            "opportunities_swot": "",
            "threats": "",
            "revision": 0,
        },
    )
    response = director.post(
        section_url(plan, "swot"),
        {
            "strengths": "Director's strengths",
            "weaknesses": "",
            "opportunities_swot": "",
            "threats": "",
            "revision": 0,
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Edit conflict" in page
    assert "Manager&#x27;s strengths" in page  # their saved version is shown
    assert "Director&#x27;s strengths" in page  # and the typed text is kept in the form
    assert 'name="revision" value="1"' in page
    plan.refresh_from_db()
    assert plan.strengths == "Manager's strengths"
    # Saving again after seeing both versions is a deliberate choice and goes through.
    director.post(
        section_url(plan, "swot"),
        {
            "strengths": "Merged strengths",
            "weaknesses": "",
            "opportunities_swot": "",
            "threats": "",
            "revision": 1,
        },
    )
    plan.refresh_from_db()
    assert plan.strengths == "Merged strengths"


def test_different_sections_do_not_conflict(people, plan):
    logged_in(people.manager).post(
        section_url(plan, "csf"), {"critical_success_factors": "Sponsor", "revision": 0}
    )
    response = logged_in(people.director).post(
        section_url(plan, "value_proposition"), {"value_proposition": "Value", "revision": 0}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.critical_success_factors, plan.value_proposition) == ("Sponsor", "Value")


def test_two_people_editing_one_action_conflict(people, plan):
    action = ActionFactory(plan=plan, title="Original", owner=people.manager)
    logged_in(people.manager).post(
        edit_url(plan, "action", action.pk),
        action_data(people, title="Manager's title", revision=0),
    )
    response = logged_in(people.director).post(
        edit_url(plan, "action", action.pk),
        action_data(people, title="Director's title", revision=0),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Manager&#x27;s title" in page and "Director&#x27;s title" in page
    action.refresh_from_db()
    assert action.title == "Manager's title"


def test_editing_an_action_keeps_progress_recorded_elsewhere(people, plan):
    action = ActionFactory(plan=plan, owner=people.manager)
    Action.objects.filter(pk=action.pk).update(progress_percent=60, status="in_progress")
    logged_in(people.manager).post(
        edit_url(plan, "action", action.pk), action_data(people, title="Renamed", revision=0)
    )
    action.refresh_from_db()
    assert (action.title, action.progress_percent, action.status) == ("Renamed", 60, "in_progress")


# ---- items and bad input ------------------------------------------------------------------


def test_objective_target_and_measurement_are_added_in_place(client_for, people, plan):
    client = client_for(people.manager)
    client.post(add_url(plan, "objective"), {"title": "Grow share", "owner": people.manager.pk})
    objective = Objective.objects.get(plan=plan)
    today = timezone.localdate()
    client.post(
        add_url(plan, "target", objective.pk),
        {
            "kpi": "Share of wallet",
            "unit": "%",
            "baseline": "20",
            "baseline_on": (today - timedelta(days=30)).isoformat(),
            "target_value": "30",
            "due_on": (today + timedelta(days=300)).isoformat(),
        },
    )
    target = Target.objects.get(objective=objective)
    client.post(
        add_url(plan, "measurement", target.pk), {"measured_on": today.isoformat(), "actual": "21"}
    )
    page = client.get(reverse("planning:plan", args=[plan.key_account_id])).content.decode()
    assert "Grow share" in page and "Share of wallet" in page and "21.00" in page


def test_target_due_before_baseline_is_refused_and_input_kept(client_for, people, plan):
    objective = ObjectiveFactory(plan=plan)
    response = client_for(people.manager).post(
        add_url(plan, "target", objective.pk),
        {
            "kpi": "Typed KPI",
            "unit": "%",
            "baseline": "1",
            "baseline_on": "2027-05-01",
            "target_value": "2",
            "due_on": "2027-04-01",
        },
    )
    page = response.content.decode()
    assert "The due date must be on or after the baseline date." in page
    assert 'value="Typed KPI"' in page
    assert not Target.objects.exists()


def test_measurement_on_an_archived_target_is_refused(client_for, people, plan):
    target = TargetFactory(objective=ObjectiveFactory(plan=plan), kpi="Old KPI")
    client = client_for(people.manager)
    client.post(
        reverse("planning:item_remove", args=[plan.key_account_id, "target", target.pk]),
        {"confirm": "yes"},
    )
    target.refresh_from_db()
    assert target.archived_at is not None
    response = client.post(
        add_url(plan, "measurement", target.pk),
        {"measured_on": timezone.localdate().isoformat(), "actual": "123", "comment": "typed"},
    )
    page = response.content.decode()
    assert "is archived; measurements can only be added to active targets" in page
    assert 'value="typed"' in page
    assert not target.measurements.exists()


def test_action_owner_outside_the_team_is_refused(client_for, people, plan, other_account):
    stranger = UserFactory(username="stranger")
    response = client_for(people.manager).post(
        add_url(plan, "action"), action_data(people, owner=stranger.pk, title="Typed action")
    )
    page = response.content.decode()
    assert "Pick someone on the account team" in page
    assert 'value="Typed action"' in page
    assert not Action.objects.exists()


def test_action_owner_outside_the_team_is_refused_by_the_service(people, plan):
    from planning import services

    with pytest.raises(ValidationError, match="not on the Northwind Foods account team"):
        services.action_save(
            plan=plan,
            data={"title": "x", "owner": people.outsider, "due_on": timezone.localdate()},
            acting_user=people.manager,
        )


def test_action_created_assigned_and_cancelled(client_for, people, plan):
    client = client_for(people.manager)
    client.post(add_url(plan, "action"), action_data(people))
    action = Action.objects.get(plan=plan)
    assert action.owner == people.team_member
    assert plan.key_account.events.filter(kind="action", summary__contains="added to Sven Team")
    client.post(
        reverse("planning:item_remove", args=[plan.key_account_id, "action", action.pk]),
        {"confirm": "yes"},
    )
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED


@pytest.mark.parametrize(
    ("who", "code"),
    [("coordinator", 403), ("team_member", 403), ("executive", 403), ("outsider", 404)],
)
def test_non_editors_cannot_change_plan_content(client_for, people, plan, who, code):
    action = ActionFactory(plan=plan, owner=people.manager, title="Untouched")
    client = client_for(getattr(people, who))
    assert (
        client.post(
            section_url(plan, "csf"), {"critical_success_factors": "x", "revision": 0}
        ).status_code
        == code
    )
    assert client.post(add_url(plan, "action"), action_data(people)).status_code == code
    assert (
        client.post(
            edit_url(plan, "action", action.pk), action_data(people, revision=0)
        ).status_code
        == code
    )
    assert (
        client.post(
            reverse("planning:item_remove", args=[plan.key_account_id, "action", action.pk])
        ).status_code
        == code
    )
    action.refresh_from_db()
    assert (action.title, action.status) == ("Untouched", "open")
    assert Action.objects.count() == 1


def test_anonymous_edit_goes_to_login(client_for, plan):
    response = client_for(None).post(section_url(plan, "csf"), {"critical_success_factors": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_guessed_ids_of_another_accounts_items_are_404(client_for, people, plan, other_account):
    foreign_plan = AccountPlanFactory(key_account=other_account)
    foreign_action = ActionFactory(plan=foreign_plan, owner=people.other_manager)
    foreign_objective = ObjectiveFactory(plan=foreign_plan)
    client = client_for(people.manager)
    assert (
        client.post(
            edit_url(plan, "action", foreign_action.pk), action_data(people, revision=0)
        ).status_code
        == 404
    )
    assert client.post(add_url(plan, "target", foreign_objective.pk), {}).status_code == 404
    assert (
        client.post(
            reverse("planning:item_remove", args=[plan.key_account_id, "action", foreign_action.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("planning:plan", args=[plan.key_account_id])
            + f"?edit=action-{foreign_action.pk}"
        ).status_code
        == 404
    )
    foreign_action.refresh_from_db()
    assert foreign_action.status == "open"


def test_archived_plan_cannot_be_edited(people, plan):
    from planning import services

    services.plan_archive_current(account=plan.key_account, acting_user=people.director)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        services.plan_section_update(
            plan=plan,
            section="csf",
            data={"critical_success_factors": "x"},
            revision=0,
            acting_user=people.manager,
        )
