"""CRM exchange: accounts, contacts and opportunities in the CSV shapes Salesforce, HubSpot and
Dynamics 365 export, and actuals for targets.

One file is one object type of one CRM. `import_plan` reads the rows against the database and
says, row by row, what applying would do (create / update / unchanged / failed, and for a change
each field's old and new value); it writes nothing, which is the dry-run preview. `import_apply`
works the plan out again on the data as it is then and writes it through the stages' services
(strategy for customers, discovery for stakeholders, opportunities, planning for measurements),
so the same rules hold as on the pages. Every CRM id is kept in `ExternalRef` (per source and
object type): a second import of the same file finds every row and changes nothing.

Mapping (README "CRM exchange"): an account is a candidate customer (`reference` = the CRM id
when new; a customer whose reference is that id is linked, not duplicated), its parent account
the customer's parent company; a contact is a stakeholder of the account's key account, its
reports-to line the org chart; an opportunity is an opportunity of that key account. Contacts
and opportunities of customers that are not key accounts are refused (failed rows with the
reason): the programme keeps them only for key accounts. A cell left empty leaves the field as
it is.

Exports write the same shapes; `Id` is the CRM's id when the row came from (or was linked to)
that CRM, else our own (`reference` for accounts, `KAM-S<n>` for contacts, `KAM-O<n>` for
opportunities), which an import recognises again.

Split by topic: `columns` (each CRM's column names and reading a cell), `plan` (what applying
a file would do, row by row), `apply` (the preview, the confirmed run and its failed rows),
`export`; the public names are gathered here so callers use `integrations.crm` as before.
"""

from .apply import (
    APPLIERS,
    failed_rows,
    import_apply_run,
    import_confirm,
    import_failed,
    import_not_queued,
    import_preview,
)
from .columns import (
    ACTUALS_SHAPE,
    COLUMN_TABLE,
    CRM_COLUMNS,
    LABELS,
    LOST,
    OWN_CONTACT_ID,
    OWN_OPPORTUNITY_ID,
    REQUIRED,
    SHAPES,
    WON,
    RowError,
    column_map,
    missing_columns,
    shape,
)
from .export import export_rows
from .plan import PLANNERS, RowPlan, import_plan, reason_shown, summary

__all__ = [
    "ACTUALS_SHAPE",
    "APPLIERS",
    "COLUMN_TABLE",
    "CRM_COLUMNS",
    "LABELS",
    "LOST",
    "OWN_CONTACT_ID",
    "OWN_OPPORTUNITY_ID",
    "PLANNERS",
    "REQUIRED",
    "RowError",
    "RowPlan",
    "SHAPES",
    "WON",
    "column_map",
    "export_rows",
    "failed_rows",
    "import_apply_run",
    "import_confirm",
    "import_failed",
    "import_not_queued",
    "import_plan",
    "import_preview",
    "missing_columns",
    "reason_shown",
    "shape",
    "summary",
]
