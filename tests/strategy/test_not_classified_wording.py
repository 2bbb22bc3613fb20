"""A customer the scores place in no class yet (an axis without a score) is "Not classified"
— one wording (accounts.models.NOT_CLASSIFIED), "Non classé" in French — wherever it shows:
the customer list (badge and filter), the customer page, the matrix page, the selection form,
the rescoring message, the change histories."""

import re

import pytest
from django.urls import reverse

from accounts.models import NOT_CLASSIFIED, Programme, classification_label
from strategy.services import customers_rescore_all
from tests.factories import (
    CriterionFactory,
    CustomerFactory,
    KeyAccountFactory,
    MembershipFactory,
)

OTHER_WORDINGS = ("Unclassified", "Not yet classified", "Not classified yet", "not classified yet")


@pytest.fixture
def planted(db):
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


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _get(client, name, *args, query="") -> str:
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, name: str) -> str:
    return _text(html.split(name, 1)[1].split("</tr>", 1)[0])


def test_the_one_label_and_its_french():
    assert classification_label("") == NOT_CLASSIFIED == "Not classified"
    assert classification_label("star") == "Star"
    from django.utils import translation

    with translation.override("fr"):
        assert str(NOT_CLASSIFIED) == "Non classé"


def test_the_customer_list_badge_and_filter_say_not_classified(client_for, people, planted):
    client = client_for(people.programme_admin)
    html = _get(client, "strategy:customer_list")
    assert "— Not classified Incomplete: 1 of 2 scored" in _row(html, "Half Scored")
    assert "Star" in _row(html, "Scored Foods")
    option = re.search(r'<option value="none"[^>]*>([^<]*)</option>', html).group(1)
    assert option == "Not classified"
    filtered = _get(client, "strategy:customer_list", query="?class=none")
    assert "Half Scored" in filtered and "Scored Foods" not in filtered
    for other in OTHER_WORDINGS:
        assert other not in html


def test_the_customer_page_matrix_and_selection_form_say_not_classified(
    client_for, people, account, planted
):
    _scored, half = planted
    client = client_for(people.programme_admin)
    detail = _text(_get(client, "strategy:customer_detail", half.pk))
    assert "Class from scores Not classified" in detail
    matrix = _get(client, "strategy:matrix")
    unplaced = _text(matrix.split('<h2 class="h5">Not classified</h2>', 1)[1].split("</ul>")[0])
    assert unplaced.startswith("Not on the matrix yet: they need at least one score on each axis.")
    assert "Half Scored" in unplaced
    select = _text(_get(client_for(people.director), "strategy:customer_select", half.pk))
    assert "class from scores: Not classified." in select
    for page in (detail, matrix, select):
        for other in OTHER_WORDINGS:
            assert other not in page


def test_a_class_lost_by_rescoring_reads_not_classified_in_each_history(
    client_for, people, planted
):
    scored, _half = planted
    account = KeyAccountFactory(customer=scored, classification="star")
    MembershipFactory(user=people.director, key_account=account, role="director")
    # Its strength score goes: attractiveness 100, strength none -> Star becomes no class.
    scored.scores.filter(criterion__axis="strength").delete()
    customers_rescore_all(programme=Programme.current(), acting_user=people.programme_admin)
    client = client_for(people.programme_admin)
    detail = _text(_get(client, "strategy:customer_detail", scored.pk))
    assert "Star → Not classified" in detail
    history = _get(client_for(people.director), "audit:account_history", account.pk)
    row = _text(history.split("Not classified", 1)[0].rsplit("<tr", 1)[1])
    assert "Star" in row, row


def test_in_french_every_page_says_non_classe(client_for, people, planted):
    _scored, half = planted
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    client = client_for(people.programme_admin)
    html = _get(client, "strategy:customer_list")
    assert "Non classé" in _row(html, "Half Scored")
    assert re.search(r'<option value="none"[^>]*>Non classé</option>', html)
    detail = _text(_get(client, "strategy:customer_detail", half.pk))
    assert "Non classé" in detail
    for page in (html, detail):
        assert "Pas encore class" not in page and "non classé" not in page
