"""Plan health rewards substance, and a plan without the parts the method requires is neither
submitted nor approved. Each score is recomputed here by hand from the rules' text
(planning.rules.HEALTH_RULES) for plans of several shapes, and checked where people read it:
the plan page and the portfolio dashboard."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from planning import rules, services
from planning.models import AccountPlan

from ..factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    ObjectiveFactory,
    StakeholderFactory,
    TargetFactory,
    add_required_parts,
)
from .factories import MeasurementFactory

PART = 15  # "−15 for each missing part"
ALL_PARTS = [
    "a value proposition",
    "critical success factors",
    "an objective with a measurable target (KPI, baseline, target, due)",
    "an action with an owner and a due date",
    "an engagement activity (who of ours meets whom of theirs, how often)",
]


def _empty_plan(account, **fields):
    return AccountPlanFactory(key_account=account, period="FY2027", value_proposition="", **fields)


def _plan_page(client, account) -> str:
    return client.get(reverse("planning:plan", args=[account.pk])).content.decode()


def _dashboard_cell(client, account) -> str:
    """The health badge of the account's row on the portfolio dashboard."""
    page = client.get(reverse("portfolio:dashboard"))
    row = next(r for r in page.context["page"] if r.pk == account.pk)
    return f"{row.health_score} · {row.health_bucket_label}"


def _complete_plan(account, people, *, measured: bool):
    """Every part in place, approved today, its one high-influence stakeholder met in time."""
    today = timezone.localdate()
    plan = AccountPlanFactory(
        key_account=account,
        period="FY2027",
        status="approved",
        approved_at=timezone.now(),
        value_proposition_refreshed_on=today,
        critical_success_factors="Supply security.",
    )
    objective = ObjectiveFactory(plan=plan, owner=people.manager)
    target = TargetFactory(objective=objective)
    if measured:
        # Baseline 100 → 200 over 360 days, 89 days gone: 150 is half the way, on track.
        MeasurementFactory(target=target, actual="150")
    ActionFactory(plan=plan, owner=people.manager, due_on=today + timedelta(days=5))
    EngagementActivityFactory(
        plan=plan,
        our_person=people.manager,
        stakeholder=StakeholderFactory(key_account=account, influence="high"),
        next_due_on=today + timedelta(days=10),
    )
    return plan


def test_a_new_empty_plan_is_unhealthy_and_says_what_is_missing(client_for, people, account):
    _empty_plan(account)
    # 100 − 5 missing parts × 15 − never reviewed or approved 25 − no key stakeholder 10 < 0.
    expected = max(0, 100 - 5 * PART - 25 - 10)
    assert expected == 0
    page = _plan_page(client_for(people.manager), account)
    assert f"{expected} / 100 · Unhealthy" in page
    assert "Missing: " + "; ".join(ALL_PARTS) in page
    assert _dashboard_cell(client_for(people.director), account) == f"{expected} · Unhealthy"


def test_an_empty_plan_approved_before_the_rule_is_not_healthy(client_for, people, account):
    _empty_plan(account, status="approved", approved_at=timezone.now())
    expected = 100 - 5 * PART - 0 - 10  # approved today: nothing off for the review rule
    assert expected == 15
    assert f"{expected} / 100 · Unhealthy" in _plan_page(client_for(people.manager), account)
    assert _dashboard_cell(client_for(people.director), account) == f"{expected} · Unhealthy"


def test_one_unmeasured_target_does_not_make_a_plan_healthy(client_for, people, account):
    plan = _empty_plan(account, status="approved", approved_at=timezone.now())
    TargetFactory(objective=ObjectiveFactory(plan=plan))
    # Four parts missing, one target not measured yet (−5), no key stakeholder (−10).
    expected = 100 - 4 * PART - 5 - 10
    assert expected == 25
    page = _plan_page(client_for(people.manager), account)
    assert f"{expected} / 100 · Unhealthy" in page
    assert "0 off track, 0 at risk, 1 not measured yet" in page


def test_an_unmeasured_target_scores_below_a_measured_one_on_track(
    client_for, people, account, other_account
):
    _complete_plan(account, people, measured=True)
    assert "100 / 100 · Healthy" in _plan_page(client_for(people.manager), account)
    assert _dashboard_cell(client_for(people.director), account) == "100 · Healthy"
    _complete_plan(other_account, people, measured=False)
    expected = 100 - 5  # the same plan with its target not measured yet
    page = _plan_page(client_for(people.other_manager), other_account)
    assert f"{expected} / 100 · Healthy" in page
    assert "Every part is in place" in page


def test_the_dashboard_explains_the_content_rule(client_for, people, account):
    _empty_plan(account)
    page = client_for(people.director).get(reverse("portfolio:dashboard")).content.decode()
    assert "Plan content" in page
    assert "−15 for each missing part: a value proposition; critical success factors" in page


# ---- submission and approval ---------------------------------------------------------------


def test_an_empty_plan_cannot_be_submitted_and_the_page_lists_what_is_missing(
    client_for, people, account
):
    plan = _empty_plan(account)
    client = client_for(people.manager)
    page = _plan_page(client, account)
    assert "Before this plan can be submitted, add:" in page
    for label in ALL_PARTS:
        assert label[0].upper() + label[1:] in page
    assert 'href="?section=csf#csf"' in page  # each missing part links to where it is added

    response = client.post(reverse("planning:submit", args=[account.pk]), follow=True)
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.DRAFT
    text = response.content.decode()
    assert "This plan cannot be submitted yet. It still needs " + "; ".join(ALL_PARTS) in text


def test_a_plan_missing_one_part_names_only_that_part(people, account):
    plan = add_required_parts(_empty_plan(account), owner=people.manager)
    plan.engagement_activities.all().delete()
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=plan, acting_user=people.manager)
    assert refused.value.messages == [
        "This plan cannot be submitted yet. It still needs "
        "an engagement activity (who of ours meets whom of theirs, how often)."
    ]


def test_cancelled_actions_and_actions_without_owner_do_not_count(people, account):
    plan = add_required_parts(_empty_plan(account), owner=people.manager)
    plan.actions.update(status="cancelled")
    ActionFactory(plan=plan, owner=None)
    assert services.plan_missing_parts(plan=plan) == ["action_with_owner"]
    plan.objectives.first().targets.update(archived_at=timezone.now())
    assert services.plan_missing_parts(plan=plan) == ["objective_with_target", "action_with_owner"]


def test_a_complete_plan_is_submitted_and_approved(people, account):
    plan = add_required_parts(_empty_plan(account), owner=people.manager)
    services.plan_submit(plan=plan, acting_user=people.manager)
    version = services.plan_approve(plan=plan, acting_user=people.director)
    assert version.number == 1


def test_the_director_cannot_approve_an_empty_plan_submitted_earlier(client_for, people, account):
    plan = _empty_plan(account, status="submitted", submitted_at=timezone.now())
    client = client_for(people.director)
    page = _plan_page(client, account)
    assert "This plan cannot be approved yet. It still needs:" in page
    response = client.post(reverse("planning:approve", args=[account.pk]), follow=True)
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.SUBMITTED
    assert not plan.versions.exists()
    assert "This plan cannot be approved yet. It still needs a value proposition;" in (
        response.content.decode()
    )


def test_the_submission_rule_text_lists_every_part():
    assert rules.SUBMISSION_RULE == (
        "A plan can be submitted, and approved, once it has " + "; ".join(ALL_PARTS) + "."
    )
