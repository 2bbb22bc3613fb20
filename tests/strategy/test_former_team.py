"""A key account de-selected and selected again starts with the team the selection names (its
director and manager). Whoever else served it before leaves the team then: the permission
rules give them nothing on the account (404, as any outsider) until someone adds them again,
and the team page lists them as former members with the role they had."""

import re

import pytest
from django.http import Http404
from django.urls import reverse

from accounts import permissions
from accounts.models import AccountEvent, Membership, Role
from organisation.services import team_member_add
from strategy.services import key_account_deselect, key_account_select
from tests.factories import StakeholderFactory


@pytest.fixture
def reselected(people, account):
    """Northwind's team was Dana (director), Max (manager), Chloé (coordinator), Sven (team
    member); Olga joined as a second manager. Selected again with Dana and Olga only."""
    Membership.objects.create(user=people.other_manager, key_account=account, role=Role.MANAGER)
    StakeholderFactory(key_account=account, name="Erik Owned", owner=people.manager)
    key_account_deselect(
        account=account, reason="Buys on price alone.", acting_user=people.director
    )
    account.refresh_from_db()
    key_account_select(
        customer=account.customer,
        classification="star",
        rationale="They came back with a new range.",
        director=people.director,
        manager=people.other_manager,
        acting_user=people.programme_admin,
    )
    account.refresh_from_db()
    return account


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_team_is_the_one_the_selection_names(people, reselected):
    team = dict(
        Membership.objects.filter(key_account=reselected).values_list("user__username", "role")
    )
    assert team == {"dana": Role.DIRECTOR, "olga": Role.MANAGER}


def test_the_former_manager_has_no_access_by_the_permission_rules(people, reselected):
    for former in (people.manager, people.coordinator, people.team_member):
        assert permissions.role_on(former, reselected) is None
        assert not permissions.can(former, permissions.VIEW, reselected)
        with pytest.raises(Http404):
            permissions.get_account_for_user(former, reselected.pk)
    assert permissions.can(people.other_manager, permissions.EDIT, reselected)


def test_the_former_manager_gets_404_on_the_accounts_pages(client_for, people, reselected):
    client = client_for(people.manager)
    for name in ("accounts:account_detail", "organisation:team", "planning:plan"):
        assert client.get(reverse(name, args=[reselected.pk])).status_code == 404, name
    assert (
        client_for(people.other_manager)
        .get(reverse("accounts:account_detail", args=[reselected.pk]))
        .status_code
        == 200
    )


def test_the_team_page_lists_them_as_former_members(client_for, people, reselected):
    html = client_for(people.director).get(reverse("organisation:team", args=[reselected.pk]))
    page = html.content.decode()
    table = _text(re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1))
    assert "Olga Other" in table and "Dana Director" in table
    assert "Max Manager" not in table and "Sven Team" not in table
    former = _text(page.split('id="former-members"', 1)[1].split("</ul>", 1)[0])
    assert (
        "They no longer see this account: add them to the team again to give them access." in former
    )
    # Newest departure first; all three left in the same selection (same minute).
    for line in (
        "Max Manager — Key account manager until",
        "Chloé Coordinator — Key account coordinator until",
        "Sven Team — Account team member until",
    ):
        assert line in former, former
    assert "Olga Other" not in former and "Dana Director" not in former


def test_the_timeline_says_who_left_and_their_stakeholders_have_no_owner(people, reselected):
    summaries = set(
        AccountEvent.objects.filter(
            key_account=reselected, kind=AccountEvent.Kind.TEAM_CHANGED
        ).values_list("summary", flat=True)
    )
    assert (
        "Max Manager left the team (key account manager) when the account was selected again"
        in summaries
    )
    owned = reselected.stakeholders.get(name="Erik Owned")
    assert owned.owner is None


def test_added_again_they_are_current_not_former(client_for, people, reselected):
    team_member_add(
        account=reselected, user=people.manager, role=Role.MANAGER, acting_user=people.director
    )
    assert permissions.can(people.manager, permissions.EDIT, reselected)
    page = client_for(people.manager).get(reverse("organisation:team", args=[reselected.pk]))
    assert page.status_code == 200
    former = page.content.decode().split('id="former-members"', 1)[1].split("</ul>", 1)[0]
    assert "Max Manager" not in former and "Sven Team" in former
