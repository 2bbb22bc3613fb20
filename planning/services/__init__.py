"""Every write to an account plan: content editing, the approval workflow, archiving.

Rules that live here (and are shown to users where they act):
- One current plan per key account; a plan is started for a period by its director/manager.
- Content edits are refused on archived plans. Editing a submitted, returned or approved plan
  moves it back to draft; an approved version stays frozen in `PlanVersion`.
- Concurrent edits: every editable thing carries a revision (plan sections in
  `AccountPlan.section_revisions`, items in their `revision` field). A save that started from
  an older revision raises `common.conflicts.EditConflict`, never overwrites silently.
- Workflow: draft/returned → submitted (manager or director) → approved (director only; a new
  immutable version) or returned with comments (director). Submitting and approving are refused
  while the plan lacks a part the method requires (rules.PLAN_PARTS), with the list of them.
- Owners of objectives, actions, engagement activities and risks must be on the account team.
- Workflow steps (submit, return, approve) and actions given a new owner are announced through
  `planning.signals` after the transaction commits; later stages react (delivery notifies).

Split by topic: `base` (what every write shares), `plans` (a plan as a whole and its
workflow), `items` (objectives, targets, actions, engagement, risks), `health`; the public
names are gathered here so callers import `planning.services` as before.
"""

from .base import (
    PLAN_CHANGED,
    SECTIONS,
    plan_lock_for_decision,
    plan_lock_for_edit,
    plan_mark_edited,
)
from .health import (
    DEADLOCK_DETECTED,
    HEALTH_BATCH,
    HEALTH_HISTORY_DAYS,
    plan_content_changed,
    plan_content_invalidate,
    plan_health_changed,
    plan_health_invalidate,
    plan_health_mark_in_save,
    plan_health_record,
    plan_health_refresh,
    plan_write,
)
from .items import (
    ACTION_FIELDS,
    ENGAGEMENT_FIELDS,
    OBJECTIVE_FIELDS,
    RISK_FIELDS,
    TARGET_FIELDS,
    action_cancel,
    action_save,
    engagement_delete,
    engagement_held,
    engagement_save,
    measurement_record,
    objective_delete,
    objective_save,
    risk_delete,
    risk_save,
    target_archive,
    target_save,
)
from .plans import (
    PlanIncomplete,
    QuickStart,
    plan_approve,
    plan_archive_current,
    plan_missing_parts,
    plan_quick_start,
    plan_return,
    plan_review_snapshot_record,
    plan_section_update,
    plan_start,
    plan_submit,
    review_completed_text,
)

__all__ = [
    "ACTION_FIELDS",
    "DEADLOCK_DETECTED",
    "ENGAGEMENT_FIELDS",
    "HEALTH_BATCH",
    "HEALTH_HISTORY_DAYS",
    "OBJECTIVE_FIELDS",
    "PLAN_CHANGED",
    "PlanIncomplete",
    "QuickStart",
    "RISK_FIELDS",
    "SECTIONS",
    "TARGET_FIELDS",
    "action_cancel",
    "action_save",
    "engagement_delete",
    "engagement_held",
    "engagement_save",
    "measurement_record",
    "objective_delete",
    "objective_save",
    "plan_approve",
    "plan_archive_current",
    "plan_content_changed",
    "plan_content_invalidate",
    "plan_health_changed",
    "plan_health_invalidate",
    "plan_health_mark_in_save",
    "plan_write",
    "plan_health_record",
    "plan_health_refresh",
    "plan_lock_for_decision",
    "plan_lock_for_edit",
    "plan_mark_edited",
    "plan_missing_parts",
    "plan_quick_start",
    "plan_return",
    "plan_review_snapshot_record",
    "review_completed_text",
    "plan_section_update",
    "plan_start",
    "plan_submit",
    "risk_delete",
    "risk_save",
    "target_archive",
    "target_save",
]
