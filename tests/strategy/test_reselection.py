"""Selecting a de-selected account again names its director and manager: an account has
exactly one director (the team rules), so another director named then takes over, and the
previous director leaves the team, on the timeline as a hand-over."""

import re

import pytest
from django.urls import reverse

from accounts.models import AccountEvent, Membership, Role
from strategy.services import key_account_deselect


@pytest.fixture
def deselected(people, account):
    key_account_deselect(
        account=account, reason="Buys on price alone.", acting_user=people.director
    )
    return account


def _select_again(client, account, *, director, manager):
    url = reverse("strategy:customer_select", args=[account.customer_id])
    page = client.get(url).content.decode()
    hidden = dict(
        re.findall(r'<input type="hidden" name="(revision|scored_class)" value="([^"]*)"', page)
    )
    return client.post(
        url,
        {
            **hidden,
            "classification": "star",
            "rationale": "They came back with a new range.",
            "director": director.pk,
            "manager": manager.pk,
        },
    )


def _team_roles(client, account) -> list[tuple[str, str]]:
    """(person, role) as the team page lists them."""
    html = client.get(reverse("organisation:team", args=[account.pk])).content.decode()
    table = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows.append((cells[0].split(" ")[0] + " " + cells[0].split(" ")[1], cells[1]))
    return rows


def test_another_director_named_on_reselection_takes_over_and_the_previous_one_leaves(
    client_for, people, deselected
):
    admin = client_for(people.programme_admin)
    response = _select_again(
        admin, deselected, director=people.other_director, manager=people.manager
    )
    assert response.status_code == 302
    directors = Membership.objects.filter(key_account=deselected, role=Role.DIRECTOR)
    assert [m.user for m in directors] == [people.other_director]
    roles = _team_roles(admin, deselected)
    assert [who for who, role in roles if role == "Key account director"] == ["Otto Other"]
    assert ("Dana Director", "Key account director") not in roles
    assert ("Max Manager", "Key account manager") in roles
    events = AccountEvent.objects.filter(
        key_account=deselected, kind=AccountEvent.Kind.TEAM_CHANGED
    )
    # Beside the hand-over, the coordinator and team member not named left (test_former_team).
    assert [e.shown_summary for e in events if e.old_value == Role.DIRECTOR] == [
        "Dana Director handed the account over and left the team"
    ]


def test_the_previous_director_named_as_manager_stays_on_as_manager(client_for, people, deselected):
    admin = client_for(people.programme_admin)
    _select_again(admin, deselected, director=people.other_director, manager=people.director)
    roles = dict(
        Membership.objects.filter(key_account=deselected).values_list("user__username", "role")
    )
    assert roles["otto"] == Role.DIRECTOR and roles["dana"] == Role.MANAGER
    assert list(roles.values()).count(Role.DIRECTOR) == 1


def test_the_same_director_named_again_stays_and_does_not_hand_over(client_for, people, deselected):
    admin = client_for(people.programme_admin)
    _select_again(admin, deselected, director=people.director, manager=people.manager)
    assert [
        m.user for m in Membership.objects.filter(key_account=deselected, role=Role.DIRECTOR)
    ] == [people.director]
    summaries = [
        e.shown_summary
        for e in AccountEvent.objects.filter(
            key_account=deselected, kind=AccountEvent.Kind.TEAM_CHANGED
        )
    ]
    assert not [s for s in summaries if "handed the account over" in s]
    # The coordinator and the team member were not named: they leave (test_former_team.py).
    assert sorted(summaries) == [
        "Chloé Coordinator left the team (key account coordinator) when the account was "
        "selected again",
        "Sven Team left the team (account team member) when the account was selected again",
    ]


def test_the_previous_directors_relationships_go_to_the_director_who_takes_over(
    client_for, people, deselected
):
    """As a hand-over on the team page does: nobody off the team owns a stakeholder."""
    from tests.factories import StakeholderFactory

    owned = StakeholderFactory(key_account=deselected, name="Erik Owned", owner=people.director)
    other = StakeholderFactory(key_account=deselected, name="Mia Managed", owner=people.manager)
    _select_again(
        client_for(people.programme_admin),
        deselected,
        director=people.other_director,
        manager=people.manager,
    )
    owned.refresh_from_db()
    other.refresh_from_db()
    assert owned.owner == people.other_director and owned.revision == 1
    assert other.owner == people.manager
    page = client_for(people.other_director).get(
        reverse("discovery:stakeholders", args=[deselected.pk])
    )
    row = page.content.decode().split("Erik Owned", 1)[1].split("</tr>", 1)[0]
    assert "Otto Other" in row
