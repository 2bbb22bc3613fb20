"""Allocation advice: the fit rules, the page per role, reassignment and its record."""

import pytest
from django.urls import reverse

from accounts.models import AccountEvent, Classification, Membership, Role
from organisation.models import AllocationDecision
from organisation.services import manager_fit_problems, overload_problems
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    KeyAccountFactory,
    MembershipFactory,
    UserFactory,
)

from .factories import SkillsAssessmentFactory

ALLOCATION = "/allocation/"


def assessment(customer=8, sale=8, **skills):
    scores = {code.replace("_", "-"): value for code, value in skills.items()}
    return SkillsAssessmentFactory(
        concern_for_customer=customer, concern_for_sale=sale, skills=scores
    )


# ---- the rules ----------------------------------------------------------------------------


def test_strategic_account_wants_a_problem_solver_with_strategic_and_financial_scores(db):
    fits = assessment(8, 8, strategic_thinking=4, financial_awareness=4)
    assert manager_fit_problems(classification=Classification.STRATEGIC, assessment=fits) == []
    weak = assessment(8, 8, strategic_thinking=3, financial_awareness=4)
    assert manager_fit_problems(classification=Classification.STRATEGIC, assessment=weak) == [
        "Strategic thinking 3 (needs 4+)"
    ]
    poor_finance = assessment(8, 8, strategic_thinking=5, financial_awareness=3)
    assert manager_fit_problems(
        classification=Classification.STRATEGIC, assessment=poor_finance
    ) == ["Financial awareness 3 (needs 4+)"]
    friend = assessment(9, 2, strategic_thinking=5, financial_awareness=5)
    assert manager_fit_problems(classification=Classification.STRATEGIC, assessment=friend) == [
        "Strategic account needs a problem solver, not a customer friend"
    ]


def test_status_account_takes_steady_profiles_but_not_pressure_sellers_or_order_takers(db):
    for customer, sale in ((9, 2), (5, 5), (8, 8)):
        steady = assessment(customer, sale, strategic_thinking=2, financial_awareness=2)
        assert manager_fit_problems(classification=Classification.STATUS, assessment=steady) == []
    pusher = assessment(2, 9)
    assert manager_fit_problems(classification=Classification.STATUS, assessment=pusher) == [
        "Status account needs a steady profile, not a pressure seller"
    ]
    taker = assessment(2, 2)
    assert manager_fit_problems(classification=Classification.STATUS, assessment=taker)


def test_star_account_wants_problem_solver_or_compromiser_with_some_strategy(db):
    compromiser = assessment(5, 5, strategic_thinking=3)
    assert manager_fit_problems(classification=Classification.STAR, assessment=compromiser) == []
    low = assessment(5, 5, strategic_thinking=2)
    assert manager_fit_problems(classification=Classification.STAR, assessment=low) == [
        "Strategic thinking 2 (needs 3+)"
    ]


def test_streamline_account_takes_any_style_and_unassessed_managers_are_flagged(db):
    assert (
        manager_fit_problems(classification=Classification.STREAMLINE, assessment=assessment(1, 1))
        == []
    )
    assert manager_fit_problems(classification=Classification.STREAMLINE, assessment=None) == [
        "Not assessed yet"
    ]


def test_overload_is_more_than_three_accounts_or_fifteen_open_actions():
    assert overload_problems(account_count=3, open_actions=15) == []
    assert overload_problems(account_count=4, open_actions=15) == ["Manages 4 accounts (over 3)"]
    assert overload_problems(account_count=1, open_actions=16) == ["16 open actions (over 15)"]


# ---- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["director", "programme_admin"])
def test_directors_and_programme_admins_open_the_allocation_page(
    client_for, people, account, persona
):
    response = client_for(getattr(people, persona)).get(ALLOCATION)
    assert response.status_code == 200
    assert "Northwind Foods" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["manager", "coordinator", "team_member", "executive", "outsider"]
)
def test_everyone_else_gets_403_on_the_allocation_page(client_for, people, account, persona):
    assert client_for(getattr(people, persona)).get(ALLOCATION).status_code == 403


def test_anonymous_allocation_is_sent_to_login(client):
    response = client.get(ALLOCATION)
    assert response.status_code == 302 and "/login/" in response.url


def test_director_sees_only_their_own_accounts(client_for, people, account, other_account):
    html = client_for(people.director).get(ALLOCATION).content.decode()
    assert "Northwind Foods" in html and "Helios Retail" not in html


def test_page_flags_a_mismatch_and_an_overloaded_manager_and_suggests_a_fit(
    client_for, people, account
):
    SkillsAssessmentFactory(
        manager=people.manager,
        assessed_by=people.director,
        concern_for_customer=9,
        concern_for_sale=2,
    )
    # A strong problem solver manages a status account of the same director.
    solver = UserFactory(first_name="Sol", last_name="Solver")
    status_account = KeyAccountFactory(
        customer__name="Quiet Dairy", classification=Classification.STATUS
    )
    MembershipFactory(user=people.director, key_account=status_account, role=Role.DIRECTOR)
    MembershipFactory(user=solver, key_account=status_account, role=Role.MANAGER)
    SkillsAssessmentFactory(manager=solver, assessed_by=people.director, skills=5)
    # An overloaded manager: 16 open actions on a current plan.
    plan = AccountPlanFactory(key_account=status_account)
    busy = UserFactory(first_name="Bo", last_name="Busy")
    MembershipFactory(user=busy, key_account=KeyAccountFactory(), role=Role.MANAGER)
    ActionFactory.create_batch(16, plan=plan, owner=busy)
    third = KeyAccountFactory(
        customer__name="Busy Bakery", classification=Classification.STREAMLINE
    )
    MembershipFactory(user=people.director, key_account=third, role=Role.DIRECTOR)
    MembershipFactory(user=busy, key_account=third, role=Role.MANAGER)

    html = client_for(people.director).get(ALLOCATION).content.decode()
    assert "Strategic account needs a problem solver, not a customer friend" in html
    assert "Would fit: Sol Solver" in html
    assert "16 open actions (over 15)" in html
    assert "Good fit" in html  # the solver on the status account


