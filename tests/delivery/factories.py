"""Factories for the models the delivery stage adds."""

import factory
from django.utils import timezone

from delivery.models import CheckIn, Notification
from tests.factories import OpportunityFactory, UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Something happened ({n})")
    link = "/delivery/"


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    opportunity = factory.SubFactory(OpportunityFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    status = "pursuing"
    next_step = "Send the pilot proposal"
