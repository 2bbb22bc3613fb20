"""The selection criteria page: a criterion's share of its axis stays on one line."""

from django.urls import reverse

from tests.factories import CriterionFactory


def test_a_criterions_share_is_not_broken_between_number_and_percent(client_for, people):
    CriterionFactory(name="Potential spend", weight=3)
    CriterionFactory(name="Growth potential", weight=5)
    html = client_for(people.programme_admin).get(reverse("strategy:criteria")).content.decode()
    assert '<td class="text-end text-nowrap">37.5 %</td>' in html
