"""The team rules that hold row by row are kept by the database too: one director per account,
one entry per person and account, a time share of at most 100 %. A write that skips the team
services' lock (the admin; someone's change that got in first) is refused there, and the
services tell it in their own words, not with a server error. "At least one manager" and "at
most 100 % across accounts" span rows: the services alone keep them (tests/concurrency)."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Membership, Role
from common.constraints import refused_as
from organisation.services import allocation, teams
from tests.admin_pages import admin_change_form, superuser_client
from tests.common.test_conflict_pages import form_data
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@contextmanager
def someone_saves_first(monkeypatch, module, **rival):
    """The race: between the service's checks and its write, someone's entry commits (written
    here as a plain INSERT just before the service's own, in the same test transaction: the
    service's refusal rolls it back with the rest)."""

    @contextmanager
    def rival_first(error):
        if not Membership.objects.filter(**rival).exists():
            Membership.objects.bulk_create([Membership(**rival)])
        with refused_as(error):
            yield

    monkeypatch.setattr(module, "refused_as", rival_first)
    yield


def test_the_database_refuses_a_second_director_but_not_a_second_manager(account, people):
    MembershipFactory(key_account=account, role=Role.MANAGER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(key_account=account, user=UserFactory(), role=Role.DIRECTOR)
    assert account.memberships.filter(role=Role.DIRECTOR).get().user == people.director


def test_the_database_refuses_a_time_share_over_100(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            key_account=account, user=UserFactory(), role=Role.TEAM_MEMBER, time_share_percent=101
        )


def test_a_director_handed_over_to_meanwhile_names_them(client_for, people, account, monkeypatch):
    rival = UserFactory(first_name="Rita", last_name="Rival")
    newcomer = UserFactory(first_name="Nina", last_name="New")
    with someone_saves_first(monkeypatch, teams, key_account=account, user=rival, role="director"):
        response = client_for(people.programme_admin).post(
            reverse("organisation:team_add", args=[account.pk]),
            {"user": newcomer.pk, "role": Role.DIRECTOR, "function": "Sales",
             "time_share_percent": 10, "hand_over": "on"},
        )  # fmt: skip
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "Rita Rival already directs Northwind Foods" in page
    assert 'value="Sales"' in page  # what was typed is kept
    # Nothing written: the hand-over is undone with the refusal (Dana still directs).
    assert list(account.memberships.filter(role=Role.DIRECTOR).values_list("user", flat=True)) == [
        people.director.pk
    ]
    assert not account.memberships.filter(user=newcomer).exists()


def test_a_person_added_meanwhile_is_said_to_be_on_the_team(
    client_for, people, account, monkeypatch
):
    newcomer = UserFactory(first_name="Nina", last_name="New")
    with someone_saves_first(
        monkeypatch, teams, key_account=account, user=newcomer, role="coordinator"
    ):
        response = client_for(people.programme_admin).post(
            reverse("organisation:team_add", args=[account.pk]),
            {"user": newcomer.pk, "role": Role.TEAM_MEMBER, "function": "",
             "time_share_percent": 0},
        )  # fmt: skip
    page = response.content.decode()
    assert "Nina New is already on the Northwind Foods team as key account coordinator" in page
    assert not account.memberships.filter(user=newcomer).exists()


def test_making_someone_director_when_one_was_named_meanwhile_is_refused(
    client_for, people, account, monkeypatch
):
    """A role change to director (handing over) while someone else was made director."""
    Membership.objects.filter(role=Role.DIRECTOR, key_account=account).delete()
    member = account.memberships.get(user=people.coordinator)
    rival = UserFactory(first_name="Rita", last_name="Rival")
    with someone_saves_first(monkeypatch, teams, key_account=account, user=rival, role="director"):
        response = client_for(people.programme_admin).post(
            reverse("organisation:team_change", args=[account.pk, member.pk]),
            {"role": Role.DIRECTOR, "function": "", "time_share_percent": 0,
             "hand_over": "on", "revision": member.revision},
        )  # fmt: skip
    assert "Rita Rival already directs Northwind Foods" in response.content.decode()
    member.refresh_from_db()
    assert (member.role, member.revision) == (Role.COORDINATOR, 0)


def test_a_new_manager_who_joined_meanwhile_is_told_apart(client_for, people, account, monkeypatch):
    outgoing = account.memberships.get(role=Role.MANAGER)
    newcomer = UserFactory(first_name="Nora", last_name="New")
    MembershipFactory(user=newcomer, role=Role.MANAGER)  # a manager elsewhere: a candidate
    with someone_saves_first(
        monkeypatch, allocation, key_account=account, user=newcomer, role="manager"
    ):
        response = client_for(people.director).post(
            reverse("organisation:reassign", args=[account.pk]),
            {"outgoing": outgoing.pk, "new_manager": newcomer.pk, "reason": "Fresh eyes."},
        )
    assert "Nora New already manages Northwind Foods." in response.content.decode()
    assert account.memberships.get(role=Role.MANAGER).user == people.manager


def test_the_admin_cannot_make_a_second_director(people, account):
    """The admin saves without the team services: the database's rule is checked on its form."""
    client = superuser_client()
    entry = account.memberships.get(user=people.manager)
    url = reverse("admin:accounts_membership_change", args=[entry.pk])
    form, _html = admin_change_form(client, url)
    response = client.post(url, form_data(form, role=Role.DIRECTOR))
    assert response.status_code == 200
    assert (
        "This account already has a director; an account has exactly one director."
        in response.content.decode()
    )
    entry.refresh_from_db()
    assert entry.role == Role.MANAGER


def test_selecting_again_with_director_and_manager_swapped(client_for, people, account):
    """A de-selected account selected again with its manager as director and its director as
    manager: the manager steps down first, so there is never a second director."""
    from strategy.services import key_account_deselect, key_account_select

    key_account_deselect(account=account, reason="Paused.", acting_user=people.programme_admin)
    key_account_select(
        customer=account.customer,
        classification="strategic",
        rationale="Back again.",
        director=people.manager,
        manager=people.director,
        acting_user=people.programme_admin,
    )
    roles = dict(account.memberships.values_list("user", "role"))
    assert (roles[people.manager.pk], roles[people.director.pk]) == ("director", "manager")
