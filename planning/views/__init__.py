"""Plans stage pages. Each view: access → form → service → redirect (or re-render with input).

Split by topic: `common`, `editing` (the editor registry), `page` (the plan page and its
in-place edits), `workflow`, `records` (versions, snapshots, PDF), `landing`.
"""

from .common import (
    PAGE_SIZE,
    UNDO_SESSION_KEY,
)
from .editing import (
    EDITORS,
    PART_LINKS,
    Editor,
    Removal,
)
from .landing import (
    index,
)
from .page import (
    FRAGMENT_SECTIONS,
    SECTION_PARTS,
    item_remove,
    item_save,
    plan_detail,
    plan_start,
    section_save,
)
from .records import (
    plan_pdf,
    review_snapshot_detail,
    version_compare,
    version_detail,
    version_list,
)
from .workflow import (
    plan_approve,
    plan_return,
    plan_submit,
)

__all__ = [
    "EDITORS",
    "Editor",
    "FRAGMENT_SECTIONS",
    "PAGE_SIZE",
    "PART_LINKS",
    "Removal",
    "SECTION_PARTS",
    "UNDO_SESSION_KEY",
    "index",
    "item_remove",
    "item_save",
    "plan_approve",
    "plan_detail",
    "plan_pdf",
    "plan_return",
    "plan_start",
    "plan_submit",
    "review_snapshot_detail",
    "section_save",
    "version_compare",
    "version_detail",
    "version_list",
]
