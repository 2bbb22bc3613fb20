"""Value delivered read in French: its sums are written the reader's way ("150 000 €", as
every other sum of money on the overview), and the "Mark confirmed" page is translated."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from outcomes.services import value_delivered_save

NBSP = "\u00a0"


def _value(account, title, amount, *, measure="money", unit=""):
    return value_delivered_save(
        account=account,
        entry=None,
        fields={
            "title": title,
            "delivered_on": date(timezone.localdate().year, 1, 2),
            "measure": measure,
            "amount": Decimal(amount),
            "unit": unit,
        },
        acting_user=None,
    )


def test_this_years_value_is_written_the_readers_way(client_for, people, account):
    Programme.ensure()
    _value(account, "Stock-outs halved", "150000")
    client = client_for(people.manager)
    url = reverse("outcomes:value_list", args=[account.pk])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "EUR 150,000 (1 entry)" in english
    assert f"150{NBSP}000{NBSP}€" in french
    assert "EUR 150,000" not in french


def test_the_mark_confirmed_page_speaks_french(client_for, people, account):
    Programme.ensure()
    entry = _value(account, "Planning hours saved", "1400", measure="other", unit="hours")
    url = reverse("outcomes:value_confirm", args=[account.pk, entry.pk])

    page = client_for(people.manager).get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Confirmée par le client\u00a0: Planning hours saved" in page
    assert f"1{NBSP}400 hours délivrée le 2 janv." in page
    assert "Enregistrer la confirmation" in page
    for english in ("Confirmed by the customer", "Record who at the customer", "Record the"):
        assert english not in page, english
