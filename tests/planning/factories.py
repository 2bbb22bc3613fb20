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
