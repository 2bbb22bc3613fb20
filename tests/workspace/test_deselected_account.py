"""A de-selected account no longer shares a workspace with its customer: de-selecting revokes
every link that still works (an open session ends with it), no new link can be sent, and a
link of an account de-selected before this rule existed opens nothing either."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import AccountEvent, KeyAccount
from strategy.services import key_account_deselect
from workspace import services
from workspace.models import Invitation

from .helpers import approved_plan, customer, invite, open_link

pytestmark = pytest.mark.django_db

DESELECTED = (
    "This account has been de-selected from the programme: it no longer shares a workspace "
    "with the customer."
)


def test_deselecting_revokes_the_customers_links_and_ends_their_session(people, account):
    approved_plan(account, people)
    clara = customer(account)
    token = invite(account, clara, people)
    invite(account, customer(account, name="Bruno Buyer", email="bruno@customer.example"), people)
    browser = Client()
    open_link(browser, token)
    assert browser.get(reverse("workspace:home")).status_code == 200

    key_account_deselect(account=account, reason="Price buyer.", acting_user=people.director)

    assert not Invitation.objects.filter(revoked_at__isnull=True).exists()
    assert set(Invitation.objects.values_list("revoked_by", flat=True)) == {people.director.pk}
    revoked = AccountEvent.objects.filter(summary__startswith="Workspace link of")
    assert sorted(revoked.values_list("summary", flat=True)) == [
        "Workspace link of Bruno Buyer revoked",
        "Workspace link of Clara Customer revoked",
    ]
    assert browser.get(reverse("workspace:home")).status_code == 404
    assert open_link(Client(), token).status_code == 410


def test_no_new_link_for_a_deselected_account(client_for, people, account):
    clara = customer(account)
    token = invite(account, clara, people)
    invitation = Invitation.objects.get()
    key_account_deselect(account=account, reason="Price buyer.", acting_user=people.director)
    account.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer shares a workspace"):
        services.invitation_create(account=account, stakeholder=clara, acting_user=people.manager)
    invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.invitation_resend(invitation=invitation, acting_user=people.manager)
    # The team's page says why, and offers neither the form nor a new link.
    page = client_for(people.manager).get(reverse("workspace_team:invitations", args=[account.pk]))
    html = page.content.decode()
    assert DESELECTED in html
    assert "Invite and e-mail the link" not in html and "Send a new link" not in html
    # A form sent anyway (the page was open) is refused where the user looks, nothing sent.
    response = client_for(people.manager).post(
        reverse("workspace_team:invitations", args=[account.pk]), {"stakeholder": clara.pk}
    )
    assert response.status_code == 400 and DESELECTED in response.content.decode()
    assert Invitation.objects.count() == 1
    assert open_link(Client(), token).status_code == 410


def test_a_link_of_an_account_deselected_earlier_opens_nothing(people, account):
    approved_plan(account, people)
    token = invite(account, customer(account), people)
    # De-selected without the revocation (as data from before this rule).
    KeyAccount.objects.filter(pk=account.pk).update(
        status=KeyAccount.Status.DESELECTED, deselection_reason="Old data."
    )
    response = open_link(Client(), token)
    assert response.status_code == 410 and "winter" not in response.content.decode()


def test_the_deselect_page_says_what_stops(client_for, people, account):
    html = " ".join(
        client_for(people.director)
        .get(reverse("strategy:account_deselect", args=[account.pk]))
        .content.decode()
        .split()
    )
    assert "its coming meetings are cancelled (the attendees are told)" in html
    assert "its sent quotes expire and the customer's workspace links stop working" in html


def test_the_migration_revokes_live_links_of_accounts_deselected_before(people, account):
    from importlib import import_module

    from django.apps import apps

    other = customer(account, name="Bruno Buyer", email="bruno@customer.example")
    invite(account, customer(account), people)
    invite(account, other, people)
    kept = Invitation.objects.get(stakeholder=other)
    KeyAccount.objects.filter(pk=account.pk).update(
        status=KeyAccount.Status.DESELECTED, deselection_reason="Old data."
    )
    from tests.factories import KeyAccountFactory, StakeholderFactory

    f_account = KeyAccountFactory()
    still_active = services.invitation_create(
        account=f_account,
        stakeholder=StakeholderFactory(key_account=f_account, email="a@b.example"),
        acting_user=people.manager,
        send=False,
    )[0]
    migration = import_module("workspace.migrations.0002_revoke_links_of_deselected_accounts")
    migration.revoke(apps, None)
    assert not Invitation.objects.filter(key_account=account, revoked_at__isnull=True).exists()
    kept.refresh_from_db()
    assert kept.revoked_at is not None and kept.revoked_by is None
    still_active.refresh_from_db()
    assert still_active.revoked_at is None
