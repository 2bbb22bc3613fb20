"""Account teams: who sees and changes them, and the rules every change must keep."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Membership, Role
from organisation.models import ExecutiveSponsor
from tests.factories import (
    KeyAccountFactory,
    MembershipFactory,
    StakeholderFactory,
    UserFactory,
)


def team_url(account):
    return reverse("organisation:team", args=[account.pk])


def add_url(account):
    return reverse("organisation:team_add", args=[account.pk])


def add_data(user, role=Role.TEAM_MEMBER, function="Product development", share=20, **extra):
    return {
        "user": user.pk,
        "role": role,
        "function": function,
        "time_share_percent": share,
        **extra,
    }


# ---- who sees the team page ---------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["director", "manager", "coordinator", "team_member", "executive", "programme_admin"],
)
def test_team_page_is_open_to_everyone_who_can_view_the_account(
    client_for, people, account, persona
):
    response = client_for(getattr(people, persona)).get(team_url(account))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Northwind Foods: account team" in html
    assert "Max Manager" in html and "Key account manager" in html


@pytest.mark.parametrize("persona", ["outsider", "other_manager", "other_director"])
def test_team_page_is_404_for_people_outside_the_account(client_for, people, account, persona):
    client = client_for(getattr(people, persona))
    assert client.get(team_url(account)).status_code == 404
    assert client.get(reverse("organisation:team", args=[999999])).status_code == 404


def test_team_page_sends_anonymous_visitors_to_login(client, account):
    response = client.get(team_url(account))
    assert response.status_code == 302 and "/login/" in response.url


def test_only_the_director_and_programme_admins_see_the_team_forms(client_for, people, account):
    assert "Add to team" in client_for(people.director).get(team_url(account)).content.decode()
    assert (
        "Add to team" in client_for(people.programme_admin).get(team_url(account)).content.decode()
    )
    assert "Add to team" not in client_for(people.manager).get(team_url(account)).content.decode()


# ---- adding -------------------------------------------------------------------------------


def test_anonymous_add_is_sent_to_login(client, people, account):
    response = client.post(add_url(account), add_data(people.outsider))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("other_director", 404),
        ("manager", 403),
        ("coordinator", 403),
        ("team_member", 403),
        ("executive", 403),
    ],
)
def test_people_who_do_not_run_the_account_cannot_add_members(
    client_for, people, account, persona, status
):
    newcomer = UserFactory()
    response = client_for(getattr(people, persona)).post(add_url(account), add_data(newcomer))
    assert response.status_code == status
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("persona", ["director", "programme_admin"])
def test_director_or_programme_admin_adds_a_member_and_the_timeline_shows_it(
    client_for, people, account, persona
):
    newcomer = UserFactory(first_name="Pia", last_name="Product")
    response = client_for(getattr(people, persona)).post(
        add_url(account), add_data(newcomer), follow=True
    )
    assert response.status_code == 200
    membership = Membership.objects.get(user=newcomer, key_account=account)
    assert (membership.role, membership.function, membership.time_share_percent) == (
        Role.TEAM_MEMBER,
        "Product development",
        20,
    )
    assert "Pia Product is now on the Northwind Foods team." in response.content.decode()
    event = AccountEvent.objects.get(key_account=account, kind=AccountEvent.Kind.TEAM_CHANGED)
    assert "Pia Product joined the team" in event.summary


def test_adding_someone_twice_is_refused_with_a_clear_message_and_input_kept(
    client_for, people, account
):
    response = client_for(people.director).post(
        add_url(account), add_data(people.coordinator, function="Quotes desk")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chloé Coordinator is already on the Northwind Foods team" in html
    assert 'value="Quotes desk"' in html
    assert Membership.objects.filter(user=people.coordinator, key_account=account).count() == 1


def test_time_share_above_100_percent_across_accounts_is_refused(client_for, people, account):
    busy = UserFactory(first_name="Bea", last_name="Busy")
    MembershipFactory(user=busy, role=Role.TEAM_MEMBER, time_share_percent=85)
    response = client_for(people.director).post(
        add_url(account), add_data(busy, function="Logistics", share=20)
    )
    html = response.content.decode()
    assert "already gives 85 % of their time to other accounts" in html
    assert "would make 105 %" in html
    assert 'value="Logistics"' in html
    assert not Membership.objects.filter(user=busy, key_account=account).exists()


def test_time_share_of_exactly_100_percent_is_allowed(client_for, people, account):
    busy = UserFactory()
    MembershipFactory(user=busy, role=Role.TEAM_MEMBER, time_share_percent=85)
    client_for(people.director).post(add_url(account), add_data(busy, share=15))
    assert Membership.objects.get(user=busy, key_account=account).time_share_percent == 15


def test_time_share_outside_0_to_100_is_refused_by_the_form(client_for, people, account):
    newcomer = UserFactory()
    response = client_for(people.director).post(add_url(account), add_data(newcomer, share=120))
    assert "Use a whole number from 0 to 100." in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


# ---- one director, at least one manager ---------------------------------------------------


def test_a_second_director_is_refused_unless_handed_over(client_for, people, account):
    newcomer = UserFactory(first_name="Nina", last_name="New")
    client = client_for(people.programme_admin)
    response = client.post(add_url(account), add_data(newcomer, role=Role.DIRECTOR))
    assert "Dana Director already directs Northwind Foods" in response.content.decode()
    assert account.memberships.filter(role=Role.DIRECTOR).count() == 1

    client.post(add_url(account), add_data(newcomer, role=Role.DIRECTOR, hand_over="on"))
    directors = list(account.memberships.filter(role=Role.DIRECTOR).values_list("user", flat=True))
    assert directors == [newcomer.pk]
    assert not account.memberships.filter(user=people.director).exists()
    summaries = list(account.events.values_list("summary", flat=True))
    assert any("Dana Director handed the account over" in s for s in summaries)


def test_director_handing_over_their_own_account_lands_on_the_programme_team_page(
    client_for, people, account
):
    successor = UserFactory()
    response = client_for(people.director).post(
        add_url(account), add_data(successor, role=Role.DIRECTOR, hand_over="on", share=0)
    )
    assert response.status_code == 302
    assert response.url == reverse("organisation:index")


def test_the_director_cannot_be_removed(client_for, people, account):
    director = account.memberships.get(role=Role.DIRECTOR)
    url = reverse("organisation:team_remove", args=[account.pk, director.pk])
    response = client_for(people.programme_admin).post(url, follow=True)
    assert "an account keeps exactly one director" in response.content.decode()
    assert Membership.objects.filter(pk=director.pk).exists()


def test_the_last_manager_cannot_be_removed_or_demoted(client_for, people, account):
    manager = account.memberships.get(role=Role.MANAGER)
    client = client_for(people.director)
    response = client.post(
        reverse("organisation:team_remove", args=[account.pk, manager.pk]), follow=True
    )
    assert "is the only manager of Northwind Foods" in response.content.decode()
    assert Membership.objects.filter(pk=manager.pk).exists()
    response = client.post(
        reverse("organisation:team_change", args=[account.pk, manager.pk]),
        {
            "role": Role.COORDINATOR,
            "function": "",
            "time_share_percent": 0,
            "revision": manager.revision,
        },
    )
    assert "is the only manager of Northwind Foods" in response.content.decode()
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER


def test_with_a_second_manager_the_first_one_may_leave(client_for, people, account):
    MembershipFactory(key_account=account, role=Role.MANAGER)
    manager = account.memberships.get(user=people.manager)
    client_for(people.director).post(
        reverse("organisation:team_remove", args=[account.pk, manager.pk])
    )
    assert not Membership.objects.filter(pk=manager.pk).exists()


def test_removing_a_team_member_is_recorded_on_the_timeline(client_for, people, account):
    member = account.memberships.get(user=people.team_member)
    response = client_for(people.director).post(
        reverse("organisation:team_remove", args=[account.pk, member.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert account.events.filter(summary__contains="Sven Team left the team").exists()


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("coordinator", 403)])
def test_remove_is_refused_to_outsiders_and_members(client_for, people, account, persona, status):
    member = account.memberships.get(user=people.team_member)
    url = reverse("organisation:team_remove", args=[account.pk, member.pk])
    assert client_for(getattr(people, persona)).post(url).status_code == status
    assert Membership.objects.filter(pk=member.pk).exists()


def test_anonymous_remove_is_sent_to_login(client, people, account):
    member = account.memberships.get(user=people.team_member)
    response = client.post(reverse("organisation:team_remove", args=[account.pk, member.pk]))
    assert response.status_code == 302 and "/login/" in response.url


def test_a_guessed_membership_of_another_account_is_404(client_for, people, account, other_account):
    foreign = other_account.memberships.get(role=Role.MANAGER)
    client = client_for(people.director)
    assert (
        client.get(reverse("organisation:team_change", args=[account.pk, foreign.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("organisation:team_remove", args=[account.pk, foreign.pk])).status_code
        == 404
    )
    assert Membership.objects.filter(pk=foreign.pk).exists()


# ---- changing an entry --------------------------------------------------------------------


def test_director_changes_function_and_time_share(client_for, people, account):
    member = account.memberships.get(user=people.team_member)
    url = reverse("organisation:team_change", args=[account.pk, member.pk])
    client = client_for(people.director)
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "role": Role.TEAM_MEMBER,
            "function": "Finance",
            "time_share_percent": 30,
            "revision": 0,
        },
    )
    member.refresh_from_db()
    assert (member.function, member.time_share_percent) == ("Finance", 30)
    assert account.events.filter(summary__contains="Sven Team is now account team member").exists()


def test_a_concurrent_change_shows_both_versions_and_keeps_the_typed_input(
    client_for, people, account
):
    member = account.memberships.get(user=people.team_member)
    url = reverse("organisation:team_change", args=[account.pk, member.pk])
    seen = member.revision
    # Someone else saves the entry meanwhile (its revision moves on).
    Membership.objects.filter(pk=member.pk).update(
        function="Supply chain", time_share_percent=10, revision=seen + 1
    )
    response = client_for(people.director).post(
        url,
        {
            "role": Role.TEAM_MEMBER,
            "function": "Quality",
            "time_share_percent": 25,
            "revision": seen,
        },
    )
    html = response.content.decode()
    assert "Someone else changed this entry" in html
    assert "Supply chain, 10 % of their time" in html
    assert 'value="Quality"' in html
    member.refresh_from_db()
    assert member.function == "Supply chain"
    # Saving again, having seen their version, goes through.
    client_for(people.director).post(
        url,
        {
            "role": Role.TEAM_MEMBER,
            "function": "Quality",
            "time_share_percent": 25,
            "revision": seen + 1,
        },
    )
    member.refresh_from_db()
    assert member.function == "Quality"


# ---- executive sponsor --------------------------------------------------------------------


def test_director_names_an_executive_as_sponsor(client_for, people, account):
    url = reverse("organisation:sponsor_set", args=[account.pk])
    client_for(people.director).post(url, {"user": people.executive.pk})
    assert ExecutiveSponsor.objects.get(key_account=account).user == people.executive
    html = client_for(people.team_member).get(team_url(account)).content.decode()
    assert "Elena Executive" in html


def test_a_sponsor_who_is_not_an_executive_is_refused(client_for, people, account):
    url = reverse("organisation:sponsor_set", args=[account.pk])
    response = client_for(people.director).post(url, {"user": people.outsider.pk})
    assert "Oscar Outsider is not an executive" in response.content.decode()
    assert not ExecutiveSponsor.objects.filter(key_account=account).exists()


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("manager", 403)])
def test_sponsor_is_set_only_by_the_director_or_admins(
    client_for, people, account, persona, status
):
    url = reverse("organisation:sponsor_set", args=[account.pk])
    response = client_for(getattr(people, persona)).post(url, {"user": people.executive.pk})
    assert response.status_code == status
    assert not ExecutiveSponsor.objects.exists()


def test_team_page_queries_stay_bounded_as_the_team_grows(
    client_for, people, django_assert_max_num_queries
):
    account = KeyAccountFactory()
    MembershipFactory(key_account=account, user=people.director, role=Role.DIRECTOR)
    client = client_for(people.director)
    for size in (3, 30):
        while account.memberships.count() < size:
            MembershipFactory(key_account=account, role=Role.TEAM_MEMBER, time_share_percent=5)
        with django_assert_max_num_queries(14):
            assert client.get(team_url(account)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "linked"),
    [
        ("director", True),
        ("manager", True),
        ("executive", True),
        ("programme_admin", True),
        ("coordinator", False),
        ("team_member", False),
    ],
)
def test_manager_name_links_to_the_profile_only_for_those_who_may_open_it(
    client_for, people, account, persona, linked
):
    client = client_for(getattr(people, persona))
    profile = reverse("organisation:manager_profile", args=[people.manager.pk])
    html = client.get(team_url(account)).content.decode()
    assert (f'href="{profile}"' in html) is linked
    # A link, when shown, opens: no dead ends.
    assert (client.get(profile).status_code == 200) is linked


# ---- the relationships of someone who leaves --------------------------------------------------


def test_stakeholders_owned_by_someone_who_leaves_have_no_owner_and_show_as_gaps(
    client_for, people, account
):
    """Sven owned Sabine's relationship; after he left the team the map still showed his
    initials on her and no coverage gap, and her edit form quietly offered nobody."""
    today = timezone.localdate()
    sabine = StakeholderFactory(
        key_account=account,
        name="Sabine Koch",
        influence="high",
        owner=people.team_member,
        last_contact_on=today,
    )
    florian = StakeholderFactory(
        key_account=account,
        name="Florian Wagner",
        influence="medium",
        owner=people.team_member,
        last_contact_on=today,
    )
    katrin = StakeholderFactory(
        key_account=account, name="Katrin Vogel", owner=people.manager, last_contact_on=today
    )
    sven = account.memberships.get(user=people.team_member)
    client = client_for(people.director)
    response = client.post(
        reverse("organisation:team_remove", args=[account.pk, sven.pk]), follow=True
    )
    page = response.content.decode()
    assert "2 stakeholders they owned have no owner now" in page

    for person in (sabine, florian, katrin):
        person.refresh_from_db()
    assert (sabine.owner, florian.owner, katrin.owner) == (None, None, people.manager)
    assert sabine.revision == 1  # an edit form opened before is told it changed

    stakeholder_map = client_for(people.manager).get(
        reverse("discovery:stakeholder_map", args=[account.pk])
    )
    page = stakeholder_map.content.decode()
    # Sabine (high influence) is now a gap; Florian (medium, contacted today) is not.
    assert "Coverage gaps (1)" in page
    assert "High influence and nobody on our side owns the relationship" in page


def test_a_director_handing_over_passes_their_relationships_to_the_successor(
    client_for, people, account
):
    katrin = StakeholderFactory(key_account=account, name="Katrin Vogel", owner=people.director)
    successor = UserFactory(first_name="Nina", last_name="New")
    client_for(people.programme_admin).post(
        add_url(account), add_data(successor, role=Role.DIRECTOR, hand_over="on")
    )
    katrin.refresh_from_db()
    assert katrin.owner == successor