def test_allocation_page_queries_do_not_grow_with_accounts(
    client_for, people, django_assert_max_num_queries
):
    client = client_for(people.director)

    def grow(n):
        for _ in range(n):
            acc = KeyAccountFactory()
            MembershipFactory(user=people.director, key_account=acc, role=Role.DIRECTOR)
            manager = MembershipFactory(key_account=acc, role=Role.MANAGER).user
            SkillsAssessmentFactory(manager=manager, assessed_by=people.director)
            ActionFactory(plan=AccountPlanFactory(key_account=acc), owner=manager)

    grow(3)
    with django_assert_max_num_queries(16):
        assert client.get(ALLOCATION).status_code == 200
    grow(30)
    with django_assert_max_num_queries(16):
        response = client.get(ALLOCATION)
    assert len(response.context["rows"]) == 25


# ---- reassigning --------------------------------------------------------------------------


def reassign_url(account):
    return reverse("organisation:reassign", args=[account.pk])


def test_director_reassigns_the_manager_and_the_reason_is_recorded(client_for, people, account):
    outgoing = account.memberships.get(role=Role.MANAGER)
    Membership.objects.filter(pk=outgoing.pk).update(time_share_percent=30)
    newcomer = UserFactory(first_name="Nora", last_name="New")
    MembershipFactory(user=newcomer, role=Role.MANAGER, time_share_percent=40)
    client = client_for(people.director)
    assert client.get(reassign_url(account)).status_code == 200
    response = client.post(
        reassign_url(account),
        {"outgoing": outgoing.pk, "new_manager": newcomer.pk, "reason": "Needs a problem solver."},
    )
    assert response.status_code == 302
    membership = account.memberships.get(role=Role.MANAGER)
    assert (membership.user, membership.time_share_percent) == (newcomer, 30)
    assert not account.memberships.filter(user=people.manager).exists()
    decision = AllocationDecision.objects.get(key_account=account)
    assert (decision.previous_manager, decision.new_manager, decision.decided_by) == (
        people.manager,
        newcomer,
        people.director,
    )
    event = account.events.get(kind=AccountEvent.Kind.TEAM_CHANGED)
    assert event.reason == "Needs a problem solver."
    assert "Max Manager to Nora New" in event.summary
    html = client.get(ALLOCATION).content.decode()
    assert "Needs a problem solver." in html


def test_reassigning_needs_a_reason_and_respects_the_time_share_limit(client_for, people, account):
    outgoing = account.memberships.get(role=Role.MANAGER)
    Membership.objects.filter(pk=outgoing.pk).update(time_share_percent=30)
    full = UserFactory(first_name="Fay", last_name="Full")
    MembershipFactory(user=full, role=Role.MANAGER, time_share_percent=80)
    client = client_for(people.director)
    response = client.post(
        reassign_url(account), {"outgoing": outgoing.pk, "new_manager": full.pk, "reason": ""}
    )
    assert "This field is required." in response.content.decode()
    response = client.post(
        reassign_url(account),
        {"outgoing": outgoing.pk, "new_manager": full.pk, "reason": "Strong negotiator."},
    )
    html = response.content.decode()
    assert "would make 110 %" in html and "Strong negotiator." in html
    assert account.memberships.get(role=Role.MANAGER).user == people.manager
    assert not AllocationDecision.objects.exists()


def test_a_team_member_can_be_promoted_to_manager(client_for, people, account):
    outgoing = account.memberships.get(role=Role.MANAGER)
    client_for(people.director).post(
        reassign_url(account),
        {"outgoing": outgoing.pk, "new_manager": people.team_member.pk, "reason": "Knows them."},
    )
    assert account.memberships.get(user=people.team_member).role == Role.MANAGER
    assert account.memberships.filter(role=Role.MANAGER).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 403), ("executive", 403), ("outsider", 404), ("other_director", 404)],
)
def test_reassign_is_refused_to_all_but_the_accounts_director(
    client_for, people, account, other_account, persona, status
):
    outgoing = account.memberships.get(role=Role.MANAGER)
    response = client_for(getattr(people, persona)).post(
        reassign_url(account),
        {"outgoing": outgoing.pk, "new_manager": people.other_manager.pk, "reason": "Because."},
    )
    assert response.status_code == status
    assert account.memberships.get(role=Role.MANAGER).user == people.manager


def test_anonymous_reassign_is_sent_to_login(client, account):
    response = client.post(reassign_url(account), {})
    assert response.status_code == 302 and "/login/" in response.url
