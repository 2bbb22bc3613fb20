"""Stage 2 pages. Each view: access → form → service → redirect (POST/redirect/GET); the
profile, stakeholder, interview and profitability pages are edited in place
(common/inplace.py).

Split by topic: `common`, `profile` (with the discovery list), `stakeholders`, `interviews`,
`relationship`, `profitability`.
"""

from .interviews import (
    idea_add,
    idea_delete,
    interview_create,
    interview_detail,
    interview_edit,
    interviews,
)
from .profile import (
    competitor_create,
    competitor_delete,
    competitor_edit,
    index,
    profile,
    profile_section_edit,
    ratio_create,
    ratio_delete,
    ratio_edit,
)
from .profitability import (
    lifetime_value_edit,
    profitability,
    year_create,
    year_delete,
    year_edit,
)
from .relationship import (
    relationship,
    relationship_update,
)
from .stakeholders import (
    stakeholder_archive,
    stakeholder_create,
    stakeholder_edit,
    stakeholder_map,
    stakeholder_restore,
    stakeholders,
)

__all__ = [
    "competitor_create",
    "competitor_delete",
    "competitor_edit",
    "idea_add",
    "idea_delete",
    "index",
    "interview_create",
    "interview_detail",
    "interview_edit",
    "interviews",
    "lifetime_value_edit",
    "profile",
    "profile_section_edit",
    "profitability",
    "ratio_create",
    "ratio_delete",
    "ratio_edit",
    "relationship",
    "relationship_update",
    "stakeholder_archive",
    "stakeholder_create",
    "stakeholder_edit",
    "stakeholder_map",
    "stakeholder_restore",
    "stakeholders",
    "year_create",
    "year_delete",
    "year_edit",
]
