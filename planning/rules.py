"""The plan's business rules as pure functions: target status and plan health.

Nothing here touches the database. Callers (selectors, the snapshot builder, dashboards)
fetch the facts once for many plans and pass them in, so a list of 25 plans costs the same
few queries as one plan. The texts in RULES are shown to users next to the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.formats import half_up, listed, number

# ---- target status ------------------------------------------------------------------------

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"

STATUS_LABELS = {
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    OFF_TRACK: _("Off track"),
    NO_DATA: _("No measurement yet"),
}

# Percentage points of the baseline→target distance that progress may lag elapsed time.
ON_TRACK_TOLERANCE = Decimal("0.10")
AT_RISK_TOLERANCE = Decimal("0.25")

# What a target aims at (Target.aim): the way from its baseline to its target value, or a level
# to stay on the right side of. A target only records numbers; which side is better is the aim.
AIM_REACH = "reach"
AIM_AT_LEAST = "at_least"
AIM_AT_MOST = "at_most"

# How far on the wrong side of a "stay" target the latest actual may be and still read At risk
# rather than Off track: a share of the target's magnitude (|target|). A target of zero has no
# margin: any actual on the wrong side is off track.
STAY_TOLERANCE = Decimal("0.05")

TARGET_STATUS_RULE = _(
    # xgettext:no-python-format
    "Reach the target: progress = (latest actual − baseline) ÷ (target − baseline); expected "
    "progress = share of the time between the baseline date and the due date that had passed on "
    "the measurement date. On track when progress lags expected progress by at most 10 points, "
    "at risk up to 25 points, off track beyond that — and off track once the due date has passed "
    "without reaching the target. Works for targets that go down (e.g. cost) as well as up. "
    "Stay at or above (or at or below) the target: on track while the latest actual is at the "
    "target or on its better side; at risk when it is on the worse side by at most 5 % of the "
    "target (against “stay at or above 8.5” the margin is 0.425: 8.1 is at risk, 8.0 off "
    "track), off track beyond that, and off track once the due date has passed with the target "
    "not met. Any target without a measurement is off track once its due date has passed."
)


# The method measures targets at least quarterly (domain.md, Stage 4): a target still to reach
# whose latest measurement (or start, never measured) is older than this many days, by the
# reader's date, is flagged "measure again" beside its status. The flag leaves the status (and
# plan health) as TARGET_STATUS_RULE has it.
MEASURE_EVERY_DAYS = 92


@dataclass(frozen=True)
class TargetStatus:
    status: str
    progress: Decimal | None  # 0..1+ share of the way from baseline to target
    expected: Decimal | None  # 0..1 share of the time elapsed
    # Days since the latest measurement (or the start) when the target is due a new one
    # (measure_again_days); None when it is not.
    measure_again: int | None = None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def progress_percent(self) -> int | None:
        return None if self.progress is None else int(half_up(self.progress * 100))

    @property
    def expected_percent(self) -> int | None:
        return None if self.expected is None else int(half_up(self.expected * 100))


def target_status(
    *,
    baseline: Decimal,
    target_value: Decimal,
    baseline_on: date,
    due_on: date,
    actual: Decimal | None,
    measured_on: date | None,
    today: date,
    aim: str = AIM_REACH,
) -> TargetStatus:
    """Classify a target from its latest measurement. See TARGET_STATUS_RULE. The result also
    says whether it is due a new measurement (`measure_again`, MEASURE_EVERY_DAYS)."""
    result = _target_status(
        baseline=baseline,
        target_value=target_value,
        baseline_on=baseline_on,
        due_on=due_on,
        actual=actual,
        measured_on=measured_on,
        today=today,
        aim=aim,
    )
    reached = result.progress is not None and result.progress >= 1
    days = measure_again_days(
        measured_on=measured_on, baseline_on=baseline_on, due_on=due_on, today=today
    )
    return replace(result, measure_again=None if reached else days)


def measure_again_days(
    *, measured_on: date | None, baseline_on: date, due_on: date, today: date
) -> int | None:
    """Days since a target was last measured (since its start, `baseline_on`, when never
    measured), when that is more than MEASURE_EVERY_DAYS and the target is not past its due
    date; else None. Reached targets are left out by target_status."""
    if today > due_on:
        return None
    days = (today - (measured_on or baseline_on)).days
    return days if days > MEASURE_EVERY_DAYS else None


def _target_status(
    *,
    baseline: Decimal,
    target_value: Decimal,
    baseline_on: date,
    due_on: date,
    actual: Decimal | None,
    measured_on: date | None,
    today: date,
    aim: str,
) -> TargetStatus:
    if actual is None or measured_on is None:
        # Past its due date with nothing measured, the target was not reached as far as anyone
        # can tell: off track, as a measured one that fell short (it was "No measurement yet"
        # for ever, half the health points and never named among the reasons).
        if today > due_on:
            return TargetStatus(OFF_TRACK, None, None)
        return TargetStatus(NO_DATA, None, None)
    if aim in (AIM_AT_LEAST, AIM_AT_MOST):
        return _stay_status(Decimal(target_value), Decimal(actual), aim, past_due=today > due_on)
    distance = Decimal(target_value) - Decimal(baseline)
    if distance == 0:
        # Reaching a level the baseline already holds: exactly it is the whole of the way. A
        # level to keep is the aim "stay at or above/below" (the migration that brought aims in
        # gave those targets "stay at or above").
        progress = Decimal(1) if Decimal(actual) == Decimal(target_value) else Decimal(0)
    else:
        progress = (Decimal(actual) - Decimal(baseline)) / distance
    span = (due_on - baseline_on).days
    if span <= 0:
        expected = Decimal(1)
    else:
        elapsed = (measured_on - baseline_on).days
        expected = min(max(Decimal(elapsed) / Decimal(span), Decimal(0)), Decimal(1))
    if progress >= 1:
        return TargetStatus(ON_TRACK, progress, expected)
    if today > due_on:
        return TargetStatus(OFF_TRACK, progress, expected)
    gap = expected - progress
    if gap <= ON_TRACK_TOLERANCE:
        status = ON_TRACK
    elif gap <= AT_RISK_TOLERANCE:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return TargetStatus(status, progress, expected)


def stay_margin(target_value: Decimal) -> Decimal:
    """How far on the worse side of a "stay" target the actual may be and read At risk."""
    return abs(Decimal(target_value)) * STAY_TOLERANCE


def _stay_status(target_value: Decimal, actual: Decimal, aim: str, *, past_due: bool):
    """A level to keep: no way to travel, so no progress or expected share (both None)."""
    shortfall = target_value - actual if aim == AIM_AT_LEAST else actual - target_value
    if shortfall <= 0:
        status = ON_TRACK
    elif past_due:
        status = OFF_TRACK
    elif shortfall <= stay_margin(target_value):
        status = AT_RISK
    else:
        status = OFF_TRACK
    return TargetStatus(status, None, None)


# ---- overdue actions ----------------------------------------------------------------------

# An action is overdue when it is still open (open, in progress or waiting on others: waiting
# does not stop the clock) and its due date is before today, today being the reader's own
# date (accounts.selectors.user_today). Done and cancelled actions are never overdue. Every
# count and every "Overdue" label uses this rule: planning.selectors.overdue_actions_q in
# queries, action_is_overdue for loaded rows.
# ---- money targets against the year they cover ---------------------------------------------


def target_year(due_on: date) -> int:
    """The year a revenue or net profit target covers: its due date's. The programme keeps
    each account's figures per calendar year (discovery's ProfitabilityYear, the
    Profitability page's "Year"; it has no fiscal year of its own), and a target is compared
    only with that year's revenue (gross sales) or net profit, never with another year's."""
    return due_on.year


def target_reached_percent(target: Decimal, made: Decimal | None) -> Decimal | None:
    """`made` as a share of `target` (one decimal), or None when there is nothing to compare:
    no figures recorded for the year, a target of zero or less, or a loss against a profit
    target (a share of a target means little for a loss)."""
    if made is None or target is None or target <= 0 or made < 0:
        return None
    return (Decimal(made) / Decimal(target) * 100).quantize(Decimal("0.1"))


ACTION_OPEN_STATUSES = ("open", "in_progress", "waiting")
OVERDUE_RULE = _(
    "Overdue: still open (open, in progress or waiting on others) and due before today, in "
    "your time zone. Done and cancelled actions are never overdue."
)


def action_is_overdue(*, status: str, due_on: date | None, today: date) -> bool:
    return status in ACTION_OPEN_STATUSES and due_on is not None and due_on < today


# ---- plan health --------------------------------------------------------------------------

REVIEW_EVERY_DAYS = 92  # the method: revisit the plan at least quarterly
VALUE_PROPOSITION_STALE_DAYS = 183
VALUE_PROPOSITION_OLD_DAYS = 365
VALUE_GRACE_DAYS = 365  # a new key account has a year before unconfirmed value costs points

HEALTH_GOOD = 75
HEALTH_FAIR = 50


def health_band(score: int) -> str:
    """good / fair / poor: the bands the plan page and the portfolio dashboard show."""
    if score >= HEALTH_GOOD:
        return "good"
    if score >= HEALTH_FAIR:
        return "fair"
    return "poor"


# ---- what a plan must hold ------------------------------------------------------------------
# The method (../shared/domain.md, Stage 4): per key account a value proposition, critical
# success factors, objectives with measurable targets, actions with an owner and a due date, and
# an engagement plan (who meets whom, how often). A plan without one of them is not submitted or
# approved, and each missing part costs health points.

PLAN_PARTS = (
    ("value_proposition", _("a value proposition")),
    ("critical_success_factors", _("critical success factors")),
    (
        "objective_with_target",
        _("an objective with a measurable target (KPI, baseline, target, due)"),
    ),
    ("action_with_owner", _("an action with an owner and a due date")),
    ("engagement", _("an engagement activity (who of ours meets whom of theirs, how often)")),
)
PLAN_PART_LABELS = dict(PLAN_PARTS)
MISSING_PART_POINTS = 15


def _list(labels) -> str:
    """Labels as one list, with the reader's language's separator."""
    return listed(labels)


def _all_parts() -> str:
    return _list(label for _key, label in PLAN_PARTS)


def _submission_rule() -> str:
    return gettext("A plan can be submitted, and approved, once it has %(parts)s.") % {
        "parts": _all_parts()
    }


# Built in the reader's language each time it is shown.
SUBMISSION_RULE = lazy(_submission_rule, str)()


@dataclass(frozen=True)
class PlanContent:
    """How much substance a plan has (counted in bulk by selectors)."""

    value_proposition: bool = False
    critical_success_factors: bool = False
    objectives_with_target: int = 0  # objectives with at least one live target
    actions_with_owner: int = 0  # actions not cancelled that have an owner (due dates are required)
    engagement_activities: int = 0


def missing_parts(content: PlanContent) -> list[str]:
    """The keys of PLAN_PARTS the plan lacks, in PLAN_PARTS order."""
    present = {
        "value_proposition": content.value_proposition,
        "critical_success_factors": content.critical_success_factors,
        "objective_with_target": content.objectives_with_target > 0,
        "action_with_owner": content.actions_with_owner > 0,
        "engagement": content.engagement_activities > 0,
    }
    return [key for key, _label in PLAN_PARTS if not present[key]]


def missing_parts_text(missing: list[str]) -> str:
    return _list(PLAN_PART_LABELS[key] for key in missing)


@dataclass(frozen=True)
class PlanFacts:
    """What the health rules need to know about one plan (gathered in bulk by selectors)."""

    today: date
    last_review_on: date | None  # latest completed quarterly review
    last_approved_on: date | None
    value_proposition_refreshed_on: date | None
    content: PlanContent = field(default_factory=PlanContent)
    overdue_actions: int = 0
    targets_off_track: int = 0
    targets_at_risk: int = 0
    targets_unmeasured: int = 0
    engagements_missed: int = 0
    key_stakeholders: int = 0  # high-influence stakeholders of the account
    key_stakeholders_uncovered: int = 0  # ... with no engagement activity in the plan
    # From later stages, asked for with signals.health_facts_requested (outcomes): value
    # delivered to the account this calendar year, and its open customer issues.
    key_account_since: date | None = None  # selected as key account (None: not known)
    value_recorded_this_year: int = 0
    value_confirmed_this_year: int = 0  # ... of which the customer confirmed
    issues_open_high: int = 0
    issues_open_critical: int = 0
    # From the customer workspace (workspace app, through signals.health_facts_requested):
    # the average 1–5 rating and recommend score (NPS style, −100…100) of the two latest joint
    # reviews the customer answered, and how long ago an invited customer last opened it.
    satisfaction_latest: float | None = None
    satisfaction_previous: float | None = None
    recommend_latest: int | None = None
    recommend_previous: int | None = None
    workspace_invited: bool = False
    workspace_idle_days: int | None = None  # None: never opened


@dataclass(frozen=True)
class RuleResult:
    key: str
    label: str
    detail: str
    points: int  # points deducted (0 = fine)
    max_points: int


@dataclass
class PlanHealth:
    score: int
    rules: list[RuleResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # PLAN_PARTS keys the plan lacks

    @property
    def band(self) -> str:
        return health_band(self.score)

    @property
    def band_label(self) -> str:
        labels = {"good": _("Healthy"), "fair": _("Needs attention"), "poor": _("Unhealthy")}
        return str(labels[self.band])

    @property
    def missing_labels(self) -> list[str]:
        return [str(PLAN_PART_LABELS[key]) for key in self.missing]


def _content_rule() -> str:
    return gettext("−%(points)s for each missing part: %(parts)s (at most −%(most)s).") % {
        "points": MISSING_PART_POINTS,
        "parts": _all_parts(),
        "most": MISSING_PART_POINTS * len(PLAN_PARTS),
    }


def _review_rule() -> str:
    return ngettext(
        "0 if a quarterly review was completed or the plan approved within %(days)s day, −15 "
        "within %(late)s, else −25.",
        "0 if a quarterly review was completed or the plan approved within %(days)s days, −15 "
        "within %(late)s, else −25.",
        REVIEW_EVERY_DAYS,
    ) % {"days": REVIEW_EVERY_DAYS, "late": 2 * REVIEW_EVERY_DAYS - 1}


def _value_proposition_rule() -> str:
    return ngettext(
        "−5 if not refreshed for %(days)s day, −10 after a year or with no refresh date (a "
        "missing value proposition counts under plan content).",
        "−5 if not refreshed for %(days)s days, −10 after a year or with no refresh date (a "
        "missing value proposition counts under plan content).",
        VALUE_PROPOSITION_STALE_DAYS,
    ) % {"days": VALUE_PROPOSITION_STALE_DAYS}


def _customer_activity_rule() -> str:
    return ngettext(
        "−10 if the customer stakeholders invited to the workspace have not opened it for "
        "%(days)s day, or never (0 while nobody is invited).",
        "−10 if the customer stakeholders invited to the workspace have not opened it for "
        "%(days)s days, or never (0 while nobody is invited).",
        WORKSPACE_IDLE_DAYS,
    ) % {"days": WORKSPACE_IDLE_DAYS}


HEALTH_RULES = [
    (
        "content",
        _("Plan content"),
        MISSING_PART_POINTS * len(PLAN_PARTS),
        lazy(_content_rule, str)(),
    ),
    (
        "review",
        _("Last review or approval"),
        25,
        lazy(_review_rule, str)(),
    ),
    (
        "overdue",
        _("Overdue actions"),
        25,
        _("−5 per open action past its due date (at most −25)."),
    ),
    (
        "targets",
        _("Targets"),
        25,
        _("−10 per target off track, −5 per target at risk or not measured yet (at most −25)."),
    ),
    (
        "engagement",
        _("Engagement cadence"),
        15,
        _("−5 per engagement activity past its next due date (at most −15)."),
    ),
    (
        "value_proposition",
        _("Value proposition age"),
        10,
        lazy(_value_proposition_rule, str)(),
    ),
    (
        "stakeholders",
        _("Stakeholder coverage"),
        15,
        _(
            "−5 per high-influence stakeholder nobody meets in the engagement plan (at most −15); "
            "−10 if no high-influence stakeholder is mapped."
        ),
    ),
    (
        "value",
        _("Confirmed value"),
        10,
        _(
            "0 if the customer confirmed value we delivered this year; otherwise −5 if value "
            "delivered this year is recorded but not confirmed yet, −10 if none is recorded this "
            "year (nothing is deducted in an account's first year as a key account)."
        ),
    ),
    (
        "issues",
        _("Open customer issues"),
        20,
        _("−10 per open critical customer issue, −5 per open high-severity one (at most −20)."),
    ),
]
# ---- the customer's own voice (workspace app) ----
SATISFACTION_RATING_DROP = 0.5  # a fall in the average 1–5 rating
SATISFACTION_RECOMMEND_DROP = 20  # a fall in the recommend score (−100…100)
SATISFACTION_LOW_RATING = 3.0
WORKSPACE_IDLE_DAYS = 90
HEALTH_RULES += [
    (
        "satisfaction",
        _("Customer satisfaction trend"),
        15,
        _(
            "From the joint alignment reviews the customer answers in the workspace: −10 if the "
            "latest average rating fell by 0.5 or more, or the recommend score by 20 points or "
            "more, against the review before; −5 if the latest average rating is below 3 "
            "(at most −15; 0 before any answer)."
        ),
    ),
    (
        "customer_activity",
        _("Customer's workspace activity"),
        10,
        lazy(_customer_activity_rule, str)(),
    ),
]
HEALTH_RULE_TEXT = {key: text for key, _label, _max, text in HEALTH_RULES}


def _age(today: date, then: date | None) -> int | None:
    return None if then is None else (today - then).days


def plan_health(facts: PlanFacts) -> PlanHealth:
    """Score 100 minus each rule's deduction (never below 0). Every deduction is shown."""
    results = []
    labels = {key: (label, maximum) for key, label, maximum, _text in HEALTH_RULES}

    def add(key: str, points: int, detail: str) -> None:
        label, maximum = labels[key]
        results.append(RuleResult(key, str(label), detail, min(points, maximum), maximum))

    missing = missing_parts(facts.content)
    add(
        "content",
        MISSING_PART_POINTS * len(missing),
        gettext("Missing: %(parts)s") % {"parts": missing_parts_text(missing)}
        if missing
        else gettext("Every part is in place"),
    )

    # The plan was last revisited by whichever came later: a completed review or an approval.
    revisited = [
        (on, what)
        for on, what in ((facts.last_review_on, "Reviewed"), (facts.last_approved_on, "Approved"))
        if on is not None
    ]
    if not revisited:
        add("review", 25, gettext("Never reviewed or approved"))
    else:
        on, what = max(revisited)
        age = _age(facts.today, on)
        if what == "Reviewed":
            detail = ngettext("Reviewed %(days)s day ago", "Reviewed %(days)s days ago", age) % {
                "days": age
            }
        else:
            detail = ngettext("Approved %(days)s day ago", "Approved %(days)s days ago", age) % {
                "days": age
            }
        if age <= REVIEW_EVERY_DAYS:
            add("review", 0, detail)
        elif age <= 2 * REVIEW_EVERY_DAYS - 1:
            add("review", 15, detail)
        else:
            add("review", 25, detail)

    add(
        "overdue",
        5 * facts.overdue_actions,
        gettext("%(count)s overdue") % {"count": facts.overdue_actions},
    )

    add(
        "targets",
        10 * facts.targets_off_track + 5 * (facts.targets_at_risk + facts.targets_unmeasured),
        gettext("%(off)s off track, %(risk)s at risk, %(unmeasured)s not measured yet")
        % {
            "off": facts.targets_off_track,
            "risk": facts.targets_at_risk,
            "unmeasured": facts.targets_unmeasured,
        },
    )

    add(
        "engagement",
        5 * facts.engagements_missed,
        ngettext("%(count)s missed", "%(count)s missed", facts.engagements_missed)
        % {"count": facts.engagements_missed},
    )

    vp_age = _age(facts.today, facts.value_proposition_refreshed_on)
    if not facts.content.value_proposition:
        add("value_proposition", 0, gettext("Not written (counted under plan content)"))
    elif vp_age is None:
        add("value_proposition", 10, gettext("No refresh date"))
    else:
        refreshed = ngettext(
            "Refreshed %(days)s day ago", "Refreshed %(days)s days ago", vp_age
        ) % {"days": vp_age}
        if vp_age > VALUE_PROPOSITION_OLD_DAYS:
            add("value_proposition", 10, refreshed)
        elif vp_age > VALUE_PROPOSITION_STALE_DAYS:
            add("value_proposition", 5, refreshed)
        else:
            add("value_proposition", 0, refreshed)

    if facts.key_stakeholders == 0:
        add("stakeholders", 10, gettext("No high-influence stakeholders mapped"))
    else:
        add(
            "stakeholders",
            5 * facts.key_stakeholders_uncovered,
            ngettext(
                "%(covered)s of %(total)s high-influence stakeholder in the engagement plan",
                "%(covered)s of %(total)s high-influence stakeholders in the engagement plan",
                facts.key_stakeholders,
            )
            % {
                "covered": facts.key_stakeholders - facts.key_stakeholders_uncovered,
                "total": facts.key_stakeholders,
            },
        )

    since = _age(facts.today, facts.key_account_since)
    first_year = since is None or since < VALUE_GRACE_DAYS
    if facts.value_confirmed_this_year:
        add(
            "value",
            0,
            gettext("%(confirmed)s of %(recorded)s confirmed by the customer this year")
            % {
                "confirmed": facts.value_confirmed_this_year,
                "recorded": facts.value_recorded_this_year,
            },
        )
    elif facts.value_recorded_this_year:
        count = {"count": facts.value_recorded_this_year}
        if first_year:
            detail = (
                ngettext(
                    "%(count)s recorded this year, none confirmed (first year)",
                    "%(count)s recorded this year, none confirmed (first year)",
                    facts.value_recorded_this_year,
                )
                % count
            )
        else:
            detail = (
                ngettext(
                    "%(count)s recorded this year, none confirmed",
                    "%(count)s recorded this year, none confirmed",
                    facts.value_recorded_this_year,
                )
                % count
            )
        add("value", 0 if first_year else 5, detail)
    else:
        if first_year:
            detail = gettext("No value delivered recorded this year (first year)")
        else:
            detail = gettext("No value delivered recorded this year")
        add("value", 0 if first_year else 10, detail)

    add(
        "issues",
        10 * facts.issues_open_critical + 5 * facts.issues_open_high,
        gettext("%(critical)s critical, %(high)s high open")
        % {"critical": facts.issues_open_critical, "high": facts.issues_open_high},
    )
    _customer_voice(facts, add)

    score = max(0, 100 - sum(r.points for r in results))
    return PlanHealth(score=score, rules=results, missing=missing)


