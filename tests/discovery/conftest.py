"""Objects of one account for every Discovery URL, so tests can call each URL by name."""

from types import SimpleNamespace

import pytest

from discovery.models import ProfitabilityYear
from tests.factories import (
    InterviewFactory,
    ProfitabilityYearFactory,
    StakeholderFactory,
)

from .factories import CompetitorFactory, FinancialRatioFactory, OpportunityIdeaFactory


def make_objects(account, interviewer):
    year = 2000 + ProfitabilityYear.objects.filter(key_account=account).count()
    interview = InterviewFactory(key_account=account, interviewer=interviewer)
    return SimpleNamespace(
        stakeholder=StakeholderFactory(key_account=account, name="Katrin Vogel"),
        ratio=FinancialRatioFactory(key_account=account),
        competitor=CompetitorFactory(key_account=account),
        interview=interview,
        idea=OpportunityIdeaFactory(interview=interview),
        year=ProfitabilityYearFactory(key_account=account, year=year),
    )


def url_kwargs(pattern_converters, account, objects) -> dict:
    values = {
        "account_id": account.pk,
        "key": "needs",
        "stakeholder_id": objects.stakeholder.pk,
        "ratio_id": objects.ratio.pk,
        "competitor_id": objects.competitor.pk,
        "interview_id": objects.interview.pk,
        "idea_id": objects.idea.pk,
        "year_id": objects.year.pk,
    }
    return {name: values[name] for name in pattern_converters}


@pytest.fixture
def objects(account, people):
    return make_objects(account, people.manager)


@pytest.fixture
def other_objects(other_account, people):
    return make_objects(other_account, people.other_manager)
