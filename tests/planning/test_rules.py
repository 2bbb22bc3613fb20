from datetime import date, timedelta
from decimal import Decimal

import pytest

from planning import rules

BASE = date(2027, 1, 1)
DUE = date(2027, 12, 27)  # 360 days after BASE
MID = BASE + timedelta(days=180)  # half of the time


def status(actual, *, measured_on=MID, today=MID, baseline="100", target="200", due=DUE):
    return rules.target_status(
        baseline=Decimal(baseline),
        target_value=Decimal(target),
        baseline_on=BASE,
        due_on=due,
        actual=None if actual is None else Decimal(actual),
        measured_on=measured_on,
        today=today,
    )


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("150", rules.ON_TRACK),  # half way at half time
        ("141", rules.ON_TRACK),  # 9 points behind: within the 10-point tolerance
        ("130", rules.AT_RISK),  # 20 points behind
        ("120", rules.OFF_TRACK),  # 30 points behind
        ("90", rules.OFF_TRACK),  # went backwards
        ("210", rules.ON_TRACK),  # already beyond the target
    ],
)
def test_target_status_compares_progress_with_elapsed_time(actual, expected):
    assert status(actual).status == expected


def test_target_without_measurement_has_no_status_yet():
    result = status(None, measured_on=None)
    assert result.status == rules.NO_DATA
    assert result.label == "No measurement yet"


def test_targets_that_go_down_use_the_same_rule():
    # Cost to serve from 10 % down to 6 %: at half time 8 % is exactly on plan.
    assert status("8", baseline="10", target="6").status == rules.ON_TRACK
    assert status("9.4", baseline="10", target="6").status == rules.OFF_TRACK
    assert status("11", baseline="10", target="6").status == rules.OFF_TRACK


def test_a_measurement_is_judged_against_the_time_passed_on_its_own_date():
    """TARGET_STATUS_RULE: the latest actual against the share of time passed when it was
    measured, however many measurements came before (a page passes only the latest). A later
    reading day does not re-judge it: nothing measured says how far the target is today; until
    the due date, which makes a target short of its value off track."""
    later = MID + timedelta(days=90)  # three quarters of the time
    result = status("150", today=later)
    assert (result.status, result.progress_percent, result.expected_percent) == (
        rules.ON_TRACK,
        50,
        50,
    )
    assert status("150", today=DUE + timedelta(days=1)).status == rules.OFF_TRACK


def test_target_past_its_due_date_without_reaching_it_is_off_track():
    late = DUE + timedelta(days=1)
    assert status("195", measured_on=DUE, today=late).status == rules.OFF_TRACK
    assert status("200", measured_on=DUE, today=late).status == rules.ON_TRACK


def test_progress_and_expected_percent_are_reported():
    result = status("130")
    assert (result.progress_percent, result.expected_percent) == (30, 50)


COMPLETE = rules.PlanContent(
    value_proposition=True,
    critical_success_factors=True,
    objectives_with_target=1,
    actions_with_owner=1,
    engagement_activities=1,
)


def facts(**overrides):
    today = date(2027, 6, 1)
    values = {
        "today": today,
        "last_review_on": today - timedelta(days=10),
        "last_approved_on": None,
        "value_proposition_refreshed_on": today - timedelta(days=10),
        "content": COMPLETE,
        "key_stakeholders": 2,
        "key_stakeholders_uncovered": 0,
    }
    values.update(overrides)
    return rules.PlanFacts(**values)


def points(health):
    return {rule.key: rule.points for rule in health.rules}


def test_a_plan_with_nothing_wrong_scores_100_and_shows_every_rule():
    health = rules.plan_health(facts())
    assert health.score == 100
    assert health.band == "good"
    assert set(points(health)) == {
        "content",
        "review",
        "overdue",
        "targets",
        "engagement",
        "value_proposition",
        "stakeholders",
        "value",
        "issues",
        # The customer's voice (workspace): nothing answered, nobody invited.
        "satisfaction",
        "customer_activity",
    }


