"""Factories for Stage 3 rows that tests/factories.py does not cover."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Programme
from discovery.models import OpportunityIdea
from opportunities.models import BusinessUnit, Offering, WhiteSpaceCell, Workshop
from tests.factories import InterviewFactory, KeyAccountFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    key_account = factory.SubFactory(KeyAccountFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    title = factory.Sequence(lambda n: f"Value workshop {n}")


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    programme = factory.LazyFunction(Programme.ensure)
    name = factory.Sequence(lambda n: f"Offering {n}")


class BusinessUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessUnit

    key_account = factory.SubFactory(KeyAccountFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")


class WhiteSpaceCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WhiteSpaceCell

    business_unit = factory.SubFactory(BusinessUnitFactory)
    offering = factory.SubFactory(OfferingFactory)
    state = WhiteSpaceCell.State.WE_SELL


class OpportunityIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityIdea

    interview = factory.SubFactory(InterviewFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    description = "Heard in the interview."
