from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import AccountPlanFactory, StakeholderFactory

LONDON = ZoneInfo("Europe/London")


def at(days: int, hour: int, minute: int = 0, zone=LONDON) -> datetime:
    """An aware datetime `days` from today at hour:minute in `zone`."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def local_input(days: int, hour: int, minute: int = 0) -> str:
    """What a datetime-local input sends."""
    day = timezone.localdate() + timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:{minute:02d}"


@pytest.fixture
def plan(account):
    return AccountPlanFactory(key_account=account, is_current=True)


@pytest.fixture
def stakeholder(account):
    return StakeholderFactory(
        key_account=account, name="Greta Hansen", email="greta.hansen@northwind.example"
    )
