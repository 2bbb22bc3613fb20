"""Stage 1 pages: the programme, selection criteria, candidate customers, scoring, the
classification matrix and selection. Access -> form -> service -> redirect.

Split by topic: `base` (what they share), `programme` (with the roadmap), `criteria` (with the
matrix settings and the matrix), `customers` (list, form, page, scores), `importing` (customers
from a CSV file), `selection`.
"""

from .criteria import (
    criteria,
    criterion_add,
    criterion_archive,
    criterion_delete,
    criterion_edit,
    matrix,
    matrix_settings,
)
from .customers import (
    customer_add,
    customer_detail,
    customer_edit,
    customer_export,
    customer_list,
    customer_score,
)
from .importing import customer_import, customer_import_confirm
from .programme import programme_edit, roadmap_add, roadmap_delete, roadmap_edit, strategy
from .selection import account_deselect, account_reclassify, customer_select

__all__ = [
    "account_deselect",
    "account_reclassify",
    "criteria",
    "criterion_add",
    "criterion_archive",
    "criterion_delete",
    "criterion_edit",
    "customer_add",
    "customer_detail",
    "customer_edit",
    "customer_export",
    "customer_import",
    "customer_import_confirm",
    "customer_list",
    "customer_score",
    "customer_select",
    "matrix",
    "matrix_settings",
    "programme_edit",
    "roadmap_add",
    "roadmap_delete",
    "roadmap_edit",
    "strategy",
]
