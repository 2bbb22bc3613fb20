"""Factories for the models the delivery stage adds."""

import factory
from django.utils import timezone

from delivery.models import CheckIn
from tests.factories import OpportunityFactory


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    opportunity = factory.SubFactory(OpportunityFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    status = "pursuing"
    next_step = "Send the pilot proposal"
