"""Factories for Discovery models that tests/factories.py does not cover."""

from decimal import Decimal

import factory
from django.utils import timezone

from discovery.models import (
    Competitor,
    FinancialRatio,
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfileSection,
)
from tests.factories import InterviewFactory, KeyAccountFactory


class ProfileSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileSection

    key_account = factory.SubFactory(KeyAccountFactory)
    key = ProfileSection.Key.NEEDS
    content = "Shorter lead times."
    revision = 1
    updated_at = factory.LazyFunction(timezone.now)


class FinancialRatioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialRatio

    key_account = factory.SubFactory(KeyAccountFactory)
    # One ratio per name and year on an account (the database's constraint).
    name = factory.Sequence(lambda n: f"EBITDA margin % ({n})")
    value = Decimal("9.10")
    year = 2025


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    key_account = factory.SubFactory(KeyAccountFactory)
    name = factory.Sequence(lambda n: f"Rival {n}")
    offering = "Trays"


class OpportunityIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityIdea

    interview = factory.SubFactory(InterviewFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")


class LifetimeValueAssumptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifetimeValueAssumption

    key_account = factory.SubFactory(KeyAccountFactory)
