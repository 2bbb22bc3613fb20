"""The permission table as each role meets it on account pages."""

import pytest
from django.urls import reverse

from accounts import permissions
from tests.factories import KeyAccountFactory, MembershipFactory

ROLES_WITH_VIEW = ["director", "manager", "coordinator", "team_member", "executive"]


@pytest.mark.parametrize("persona", ROLES_WITH_VIEW)
def test_roles_on_the_account_and_executives_can_open_it(client_for, people, account, persona):
    response = client_for(getattr(people, persona)).get(account.get_absolute_url())
    assert response.status_code == 200
    assert "Northwind Foods" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "other_manager", "programme_admin"])
def test_users_without_a_role_get_404_even_on_guessed_urls(client_for, people, account, persona):
    client = client_for(getattr(people, persona))
    assert client.get(account.get_absolute_url()).status_code == 404
    assert client.get(reverse("accounts:account_detail", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, account):
    response = client.get(account.get_absolute_url())
    assert response.status_code == 302 and "/login/" in response.url


def test_account_list_shows_only_visible_accounts(client_for, people, account, other_account):
    html = client_for(people.manager).get(reverse("accounts:account_list")).content.decode()
    assert "Northwind Foods" in html
    assert "Helios Retail" not in html
    html = client_for(people.executive).get(reverse("accounts:account_list")).content.decode()
    assert "Northwind Foods" in html and "Helios Retail" in html


def test_account_list_paginates_and_keeps_queries_bounded(
    client_for, people, django_assert_max_num_queries
):
    for _ in range(30):
        MembershipFactory(user=people.manager, key_account=KeyAccountFactory(), role="manager")
    client = client_for(people.manager)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:account_list"))
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()


# The design's table, checked capability by capability.
TABLE = {
    "director": {"view", "edit", "approve", "schedule", "progress"},
    "manager": {"view", "edit", "schedule", "progress"},
    "coordinator": {"view", "schedule", "progress"},
    "team_member": {"view", "progress_own"},
    "executive": {"view"},
    "outsider": set(),
    "programme_admin": set(),
}


@pytest.mark.parametrize("persona", TABLE)
def test_capabilities_match_the_design_table(people, account, persona):
    user = getattr(people, persona)
    for capability in ("view", "edit", "approve", "schedule", "progress"):
        expected = capability in TABLE[persona]
        assert permissions.can(user, capability, account) is expected, (persona, capability)


def test_team_member_updates_only_own_actions(people, account):
    assert permissions.can_update_action(people.team_member, account, people.team_member.pk)
    assert not permissions.can_update_action(people.team_member, account, people.manager.pk)
    assert permissions.can_update_action(people.coordinator, account, people.manager.pk)
    assert not permissions.can_update_action(people.executive, account, people.executive.pk)


def test_check_raises_404_for_outsiders_and_403_for_members(people, account):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        permissions.check(people.outsider, "view", account)
    with pytest.raises(PermissionDenied):
        permissions.check(people.coordinator, "edit", account)
    permissions.check(people.manager, "edit", account)
