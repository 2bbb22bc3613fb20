"""Profit and revenue against target: targets carry a kind and a unit chosen by their team,
the portfolio sums them by kind per currency (never from the KPI's name), and the programme
has its own profit target for executives (issue 17). Expected sums are worked out here."""

import importlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Programme, Role
from planning.models import Measurement, Target
from tests.factories import (
    AccountPlanFactory,
    KeyAccountFactory,
    MembershipFactory,
    ObjectiveFactory,
    ProfitabilityYearFactory,
    TargetFactory,
)

TODAY = timezone.localdate()
LAST = TODAY.year - 1  # every planted account reports it: the complete year compared
MONEY = {"measure": "amount"}


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _money(value, currency="EUR") -> str:
    return f"{currency} {round(value):,}"


@pytest.fixture
def planted(people):
    """account: (sales, costs) of LAST, and its targets as (kind, currency, value, days to due)."""
    spec = {
        "Alder Foods": (
            (1_000_000, 700_000),
            [("revenue", "EUR", 1_000_000, 100), ("revenue", "EUR", 1_200_000, 300)],
        ),
        "Birch Marine": ((900_000, 800_000), [("revenue", "EUR", 800_000, 200)]),
        "Cedar Hotels": ((400_000, 300_000), [("revenue", "USD", 500_000, 200)]),
        # "Revenue growth" is an amount, but its team did not call it a revenue target.
        "Dover Tools": ((200_000, 150_000), [("other", "EUR", 999, 200)]),
        # The "30 k EUR" net profit target, as the plan editor now stores it.
        "Elm Logistics": ((300_000, 290_000), [("net_profit", "EUR", 30_000, 200)]),
    }
    accounts = {}
    for name, ((sales, costs), targets) in spec.items():
        ka = KeyAccountFactory(customer__name=name)
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
        ProfitabilityYearFactory(
            key_account=ka, year=LAST, gross_sales=Decimal(sales), other_costs=Decimal(costs)
        )
        objective = ObjectiveFactory(plan=AccountPlanFactory(key_account=ka))
        for kind, currency, value, days in targets:
            TargetFactory(
                objective=objective,
                kpi="Revenue growth" if kind == "other" else f"{kind} target",
                kind=kind,
                currency=currency,
                unit=currency,
                target_value=Decimal(value),
                # Due in LAST, the year compared: a target covers its due date's year.
                baseline_on=date(LAST, 1, 1),
                due_on=date(LAST, 1, 1) + timedelta(days=days),
                **MONEY,
            )
        accounts[name] = ka
    return spec


def test_revenue_and_profit_targets_are_summed_by_kind_per_currency(client_for, people, planted):
    text = _text(client_for(people.director).get(reverse("portfolio:dashboard")))
    # Revenue in EUR: Alder's target due last (1.2 M, not 1.0 M) and Birch's 0.8 M; Alder and
    # Birch made 1.0 M + 0.9 M. Cedar's USD target is listed on its own; Dover's is not revenue.
    eur_target = 1_200_000 + 800_000
    eur_actual = planted["Alder Foods"][0][0] + planted["Birch Marine"][0][0]
    attainment = Decimal(eur_actual * 100 / eur_target).quantize(Decimal("0.1"))
    assert (
        f"2 accounts with a revenue target for {LAST} in EUR: {_money(eur_target)}; the 2 that "
        f"reported "
        f"{LAST} made {_money(eur_actual)} against their {_money(eur_target)} ({attainment} %)"
    ) in text
    assert f"1 account with a revenue target for {LAST} in USD: USD 500,000 (not compared" in text
    assert _money(999) not in text
    # Net profit: Elm made 300 k − 290 k = 10 k against 30,000 EUR (not "EUR 30").
    elm_net = 300_000 - 290_000
    assert (
        f"1 account with a net profit target for {LAST} in EUR: {_money(30_000)}; the 1 account "
        f"that "
        f"reported {LAST} made {_money(elm_net)} against its {_money(30_000)} "
        f"({Decimal(elm_net * 100 / 30_000).quantize(Decimal('0.1'))} %)"
    ) in text


