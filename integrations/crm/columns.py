"""Each CRM's column names for our fields, and reading a cell (money, dates, text)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from accounts.event_text import EventText, validation_text
from common.dates import validate_in_window
from common.uploads import amount_is_ambiguous, amount_text
from opportunities.models import Opportunity

from ..models import ObjectType, Source

# The column names each CRM's exports use for our fields: one row a field, the three CRMs side
# by side (Salesforce, HubSpot, Dynamics 365). "|" separates the names one CRM has used for a
# column; they are matched without regard to case or surrounding blanks, and the first is what
# our export writes.
CRM_COLUMNS = (Source.SALESFORCE, Source.HUBSPOT, Source.DYNAMICS)
COLUMN_TABLE: dict[str, list[tuple[str, str, str, str]]] = {
    ObjectType.ACCOUNT: [
        (
            "external_id",
            "Id",
            "Record ID|Company ID|hs_object_id",
            "accountid|(Do Not Modify) Account",
        ),
        ("name", "Name", "Company name|Name", "name|Account Name"),
        (
            "parent_id",
            "ParentId",
            "Parent Company ID|hs_parent_company_id",
            "parentaccountid|Parent Account",
        ),
        ("industry", "Industry", "Industry", "industrycode|Industry"),
        (
            "country",
            "BillingCountry",
            "Country/Region|Country",
            "address1_country|Address 1: Country/Region",
        ),
    ],
    ObjectType.CONTACT: [
        (
            "external_id",
            "Id",
            "Record ID|Contact ID|hs_object_id",
            "contactid|(Do Not Modify) Contact",
        ),
        (
            "account_id",
            "AccountId",
            "Associated Company ID|Company ID|Associated Company IDs (Primary)|associatedcompanyid",
            "parentcustomerid|Company Name",
        ),
        ("first_name", "FirstName", "First Name|firstname", "firstname|First Name"),
        ("last_name", "LastName", "Last Name|lastname", "lastname|Last Name"),
        ("title", "Title", "Job Title|jobtitle", "jobtitle|Job Title"),
        ("email", "Email", "Email|email", "emailaddress1|Email"),
        ("department", "Department", "Department", "department|Department"),
        ("reports_to_id", "ReportsToId", "Reports To ID", "parentcontactid|Reports To"),
    ],
    ObjectType.OPPORTUNITY: [
        (
            "external_id",
            "Id",
            "Record ID|Deal ID|hs_object_id",
            "opportunityid|(Do Not Modify) Opportunity",
        ),
        (
            "account_id",
            "AccountId",
            "Associated Company ID|Associated Company IDs (Primary)",
            "parentaccountid|customerid|Account",
        ),
        ("name", "Name", "Deal Name|dealname", "name|Topic"),
        ("amount", "Amount", "Amount|amount", "estimatedvalue|Est. Revenue"),
        ("stage", "StageName", "Deal Stage|dealstage", "statecode|Status"),
        ("close_date", "CloseDate", "Close Date|closedate", "estimatedclosedate|Est. Close Date"),
        (
            "probability",
            "Probability",
            "Deal probability|hs_deal_stage_probability",
            "closeprobability|Probability",
        ),
    ],
}
# For each CRM and object type: our field -> the column names that CRM's exports use.
SHAPES: dict[str, dict[str, dict[str, list[str]]]] = {
    source: {
        object_type: {row[0]: row[1 + i].split("|") for row in rows}
        for object_type, rows in COLUMN_TABLE.items()
    }
    for i, source in enumerate(CRM_COLUMNS)
}
# Actuals: any source; keyed by the target's id in that CRM (a first file pairs it with our
# target id) or by our target id alone.
ACTUALS_SHAPE = {
    "target_external_id": ["TargetExternalId", "External ID"],
    "target_id": ["TargetId", "Target ID"],
    "measured_on": ["Date", "MeasuredOn"],
    "actual": ["Actual", "Value"],
    "comment": ["Comment"],
}
REQUIRED = {
    ObjectType.ACCOUNT: ("external_id", "name"),
    ObjectType.CONTACT: ("external_id", "account_id", "last_name"),
    ObjectType.OPPORTUNITY: ("external_id", "account_id", "name"),
    ObjectType.TARGET: ("measured_on", "actual"),
}
# Stored in English with the preview (a JSON column); the preview page translates them.
LABELS = {
    "name": gettext_noop("Name"),
    "sector": gettext_noop("Sector"),
    "country": gettext_noop("Country"),
    "parent": gettext_noop("Parent company"),
    "title": gettext_noop("Job title"),
    "email": gettext_noop("E-mail"),
    "department": gettext_noop("Department"),
    "reports_to": gettext_noop("Reports to"),
    "annual_value": gettext_noop("Estimated annual value"),
    "expected_start_on": gettext_noop("Expected close/start"),
    "status": gettext_noop("Status"),
    "actual": gettext_noop("Actual"),
    "measured_on": gettext_noop("Date"),
}
WON = {"closed won", "closedwon", "won", "1"}
LOST = {"closed lost", "closedlost", "lost", "2"}
OWN_CONTACT_ID = re.compile(r"^KAM-S(\d+)$")
OWN_OPPORTUNITY_ID = re.compile(r"^KAM-O(\d+)$")


def shape(source: str, object_type: str) -> dict[str, list[str]]:
    if object_type == ObjectType.TARGET:
        return ACTUALS_SHAPE
    return SHAPES[source][object_type]


def column_map(columns: list[str], source: str, object_type: str) -> dict[str, str]:
    """Our field -> the file's column that holds it."""
    present = {c.strip().lower(): c for c in columns}
    found = {}
    for ours, names in shape(source, object_type).items():
        for name in names:
            if name.lower() in present:
                found[ours] = present[name.lower()]
                break
    return found


