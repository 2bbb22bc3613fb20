"""The portfolio dashboard's counts read in French: a noun agrees with the number that governs
it ("1 sur 2 entrées confirmées", not "1 entrées confirmées sur 2")."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from outcomes.services import confirm_value_delivered, value_delivered_save
from tests.factories import StakeholderFactory

NBSP = "\u00a0"


def _value(account, title, amount):
    return value_delivered_save(
        account=account,
        entry=None,
        fields={
            "title": title,
            "delivered_on": date(timezone.localdate().year, 1, 2),
            "measure": "money",
            "amount": Decimal(amount),
            "unit": "",
        },
        acting_user=None,
    )


def test_one_of_two_entries_confirmed_in_french(client_for, people, account):
    Programme.ensure()
    confirmed = _value(account, "Stock-outs halved", "100000")
    _value(account, "Less waste", "50000")
    confirm_value_delivered(confirmed, stakeholder=StakeholderFactory(key_account=account))

    html = (
        client_for(people.director)
        .get(reverse("portfolio:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert f"sur 150{NBSP}000{NBSP}€ délivrés (1 sur 2 entrées confirmées)." in html
    assert "1 entrées confirmées" not in html


def test_the_health_rules_have_a_no_break_space_before_the_colon(client_for, people, account):
    Programme.ensure()
    html = (
        client_for(people.director)
        .get(reverse("portfolio:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert f"(jusqu'à 75 points){NBSP}: " in html
    assert "points): " not in html
