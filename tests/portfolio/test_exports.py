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
    assert row["Health score"] == "95"
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
