"""Capabilities that used to be decided in several places, now asked of accounts.permissions:
approving one's own plan, and who opens an account's team (and sees its Team tab)."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts import permissions
from accounts.models import Role
from planning import services
from planning.models import AccountPlan
from tests.factories import (
    AccountPlanFactory,
    KeyAccountFactory,
    MembershipFactory,
    UserFactory,
    add_required_parts,
)

PERSONAS = [
    "director",
    "manager",
    "other_manager",
    "other_director",
    "coordinator",
    "team_member",
    "executive",
    "programme_admin",
    "outsider",
]


def _submitted_plan(account, user):
    plan = AccountPlanFactory(key_account=account, period="FY2027", updated_by=user)
    add_required_parts(plan, owner=user)
    services.plan_submit(plan=plan, acting_user=user)
    plan.refresh_from_db()
    return plan


# ---- a manager may not approve their own plan ----------------------------------------------


@pytest.fixture
def directs_elsewhere(people, account):
    """The account's manager also directs another account."""
    elsewhere = KeyAccountFactory(customer__name="Helios Retail")
    MembershipFactory(user=people.manager, key_account=elsewhere, role=Role.DIRECTOR)
    return elsewhere


def test_only_the_director_may_approve_the_plan(people, account):
    allowed = {p for p in PERSONAS if permissions.can_approve_plan(getattr(people, p), account)}
    assert allowed == {"director"}


def test_a_manager_who_directs_another_account_approves_there_but_not_their_own(
    people, account, directs_elsewhere
):
    manager = people.manager
    assert permissions.is_director(manager)
    assert not permissions.can_approve_plan(manager, account)
    assert permissions.can_approve_plan(manager, directs_elsewhere)
    assert permissions.plan_flags(manager, account) == {
        "can_approve_plan": False,
        "can_return_plan": False,
        "own_plan": True,
    }
    assert permissions.plan_flags(manager, directs_elsewhere)["can_approve_plan"]


def test_that_manager_is_refused_on_their_own_plan_and_approves_the_other(
    client_for, people, account, directs_elsewhere
):
    own = _submitted_plan(account, people.manager)
    other = _submitted_plan(directs_elsewhere, people.manager)
    client = client_for(people.manager)

    refused = client.post(reverse("planning:approve", args=[account.pk]))
    assert refused.status_code == 403
    assert "cannot approve its plan yourself" in refused.content.decode()
    own.refresh_from_db()
    assert own.status == AccountPlan.Status.SUBMITTED

    assert client.post(reverse("planning:approve", args=[directs_elsewhere.pk])).status_code == 302
    other.refresh_from_db()
    assert other.status == AccountPlan.Status.APPROVED


def test_the_plan_page_offers_approval_exactly_to_those_allowed(
    client_for, people, account, directs_elsewhere
):
    _submitted_plan(account, people.manager)
    _submitted_plan(directs_elsewhere, people.manager)
    button = "Approve and freeze a version"

    own_page = client_for(people.manager).get(reverse("planning:plan", args=[account.pk]))
    assert button not in own_page.content.decode()
    assert "Waiting for the account" in own_page.content.decode()

    other_page = client_for(people.manager).get(
        reverse("planning:plan", args=[directs_elsewhere.pk])
    )
    assert button in other_page.content.decode()

    director_page = client_for(people.director).get(reverse("planning:plan", args=[account.pk]))
    assert button in director_page.content.decode()


def test_a_superuser_who_manages_the_account_does_not_approve_its_plan(client_for, account):
    boss = UserFactory(username="root", is_superuser=True)
    MembershipFactory(user=boss, key_account=account, role=Role.MANAGER)
    plan = _submitted_plan(account, boss)

    assert not permissions.can_approve_plan(boss, account)
    page = client_for(boss).get(reverse("planning:plan", args=[account.pk])).content.decode()
    assert "Approve and freeze a version" not in page
    assert client_for(boss).post(reverse("planning:approve", args=[account.pk])).status_code == 403
    with pytest.raises(ValidationError, match="cannot approve their own plan"):
        services.plan_approve(plan=plan, acting_user=boss)


# ---- the Team tab and the team page --------------------------------------------------------


def _tab_labels(user, account) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    html = Template("{% load kam_tags %}{% account_tabs account %}").render(
        Context({"request": request, "account": account})
    )
    return [label for label in ("Overview", "Plan", "Team", "History") if f">{label}<" in html]


def test_who_opens_the_team(people, account):
    allowed = {p for p in PERSONAS if permissions.can_view_team(getattr(people, p), account)}
    assert allowed == {
        "director",
        "manager",
        "coordinator",
        "team_member",
        "executive",
        "programme_admin",
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_team_tab_and_the_team_page_follow_the_one_capability(
    client_for, people, account, persona
):
    user = getattr(people, persona)
    may = permissions.can_view_team(user, account)
    assert ("Team" in _tab_labels(user, account)) is may
    response = client_for(user).get(reverse("organisation:team", args=[account.pk]))
    assert response.status_code == (200 if may else 404)


def test_a_programme_admin_off_the_team_sees_the_team_tab_but_not_the_plan_tab(people, account):
    assert _tab_labels(people.programme_admin, account) == ["Team", "History"]


@pytest.mark.parametrize(
    ("persona", "code"),
    [("director", 200), ("programme_admin", 200), ("manager", 403), ("outsider", 404)],
)
def test_changing_the_team_is_for_the_director_and_programme_admins(
    client_for, people, account, persona, code
):
    user = getattr(people, persona)
    assert permissions.can_edit_team(user, account) is (code == 200)
    response = client_for(user).post(
        reverse("organisation:sponsor_set", args=[account.pk]), {"user": ""}
    )
    if code == 200:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == code


def test_roles_held_and_account_ids_with_role_read_the_memberships(
    people, account, directs_elsewhere
):
    assert permissions.roles_held(people.manager) == {Role.MANAGER, Role.DIRECTOR}
    assert permissions.account_ids_with_role(people.manager, Role.DIRECTOR) == {
        directs_elsewhere.pk
    }
    assert permissions.roles_held(people.outsider) == frozenset()
