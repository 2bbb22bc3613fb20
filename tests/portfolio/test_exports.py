"""The health table as CSV and the dashboard as a two-page PDF."""

import csv
import io

from django.urls import reverse
from pypdf import PdfReader

from portfolio.views import CSV_HEADER


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_has_the_columns_and_the_filtered_rows(client_for, people, portfolio):
    response = client_for(people.director).get(
        reverse("portfolio:health_csv"), {"sort": "account", "class": "strategic"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0] == CSV_HEADER
    assert [r[0] for r in rows[1:]] == ["Northwind Foods"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Plan status"] == "Approved"
    assert row["Health score"] == "80"
    assert row["Health"] == "Healthy"
    assert row["Engagement cadence kept (%)"] == "50"
    assert row["Link"].endswith(f"/accounts/{portfolio.northwind.pk}/")


def test_csv_cells_cannot_become_formulas(client_for, people, portfolio):
    customer = portfolio.castello.customer
    customer.name = '=HYPERLINK("http://evil")'
    customer.sector = "+cmd"
    customer.save()
    rows = _csv(client_for(people.director).get(reverse("portfolio:health_csv")))
    castello = next(r for r in rows if "HYPERLINK" in r[0])
    assert castello[0].startswith("'=")
    assert castello[2] == "'+cmd"


def test_pdf_is_at_most_two_pages_with_the_key_text(client_for, people, portfolio):
    response = client_for(people.director).get(reverse("portfolio:dashboard_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("Portfolio dashboard", "Portfolio matrix", "Plan health", "Pipeline",
                     "Northwind Foods", "Castello Hotels", "Class × relationship stage",
                     "Manager workload"):  # fmt: skip
        assert expected in text, expected
    assert "Helios" not in text


def test_pdf_stays_two_pages_with_many_accounts(client_for, people, portfolio):
    from accounts.models import Role
    from tests.factories import KeyAccountFactory, MembershipFactory

    for i in range(60):
        ka = KeyAccountFactory(
            customer__name=f"Generated account with a rather long name {i:02d}",
            customer__attractiveness_score=i,
            customer__strength_score=100 - i,
        )
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
    response = client_for(people.director).get(reverse("portfolio:dashboard_pdf"))
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2


def test_targets_csv_lists_each_teams_targets_with_their_status(client_for, people, portfolio):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from planning.models import Target
    from portfolio.views import TARGETS_CSV_HEADER
    from tests.factories import ObjectiveFactory, TargetFactory
    from tests.planning.factories import MeasurementFactory

    today = timezone.localdate()
    revenue = Target.objects.get(objective__plan__key_account=portfolio.northwind, kpi="Revenue")
    MeasurementFactory(
        target=revenue, actual=revenue.target_value, measured_on=today - timedelta(days=1)
    )
    share = Target.objects.get(
        objective__plan__key_account=portfolio.northwind, kpi__startswith="Share"
    )
    MeasurementFactory(target=share, actual=Decimal("95.8"), measured_on=today)
    helios_plan = portfolio.helios.plans.get(is_current=True)
    TargetFactory(objective=ObjectiveFactory(plan=helios_plan), kpi="Secret Helios KPI")
    rows = _csv(client_for(people.director).get(reverse("portfolio:targets_csv")))
    assert rows[0] == TARGETS_CSV_HEADER
    by_kpi = {r[5]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_kpi) == {"Revenue", "Net profit", "Share of wallet"}  # not Helios's
    assert by_kpi["Revenue"]["Manager"] == "Max Manager"
    assert by_kpi["Revenue"]["Account"] == "Northwind Foods"
    assert by_kpi["Revenue"]["Status"] == "On track"
    assert by_kpi["Revenue"]["Progress (%)"] == "100"
    assert by_kpi["Net profit"]["Status"] == "No measurement yet"
    # The amount to the cent, as stored (SQLite gave "95.8000000000000").
    assert by_kpi["Share of wallet"]["Latest actual"] == "95.80"
    assert Decimal(by_kpi["Net profit"]["Target"]) == Decimal("700000")
    executive = _csv(client_for(people.executive).get(reverse("portfolio:targets_csv")))
    assert "Secret Helios KPI" in {r[5] for r in executive[1:]}


def test_csv_money_columns_say_their_currency(client_for, people, portfolio):
    """The money columns keep their names and places (other tools read them); a Currency
    column, last, says in which currency each row's money is: the programme's, the only one the
    value and the revenue and profit columns count."""
    from accounts.models import Programme

    programme = Programme.ensure()
    programme.currency = "CHF"
    programme.save()
    client = client_for(people.director)
    health = _csv(client.get(reverse("portfolio:health_csv")))
    assert health[0][-2:] == ["Link", "Currency"]
    assert health[0][:-1] == [str(h) for h in CSV_HEADER[:-1]]
    assert {row[-1] for row in health[1:]} == {"CHF"}
    performance = _csv(client.get(reverse("portfolio:performance_csv")))
    header = performance[0]
    assert header[8:10] == ["Net profit change (%)", "Currency"]
    assert all(len(row) == len(header) for row in performance)
    assert {dict(zip(header, row, strict=True))["Currency"] for row in performance[1:]} == {"CHF"}
