"""The prioritisation rule (see the package's docstring): scales, scores, priority, quadrant."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from ..models import Opportunity, Quadrant

# (profit potential below this, money score); anything at or above the last bound scores 5.
PROFIT_BANDS: list[tuple[Decimal, int]] = [
    (Decimal("25000"), 1),
    (Decimal("100000"), 2),
    (Decimal("250000"), 3),
    (Decimal("500000"), 4),
]
QUADRANT_SPLIT = 3  # on both 1–5 axes; a score equal to the split counts as high

# What each point of the 1–5 scales means (shown next to the inputs and on the detail page).
STRATEGIC_SCALE = {
    1: gettext_lazy("Negligible: no strategic effect"),
    2: gettext_lazy("Minor: helps one team a little"),
    3: gettext_lazy("Noticeable: supports a stated objective"),
    4: gettext_lazy("Significant: moves a key objective or opens a segment"),
    5: gettext_lazy("Transformational: new market, new capability or a changed relationship"),
}
EFFORT_SCALE = {
    1: gettext_lazy("A few days of one person"),
    2: gettext_lazy("Weeks of work within one team"),
    3: gettext_lazy("A cross-functional project over a quarter"),
    4: gettext_lazy("Several functions for most of a year, some investment"),
    5: gettext_lazy("Major investment and change on both sides"),
}
RISK_SCALE = {
    1: gettext_lazy("Almost certain to deliver"),
    2: gettext_lazy("Small, known risks"),
    3: gettext_lazy("Real uncertainty in demand, cost or timing"),
    4: gettext_lazy("Depends on things we do not control"),
    5: gettext_lazy("Unproven: likely to fail or be delayed"),
}
FORMULA_TEXT = gettext_lazy(
    "Value score V = (money score from profit potential + strategic value for us + strategic "
    "value for the customer) ÷ 3. Effort and risk score ER = (effort + risk) ÷ 2. "
    "Priority = V × (6 − ER) × 4, from 4 to 100. Quadrants split both scores at 3 "
    "(3 counts as high): quick win V ≥ 3 and ER < 3; major project V ≥ 3 and ER ≥ 3; "
    "fill-in V < 3 and ER < 3; drop without regret V < 3 and ER ≥ 3."
)
MONEY_BANDS_TEXT = gettext_lazy(
    "Money score from yearly profit potential: under 25,000 → 1; under 100,000 → 2; "
    "under 250,000 → 3; under 500,000 → 4; 500,000 or more → 5."
)

TWO_PLACES = Decimal("0.01")


# ---- scoring ------------------------------------------------------------------------------


def money_score(profit_potential: Decimal) -> int:
    for bound, score in PROFIT_BANDS:
        if profit_potential < bound:
            return score
    return 5


def value_score(opportunity: Opportunity) -> Decimal:
    total = (
        money_score(opportunity.profit_potential)
        + opportunity.strategic_value_us
        + opportunity.strategic_value_customer
    )
    return (Decimal(total) / 3).quantize(TWO_PLACES, ROUND_HALF_UP)


def effort_risk_score(opportunity: Opportunity) -> Decimal:
    return (Decimal(opportunity.effort + opportunity.risk) / 2).quantize(TWO_PLACES)


def priority_for(opportunity: Opportunity) -> Decimal:
    """P = V × (6 − ER) × 4, computed on whole numbers so it is exact before rounding."""
    value_total = (
        money_score(opportunity.profit_potential)
        + opportunity.strategic_value_us
        + opportunity.strategic_value_customer
    )  # = 3V
    ease_twice = 12 - (opportunity.effort + opportunity.risk)  # = 2 × (6 − ER)
    return (Decimal(value_total * ease_twice * 2) / 3).quantize(TWO_PLACES, ROUND_HALF_UP)


def quadrant_for(opportunity: Opportunity) -> str:
    """Compare on whole-number totals: V ≥ 3 ⇔ 3V ≥ 9, ER ≥ 3 ⇔ effort + risk ≥ 6."""
    value_total = (
        money_score(opportunity.profit_potential)
        + opportunity.strategic_value_us
        + opportunity.strategic_value_customer
    )
    high_value = value_total >= 3 * QUADRANT_SPLIT
    hard = opportunity.effort + opportunity.risk >= 2 * QUADRANT_SPLIT
    return {
        (True, False): Quadrant.QUICK_WIN,
        (True, True): Quadrant.MAJOR_PROJECT,
        (False, False): Quadrant.FILL_IN,
        (False, True): Quadrant.DROP,
    }[(high_value, hard)]


SCORE_FIELDS = ("strategic_value_us", "strategic_value_customer", "effort", "risk")
SCORES_ALL_OR_NONE = gettext_lazy(
    "Give all four scores (strategic value for us and for the customer, effort, risk), or "
    "leave all four empty to score it later."
)


def apply_scores(opportunity: Opportunity) -> None:
    given = [getattr(opportunity, name) is not None for name in SCORE_FIELDS]
    if any(given) and not all(given):
        raise ValidationError(
            {
                name: [SCORES_ALL_OR_NONE]
                for name, ok in zip(SCORE_FIELDS, given, strict=True)
                if not ok
            }
        )
    if opportunity.is_scored:
        opportunity.priority = priority_for(opportunity)
        opportunity.quadrant = quadrant_for(opportunity)
    else:
        opportunity.priority = None
        opportunity.quadrant = ""
