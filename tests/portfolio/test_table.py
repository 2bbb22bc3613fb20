"""Sorting, filtering and paging the plan health table."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import KeyAccountFactory, MembershipFactory

URL = reverse("portfolio:dashboard")


def _order(client, **params):
    return [row.name for row in client.get(URL, params).context["page"].object_list]


@pytest.fixture
def dana(client_for, people, portfolio):
    return client_for(people.director)


def test_default_order_is_least_healthy_first(dana):
    assert _order(dana) == ["Dover Tools", "Castello Hotels", "Baltic Marine", "Northwind Foods"]
    assert _order(dana, sort="-health") == [
        "Northwind Foods",
        "Baltic Marine",
        "Castello Hotels",
        "Dover Tools",
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("account", ["Baltic Marine", "Castello Hotels", "Dover Tools", "Northwind Foods"]),
        ("-overdue", ["Castello Hotels", "Baltic Marine", "Dover Tools", "Northwind Foods"]),
        ("class", ["Northwind Foods", "Castello Hotels", "Baltic Marine", "Dover Tools"]),
        ("stage", ["Baltic Marine", "Castello Hotels", "Dover Tools", "Northwind Foods"]),
        ("-cadence", ["Northwind Foods", "Baltic Marine", "Castello Hotels", "Dover Tools"]),
        ("plan", ["Northwind Foods", "Castello Hotels", "Baltic Marine", "Dover Tools"]),
    ],
)
def test_columns_sort_in_the_database(dana, sort, expected):
    assert _order(dana, sort=sort) == expected


def test_unknown_sort_falls_back_to_health(dana):
    assert _order(dana, sort="password") == _order(dana)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"class": "star"}, {"Baltic Marine"}),
        ({"sector": "Hospitality"}, {"Castello Hotels"}),
        ({"health": "poor"}, {"Castello Hotels"}),
        ({"health": "no_plan"}, {"Dover Tools"}),
        ({"health": "good", "class": "star"}, set()),
    ],
)
def test_filters_narrow_the_table(dana, params, expected):
    assert set(_order(dana, **params)) == expected


def test_manager_filter(dana, people):
    names = set(_order(dana, manager=people.manager.pk))
    assert names == {"Northwind Foods", "Baltic Marine", "Castello Hotels"}


def test_filters_apply_to_every_section(dana, people):
    context = dana.get(URL, {"class": "star"}).context
    assert context["accounts_total"] == 1
    assert context["pipeline"]["totals"]["open_value"] == 230000  # Baltic's two open ones
    assert context["performance"]["totals"]["profit_now"] == 300000


def test_table_pages_by_25(client_for, people, portfolio):
    for i in range(30):
        ka = KeyAccountFactory(customer__name=f"Zeta {i:02d}")
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
    client = client_for(people.director)
    first = client.get(URL, {"sort": "account"})
    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(URL, {"sort": "account", "page": 2})
    assert [r.name for r in second.context["page"].object_list][-1] == "Zeta 29"
    by_health = client.get(URL, {"page": 2}).context["page"].object_list
    assert len(by_health) == 9
