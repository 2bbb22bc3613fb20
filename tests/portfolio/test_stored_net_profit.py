"""The portfolio reads each profitability year's net profit from a column the database computes
and stores on every write (ProfitabilityYear.stored_net_profit, a generated column), so it is
right whoever writes the row: the app's service (new year, edited year, removed year), the
admin's change form, a bulk load, a queryset update and an audit restore. After each write the
performance table's cell, the performance CSV's cell and total, and the profit concentration
are checked against figures worked out here from the planted lines."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from discovery.models import ProfitabilityYear
from discovery.services import profitability_year_delete, profitability_year_save
from tests.admin_pages import admin_change_form, superuser_client
from tests.audit.conftest import restore_url
from tests.common.test_conflict_pages import form_data
from tests.factories import KeyAccountFactory, MembershipFactory

LAST = timezone.localdate().year - 1
DASHBOARD = reverse("portfolio:dashboard")
CSV = reverse("portfolio:performance_csv")
ZERO = Decimal("0")


def _lines(gross_sales, **costs) -> dict:
    fields = {"year": LAST, "gross_sales": Decimal(gross_sales)}
    for name in ProfitabilityYear.MONEY_FIELDS[1:]:
        fields[name] = Decimal(costs.get(name, 0))
    return fields


@pytest.fixture
def baltic(people):
    baltic = KeyAccountFactory(customer__name="Baltic Marine")
    MembershipFactory(user=people.director, key_account=baltic, role=Role.DIRECTOR)
    return baltic


def _csv_cells(client) -> dict[str, dict[str, str]]:
    rows = list(csv.reader(io.StringIO(client.get(CSV).content.decode("utf-8-sig"))))
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def _page_net(html: str, name: str) -> str:
    performance = html[html.index("Revenue and net profit per account") :]
    row = next(r for r in re.findall(r"<tr>.*?</tr>", performance, re.S) if f">{name}</a>" in r)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", row, re.S)]
    return cells[5]


def _check(client, expected: dict[str, Decimal | None]) -> None:
    """Each account's net profit of LAST (None: no figures), on the page and in the CSV, and
    their total and the top account's share of it."""
    html = client.get(DASHBOARD).content.decode()
    cells = _csv_cells(client)
    for name, net in expected.items():
        cell = cells[name][f"Net profit {LAST}"]
        assert (Decimal(cell) if cell else None) == net
        if net is not None:
            assert _page_net(html, name) == f"{'−' if net < 0 else ''}EUR {abs(net):,.0f}"
    reported = [net for net in expected.values() if net is not None]
    total = next(row for name, row in cells.items() if name.startswith("All "))
    assert Decimal(total[f"Net profit {LAST}"]) == sum(reported, ZERO)
    if reported and sum(reported) > 0:
        share = (max(reported) / sum(reported) * 100).quantize(Decimal("0.1"))
        top = re.search(r"Top 1 account</th><td[^>]*>(.*?)</td>", html)[1]
        assert top == f"{share} %"


def test_every_writer_of_a_year_leaves_the_stored_net_profit_right(
    client_for, people, account, baltic
):
    client = client_for(people.director)
    # The team enters Northwind's year in the app: 1,000,000 − 700,000 cost of goods − 50,000
    # transport − 20,000 rebates = 230,000.
    northwind = profitability_year_save(
        account=account,
        row=None,
        fields=_lines(1_000_000, cost_of_goods=700_000, transport=50_000, rebates=20_000),
        acting_user=people.manager,
    )
    # Baltic's year arrives in a bulk load (as the demo data and imports write them):
    # 600,000 − 420,000 − 120,000 KAM team cost − 30,000 other costs = 30,000.
    ProfitabilityYear.objects.bulk_create(
        [
            ProfitabilityYear(
                key_account=baltic,
                **_lines(600_000, cost_of_goods=420_000, kam_team_cost=120_000, other_costs=30_000),
            )
        ]
    )
    _check(client, {"Northwind Foods": Decimal("230000"), "Baltic Marine": Decimal("30000")})

    # Edited in the app: the rebates were 80,000, and customer service cost 15,000:
    # 1,000,000 − 700,000 − 50,000 − 80,000 − 15,000 = 155,000.
    northwind = profitability_year_save(
        account=account,
        row=northwind,
        fields=_lines(
            1_000_000,
            cost_of_goods=700_000,
            transport=50_000,
            rebates=80_000,
            customer_service=15_000,
        ),
        acting_user=people.manager,
        revision=northwind.revision,
    )
    _check(client, {"Northwind Foods": Decimal("155000"), "Baltic Marine": Decimal("30000")})

    # Corrected in the admin: returns of 5,000 and discounts of 10,000 on Baltic:
    # 600,000 − 420,000 − 120,000 − 30,000 − 5,000 − 10,000 = 15,000.
    baltic_row = ProfitabilityYear.objects.get(key_account=baltic)
    admin = superuser_client()
    url = reverse("admin:discovery_profitabilityyear_change", args=[baltic_row.pk])
    form, _ = admin_change_form(admin, url)
    assert admin.post(url, form_data(form, returns="5000", discounts="10000")).status_code == 302
    _check(client, {"Northwind Foods": Decimal("155000"), "Baltic Marine": Decimal("15000")})

    # A queryset update (no save(), no signal): Baltic's gross sales were 550,000, a loss now:
    # 550,000 − 420,000 − 120,000 − 30,000 − 5,000 − 10,000 = −35,000.
    ProfitabilityYear.objects.filter(pk=baltic_row.pk).update(gross_sales=Decimal("550000"))
    _check(client, {"Northwind Foods": Decimal("155000"), "Baltic Marine": Decimal("-35000")})

    # Removed in the app, then restored from the account's history with its last lines.
    northwind_id = northwind.pk
    profitability_year_delete(row=northwind, acting_user=people.director)
    _check(client, {"Northwind Foods": None, "Baltic Marine": Decimal("-35000")})
    restored = client.post(restore_url(account, "profitability_year", northwind_id))
    assert restored.status_code == 302
    assert ProfitabilityYear.objects.filter(pk=northwind_id).exists()
    _check(client, {"Northwind Foods": Decimal("155000"), "Baltic Marine": Decimal("-35000")})


def test_the_stored_net_profit_is_the_models_own_sum(people, account):
    """The column and the model's `net_profit` (used on the account's own pages) agree."""
    row = profitability_year_save(
        account=account,
        row=None,
        fields=_lines(
            "812345.67",
            cost_of_goods="400000.01",
            discounts="1234.5",
            rebates="99.99",
            transport="12000",
            returns="0.01",
            customer_service="7500.25",
            kam_team_cost="60000",
            other_costs="3333.33",
        ),
        acting_user=people.manager,
    )
    stored = ProfitabilityYear.objects.values_list("stored_net_profit", flat=True).get(pk=row.pk)
    by_hand = (
        Decimal("812345.67")
        - Decimal("400000.01")
        - Decimal("1234.5")
        - Decimal("99.99")
        - Decimal("12000")
        - Decimal("0.01")
        - Decimal("7500.25")
        - Decimal("60000")
        - Decimal("3333.33")
    )
    assert stored == row.net_profit == by_hand == Decimal("328177.58")
