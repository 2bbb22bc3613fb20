"""A quarterly review's walk-through and the account's progress page write a target's
baseline, target and actuals as the plan page writes them (the reader's number format, the
minus sign), not as the database stores them: the director compared '6100000.00' on the
review with '6,100,000.00' on the plan."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Opportunity
from planning.models import Measurement
from tests.delivery.factories import CheckInFactory
from tests.factories import ObjectiveFactory, OpportunityFactory, TargetFactory

from .factories import ReviewFactory


@pytest.fixture
def revenue_target(plan, people):
    today = timezone.localdate()
    target = TargetFactory(
        objective=ObjectiveFactory(plan=plan, title="Win the tender lots"),
        kpi="Revenue with the tender lots",
        unit="EUR a year",
        baseline=Decimal("6100000"),
        target_value=Decimal("9200000"),
    )
    Measurement.objects.create(
        target=target, measured_on=today - timedelta(days=1), actual=Decimal("6472000.50")
    )
    TargetFactory(
        objective=target.objective,
        kpi="Net account profit",
        baseline=Decimal("-40000"),
        target_value=Decimal("30000"),
    )
    return target


def _text(html: str) -> str:
    # Not str.split(): it would split the French figures at their no-break spaces.
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    "language, figures",
    [
        ("en", ["6,100,000.00", "9,200,000.00", "6,472,000.50", "−40,000.00", "30,000.00"]),
        (
            "fr",
            [
                "6\u00a0100\u00a0000,00",
                "9\u00a0200\u00a0000,00",
                "6\u00a0472\u00a0000,50",
                "−40\u00a0000,00",
                "30\u00a0000,00",
            ],
        ),
    ],
)
def test_review_and_progress_pages_write_figures_as_the_plan_page(
    client_for, people, plan, revenue_target, language, figures
):
    people.director.language = language
    people.director.save()
    review = ReviewFactory(plan=plan)
    client = client_for(people.director)
    account_id = plan.key_account_id
    plan_page = _text(client.get(reverse("planning:plan", args=[account_id])).content.decode())
    pages = {
        "review": client.get(reverse("rhythm:review", args=[account_id, review.pk])),
        "progress": client.get(reverse("delivery:progress", args=[account_id])),
    }
    for figure in figures:
        assert figure in plan_page, figure
    for name, response in pages.items():
        assert response.status_code == 200
        text = _text(response.content.decode())
        for figure in figures:
            assert figure in text, (name, figure)
        for raw in ("6100000", "9200000", "6472000", "-40000"):
            assert raw not in text, (name, raw)


def test_the_french_review_writes_its_colons_and_percentages_the_french_way(
    client_for, people, plan, revenue_target
):
    """'4 déc. 2026: Send…' and '12 % / 31 %' with plain spaces read as English on the French
    review; French puts a no-break space before the colon and the percent sign."""
    opportunity = OpportunityFactory(
        key_account=plan.key_account,
        title="Tender lots",
        decision=Opportunity.Decision.PURSUE,
        status=Opportunity.Status.PURSUING,
    )
    CheckInFactory(opportunity=opportunity, checked_on=date(2026, 12, 4), next_step="Send lots")
    people.director.language = "fr"
    people.director.save()
    review = ReviewFactory(plan=plan)
    response = client_for(people.director).get(
        reverse("rhythm:review", args=[plan.key_account_id, review.pk])
    )
    text = _text(response.content.decode())
    assert "4 déc. 2026\u00a0: Send lots" in text
    # (6472000.50 − 6100000) ÷ (9200000 − 6100000) = 372000.50 ÷ 3100000 = 12 %.
    assert re.search("12\u00a0% / \\d+\u00a0%", text)
    assert "4 déc. 2026: " not in text