def test_each_rule_deducts_what_its_text_says():
    today = date(2027, 6, 1)
    health = rules.plan_health(
        facts(
            last_review_on=today - timedelta(days=120),  # −15
            overdue_actions=2,  # −10
            targets_off_track=1,
            targets_at_risk=1,  # −15
            engagements_missed=1,  # −5
            value_proposition_refreshed_on=today - timedelta(days=200),  # −5
            key_stakeholders=3,
            key_stakeholders_uncovered=1,  # −5
        )
    )
    assert points(health) == {
        "content": 0,
        "review": 15,
        "overdue": 10,
        "targets": 15,
        "engagement": 5,
        "value_proposition": 5,
        "stakeholders": 5,
        "value": 0,
        "issues": 0,
        "satisfaction": 0,
        "customer_activity": 0,
    }
    assert health.score == 45
    assert health.band == "poor"


def test_deductions_are_capped_per_rule_and_the_score_never_goes_below_zero():
    health = rules.plan_health(
        facts(
            last_review_on=None,
            value_proposition_refreshed_on=None,
            overdue_actions=40,
            targets_off_track=9,
            engagements_missed=9,
            key_stakeholders=0,
        )
    )
    assert points(health) == {
        "content": 0,
        "review": 25,
        "overdue": 25,
        "targets": 25,
        "engagement": 15,
        "value_proposition": 10,
        "stakeholders": 10,
        "value": 0,
        "issues": 0,
        "satisfaction": 0,
        "customer_activity": 0,
    }
    assert health.score == 0


def test_confirmed_value_and_customer_issues_deduct_what_their_texts_say():
    today = date(2027, 6, 1)
    older = today - timedelta(days=400)  # a key account for more than a year
    assert points(rules.plan_health(facts(key_account_since=older)))["value"] == 10
    recorded = facts(key_account_since=older, value_recorded_this_year=2)
    assert points(rules.plan_health(recorded))["value"] == 5
    confirmed = facts(
        key_account_since=older, value_recorded_this_year=2, value_confirmed_this_year=1
    )
    health = rules.plan_health(confirmed)
    assert points(health)["value"] == 0
    assert "1 of 2 confirmed by the customer this year" in [r.detail for r in health.rules]
    # In its first year a key account loses nothing for value not confirmed yet.
    assert (
        points(rules.plan_health(facts(key_account_since=today - timedelta(days=100))))["value"]
        == 0
    )
    # −10 per open critical issue, −5 per high one, at most −20.
    issues = rules.plan_health(facts(issues_open_critical=1, issues_open_high=1))
    assert points(issues)["issues"] == 15
    assert issues.score == 85
    capped = rules.plan_health(facts(issues_open_critical=3, issues_open_high=2))
    assert points(capped)["issues"] == 20


def test_the_health_reasons_say_one_in_the_singular_in_english_and_french():
    from django.utils import translation

    def details(**overrides):
        return {rule.key: rule.detail for rule in rules.plan_health(facts(**overrides)).rules}

    today = date(2027, 6, 1)
    one = {
        "last_review_on": today - timedelta(days=1),
        "value_proposition_refreshed_on": today - timedelta(days=1),
        "engagements_missed": 1,
    }
    two = {
        "last_review_on": today - timedelta(days=2),
        "value_proposition_refreshed_on": today - timedelta(days=2),
        "engagements_missed": 2,
    }
    with translation.override("en"):
        assert details(**one)["review"] == "Reviewed 1 day ago"
        assert details(**two)["review"] == "Reviewed 2 days ago"
        assert details(**one)["engagement"] == "1 missed"
    with translation.override("fr"):
        assert details(**one)["review"] == "Revu il y a 1 jour"
        assert details(**two)["review"] == "Revu il y a 2 jours"
        assert details(**one)["engagement"] == "1 manquée"
        assert details(**two)["engagement"] == "2 manquées"
        assert "il y a 1 jour" in details(**one)["value_proposition"]


def test_target_past_its_due_date_with_no_measurement_is_off_track():
    """The rule's "off track once the due date has passed without reaching the target" holds
    for a target nobody measured: it was "No measurement yet" for ever (−5, not −10, and never
    among the reasons a plan is off track)."""
    late = DUE + timedelta(days=1)
    assert status(None, measured_on=None, today=DUE).status == rules.NO_DATA
    result = status(None, measured_on=None, today=late)
    assert result.status == rules.OFF_TRACK
    assert (result.progress_percent, result.expected_percent) == (None, None)
