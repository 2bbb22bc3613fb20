"""A customer stakeholder holds one workspace link at a time. Inviting them again (the form,
or `workspace_link` for support) made a second invitation whose link worked beside the first:
"Revoke" on one row left the other link — perhaps the one forwarded — still opening the plan."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workspace.models import Invitation

from .helpers import approved_plan, customer, link_in_last_mail

pytestmark = pytest.mark.django_db


def _invite_in_the_form(staff, account, stakeholder, capture) -> str:
    with capture(execute=True):
        response = staff.post(
            reverse("workspace_team:invitations", args=[account.pk]),
            {"stakeholder": stakeholder.pk},
        )
    assert response.status_code == 302
    return link_in_last_mail()


def test_inviting_again_replaces_the_link_and_revoke_closes_every_way_in(
    people, account, django_capture_on_commit_callbacks
):
    approved_plan(account, people)
    clara = customer(account)
    staff = Client()
    staff.force_login(people.manager)
    first = _invite_in_the_form(staff, account, clara, django_capture_on_commit_callbacks)
    second = _invite_in_the_form(staff, account, clara, django_capture_on_commit_callbacks)
    assert first != second and len(mail.outbox) == 2
    page = staff.get(reverse("workspace_team:invitations", args=[account.pk])).content.decode()
    assert (
        "Clara Customer was invited already: a new link is on its way to clara@customer.example; "
        "the old one no longer works." in page
    )
    assert page.count("clara@customer.example</span>") == 1  # one row, not two
    invitation = Invitation.objects.get()
    assert invitation.is_usable()

    assert Client().get(first).status_code == 404  # the first link no longer opens anything
    assert Client().get(second).status_code == 302

    staff.post(reverse("workspace_team:invitation_revoke", args=[account.pk, invitation.pk]))
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 410  # revoked: nothing opens the plan


def test_an_expired_invitation_gets_the_new_link(
    people, account, django_capture_on_commit_callbacks
):
    clara = customer(account)
    staff = Client()
    staff.force_login(people.manager)
    _invite_in_the_form(staff, account, clara, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    link = _invite_in_the_form(staff, account, clara, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.is_usable()
    assert abs((invitation.expires_at - timezone.now()) - timedelta(days=90)) < timedelta(minutes=1)
    assert Client().get(link).status_code == 302


def test_the_support_command_replaces_the_link_it_printed_before(people, account):
    clara = customer(account)
    printed = []
    for _ in range(2):
        out = StringIO()
        call_command("workspace_link", clara.email, stdout=out)
        printed.append(out.getvalue().splitlines()[-1])
    assert Invitation.objects.count() == 1
    assert Client().get(printed[0]).status_code == 404
    assert Client().get(printed[1]).status_code == 302
