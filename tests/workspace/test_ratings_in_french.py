"""An average rating is written with the reader's decimal separator: "3.5" in English, "3,5"
in French, on the satisfaction pages (Scores.average_text) and in the plan health's reason."""

import pytest
from django.utils import timezone, translation

from planning import rules
from workspace.selectors import Scores

pytestmark = pytest.mark.django_db


def test_the_average_rating_uses_the_readers_decimal_separator():
    scores = Scores(label="Q1", joint_review_id=1)
    scores.ratings.extend([3, 4])  # (3 + 4) / 2 = 3.5
    with translation.override("en"):
        assert scores.average_text == "3.5"
    with translation.override("fr"):
        assert scores.average_text == "3,5"


def test_the_health_reason_writes_the_ratings_in_the_readers_language():
    facts = rules.PlanFacts(
        today=timezone.localdate(),
        last_review_on=None,
        last_approved_on=None,
        value_proposition_refreshed_on=None,
        satisfaction_latest=3.25,  # one decimal, halves up: 3.3
        satisfaction_previous=4.0,
    )

    def detail():
        health = rules.plan_health(facts)
        return next(r for r in health.rules if r.key == "satisfaction").detail

    with translation.override("en"):
        assert "average rating 3.3 (was 4.0)" in detail()
    with translation.override("fr"):
        assert "note moyenne 3,3 (auparavant 4,0)" in detail()
