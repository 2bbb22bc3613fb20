"""A target's figures read in French: the snapshot keeps them as text ("6472000.00"), and the
plan page, the customer's workspace, the plan PDF's columns and the change history write them
the reader's way (6 472 000,00 · 6,5 M), not with the English decimal point."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from planning.presentation import figure
from tests.factories import ObjectiveFactory, TargetFactory

from .factories import MeasurementFactory

NBSP = "\u00a0"


def test_the_plan_page_writes_a_targets_figures_in_french(client_for, people, account, plan):
    target = TargetFactory(
        objective=ObjectiveFactory(plan=plan),
        kpi="Annual revenue",
        baseline=Decimal("6286000.00"),
        target_value=Decimal("7500000.00"),
    )
    MeasurementFactory(target=target, actual=Decimal("6472000.00"), comment="Monthly report")
    MeasurementFactory(
        target=target, actual=Decimal("6300000.50"), measured_on=date(2026, 1, 5), comment=""
    )
    html = (
        client_for(people.manager)
        .get(reverse("planning:plan", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert f">6{NBSP}286{NBSP}000,00<br>" in html
    assert f">7{NBSP}500{NBSP}000,00</td>" in html
    assert f'data-label="Dernier réel">6{NBSP}472{NBSP}000,00<br>' in html
    assert f"{NBSP}: 6{NBSP}472{NBSP}000,00 — Monthly report" in html
    assert f"5 janv. 2026{NBSP}: 6{NBSP}300{NBSP}000,50</li>" in html
    assert "6472000.00" not in html and "7500000.00" not in html


def test_the_print_columns_abbreviate_the_french_way():
    with translation.override("fr"):
        assert figure("6472000.00") == "6,5 M"
        assert figure("4600000000") == "4,6 Md"
        assert figure("1250.50") == f"1{NBSP}250,50"
        assert figure("300.00") == "300"
    with translation.override("en-gb"):
        assert figure("6472000.00") == "6.5 M"
        assert figure("1250.50") == "1,250.50"
