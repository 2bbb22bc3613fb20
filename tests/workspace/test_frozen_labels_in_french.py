"""An approved version keeps the labels of the language it was frozen in (English here, the
site's language in tests). Read in French — by the customer in their workspace, by the team on
the version's page and the versions list — its statuses and cadences are French."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f

from .helpers import approved_plan, customer, invite

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def test_the_customer_reads_the_cadence_in_french(people, account):
    approved_plan(account, people)
    token = invite(account, customer(account), people)
    client = Client()
    client.get(f"/workspace/join/{token}/", **FR)
    html = client.get("/workspace/", **FR).content.decode()
    assert ": Quarterly business review (trimestrielle)" in html
    assert "(quarterly)" not in html


def test_the_team_reads_a_frozen_version_in_french(client_for, people, account):
    approved_plan(account, people)
    client = client_for(people.manager)
    version = client.get(reverse("planning:version", args=[account.pk, 1]), **FR).content.decode()
    assert ">Ouverte<" in version  # "Send the winter forecast" is open
    assert ">Trimestrielle<" in version
    assert ">Open<" not in version and ">Quarterly<" not in version


def test_the_customers_comments_and_meetings_have_a_no_break_space_before_the_colon(
    people, account
):
    approved_plan(account, people)
    clara = customer(account)
    meeting = f.MeetingFactory(key_account=account, title="Winter planning with Clara")
    meeting.stakeholders.add(clara)
    client = Client()
    client.get(f"/workspace/join/{invite(account, clara, people)}/", **FR)
    client.post(reverse("workspace:comment"), {"text": "Looks right to us."}, **FR)
    html = client.get("/workspace/", **FR).content.decode()
    assert "\u00a0: Looks right to us.</li>" in html
    assert "\u00a0: Winter planning with Clara" in html
    assert ": Looks right" not in html.replace("\u00a0: Looks right", "")