def satisfaction_dropped(
    *,
    latest: float | None,
    previous: float | None,
    recommend_latest: int | None,
    recommend_previous: int | None,
    rating_drop: float = SATISFACTION_RATING_DROP,
    recommend_drop: int = SATISFACTION_RECOMMEND_DROP,
) -> bool:
    """A joint review worse than the one before: the average rating fell by `rating_drop` or
    more, or the recommend score by `recommend_drop` points or more. The averages are
    floats to the hundredth, so their difference is compared to the hundredth too: 2.3 − 1.8
    is 0.4999999999999998 in floating point, and that fall of 0.5 was not counted."""
    rating = (
        latest is not None and previous is not None and round(previous - latest, 2) >= rating_drop
    )
    recommend = (
        recommend_latest is not None
        and recommend_previous is not None
        and recommend_previous - recommend_latest >= recommend_drop
    )
    return rating or recommend


def _customer_voice(facts: PlanFacts, add) -> None:
    """The two workspace rules (satisfaction trend, the customer's own activity)."""
    if facts.satisfaction_latest is None and facts.recommend_latest is None:
        add("satisfaction", 0, gettext("No joint review answered yet"))
    else:
        points = 0
        parts = []
        if facts.satisfaction_latest is not None:
            # One decimal, rounded as the portfolio's Satisfaction column rounds it.
            rating = {"rating": number(half_up(facts.satisfaction_latest, 1), 1)}
            if facts.satisfaction_previous is not None:
                rating["was"] = number(half_up(facts.satisfaction_previous, 1), 1)
                parts.append(gettext("average rating %(rating)s (was %(was)s)") % rating)
            else:
                parts.append(gettext("average rating %(rating)s") % rating)
        if facts.recommend_latest is not None:
            # −100…100: a negative score with the minus sign, as pages write numbers.
            score = {"score": number(facts.recommend_latest)}
            if facts.recommend_previous is not None:
                score["was"] = number(facts.recommend_previous)
                parts.append(gettext("recommend score %(score)s (was %(was)s)") % score)
            else:
                parts.append(gettext("recommend score %(score)s") % score)
        if satisfaction_dropped(
            latest=facts.satisfaction_latest,
            previous=facts.satisfaction_previous,
            recommend_latest=facts.recommend_latest,
            recommend_previous=facts.recommend_previous,
        ):
            points += 10
        if (
            facts.satisfaction_latest is not None
            and facts.satisfaction_latest < SATISFACTION_LOW_RATING
        ):
            points += 5
        add(
            "satisfaction",
            points,
            gettext("Latest joint review: %(answers)s") % {"answers": ", ".join(parts)},
        )
    if not facts.workspace_invited:
        add("customer_activity", 0, gettext("Nobody invited to the workspace"))
    elif facts.workspace_idle_days is None:
        add("customer_activity", 10, gettext("Invited, never opened"))
    else:
        idle = facts.workspace_idle_days
        opened = ngettext("Last opened %(days)s day ago", "Last opened %(days)s days ago", idle) % {
            "days": idle
        }
        add(
            "customer_activity",
            10 if facts.workspace_idle_days > WORKSPACE_IDLE_DAYS else 0,
            opened,
        )


# What a page deciding on the plan (approve, return, submit, complete a quarterly review)
# shows of it: a stale decision lists those that changed, as shown beside what is stored now.
DECISION_SHOWN = (
    (_("Status"), lambda plan: plan.get_status_display()),
    (_("Submitted"), lambda plan: plan.submitted_at),
    (_("Value proposition"), lambda plan: plan.value_proposition),
    (_("Strengths"), lambda plan: plan.strengths),
    (_("Weaknesses"), lambda plan: plan.weaknesses),
    (_("Opportunities (SWOT)"), lambda plan: plan.opportunities_swot),
    (_("Threats"), lambda plan: plan.threats),
    (_("Critical success factors"), lambda plan: plan.critical_success_factors),
    (_("Last change"), lambda plan: plan.updated_at),
)
