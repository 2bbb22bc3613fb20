"""Ranking candidates: the customer list sorts by either axis score, revenue or potential
spend (up or down; customers with no score on the axis last either way), keeps its filters,
and its CSV comes in the same order."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Programme
from strategy.services import customers_rescore_all
from tests.factories import CriterionFactory, CustomerFactory, KeyAccountFactory


@pytest.fixture
def ranked(people):
    """Attractiveness from one criterion of weight 3 and one of weight 1; strength from one."""
    programme = Programme.ensure()
    spend = CriterionFactory(programme=programme, name="Potential spend", weight=3)
    growth = CriterionFactory(programme=programme, name="Growth", weight=1)
    wallet = CriterionFactory(programme=programme, name="Share of wallet", axis="strength")
    planted = {
        # name: (spend, growth, wallet, revenue in thousands)
        "Alpha Foods": (2, 5, 4, 900),  # (3·1 + 1·4) / 16 = 43.75; strength 75.00
        "Beta Retail": (5, 1, 1, 300),  # (3·4 + 0) / 16 = 75.00; strength 0.00
        "Gamma Hotels": (3, 3, 2, 1200),  # (3·2 + 1·2) / 16 = 50.00; strength 25.00
        "Delta Fresh": (None, None, 5, 50),  # no attractiveness score
    }
    customers = {}
    for name, (s, g, w, revenue) in planted.items():
        customers[name] = customer = CustomerFactory(
            name=name, annual_revenue=Decimal(revenue * 1000)
        )
        for criterion, score in ((spend, s), (growth, g), (wallet, w)):
            if score is not None:
                customer.scores.create(criterion=criterion, score=score)
    KeyAccountFactory(customer=customers["Gamma Hotels"])
    customers_rescore_all(programme=programme)
    return customers


def _names(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.findall(r'<a href="/strategy/customers/\d+/">([^<]+)</a>', body)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-attractiveness", ["Beta Retail", "Gamma Hotels", "Alpha Foods", "Delta Fresh"]),
        ("attractiveness", ["Alpha Foods", "Gamma Hotels", "Beta Retail", "Delta Fresh"]),
        ("-strength", ["Delta Fresh", "Alpha Foods", "Gamma Hotels", "Beta Retail"]),
        ("-revenue", ["Gamma Hotels", "Alpha Foods", "Beta Retail", "Delta Fresh"]),
        ("", ["Alpha Foods", "Beta Retail", "Delta Fresh", "Gamma Hotels"]),
        ("nonsense", ["Alpha Foods", "Beta Retail", "Delta Fresh", "Gamma Hotels"]),
    ],
)
def test_the_list_ranks_customers_by_the_column_asked(client_for, people, ranked, sort, expected):
    page = client_for(people.programme_admin).get(reverse("strategy:customer_list"), {"sort": sort})
    assert _names(page.content.decode()) == expected


def test_a_sort_keeps_the_filters_and_the_export_follows_it(client_for, people, ranked):
    client = client_for(people.programme_admin)
    html = client.get(
        reverse("strategy:customer_list"), {"selected": "candidate", "sort": "-attractiveness"}
    ).content.decode()
    # Gamma is a key account: filtered out; the ranking of the others stays.
    assert _names(html) == ["Beta Retail", "Alpha Foods", "Delta Fresh"]
    header = re.search(r'<th scope="col"[^>]*aria-sort="descending">(.*?)</th>', html).group(1)
    assert header == '<a href="?selected=candidate&amp;sort=attractiveness">Attractiveness ▼</a>'
    export = re.search(r'href="(/strategy/customers/export\.csv[^"]*)"', html).group(1)
    response = client.get(export.replace("&amp;", "&"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["name"], r["attractiveness_score"]) for r in rows] == [
        ("Beta Retail", "75.00"),
        ("Alpha Foods", "43.75"),
        ("Delta Fresh", ""),
    ]


def test_the_filter_form_carries_the_sort_and_a_phone_reads_each_customer_as_a_card(
    client_for, people, ranked
):
    """The column headers, the only way to sort, are hidden on a phone where each customer is a
    card; and filtering from the form went back to the name order. The form's 'Sort by' keeps
    the sort and offers it on a phone; each card cell names its column."""
    client = client_for(people.programme_admin)
    html = client.get(
        reverse("strategy:customer_list"), {"sort": "-attractiveness", "selected": "candidate"}
    ).content.decode()
    # 75.00, 43.75, then no score; Gamma Hotels (a key account) filtered out.
    assert _names(html) == ["Beta Retail", "Alpha Foods", "Delta Fresh"]
    sort = re.search(r'<select id="sort" name="sort".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)" selected>([^<]*)<', sort) == [
        ("-attractiveness", "Attractiveness, highest first")
    ]
    assert 'class="table table-cards' in html
    beta = re.search(r"<tr>\s*<td><a [^>]*>Beta Retail</a>.*?</tr>", html, re.S).group(0)
    cells = dict(re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', beta, re.S))
    assert cells["Attractiveness"] == "75.00"
    assert cells["Strength"] == "0.00"
    assert cells["Revenue with us"] == "EUR 300,000"
