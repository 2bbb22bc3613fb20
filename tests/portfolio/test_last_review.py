"""One meaning of "last review" (issue 17): the later of the current plan's latest completed
quarterly review and its approval — what the plan page's health counts — on the dashboard, its
CSV and its PDF. Expected dates are worked out here from the planted rows."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from planning.models import Review
from tests.factories import AccountPlanFactory, KeyAccountFactory, MembershipFactory

NOW = timezone.now()

# account: (approved days ago, completed review days ago); None = never.
PLANTED = {
    "Alder Foods": (10, None),  # approved only: the approval is the last review
    "Birch Marine": (100, 20),  # reviewed after the approval
    "Cedar Hotels": (5, 50),  # approved after the review
    "Dover Tools": (None, None),  # never
}


@pytest.fixture
def planted(people):
    for name, (approved, reviewed) in PLANTED.items():
        ka = KeyAccountFactory(customer__name=name)
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
        plan = AccountPlanFactory(
            key_account=ka,
            status="approved" if approved is not None else "draft",
            approved_at=NOW - timedelta(days=approved) if approved is not None else None,
        )
        if reviewed is not None:
            day = (NOW - timedelta(days=reviewed)).date()
            Review.objects.create(
                plan=plan,
                quarter=f"{day.year}-Q{(day.month - 1) // 3 + 1}",
                opened_on=day - timedelta(days=3),
                due_on=day + timedelta(days=27),
                completed_at=NOW - timedelta(days=reviewed),
            )


def _expected(name):
    days = [d for d in PLANTED[name] if d is not None]
    return timezone.localdate(NOW - timedelta(days=min(days))) if days else None


def test_dashboard_csv_and_pdf_count_an_approval_as_a_review(client_for, people, planted):
    client = client_for(people.director)
    page = client.get(reverse("portfolio:dashboard"), {"sort": "account"})
    rows = {row.name: row for row in page.context["page"]}
    for name in PLANTED:
        shown = rows[name].last_review_at
        assert (timezone.localdate(shown) if shown else None) == _expected(name), name
    html = " ".join(page.content.decode().split())
    assert "Last review: the later of the plan&#x27;s latest completed quarterly review" in html

    table = list(
        csv.reader(
            io.StringIO(client.get(reverse("portfolio:health_csv")).content.decode("utf-8-sig"))
        )
    )
    cells = {r[0]: dict(zip(table[0], r, strict=True))["Last review"] for r in table[1:]}
    for name in PLANTED:
        expected = _expected(name)
        assert cells[name] == (expected.isoformat() if expected else ""), name

    pdf = client.get(reverse("portfolio:dashboard_pdf"), {"sort": "account"})
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    alder = _expected("Alder Foods")
    assert "Alder Foods" in text and f"{alder.day} {alder:%b %Y}" in text


def test_the_plan_page_counts_the_same_date(client_for, people, planted):
    """Plan health on the plan page says how long ago the plan was last reviewed: the same
    date the dashboard shows (Alder: its approval 10 days ago, never reviewed since, so the
    rule names the approval as the stored health does)."""
    from accounts.models import KeyAccount

    alder = KeyAccount.objects.get(customer__name="Alder Foods")
    page = client_for(people.director).get(reverse("planning:plan", args=[alder.pk]))
    days = (timezone.localdate() - _expected("Alder Foods")).days
    assert f"Approved {days} days ago" in page.content.decode()
