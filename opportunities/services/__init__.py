"""Writes for Stage 3 (Value opportunities) and the scoring rules they apply.

Scoring — the one place the prioritisation rule lives
======================================================
Every opportunity is scored on 1–5 scales:

* **Money score** (1–5) from the yearly *profit potential* in the programme currency:
  under 25,000 → 1; 25,000–99,999 → 2; 100,000–249,999 → 3; 250,000–499,999 → 4;
  500,000 and more → 5 (``PROFIT_BANDS``).
* **Value score** V = (money score + strategic value for us + strategic value for the
  customer) / 3, so 1 ≤ V ≤ 5.
* **Effort and risk score** ER = (effort + risk) / 2, so 1 ≤ ER ≤ 5.
* **Priority** P = V × (6 − ER) × 4: value against effort and risk, on 4–100.
  Example: money 3, strategic 4 and 2, effort 2, risk 3 → V = 3, ER = 2.5,
  P = 3 × 3.5 × 4 = 42.

**Matrix quadrants** split both axes at the scale's midpoint 3; a score *at* 3 counts as high:

| | ER < 3 (easy) | ER ≥ 3 (hard) |
|---|---|---|
| **V ≥ 3** (high value) | Quick win | Major project |
| **V < 3** (low value) | Fill-in | Drop without regret |

Priority and quadrant are stored on the opportunity by ``apply_scores`` on every save through
this package, so lists sort and filter in the database.

**Not scored yet**: the four 1–5 scores are given together or not at all. An opportunity
without them (an idea converted from an interview, a white-space cell turned into an
opportunity, a new one whose scores were left blank) has no value score, effort and risk
score, priority or quadrant: it is shown as "Not scored yet", sorts after the scored ones,
stays off the matrix and out of every figure that depends on scores (quick wins).

Split by topic: `scoring` (the rule above), `opportunities` (an opportunity's life: create,
edit, decide, won or lost, an interview idea converted), `workshops`, `catalogue` (the
offering catalogue and its price list), `white_space` (business units × offerings); the
public names are gathered here so callers import `opportunities.services` as before.
"""

from .catalogue import list_price_add, offering_create, offering_set_archived, offering_update
from .opportunities import (
    DECISION_CHANGED,
    EDITABLE_FIELDS,
    LIVE_STATUSES,
    OPEN_STATUSES,
    OUTCOME_STATUSES,
    ConversionResult,
    detail_url,
    idea_convert,
    opportunity_change_status,
    opportunity_create,
    opportunity_decide,
    opportunity_lock_for_decision,
    opportunity_update,
    status_text,
)
from .scoring import (
    EFFORT_SCALE,
    FORMULA_TEXT,
    MONEY_BANDS_TEXT,
    PROFIT_BANDS,
    QUADRANT_SPLIT,
    RISK_SCALE,
    SCORE_FIELDS,
    SCORES_ALL_OR_NONE,
    STRATEGIC_SCALE,
    TWO_PLACES,
    apply_scores,
    effort_risk_score,
    money_score,
    priority_for,
    quadrant_for,
    value_score,
)
from .white_space import (
    OPEN,
    business_unit_create,
    business_unit_delete,
    business_unit_rename,
    white_space_cell_set,
    white_space_cell_to_opportunity,
)
from .workshops import WORKSHOP_FIELDS, workshop_create, workshop_update

__all__ = [
    "ConversionResult",
    "DECISION_CHANGED",
    "EDITABLE_FIELDS",
    "EFFORT_SCALE",
    "FORMULA_TEXT",
    "LIVE_STATUSES",
    "MONEY_BANDS_TEXT",
    "OPEN",
    "OPEN_STATUSES",
    "OUTCOME_STATUSES",
    "PROFIT_BANDS",
    "QUADRANT_SPLIT",
    "RISK_SCALE",
    "SCORES_ALL_OR_NONE",
    "SCORE_FIELDS",
    "STRATEGIC_SCALE",
    "TWO_PLACES",
    "WORKSHOP_FIELDS",
    "apply_scores",
    "business_unit_create",
    "business_unit_delete",
    "business_unit_rename",
    "detail_url",
    "effort_risk_score",
    "idea_convert",
    "list_price_add",
    "money_score",
    "offering_create",
    "offering_set_archived",
    "offering_update",
    "opportunity_change_status",
    "opportunity_create",
    "opportunity_decide",
    "opportunity_lock_for_decision",
    "opportunity_update",
    "status_text",
    "priority_for",
    "quadrant_for",
    "value_score",
    "white_space_cell_set",
    "white_space_cell_to_opportunity",
    "workshop_create",
    "workshop_update",
]
