"""Stage 3 pages: access → form → service → redirect; an opportunity's page is edited in
place (common/inplace.py).

Split by topic: `base` (what they share), `pipeline` (with the CSV exports), `opportunity`
(one opportunity: add, page, edit, decision, an idea turned into one), `workshops`,
`offerings` (the catalogue and its price lists), `white_space`.
"""

from .offerings import (
    offering_archive,
    offering_create,
    offering_edit,
    offering_list,
    offering_prices,
)
from .opportunity import (
    idea_convert,
    opportunity_create,
    opportunity_decide,
    opportunity_detail,
    opportunity_edit,
)
from .pipeline import account_opportunities, account_opportunities_csv, index, pipeline_csv
from .white_space import (
    business_unit_create,
    business_unit_delete,
    business_unit_edit,
    white_space,
    white_space_cell,
    white_space_cell_opportunity,
)
from .workshops import workshop_create, workshop_detail, workshop_edit, workshop_list

__all__ = [
    "account_opportunities",
    "account_opportunities_csv",
    "business_unit_create",
    "business_unit_delete",
    "business_unit_edit",
    "idea_convert",
    "index",
    "offering_archive",
    "offering_create",
    "offering_edit",
    "offering_list",
    "offering_prices",
    "opportunity_create",
    "opportunity_decide",
    "opportunity_detail",
    "opportunity_edit",
    "pipeline_csv",
    "white_space",
    "white_space_cell",
    "white_space_cell_opportunity",
    "workshop_create",
    "workshop_detail",
    "workshop_edit",
    "workshop_list",
]