def test_the_target_form_takes_kind_unit_and_currency(client_for, people, account):
    plan = AccountPlanFactory(key_account=account)
    objective = ObjectiveFactory(plan=plan)
    url = reverse("planning:item_add_to", args=[account.pk, "target", objective.pk])
    data = {
        "kpi": "Net account profit",
        "kind": "net_profit",
        "measure": "amount",
        "currency": "eur",
        "baseline": "-40000",
        "baseline_on": (TODAY - timedelta(days=30)).isoformat(),
        "target_value": "30000",
        "due_on": (TODAY + timedelta(days=300)).isoformat(),
    }
    client = client_for(people.manager)
    refused = client.post(url, {**data, "currency": ""})
    assert "An amount of money needs its currency" in refused.content.decode()
    refused = client.post(url, {**data, "measure": "percent"})
    assert "A net profit target is measured as “amount of money”." in refused.content.decode()
    assert not Target.objects.exists()
    client.post(url, data)
    target = Target.objects.get()
    assert (target.kind, target.measure, target.currency, target.unit) == (
        "net_profit",
        "amount",
        "EUR",
        "EUR",
    )


def test_the_data_migration_reads_units_where_it_safely_can(people, account):
    migration = importlib.import_module("planning.migrations.0008_target_kind_and_unit")
    objective = ObjectiveFactory(plan=AccountPlanFactory(key_account=account))
    rows = {
        # kpi, unit, baseline, target -> expected kind, measure, currency, unit, scale
        ("Net account profit", "k EUR", "-40", "30"): ("net_profit", "amount", "EUR", "EUR", 1000),
        ("Tender volume awarded to us", "M EUR a year", "0", "3.1"):
            ("other", "amount", "EUR", "EUR a year", 10**6),
        ("Revenue", "EUR", "100", "200"): ("revenue", "amount", "EUR", "EUR", 1),
        ("Share of wallet", "%", "18", "30"): ("other", "percent", "", "%", 1),
        ("Tonnes shipped", "tonnes", "10", "20"): ("volume", "count", "", "tonnes", 1),
        ("Days from request to sample", "days", "21", "7"): ("other", "other", "", "days", 1),
    }  # fmt: skip
    made = {}
    for (kpi, unit, baseline, value), expected in rows.items():
        target = TargetFactory(
            objective=objective,
            kpi=kpi,
            unit=unit,
            baseline=Decimal(baseline),
            target_value=Decimal(value),
        )
        Measurement.objects.create(target=target, measured_on=TODAY, actual=Decimal("-12"))
        made[target.pk] = (Decimal(baseline), Decimal(value), expected)
    migration.infer(apps, None)
    for pk, (baseline, value, expected) in made.items():
        target = Target.objects.get(pk=pk)
        kind, measure, currency, unit, scale = expected
        assert (target.kind, target.measure, target.currency, target.unit) == expected[:4]
        assert target.baseline == baseline * scale
        assert target.target_value == value * scale
        assert target.measurements.get().actual == Decimal("-12") * scale


def test_programme_profit_target_is_set_by_admins_and_shown_to_executives(
    client_for, people, planted
):
    programme = Programme.ensure()
    client = client_for(people.programme_admin)
    response = client.post(
        reverse("strategy:programme_edit"),
        {
            "name": programme.name,
            "trigger": programme.trigger,
            "net_profit_target": "1000000",
            "net_profit_target_year": str(LAST),
            "revision": programme.revision,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = _text(client.get(reverse("strategy:strategy")))
    assert f"{_money(1_000_000)} in {LAST}" in page

    net = sum(sales - costs for (sales, costs), _targets in planted.values())
    share = (Decimal(net) / Decimal(1_000_000) * 100).quantize(Decimal("0.1"))
    text = _text(client_for(people.executive).get(reverse("portfolio:dashboard")))
    assert (
        f'Programme net profit {LAST}: <span class="text-nowrap">{_money(net)}</span> against a '
        f'target of <span class="text-nowrap">{_money(1_000_000)}</span> '
        f'<span class="small">({share} % of target)</span>'
    ) in text
    assert f"All {len(planted)} active key accounts reported {LAST}." in text
    pdf = client_for(people.executive).get(reverse("portfolio:dashboard_pdf"))
    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert f"Programme net profit {LAST}: {_money(net)} of a {_money(1_000_000)} target" in pdf_text
    # Directors see their own accounts only, not the programme's figure.
    director_page = _text(client_for(people.director).get(reverse("portfolio:dashboard")))
    assert "Programme net profit" not in director_page


def test_a_profit_target_needs_its_year(client_for, people):
    programme = Programme.ensure()
    response = client_for(people.programme_admin).post(
        reverse("strategy:programme_edit"),
        {
            "name": programme.name,
            "trigger": programme.trigger,
            "net_profit_target": "1000000",
            "revision": programme.revision,
        },
    )
    assert "A profit target needs both its amount and its year." in response.content.decode()
