"""In French a status or level agrees with the thing it describes: an account is "actif", a
plan "archivé", a quote "expiré", an issue "ouvert", a risk's impact "élevé" where its
likelihood is "élevée", a webhook delivery "livrée"; the pager's next page is "suivante". One
English word shared by several things had one French form for all of them."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import AccountEvent, KeyAccount
from delivery.models import Quote
from integrations.models import WebhookDelivery
from outcomes.models import CustomerIssue
from planning.models import AccountPlan, PlanRisk
from tests.factories import AccountPlanFactory
from tests.planning.factories import PlanRiskFactory

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _text(response):
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("label", "english", "french"),
    [
        (lambda: KeyAccount.Status.ACTIVE.label, "Active", "Actif"),
        (lambda: KeyAccount.Status.DESELECTED.label, "De-selected", "Désélectionné"),
        (lambda: AccountEvent.Kind.DESELECTED.label, "De-selected", "Désélectionné"),
        (lambda: AccountPlan.Status.ARCHIVED.label, "Archived", "Archivé"),
        (lambda: Quote.Status.EXPIRED.label, "Expired", "Expiré"),
        (lambda: CustomerIssue.Status.OPEN.label, "Open", "Ouvert"),
        (lambda: WebhookDelivery.Status.DELIVERED.label, "Delivered", "Livrée"),
        (lambda: dict(PlanRisk._meta.get_field("impact").choices)["high"], "High", "Élevé"),
        (lambda: dict(PlanRisk._meta.get_field("likelihood").choices)["high"], "High", "Élevée"),
    ],
)
def test_each_label_agrees_in_french_and_reads_the_same_in_english(label, english, french):
    with translation.override("en"):
        assert str(label()) == english
    with translation.override("fr"):
        assert str(label()) == french


def test_the_account_list_says_actif_and_the_pager_suivante(client_for, people, account):
    from tests.factories import KeyAccountFactory

    for _ in range(30):
        KeyAccountFactory()
    text = _text(client_for(people.executive).get(reverse("accounts:account_list"), **FR))
    assert ">Actif<" in text.replace("> ", ">").replace(" <", "<")
    assert ">Active<" not in text.replace("> ", ">").replace(" <", "<")
    assert ">Suivante</a>" in text and ">Prochaine</a>" not in text


def test_a_deselected_account_reads_desélectionné(client_for, people, account):
    KeyAccount.objects.filter(pk=account.pk).update(
        status=KeyAccount.Status.DESELECTED,
        deselected_on=date(2026, 6, 30),
        deselection_reason="Bought by a competitor",
    )
    text = _text(
        client_for(people.director).get(reverse("accounts:account_detail", args=[account.pk]), **FR)
    )
    assert "Désélectionné" in text and "Désélectionnés" not in text


def test_a_risk_reads_its_likelihood_and_impact_each_agreeing(client_for, people, account):
    plan = AccountPlanFactory(key_account=account, period="FY2027", updated_by=people.manager)
    PlanRiskFactory(plan=plan, likelihood="high", impact="high", description="Site closure")
    text = _text(client_for(people.manager).get(reverse("planning:plan", args=[account.pk]), **FR))
    assert ">Élevée</td>" in text and ">Élevé</td>" in text


def test_a_label_and_its_value_are_joined_by_the_languages_colon(client_for, people, account):
    """The health reasons on the overview (a label and a detail, not one message): a no-break
    space before the colon in French, none in English."""
    plan = AccountPlanFactory(key_account=account, period="FY2027", updated_by=people.manager)
    PlanRiskFactory(plan=plan)  # any plan: its health lists its reasons
    client = client_for(people.director)
    url = reverse("accounts:account_detail", args=[account.pk])
    english = client.get(url).content.decode()
    french = client.get(url, **FR).content.decode()
    reasons = [line for line in french.split("<li>") if "(−" in line]
    assert reasons, "the plan's health has reasons"
    assert all("\u00a0: " in line for line in reasons)
    assert all(
        ": " in line and "\u00a0:" not in line for line in english.split("<li>") if "(−" in line
    )
