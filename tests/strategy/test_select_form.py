"""The selection form starts with the class the customer's scores give; a customer whose
scores give none yet (an axis unscored) gets no class pre-filled: the director chooses one."""

import re

from django.urls import reverse

from accounts.models import Customer, Programme
from strategy.services import customers_rescore_all
from tests.factories import CriterionFactory, CustomerFactory


def _selected_class(html: str) -> str | None:
    select = re.search(r'<select name="classification".*?</select>', html, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen.group(1) if chosen else None


def _planted():
    programme = Programme.ensure()
    spend = CriterionFactory(programme=programme, name="Potential spend", weight=2)
    wallet = CriterionFactory(programme=programme, name="Share of wallet", axis="strength")
    scored = CustomerFactory(name="Scored Foods")
    scored.scores.create(criterion=spend, score=5)  # attractiveness 100.00
    scored.scores.create(criterion=wallet, score=2)  # strength 25.00: Star
    half = CustomerFactory(name="Half Scored")
    half.scores.create(criterion=spend, score=5)  # no strength score: no class
    customers_rescore_all(programme=programme)
    return scored, half


def test_the_form_starts_with_the_class_the_scores_give(client_for, people, account):
    scored, _ = _planted()
    page = client_for(people.director).get(reverse("strategy:customer_select", args=[scored.pk]))
    assert "class from scores: Star." in page.content.decode()
    assert _selected_class(page.content.decode()) == "star"


def test_with_no_class_from_the_scores_the_director_chooses_one(client_for, people, account):
    _, half = _planted()
    client = client_for(people.director)
    url = reverse("strategy:customer_select", args=[half.pk])
    html = client.get(url).content.decode()
    assert "class from scores: Not classified." in html
    assert _selected_class(html) == ""  # "Choose a class", not Star as if the scores said so
    assert "The scores give no class yet (an axis has no score): choose one." in html
    decision = {
        "revision": half.revision,
        "scored_class": "",
        "rationale": "Small today, will grow.",
        "director": people.director.pk,
        "manager": people.manager.pk,
    }
    refused = client.post(url, decision)
    assert refused.status_code == 200
    assert "Choose a class: the scores give none yet." in refused.content.decode()
    assert not hasattr(Customer.objects.get(pk=half.pk), "key_account")
    chosen = client.post(url, {**decision, "classification": "star"})
    assert chosen.status_code == 302
    assert Customer.objects.get(pk=half.pk).key_account.classification == "star"
