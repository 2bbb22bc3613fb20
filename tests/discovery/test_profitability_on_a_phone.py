"""The year-by-year tables on a phone: the profitability years × lines table ran off a 390 px
screen behind a sideways scroll. Under 576 px each year is a card listing its lines (label:
value), the same table turned a quarter and drawn by the phone's card style (`table-cards`);
from 576 px the table is unchanged. The lifetime value's years become cards the same way."""

import re

from django.urls import reverse

from discovery.models import LifetimeValueAssumption
from tests.factories import ProfitabilityYearFactory

from .in_place_cases import year_data


def _cards(html, table_class):
    """Each card (a row of the phone table) as its title and its (label, value) lines."""
    table = re.search(rf'<table class="[^"]*{table_class}[^"]*">(.*?)</table>', html, re.S)
    assert table, table_class
    cards = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table[1].split("</thead>")[1], re.S):
        cells = re.findall(r"<t[dh]([^>]*)>(.*?)</t[dh]>", row, re.S)
        title = re.sub(r"<[^>]+>", "", cells[0][1]).strip()
        lines = [
            (re.search(r'data-label="([^"]*)"', attrs)[1], re.sub(r"<[^>]+>", "", text).strip())
            for attrs, text in cells[1:]
            if "data-label" in attrs
        ]
        cards.append((title, lines))
    return cards


def test_each_year_is_a_card_of_its_lines_on_a_phone(client_for, people, account):
    client = client_for(people.manager)
    url = reverse("discovery:year_create", args=[account.pk])
    client.post(url, year_data())  # 2025: net 195,000 (see year_data)
    client.post(url, year_data(year="2024", gross_sales="800000", cost_of_goods="700000"))
    html = client.get(reverse("discovery:profitability", args=[account.pk])).content.decode()
    cards = dict(_cards(html, "profitability-cards"))
    assert list(cards) == ["2024", "2025"]  # in the table's order, one card per year
    lines = dict(cards["2025"])
    assert lines["Gross sales"] == "EUR 1,000,000"
    assert lines["Gross margin"] == "EUR 350,000"  # 1,000,000 − 650,000
    assert lines["Cost to serve:"] == ""  # the group's heading, its lines under it
    assert lines["Transport"] == "EUR 30,000"
    assert lines["Cost to serve, total"] == "EUR 155,000"
    assert lines["Net account profit (gross margin − cost to serve)"] == "EUR 195,000"
    assert lines["Net margin %"] == "19.5 %"
    # 2024: gross margin 100,000 − cost to serve 155,000 = −55,000, a loss drawn in red.
    assert dict(cards["2024"])["Net account profit (gross margin − cost to serve)"] == (
        "−EUR 55,000"
    )
    assert re.search(r'data-label="Net account profit[^"]*" class="[^"]*text-overdue', html)
    # Each card carries its year's Edit and Remove, named for the year.
    phone = html.split('class="table table-sm table-cards profitability-cards"')[1]
    assert 'Edit<span class="visually-hidden"> 2024</span>' in phone.split("</table>")[0]
    # The desktop table is still there, shown from 576 px; the cards only below it.
    assert '<div class="table-responsive d-none d-sm-block" tabindex="0" role="region"' in html
    assert '<div class="d-sm-none">\n<table class="table table-sm table-cards profitability' in html


def test_read_only_members_get_cards_without_buttons(client_for, people, account):
    ProfitabilityYearFactory(key_account=account, year=2025, gross_sales=100000)
    html = client_for(people.executive).get(reverse("discovery:profitability", args=[account.pk]))
    phone = html.content.decode().split("profitability-cards")[1].split("</table>")[0]
    assert "2025" in phone and "Edit" not in phone and "<form" not in phone


def test_the_lifetime_values_years_are_cards_on_a_phone(client_for, people, account):
    # Base 100,000, growth 0 %, discount 0 %, 2 years: 100,000 a year, factor 1, total 200,000.
    ProfitabilityYearFactory(key_account=account, year=2025, gross_sales=100000)
    LifetimeValueAssumption.objects.create(
        key_account=account, growth_rate_percent=0, discount_rate_percent=0, horizon_years=2
    )
    html = client_for(people.manager).get(reverse("discovery:profitability", args=[account.pk]))
    cards = _cards(html.content.decode(), "clv-years")
    assert cards[0][1] == [
        ("Expected profit", "EUR 100,000.00"),
        ("Discount factor", "1.000000"),
        ("Present value", "EUR 100,000.00"),
    ]
    assert cards[-1] == (
        "Total",
        [("Expected profit", "EUR 200,000.00"), ("Present value", "EUR 200,000.00")],
    )
