"""The dashboard, its CSV and its PDF cost the same number of queries at two data sizes."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Role
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    KeyAccountFactory,
    MembershipFactory,
    ObjectiveFactory,
    OpportunityFactory,
    ProfitabilityYearFactory,
    TargetFactory,
    UserFactory,
)
from tests.pdf_stub import UNRENDERED, pdf_layout_skipped
from tests.planning.factories import MeasurementFactory

_serial = count()
# With today's plan health scores stored (the nightly job's work, or an earlier view). The page's
# navbar badge costs no query (its unread count comes with the user). Each table
# row's "why" (overdue actions by name) is one query; a director's page adds their decision
# inbox (programme, plans, two for quotes, escalated reviews, proposals; PostgreSQL one more).
# The page and its PDF add one for the value delivered this year across the portfolio (the
# table's confirmed value and open issues are columns of its one query).
LIMITS = {
    "portfolio:dashboard": 36,
    "portfolio:health_csv": 8,
    "portfolio:targets_csv": 6,
    "portfolio:dashboard_pdf": 31,
}
# Plans that changed since their score was stored are recomputed first, in batches of 500: find
# them, seven queries of facts (six of planning's, one of outcomes': value and issues), one of
# the plans' open and overdue actions (stored beside the score), one update in a savepoint (two
# statements).
STALE_EXTRA = 13


def _grow(people, n):
    today = timezone.localdate()
    for _ in range(n):
        i = next(_serial)
        ka = KeyAccountFactory(
            customer__attractiveness_score=Decimal(i % 100),
            customer__strength_score=Decimal((i * 7) % 100),
            classification=["strategic", "star", "status", "streamline"][i % 4],
        )
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
        MembershipFactory(user=UserFactory(), key_account=ka, role=Role.MANAGER)
        plan = AccountPlanFactory(key_account=ka, status=["draft", "submitted"][i % 2])
        ActionFactory(plan=plan, due_on=today - timedelta(days=2))
        ActionFactory(plan=plan)
        EngagementActivityFactory(plan=plan)
        target = TargetFactory(objective=ObjectiveFactory(plan=plan))
        MeasurementFactory(target=target)
        OpportunityFactory(key_account=ka, status="won", expected_start_on=today)
        ProfitabilityYearFactory(key_account=ka, year=today.year)
        AccountEvent.objects.create(
            key_account=ka,
            kind="class_changed",
            summary="Class changed",
            old_value="streamline",
            new_value=ka.classification,
            occurred_at=timezone.now(),
        )


@pytest.mark.parametrize("name", sorted(LIMITS))
@pytest.mark.parametrize("user", ["director", "executive"])
def test_bounded_queries_at_two_sizes(
    name, user, client_for, people, portfolio, django_assert_max_num_queries
):
    client = client_for(getattr(people, user))
    url = reverse(name)
    query = {"sort": "-on_track", "bubble": "profit"}
    _grow(people, 3)
    # The PDF's layout (WeasyPrint) reads nothing from the database; it is left out here and
    # drawn for real, with many accounts, by tests/portfolio/test_exports.py.
    with pdf_layout_skipped():
        with django_assert_max_num_queries(LIMITS[name] + STALE_EXTRA):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(LIMITS[name]):
            assert client.get(url).status_code == 200
        _grow(people, 45)
        with django_assert_max_num_queries(LIMITS[name] + STALE_EXTRA):
            assert client.get(url, query).status_code == 200
        with django_assert_max_num_queries(LIMITS[name]):
            response = client.get(url, query)
    assert response.status_code == 200
    assert (response.content == UNRENDERED) == name.endswith("_pdf")
