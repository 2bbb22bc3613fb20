"""Target attainment of the accounts in view, for the CSV export."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef
from django.utils import timezone

from accounts.models import Role
from planning.models import Target
from planning.selectors import with_latest_measurement, with_status

from .base import person_with_role
from .health import apply_health, refresh_health
from .scope import PortfolioFilters, portfolio_scope


def target_attainment(*, user, filters: PortfolioFilters, today: date | None = None) -> list:
    """Every live target of the current plans in view, with its account's manager and director
    and its status by planning's rule: what a director needs for a team's bonus review. Two
    queries (targets with their latest measurement and people; the programme is cached)."""
    today = today or timezone.localdate()
    narrowed = filters.narrow(portfolio_scope(user=user))
    refresh_health(accounts=narrowed, today=today)
    accounts = apply_health(narrowed, bucket=filters.health)
    account = OuterRef("objective__plan__key_account")
    rows = (
        with_latest_measurement(
            Target.objects.filter(
                objective__plan__is_current=True,
                objective__plan__key_account__in=accounts,
                archived_at__isnull=True,
            )
        )
        .select_related("objective__plan__key_account__customer")
        .annotate(
            manager_name=person_with_role(Role.MANAGER, account),
            director_name=person_with_role(Role.DIRECTOR, account),
        )
        .order_by("manager_name", "objective__plan__key_account__customer__name", "due_on", "pk")
    )
    return with_status(rows, today=today)
