"""A customer stakeholder can be given the language of our e-mails. The e-mails we send them
(the workspace invitation, a meeting invitation, the answer to their proposal) were written in
the language of whoever sent them: a French buyer invited by an English-speaking manager read
English. Left empty, the sender's language still applies."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from delivery.services.invitations import REQUEST, invite_customer_attendees
from discovery.models import Stakeholder
from tests import factories as f
from workspace.models import CustomerProposal

from .helpers import customer

pytestmark = pytest.mark.django_db


def test_the_stakeholder_form_offers_the_language_and_saves_it(client_for, people, account):
    pierre = customer(account, name="Pierre Martin", email="pierre@client.example")
    url = reverse("discovery:stakeholder_edit", args=[account.pk, pierre.pk])
    page = client_for(people.manager).get(url).content.decode()
    assert "Language of our e-mails" in page and '<option value="fr">Français</option>' in page
    assert '<option value="" selected>The sender&#x27;s language</option>' in page
    response = client_for(people.manager).post(
        url,
        {
            "name": "Pierre Martin",
            "email": "pierre@client.example",
            "language": "fr",
            "buying_role": "buyer",
            "influence": "medium",
            "attitude": "neutral",
            "revision": pierre.revision,
        },
    )
    assert response.status_code == 302, re.findall(
        r"invalid-feedback[^>]*>([^<]+)", response.content.decode()
    )
    assert Stakeholder.objects.get(pk=pierre.pk).language == "fr"


def test_the_workspace_invitation_is_written_in_the_stakeholders_language(
    people, account, django_capture_on_commit_callbacks
):
    pierre = customer(account, name="Pierre Martin", email="pierre@client.example", language="fr")
    greta = customer(account, name="Greta Hansen", email="greta@client.example")
    client = Client()
    client.force_login(people.manager)  # reads English
    url = reverse("workspace_team:invitations", args=[account.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"stakeholder": pierre.pk})
        client.post(url, {"stakeholder": greta.pk})
    by_address = {message.to[0]: message for message in mail.outbox}
    french = by_address["pierre@client.example"]
    assert french.subject == f"Notre plan de compte partagé\u00a0: {account.name}"
    assert french.body.startswith("Bonjour Pierre Martin,")
    english = by_address["greta@client.example"]
    assert english.subject == f"Our shared account plan: {account.name}"


def test_a_meeting_invitation_is_written_in_each_stakeholders_language(
    account, django_capture_on_commit_callbacks
):
    pierre = customer(account, name="Pierre Martin", email="pierre@client.example", language="fr")
    greta = customer(account, name="Greta Hansen", email="greta@client.example")
    meeting = f.MeetingFactory(key_account=account, title="Revue trimestrielle")
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        invite_customer_attendees(meeting, [pierre, greta], REQUEST)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["pierre@client.example"].body.startswith(
        "Vous êtes invité\u00a0: Revue trimestrielle"
    )
    assert by_address["greta@client.example"].body.startswith(
        "You are invited: Revue trimestrielle"
    )


def test_the_answer_to_a_proposal_is_written_in_the_customers_language(
    people, account, django_capture_on_commit_callbacks
):
    pierre = customer(account, name="Pierre Martin", email="pierre@client.example", language="fr")
    proposal = CustomerProposal.objects.create(
        key_account=account,
        stakeholder=pierre,
        title="Palettes consignées",
        need="Moins de déchets.",
        benefit="Coûts en baisse.",
        submitted_at=timezone.now(),
    )
    client = Client()
    client.force_login(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workspace_team:proposal_decide", args=[account.pk, proposal.pk]),
            {"decision": "decline", "reply": "Pas cette année.", "revision": proposal.revision},
        )
    (message,) = [m for m in mail.outbox if m.to == ["pierre@client.example"]]
    assert message.body.startswith("Bonjour Pierre Martin,")
    assert Stakeholder.objects.get(pk=pierre.pk).language == "fr"
