"""Factories for planning rows not covered by tests/factories.py."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from planning.models import Measurement, PlanRisk

from ..factories import TargetFactory


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    target = factory.SubFactory(TargetFactory)
    measured_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    actual = Decimal("150")


class PlanRiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanRisk

    description = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = "medium"
    impact = "high"
    mitigation = "Watch closely."


def dated_target(objective, kpi, today, *, start, due, measured=None, actual=None):
    """A target from 0 to 100: baseline `start` days before `today`, due `due` days after it;
    one measurement of `actual`, `measured` days before `today`, when given (the days the
    "measure again" tests plant and work out by hand)."""
    target = TargetFactory(
        objective=objective,
        kpi=kpi,
        baseline=Decimal("0"),
        target_value=Decimal("100"),
        baseline_on=today - timedelta(days=start),
        due_on=today + timedelta(days=due),
    )
    if measured is not None:
        target.measurements.create(
            measured_on=today - timedelta(days=measured), actual=Decimal(actual)
        )
    return target
