"""Factories for the rhythm models and the reviews they act on."""

from datetime import timedelta

import factory
from django.utils import timezone

from planning.models import Review
from rhythm.models import DigestPreference

from ..factories import AccountPlanFactory, UserFactory


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    plan = factory.SubFactory(AccountPlanFactory)
    quarter = factory.Sequence(lambda n: f"{2030 + n // 4}-Q{n % 4 + 1}")
    opened_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyAttribute(lambda r: r.opened_on + timedelta(days=30))


class DigestPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestPreference
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
