"""Selecting or re-classifying on a class the scores give while criteria are still unscored:
the page says the class is incomplete and how many criteria lack a score, as the customer's
page does (the selection page said 'class from scores: Star.' as if it were final)."""

import re

from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from strategy.services import customers_rescore_all
from tests.factories import CriterionFactory, CustomerFactory


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def _planted(customer=None):
    programme = Programme.ensure()
    spend = CriterionFactory(programme=programme, name="Potential spend", weight=3)
    CriterionFactory(programme=programme, name="Growth", weight=1)  # never scored
    wallet = CriterionFactory(programme=programme, name="Share of wallet", axis="strength")
    CriterionFactory(programme=programme, name="Depth", axis="strength")  # never scored
    # Archived: it no longer counts, scored or not.
    CriterionFactory(programme=programme, name="Old criterion", archived_at=timezone.now())
    customer = customer or CustomerFactory(name="Delta Fresh")
    customer.scores.create(criterion=spend, score=4)  # attractiveness (3·3)/(3·4) = 75.00
    customer.scores.create(criterion=wallet, score=2)  # strength 1/4 = 25.00: Star
    customers_rescore_all(programme=programme)
    customer.refresh_from_db()
    return customer


def test_the_selection_page_says_two_criteria_are_unscored(client_for, people, account):
    customer = _planted()
    page = _text(
        client_for(people.director).get(reverse("strategy:customer_select", args=[customer.pk]))
    )
    assert "Scores: attractiveness 75.00, business strength 25.00; class from scores: Star." in page
    assert (
        "The class from the scores is incomplete: 2 criteria are not scored yet, and their "
        "scores may move the class. Score this customer." in page
    )


def test_the_re_classify_page_says_so_too_and_a_fully_scored_customer_reads_nothing(
    client_for, people, account
):
    _planted(account.customer)
    client = client_for(people.director)
    url = reverse("strategy:account_reclassify", args=[account.pk])
    assert "2 criteria are not scored yet" in _text(client.get(url))
    programme = Programme.current()
    for criterion in programme.criteria.filter(archived_at__isnull=True).exclude(
        scores__customer=account.customer
    ):
        account.customer.scores.create(criterion=criterion, score=3)
    assert "The class from the scores is incomplete" not in _text(client.get(url))
