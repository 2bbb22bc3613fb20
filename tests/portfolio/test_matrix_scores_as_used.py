"""The dashboard's matrix writes the scores and splits as the strategy pages do (two decimals,
the reader's separators): whole numbers put a customer at 49.50 as 'attractiveness 50' in the
low half of a matrix split at 50, and a split of 62.50 read 'Thresholds: attractiveness 63'
while a customer scoring 62.50 sat in the high half (the criteria page: 'high at 62.50 or
more')."""

import re
from decimal import Decimal

from django.urls import reverse

from accounts.models import Programme


def _page(client, account, attractiveness, strength, *, split, language="en-gb"):
    programme = Programme.ensure()
    Programme.objects.filter(pk=programme.pk).update(
        attractiveness_threshold=Decimal(split), strength_threshold=Decimal("50")
    )
    account.customer.attractiveness_score = Decimal(attractiveness)
    account.customer.strength_score = Decimal(strength)
    account.customer.save()
    client.cookies["django_language"] = language
    body = client.get(reverse("portfolio:dashboard"), HTTP_ACCEPT_LANGUAGE=language)
    return body.content.decode()


def _title(body: str, name: str) -> str:
    return re.search(rf"<title>1\. {name} — [^<]*</title>", body).group(0)


def test_a_score_just_under_the_split_is_not_written_as_the_split(client_for, people, account):
    body = _page(client_for(people.director), account, "49.50", "75.25", split="50")
    title = _title(body, "Northwind Foods")
    # 49.50 < 50: low attractiveness, and the title says so by its figure.
    assert "attractiveness 49.50, strength 75.25;" in title
    assert "Thresholds: attractiveness 50, strength 50." in body


def test_a_split_with_decimals_is_written_with_them(client_for, people, account):
    body = _page(client_for(people.director), account, "62.50", "80", split="62.50")
    assert "Thresholds: attractiveness 62.50, strength 50." in body
    assert "attractiveness 62.50, strength 80.00;" in _title(body, "Northwind Foods")


def test_french_reads_its_own_decimal_comma(client_for, people, account):
    body = _page(
        client_for(people.director), account, "49.50", "75.25", split="62.50", language="fr"
    )
    assert "attractivité 49,50" in _title(body, "Northwind Foods")
    assert "Seuils\u00a0: attractivité 62,50, force 50." in body
