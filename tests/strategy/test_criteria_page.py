"""The selection criteria page: a criterion's share of its axis stays on one line."""

from django.urls import reverse

from tests.factories import CriterionFactory


def test_a_criterions_share_is_not_broken_between_number_and_percent(client_for, people):
    CriterionFactory(name="Potential spend", weight=3)
    CriterionFactory(name="Growth potential", weight=5)
    html = client_for(people.programme_admin).get(reverse("strategy:criteria")).content.decode()
    assert '<td class="text-end text-nowrap">37.5 %</td>' in html


def _post_criterion(client, weight):
    return client.post(
        reverse("strategy:criterion_add"),
        {
            "axis": "attractiveness",
            "name": "Share of wallet",
            "description": "",
            "weight": str(weight),
            "scale_1": "Under 10 %",
            "scale_3": "About a third",
            "scale_5": "Over half",
            "revision": "0",
        },
    )


def test_a_weight_has_the_same_upper_limit_on_every_database(client_for, people):
    from strategy.models import SelectionCriterion

    client = client_for(people.programme_admin)
    response = _post_criterion(client, 40000)
    html = response.content.decode()
    assert response.status_code == 200
    assert "A weight is at most 1000: weights only count against each other." in html
    assert 'value="Share of wallet"' in html  # what was typed is kept
    assert not SelectionCriterion.objects.filter(name="Share of wallet").exists()

    assert _post_criterion(client, 1000).status_code == 302
    assert SelectionCriterion.objects.get(name="Share of wallet").weight == 1000
