"""Reads for the rhythm pages and jobs, one module per topic:

- `digests`: the reminder digests (what each person is reminded of) and the rules the digest
  settings and review pages show;
- `reviews`: quarterly reviews, the annual programme review, bulk exports and job runs.
"""

from accounts.selectors import user_today  # rhythm.services reads it from here

from .digests import (
    DIGEST_KINDS,
    DIGEST_RULE,
    REVIEW_COMPLETE_WITHIN_DAYS,
    Digest,
    build_digests,
    digest_for,
    digest_is_due,
    preference_of,
)
from .reviews import (
    account_reviews,
    annual_review_summary,
    exportable_plans,
    latest_runs,
    my_exports,
    programme_admins,
    review_for_account,
    review_walkthrough,
)

__all__ = [
    "DIGEST_KINDS",
    "DIGEST_RULE",
    "REVIEW_COMPLETE_WITHIN_DAYS",
    "Digest",
    "account_reviews",
    "annual_review_summary",
    "build_digests",
    "digest_for",
    "digest_is_due",
    "exportable_plans",
    "latest_runs",
    "my_exports",
    "preference_of",
    "programme_admins",
    "review_for_account",
    "review_walkthrough",
    "user_today",
]
