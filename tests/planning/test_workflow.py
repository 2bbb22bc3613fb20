import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AccountEvent
from planning import services
from planning.models import AccountPlan, FrozenVersionError, PlanVersion

from ..factories import add_required_parts


def url(name, plan):
    return reverse(f"planning:{name}", args=[plan.key_account_id])


def submit(plan):
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)


@pytest.mark.parametrize("who", ["manager", "director"])
def test_manager_or_director_submits_a_draft(client_for, people, plan, who):
    add_required_parts(plan, owner=people.manager)
    response = client_for(getattr(people, who)).post(url("submit", plan))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED
    assert plan.key_account.events.filter(
        kind=AccountEvent.Kind.PLAN, summary__contains="submitted"
    ).exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [("coordinator", 403), ("team_member", 403), ("executive", 403), ("outsider", 404)],
)
def test_only_editors_submit(client_for, people, plan, who, code):
    assert client_for(getattr(people, who)).post(url("submit", plan)).status_code == code
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.DRAFT


def test_anonymous_submit_goes_to_login(client_for, plan):
    response = client_for(None).post(url("submit", plan))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_director_approves_and_freezes_version_1(client_for, people, full_plan):
    submit(full_plan)
    response = client_for(people.director).post(url("approve", full_plan), {"comment": "Good"})
    assert response.status_code == 302
    full_plan.refresh_from_db()
    assert full_plan.status == AccountPlan.Status.APPROVED
    assert full_plan.approved_by == people.director
    version = full_plan.versions.get()
    assert version.number == 1
    snap = version.snapshot
    assert snap["account"]["name"] == "Northwind Foods"
    assert snap["version"]["number"] == 1
    assert [o["title"] for o in snap["objectives"]] == ["Objective number 0", "Objective number 1"]
    assert snap["objectives"][0]["targets"][0]["latest"]["actual"] == "150.00"
    assert len(snap["actions"]) == 6
    assert len(snap["engagement"]) == 3
    assert snap["risks"][0]["description"] == "Competitor undercuts our price"
    assert len(snap["opportunities"]) == 2
    assert len(snap["stakeholders"]) == 4
    assert full_plan.key_account.events.filter(summary__contains="approved as version 1").exists()


def test_manager_approving_own_plan_gets_403_with_a_message(client_for, people, plan):
    submit(plan)
    response = client_for(people.manager).post(url("approve", plan))
    assert response.status_code == 403
    assert "cannot approve its plan yourself" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED
    assert not plan.versions.exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [("coordinator", 403), ("team_member", 403), ("executive", 403), ("outsider", 404)],
)
def test_others_cannot_approve_or_return(client_for, people, plan, who, code):
    submit(plan)
    client = client_for(getattr(people, who))
    assert client.post(url("approve", plan)).status_code == code
    assert client.post(url("return", plan), {"comment": "no"}).status_code == code
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED


def test_the_service_also_refuses_a_manager_approving(people, plan):
    submit(plan)
    with pytest.raises(ValidationError, match="cannot approve their own plan"):
        services.plan_approve(plan=plan, acting_user=people.manager)


def test_director_returns_with_comments_and_manager_resubmits(client_for, people, plan):
    add_required_parts(plan, owner=people.manager)
    submit(plan)
    client = client_for(people.director)
    empty = client.post(url("return", plan), {"comment": ""})
    assert empty.status_code == 200
    assert "This field is required" in empty.content.decode()
    client.post(url("return", plan), {"comment": "Add a cost target."})
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.RETURNED
    page = client_for(people.manager).get(url("plan", plan)).content.decode()
    assert "Add a cost target." in page
    client_for(people.manager).post(url("submit", plan))
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED


def test_a_draft_cannot_be_approved(client_for, people, plan):
    response = client_for(people.director).post(url("approve", plan), follow=True)
    assert "cannot be approved" in response.content.decode()
    assert not plan.versions.exists()


def test_editing_an_approved_plan_moves_it_to_draft_and_keeps_the_version(
    client_for, people, full_plan
):
    submit(full_plan)
    services.plan_approve(plan=full_plan, acting_user=people.director)
    frozen = PlanVersion.objects.get(plan=full_plan).snapshot
    response = client_for(people.manager).post(
        reverse("planning:section_save", args=[full_plan.key_account_id, "value_proposition"]),
        {"value_proposition": "A sharper promise.", "revision": 0},
    )
    assert response.status_code == 302
    full_plan.refresh_from_db()
    assert full_plan.status == AccountPlan.Status.DRAFT
    version = PlanVersion.objects.get(plan=full_plan)
    assert version.snapshot == frozen
    assert version.snapshot["plan"]["value_proposition"] == "We take cost out of your cold chain."
    assert full_plan.key_account.events.filter(summary__contains="edited after approval").exists()


def test_a_frozen_version_refuses_to_change(people, full_plan):
    submit(full_plan)
    version = services.plan_approve(plan=full_plan, acting_user=people.director)
    version.snapshot["plan"]["value_proposition"] = "Rewritten history"
    with pytest.raises(FrozenVersionError, match="frozen"):
        version.save()
    with pytest.raises(FrozenVersionError):
        version.delete()
    assert "Rewritten" not in str(PlanVersion.objects.get(pk=version.pk).snapshot)


def test_second_approval_makes_version_2(people, full_plan):
    submit(full_plan)
    services.plan_approve(plan=full_plan, acting_user=people.director)
    services.plan_section_update(
        plan=full_plan,
        section="csf",
        data={"critical_success_factors": "Board sponsor"},
        revision=0,
        acting_user=people.manager,
    )
    services.plan_submit(plan=full_plan, acting_user=people.manager)
    version = services.plan_approve(plan=full_plan, acting_user=people.director)
    assert version.number == 2
    assert list(full_plan.versions.values_list("number", flat=True)) == [2, 1]