def missing_columns(columns: list[str], source: str, object_type: str) -> list[str]:
    found = column_map(columns, source, object_type)
    required = REQUIRED[ObjectType(object_type)]
    if object_type == ObjectType.TARGET and not ({"target_external_id", "target_id"} & set(found)):
        return ["TargetExternalId or TargetId"]
    return [shape(source, object_type)[f][0] for f in required if f not in found]


# ---- reading cells -----------------------------------------------------------------------


class RowError(Exception):
    """A row that cannot be imported; `text` says why, kept as message and values so that
    whoever opens the import reads it in their language."""

    def __init__(self, text: EventText) -> None:
        super().__init__(text.english())
        self.text = text


def _money(text: str, what: str, *, negative: bool = False) -> Decimal | None:
    if not text:
        return None
    # As spreadsheets write amounts, in English or French ('12,500.50', '12 500,50'): the
    # commas were dropped, so a French '12500,50' read as 1,250,050.
    if amount_is_ambiguous(text):
        raise RowError(
            EventText(
                gettext_noop(
                    "%(column)s “%(value)s” could be a whole number with a thousands comma or "
                    "a decimal comma: write it without the comma, or with two decimals."
                ),
                column=what,
                value=text,
            )
        )
    try:
        value = Decimal(amount_text(text))
    except InvalidOperation:
        raise RowError(
            EventText(
                gettext_noop("%(column)s “%(value)s” is not a number."), column=what, value=text
            )
        ) from None
    low = Decimal("-1e12") if negative else 0
    if not value.is_finite() or value < low or abs(value) >= Decimal("1e12"):
        raise RowError(
            EventText(
                gettext_noop("%(column)s %(value)s is out of range."), column=what, value=text
            )
        )
    return value.quantize(Decimal("0.01"))


def _date(text: str, what: str) -> date | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip()[:10]).date()
        validate_in_window(value)
    except ValueError:
        raise RowError(
            EventText(
                gettext_noop("%(column)s “%(value)s” is not a date (YYYY-MM-DD)."),
                column=what,
                value=text,
            )
        ) from None
    except ValidationError as error:
        raise RowError(
            EventText(
                gettext_noop("%(column)s %(value)s: %(problem)s"),
                column=what,
                value=text,
                problem=validation_text(error),
            )
        ) from None
    return value


def _text(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if len(text) > limit:
        raise RowError(
            EventText(
                gettext_noop("%(column)s is longer than %(limit)s characters."),
                column=what,
                limit=limit,
            )
        )
    return text


def _status_for_stage(stage: str) -> str | None:
    """Won and lost come from the CRM; an open stage leaves our own status alone."""
    key = stage.strip().lower()
    if key in WON:
        return Opportunity.Status.WON
    if key in LOST:
        return Opportunity.Status.LOST
    return None
