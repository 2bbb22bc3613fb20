"""Writes for Stage 1 (Strategy). Every domain write goes through a service.

Scoring rule (shown to users on the criteria page and the customer page):

* Each criterion is scored 1-5 against its anchored scale (what a 1, 3 and 5 mean).
* An axis score is the weighted mean of the scored, non-archived criteria of that axis,
  stretched to 0-100:  axis = sum(weight * (score - 1) / 4) / sum(weight) * 100,
  rounded half-up to two decimals. All 1s give 0, all 5s give 100.
* Missing scores do not count as zero: the axis is computed over the criteria that are scored,
  and the customer is marked *incomplete* until every active criterion is scored. An axis
  with no scored criterion has no score at all.
* An axis is *high* when its score is at or above the programme's threshold for that axis
  (a score exactly on the threshold is high). The class follows Cranfield's matrix:
  high/high strategic, high attractiveness/low strength star, low attractiveness/high
  strength status, low/low streamline. No class until both axes have a score.
* Archived criteria stop counting; their scores are kept.

Split by topic: `base` (what every write shares), `scoring` (the rule above and the writes that
apply it), `programme` (the programme page, its roadmap and the selection criteria),
`customers` (candidate customers and their import), `selection` (selecting, de-selecting and
reclassifying key accounts); the public names are gathered here so callers import
`strategy.services` as before.
"""

from .base import (
    SCALE_MAX,
    SCALE_MIN,
    TWO_PLACES,
    history_note,
)
from .customers import (
    CUSTOMER_FIELDS,
    ImportResult,
    customer_parent_set,
    customer_save,
    customers_import,
    customers_import_serialise,
)
from .programme import (
    CRITERION_FIELDS,
    MATRIX_FIELDS,
    PROGRAMME_FIELDS,
    ROADMAP_FIELDS,
    criterion_delete,
    criterion_save,
    criterion_set_archived,
    programme_matrix_settings_update,
    programme_update,
    roadmap_item_delete,
    roadmap_item_save,
)
from .scoring import (
    ClassChange,
    RescoreResult,
    ScoreResult,
    axis_score,
    classify,
    customer_rescore,
    customer_score,
    customers_rescore_all,
    score_customer,
    shares_used,
    weight_shares,
)
from .selection import (
    SELECTION_CHANGED,
    key_account_deselect,
    key_account_reclassify,
    key_account_select,
)

__all__ = [
    "CRITERION_FIELDS",
    "CUSTOMER_FIELDS",
    "ClassChange",
    "ImportResult",
    "MATRIX_FIELDS",
    "PROGRAMME_FIELDS",
    "ROADMAP_FIELDS",
    "RescoreResult",
    "SCALE_MAX",
    "SCALE_MIN",
    "SELECTION_CHANGED",
    "ScoreResult",
    "TWO_PLACES",
    "axis_score",
    "classify",
    "criterion_delete",
    "criterion_save",
    "criterion_set_archived",
    "customer_parent_set",
    "customer_rescore",
    "customer_save",
    "customer_score",
    "customers_import",
    "customers_import_serialise",
    "customers_rescore_all",
    "history_note",
    "key_account_deselect",
    "key_account_reclassify",
    "key_account_select",
    "programme_matrix_settings_update",
    "programme_update",
    "roadmap_item_delete",
    "roadmap_item_save",
    "score_customer",
    "shares_used",
    "weight_shares",
]
