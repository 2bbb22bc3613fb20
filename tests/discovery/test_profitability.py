"""Profitability years, the trend chart, and lifetime value as readers and editors meet them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from common import charts
from discovery.models import LifetimeValueAssumption, ProfitabilityYear
from tests.factories import KeyAccountFactory, MembershipFactory, ProfitabilityYearFactory

from .in_place_cases import year_data

_year = year_data  # gross margin 350,000, cost to serve 155,000, net 195,000


def test_manager_records_a_year_and_everyone_on_the_team_reads_it(client_for, people, account):
    response = client_for(people.manager).post(
        reverse("discovery:year_create", args=[account.pk]), _year()
    )
    assert response.status_code == 302
    for persona in ("coordinator", "team_member", "executive"):
        html = client_for(getattr(people, persona)).get(
            reverse("discovery:profitability", args=[account.pk])
        )
        html = html.content.decode()
        assert "EUR 195,000" in html  # net account profit: 350,000 − 155,000
        assert "19.5 %" in html
        assert "Add a year" not in html


def test_negative_sales_are_refused_and_nothing_typed_is_lost(client_for, people, account):
    response = client_for(people.manager).post(
        reverse("discovery:year_create", args=[account.pk]),
        _year(gross_sales="-5", transport="31234"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gross sales cannot be negative" in html
    assert 'value="31234"' in html
    assert not ProfitabilityYear.objects.exists()


def test_a_year_can_only_be_recorded_once(client_for, people, account):
    ProfitabilityYearFactory(key_account=account, year=2025)
    response = client_for(people.manager).post(
        reverse("discovery:year_create", args=[account.pk]), _year()
    )
    assert response.status_code == 200
    assert "2025 is already recorded" in response.content.decode()


def test_trend_chart_shows_a_loss_below_the_zero_line(client_for, people, account):
    ProfitabilityYearFactory(key_account=account, year=2024, gross_sales=Decimal("500000"))
    ProfitabilityYearFactory(
        key_account=account,
        year=2025,
        gross_sales=Decimal("400000"),
        cost_of_goods=Decimal("300000"),
        transport=Decimal("124000"),
    )
    response = client_for(people.team_member).get(
        reverse("discovery:profitability", args=[account.pk])
    )
    html = response.content.decode()
    chart = response.context["chart"]
    assert ("Net loss", charts.RED) in {(i["label"], i["fill"]) for i in chart["legend"]}
    loss_bar = [b for b in chart["bars"] if b["title"].startswith("2025 Net loss")][0]
    assert loss_bar["y"] == chart["zero"] and loss_bar["fill"] == charts.RED
    # Gross margin 400,000 − 300,000 = 100,000; cost to serve 124,000; net −24,000.
    assert (
        "2025: gross sales EUR 400,000, gross margin EUR 100,000, cost to serve EUR 124,000, "
        "net profit −EUR 24,000." in html
    )
    assert 'role="img"' in html


def test_lifetime_value_defaults_to_the_latest_years_profit(client_for, people, account):
    ProfitabilityYearFactory(key_account=account, year=2025, gross_sales=Decimal("100000"))
    LifetimeValueAssumption.objects.create(
        key_account=account,
        growth_rate_percent=Decimal("10"),
        discount_rate_percent=Decimal("10"),
        horizon_years=3,
    )
    response = client_for(people.coordinator).get(
        reverse("discovery:profitability", args=[account.pk])
    )
    html = response.content.decode()
    assert "Computed net profit of 2025 (gross margin − cost to serve)" in html
    assert "EUR 272,727.27" in html  # see test_lifetime_value for the arithmetic
    assert "1 (2026)" in html and "3 (2028)" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("discount_rate_percent", "150", "The discount rate must be between 0 and 100 %."),
        ("discount_rate_percent", "-1", "The discount rate must be between 0 and 100 %."),
        ("horizon_years", "31", "The horizon must be between 1 and 30 years."),
    ],
)
def test_out_of_range_assumptions_are_refused(client_for, people, account, field, value, message):
    data = {
        "base_profit": "123456",
        "growth_rate_percent": "4",
        "discount_rate_percent": "8",
        "horizon_years": "5",
        field: value,
    }
    response = client_for(people.director).post(
        reverse("discovery:lifetime_value_edit", args=[account.pk]), data
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="123456"' in html
    assert not LifetimeValueAssumption.objects.exists()


def test_director_saves_assumptions(client_for, people, account):
    response = client_for(people.director).post(
        reverse("discovery:lifetime_value_edit", args=[account.pk]),
        {
            "base_profit": "",
            "growth_rate_percent": "5",
            "discount_rate_percent": "0",
            "horizon_years": "30",
        },  # fmt: skip
    )
    assert response.status_code == 302
    saved = LifetimeValueAssumption.objects.get(key_account=account)
    assert (saved.discount_rate_percent, saved.horizon_years) == (Decimal("0"), 30)


def test_discovery_index_costs_the_same_queries_at_two_sizes(
    client_for, people, django_assert_max_num_queries
):
    client = client_for(people.manager)

    def add(n):
        for i in range(n):
            account = KeyAccountFactory()
            MembershipFactory(user=people.manager, key_account=account, role="manager")
            ProfitabilityYearFactory(key_account=account, year=2024 + i % 2)

    add(2)
    # +2: the first page view creates the Programme and its history row (audit), and the
    # navbar's unread-notification badge (rhythm).
    with django_assert_max_num_queries(10):
        assert client.get(reverse("discovery:index")).status_code == 200
    add(30)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("discovery:index"))
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()


def test_profitability_chart_labels_billions_briefly():
    # The axis printed "2500.0 M" for a customer with billions in sales.
    from common.charts import compact

    assert compact(2_500_000_000) == "2.5 bn"
    assert compact(1_900_000) == "1.9 M"
