"""Factories for the organisation app's models."""

import factory
from django.utils import timezone

from organisation.models import (
    Competence,
    CompetenceScore,
    ExecutiveSponsor,
    MentoringNextStep,
    MentoringSession,
    MentoringTopic,
    SkillsAssessment,
)
from tests.factories import KeyAccountFactory, UserFactory


class SkillsAssessmentFactory(factory.django.DjangoModelFactory):
    """`skills=3` scores every active competence 3 (default 4); `skills={"negotiation": 2}`
    sets single competences, the rest 4."""

    class Meta:
        model = SkillsAssessment
        skip_postgeneration_save = True

    manager = factory.SubFactory(UserFactory)
    assessed_by = factory.SubFactory(UserFactory)
    assessed_on = factory.LazyFunction(timezone.localdate)
    concern_for_customer = 8
    concern_for_sale = 8

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if not create:
            return
        overrides = extracted if isinstance(extracted, dict) else {}
        base = extracted if isinstance(extracted, int) else 4
        CompetenceScore.objects.bulk_create(
            CompetenceScore(assessment=obj, competence=c, score=overrides.get(c.code, base))
            for c in Competence.objects.filter(is_active=True)
        )


class ExecutiveSponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExecutiveSponsor

    key_account = factory.SubFactory(KeyAccountFactory)
    user = factory.SubFactory(UserFactory)
    named_on = factory.LazyFunction(timezone.localdate)


class MentoringSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSession

    director = factory.SubFactory(UserFactory)
    manager = factory.SubFactory(UserFactory)
    key_account = factory.SubFactory(KeyAccountFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    topics = factory.LazyFunction(lambda: [MentoringTopic.PLAN_REVIEW.value])
    notes = "Reviewed the plan's objectives."


class MentoringNextStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringNextStep

    session = factory.SubFactory(MentoringSessionFactory)
    text = factory.Sequence(lambda n: f"Next step {n}")
    due_on = factory.LazyFunction(timezone.localdate)
