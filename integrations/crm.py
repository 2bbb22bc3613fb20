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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import Customer
from common.dates import validate_in_window
from common.locks import serialise
from discovery.models import Stakeholder
from discovery.services import QUICK_STAKEHOLDER_DEFAULTS, stakeholder_save
from opportunities.models import Opportunity
from opportunities.services import opportunity_create, opportunity_update
from planning.models import Measurement, Target
from planning.services import measurement_record
from strategy.services import customer_parent_set, customer_save

from .models import ExternalRef, ImportRun, ObjectType, Source
from .signals import import_waiting

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
LABELS = {
    "name": "Name",
    "sector": "Sector",
    "country": "Country",
    "parent": "Parent company",
    "title": "Job title",
    "email": "E-mail",
    "department": "Department",
    "reports_to": "Reports to",
    "annual_value": "Estimated annual value",
    "expected_start_on": "Expected close/start",
    "status": "Status",
    "actual": "Actual",
    "measured_on": "Date",
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
    pass


def _money(text: str, what: str, *, negative: bool = False) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise RowError(f"{what} “{text}” is not a number.") from None
    low = Decimal("-1e12") if negative else 0
    if not value.is_finite() or value < low or abs(value) >= Decimal("1e12"):
        raise RowError(f"{what} {text} is out of range.")
    return value.quantize(Decimal("0.01"))


def _date(text: str, what: str) -> date | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip()[:10]).date()
        validate_in_window(value)
    except ValueError:
        raise RowError(f"{what} “{text}” is not a date (YYYY-MM-DD).") from None
    except ValidationError as error:
        raise RowError(f"{what} {text}: {' '.join(error.messages)}") from None
    return value


def _text(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if len(text) > limit:
        raise RowError(f"{what} is longer than {limit} characters.")
    return text


def _status_for_stage(stage: str) -> str | None:
    """Won and lost come from the CRM; an open stage leaves our own status alone."""
    key = stage.strip().lower()
    if key in WON:
        return Opportunity.Status.WON
    if key in LOST:
        return Opportunity.Status.LOST
    return None


# ---- the plan --------------------------------------------------------------------------------


@dataclass
class RowPlan:
    line: int
    external_id: str
    action: str = "unchanged"  # create | update | unchanged | failed
    label: str = ""
    changes: list[list[str]] = field(default_factory=list)
    reason: str = ""
    # what apply needs (not shown)
    local_id: int | None = None
    values: dict = field(default_factory=dict)
    link: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "line": self.line,
            "external_id": self.external_id,
            "action": self.action,
            "label": self.label,
            "changes": self.changes,
            "reason": self.reason,
        }


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _compare(plan: RowPlan, obj, values: dict) -> None:
    """Fill the plan's field-by-field changes of `values` against `obj` (None: all new)."""
    for name, new in values.items():
        old = getattr(obj, name) if obj is not None else None
        if isinstance(new, Stakeholder | Customer) or isinstance(old, Stakeholder | Customer):
            same = (old.pk if old else None) == (new.pk if new else None)
        else:
            same = old == new
        if obj is None or not same:
            plan.changes.append([LABELS.get(name, name), _shown(old), _shown(new)])


def _decide(plan: RowPlan, existing, values: dict, linked: dict, **stored) -> None:
    """The row's action once its values are read: create, or update (unchanged) `existing`,
    whose CRM id is recorded on applying when the row found it by our own id."""
    _compare(plan, existing, values)
    plan.values = {**values, **stored}
    if existing is None:
        plan.action = "create"
    else:
        plan.local_id = existing.pk
        plan.action = "update" if plan.changes else "unchanged"
        if plan.external_id not in linked:
            plan.link["ref"] = True


def _refs(source: str, object_type: str, external_ids) -> dict[str, int]:
    return dict(
        ExternalRef.objects.filter(
            source=source, object_type=object_type, external_id__in=list(external_ids)
        ).values_list("external_id", "local_id")
    )


def _cells(rows, columns: dict[str, str]) -> list[dict[str, str]]:
    return [{ours: (row.get(col) or "").strip() for ours, col in columns.items()} for row in rows]


def _plan_accounts(source, rows, lines) -> list[RowPlan]:
    ids = [r.get("external_id", "") for r in rows]
    linked = _refs(source, ObjectType.ACCOUNT, ids)
    by_id = Customer.objects.select_related("parent").in_bulk(list(linked.values()))
    by_reference = {c.reference: c for c in Customer.objects.filter(reference__in=ids)}
    parent_ids = {r.get("parent_id") for r in rows if r.get("parent_id")}
    parent_links = _refs(source, ObjectType.ACCOUNT, parent_ids)
    parents = Customer.objects.in_bulk(list(parent_links.values()))
    parents_by_reference = {
        c.reference: c for c in Customer.objects.filter(reference__in=parent_ids)
    }
    in_file = {r.get("external_id") for r in rows}
    plans = []
    for row, line in zip(rows, lines, strict=True):
        plan = RowPlan(line=line, external_id=row.get("external_id", ""))
        plans.append(plan)
        try:
            if not plan.external_id:
                raise RowError("The row has no Id.")
            name = _text(row.get("name", ""), 200, "Name")
            if not name:
                raise RowError("The account has no name.")
            plan.label = name
            customer = by_id.get(linked.get(plan.external_id)) or by_reference.get(plan.external_id)
            if customer is None and len(plan.external_id) > 40:
                raise RowError("The Id is longer than 40 characters.")
            values = {"name": name}
            if row.get("industry"):
                values["sector"] = _text(row["industry"], 120, "Industry")
            if row.get("country"):
                values["country"] = _text(row["country"], 80, "Country")
            parent_key = row.get("parent_id", "")
            if parent_key:
                if parent_key == plan.external_id:
                    raise RowError("The account is its own parent.")
                parent = parents.get(parent_links.get(parent_key)) or parents_by_reference.get(
                    parent_key
                )
                if parent is None and parent_key not in in_file:
                    raise RowError(
                        f"Parent account {parent_key} is neither in this file nor imported before."
                    )
                plan.link = {"parent": parent_key}
                old_parent = customer.parent if customer else None
                if parent is None or old_parent is None or old_parent.pk != parent.pk:
                    if parent is not None:
                        shown = parent.name
                    else:
                        shown = next(
                            r.get("name") or parent_key
                            for r in rows
                            if r.get("external_id") == parent_key
                        )
                    plan.changes.append(
                        [LABELS["parent"], _shown(old_parent and old_parent.name), shown]
                    )
            _decide(plan, customer, values, linked)
        except RowError as error:
            plan.action, plan.reason, plan.changes = "failed", str(error), []
    return plans


def _key_account_for(source, account_key, linked_accounts, customers):
    customer = customers.get(linked_accounts.get(account_key))
    if customer is None:
        customer = next((c for c in customers.values() if c.reference == account_key), None)
    if customer is None:
        raise RowError(f"Account {account_key} is not known here: import the accounts first.")
    account = getattr(customer, "key_account", None)
    if account is None:
        raise RowError(
            f"{customer.name} is not a key account: contacts and opportunities are kept only "
            "for key accounts (select it first)."
        )
    return account


def _account_lookup(source, rows):
    keys = {r.get("account_id") for r in rows if r.get("account_id")}
    linked = _refs(source, ObjectType.ACCOUNT, keys)
    customers = {
        c.pk: c
        for c in Customer.objects.select_related("key_account__customer").filter(
            pk__in=list(linked.values())
        )
    }
    for c in Customer.objects.select_related("key_account__customer").filter(reference__in=keys):
        customers.setdefault(c.pk, c)
    return linked, customers


def _plan_contacts(source, rows, lines) -> list[RowPlan]:
    linked_accounts, customers = _account_lookup(source, rows)
    ids = {r.get("external_id") for r in rows} | {
        r.get("reports_to_id") for r in rows if r.get("reports_to_id")
    }
    linked = _refs(source, ObjectType.CONTACT, ids)
    own = {int(m.group(1)) for i in ids if i and (m := OWN_CONTACT_ID.match(i))}
    people = Stakeholder.objects.select_related("reports_to").in_bulk([*linked.values(), *own])

    def local(key):
        if key in linked:
            return people.get(linked[key])
        m = OWN_CONTACT_ID.match(key or "")
        return people.get(int(m.group(1))) if m else None

    in_file = {r.get("external_id"): r for r in rows}
    plans = []
    for row, line in zip(rows, lines, strict=True):
        plan = RowPlan(line=line, external_id=row.get("external_id", ""))
        plans.append(plan)
        try:
            if not plan.external_id:
                raise RowError("The row has no Id.")
            name = _text(
                " ".join(p for p in (row.get("first_name", ""), row.get("last_name", "")) if p),
                200,
                "Name",
            )
            if not name:
                raise RowError("The contact has no name.")
            plan.label = name
            account = _key_account_for(source, row.get("account_id"), linked_accounts, customers)
            plan.label = f"{name} ({account.customer.name})"
            person = local(plan.external_id)
            if person is not None and person.key_account_id != account.pk:
                raise RowError(
                    f"{person.name} is a stakeholder of another account here; moving people "
                    "between accounts is not imported."
                )
            values = {"name": name}
            if row.get("title"):
                values["title"] = _text(row["title"], 200, "Title")
            if row.get("department"):
                values["department"] = _text(row["department"], 120, "Department")
            if row.get("email"):
                email = _text(row["email"], 254, "Email")
                try:
                    validate_email(email)
                except ValidationError:
                    raise RowError(f"Email “{email}” is not an e-mail address.") from None
                values["email"] = email
            boss_key = row.get("reports_to_id", "")
            if boss_key:
                if boss_key == plan.external_id:
                    raise RowError("The contact reports to themself.")
                boss = local(boss_key)
                if boss is None and boss_key not in in_file:
                    raise RowError(
                        f"Reports to {boss_key}, who is neither in this file nor imported before."
                    )
                if boss is not None and boss.key_account_id != account.pk:
                    raise RowError("Reports to someone at another account.")
                if boss is None:
                    other = in_file[boss_key]
                    if other.get("account_id") != row.get("account_id"):
                        raise RowError("Reports to someone at another account.")
                    boss_name = " ".join(
                        p for p in (other.get("first_name", ""), other.get("last_name", "")) if p
                    )
                else:
                    boss_name = boss.name
                plan.link["reports_to"] = boss_key
                old_boss = person.reports_to if person else None
                if boss is None or old_boss is None or old_boss.pk != boss.pk:
                    plan.changes.append(
                        [LABELS["reports_to"], _shown(old_boss and old_boss.name), boss_name]
                    )
            _decide(plan, person, values, linked, account_id=account.pk)
        except RowError as error:
            plan.action, plan.reason, plan.changes = "failed", str(error), []
    return plans


def _plan_opportunities(source, rows, lines) -> list[RowPlan]:
    linked_accounts, customers = _account_lookup(source, rows)
    ids = {r.get("external_id") for r in rows}
    linked = _refs(source, ObjectType.OPPORTUNITY, ids)
    own = {int(m.group(1)) for i in ids if i and (m := OWN_OPPORTUNITY_ID.match(i))}
    found = Opportunity.objects.in_bulk([*linked.values(), *own])
    plans = []
    for row, line in zip(rows, lines, strict=True):
        plan = RowPlan(line=line, external_id=row.get("external_id", ""))
        plans.append(plan)
        try:
            if not plan.external_id:
                raise RowError("The row has no Id.")
            title = _text(row.get("name", ""), 200, "Name")
            if not title:
                raise RowError("The opportunity has no name.")
            plan.label = title
            account = _key_account_for(source, row.get("account_id"), linked_accounts, customers)
            plan.label = f"{title} ({account.customer.name})"
            opportunity = None
            if plan.external_id in linked:
                opportunity = found.get(linked[plan.external_id])
            elif m := OWN_OPPORTUNITY_ID.match(plan.external_id):
                opportunity = found.get(int(m.group(1)))
            if opportunity is not None and opportunity.key_account_id != account.pk:
                raise RowError("This opportunity belongs to another account here.")
            values = {"title": title}
            amount = _money(row.get("amount", ""), "Amount")
            if amount is not None:
                values["annual_value"] = amount
            close = _date(row.get("close_date", ""), "Close date")
            if close is not None:
                values["expected_start_on"] = close
            status = _status_for_stage(row.get("stage", ""))
            if status is not None:
                values["status"] = status
            elif opportunity is None:
                values["status"] = Opportunity.Status.QUALIFIED
            _decide(plan, opportunity, values, linked, account_id=account.pk)
        except RowError as error:
            plan.action, plan.reason, plan.changes = "failed", str(error), []
    return plans


def _plan_actuals(source, rows, lines) -> list[RowPlan]:
    ext_ids = {r.get("target_external_id") for r in rows if r.get("target_external_id")}
    linked = _refs(source, ObjectType.TARGET, ext_ids)
    target_ids = set(linked.values())
    for r in rows:
        if (r.get("target_id") or "").isdigit():
            target_ids.add(int(r["target_id"]))
    targets = Target.objects.select_related("objective__plan__key_account__customer").in_bulk(
        list(target_ids)
    )
    stored = set(
        Measurement.objects.filter(target_id__in=list(target_ids)).values_list(
            "target_id", "measured_on", "actual"
        )
    )
    plans = []
    for row, line in zip(rows, lines, strict=True):
        ext = row.get("target_external_id", "")
        plan = RowPlan(line=line, external_id=ext or row.get("target_id", ""))
        plans.append(plan)
        try:
            target = None
            if ext and ext in linked:
                target = targets.get(linked[ext])
            if target is None and row.get("target_id"):
                if not row["target_id"].isdigit():
                    raise RowError(f"TargetId “{row['target_id']}” is not a number.")
                target = targets.get(int(row["target_id"]))
                if target is not None and ext:
                    plan.link["ref"] = True
            if target is None:
                raise RowError(
                    "No target with this id here"
                    + ("" if row.get("target_id") else ": give its TargetId once")
                    + "."
                )
            measured_on = _date(row.get("measured_on", ""), "Date")
            actual = _money(row.get("actual", ""), "Actual", negative=True)
            if measured_on is None or actual is None:
                raise RowError("Date and Actual are required.")
            plan.label = f"{target.kpi} ({target.objective.plan.key_account.customer.name})"
            plan.local_id = target.pk
            plan.values = {
                "measured_on": measured_on,
                "actual": actual,
                "comment": _text(row.get("comment", ""), 300, "Comment"),
            }
            if (target.pk, measured_on, actual) in stored:
                plan.action = "unchanged"
            else:
                plan.action = "create"
                plan.changes = [
                    [LABELS["measured_on"], "—", measured_on.isoformat()],
                    [LABELS["actual"], "—", _shown(actual)],
                ]
        except RowError as error:
            plan.action, plan.reason, plan.changes = "failed", str(error), []
    return plans


PLANNERS = {
    ObjectType.ACCOUNT: _plan_accounts,
    ObjectType.CONTACT: _plan_contacts,
    ObjectType.OPPORTUNITY: _plan_opportunities,
    ObjectType.TARGET: _plan_actuals,
}


def import_plan(*, source: str, object_type: str, rows: list[dict], lines: list[int]):
    """What applying these file rows would do now, row by row (writes nothing)."""
    return PLANNERS[ObjectType(object_type)](source, rows, lines)


def summary(plans: list[RowPlan]) -> dict:
    counts = {"create": 0, "update": 0, "unchanged": 0, "failed": 0}
    for plan in plans:
        counts[plan.action] += 1
    return {"counts": counts, "rows": [p.as_json() for p in plans]}


# ---- services: preview, apply ------------------------------------------------------------


def import_preview(*, source: str, object_type: str, upload, file_name: str, acting_user):
    """Record an uploaded file and its dry run (nothing else is written)."""
    columns = column_map(upload.columns, source, object_type)
    rows = [{ours: (row.get(col) or "") for ours, col in columns.items()} for row in upload.rows]
    cells = _cells(upload.rows, columns)
    plans = import_plan(
        source=source, object_type=object_type, rows=cells, lines=upload.line_numbers
    )
    return ImportRun.objects.create(
        source=source,
        object_type=object_type,
        file_name=file_name[:200],
        rows=rows,
        line_numbers=upload.line_numbers,
        preview=summary(plans),
        created_by=acting_user,
    )


def _ref(source, object_type, external_id, local_id) -> None:
    ExternalRef.objects.get_or_create(
        source=source,
        object_type=object_type,
        external_id=external_id,
        defaults={"local_id": local_id},
    )


def _fail(plan: RowPlan, error: ValidationError) -> None:
    plan.action = "failed"
    plan.changes = []
    plan.reason = " ".join(error.messages)


def _apply_accounts(run, plans, user) -> None:
    local = {}
    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                customer = Customer.objects.get(pk=plan.local_id) if plan.local_id else None
                if plan.action != "unchanged" or customer is None:
                    data = {**plan.values}
                    if customer is None:
                        data["reference"] = plan.external_id
                    customer = customer_save(data=data, acting_user=user, customer=customer)
                local[plan.external_id] = customer
                _ref(run.source, ObjectType.ACCOUNT, plan.external_id, customer.pk)
        except ValidationError as error:
            _fail(plan, error)
    # Parents once every account of the file exists.
    for plan in plans:
        parent_key = plan.link.get("parent")
        if plan.action == "failed" or not parent_key or plan.external_id not in local:
            continue
        parent = local.get(parent_key)
        if parent is None:
            ref = _refs(run.source, ObjectType.ACCOUNT, [parent_key]).get(parent_key)
            parent = Customer.objects.filter(pk=ref).first() if ref else None
            parent = parent or Customer.objects.filter(reference=parent_key).first()
        try:
            with transaction.atomic():
                customer_parent_set(
                    customer=local[plan.external_id], parent=parent, acting_user=user
                )
        except ValidationError as error:
            _fail(plan, error)


def _apply_contacts(run, plans, user) -> None:
    from accounts.models import KeyAccount

    local = {}
    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                values = dict(plan.values)
                account = KeyAccount.objects.get(pk=values.pop("account_id"))
                person = Stakeholder.objects.get(pk=plan.local_id) if plan.local_id else None
                if person is None:
                    values = {**QUICK_STAKEHOLDER_DEFAULTS, **values}
                if person is None or plan.action == "update":
                    person = stakeholder_save(
                        account=account, stakeholder=person, fields=values, acting_user=user
                    )
                local[plan.external_id] = person
                _ref(run.source, ObjectType.CONTACT, plan.external_id, person.pk)
        except ValidationError as error:
            _fail(plan, error)
    for plan in plans:
        boss_key = plan.link.get("reports_to")
        person = local.get(plan.external_id)
        if plan.action == "failed" or not boss_key or person is None:
            continue
        boss = local.get(boss_key)
        if boss is None:
            ref = _refs(run.source, ObjectType.CONTACT, [boss_key]).get(boss_key)
            m = OWN_CONTACT_ID.match(boss_key)
            pk = ref or (int(m.group(1)) if m else None)
            boss = Stakeholder.objects.filter(pk=pk).first() if pk else None
        person.refresh_from_db()
        if boss is None or person.reports_to_id == boss.pk:
            continue
        try:
            with transaction.atomic():
                stakeholder_save(
                    account=person.key_account,
                    stakeholder=person,
                    fields={"reports_to": boss},
                    acting_user=user,
                )
        except ValidationError as error:
            _fail(plan, error)


def _apply_opportunities(run, plans, user) -> None:
    from accounts.models import KeyAccount

    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                values = dict(plan.values)
                account = KeyAccount.objects.get(pk=values.pop("account_id"))
                if plan.local_id is None:
                    opportunity = opportunity_create(
                        account=account, values=values, acting_user=user
                    )
                else:
                    opportunity = Opportunity.objects.get(pk=plan.local_id)
                    if plan.action == "update":
                        opportunity = opportunity_update(
                            opportunity=opportunity, values=values, revision=None, acting_user=user
                        )
                _ref(run.source, ObjectType.OPPORTUNITY, plan.external_id, opportunity.pk)
        except ValidationError as error:
            _fail(plan, error)


def _apply_actuals(run, plans, user) -> None:
    for plan in plans:
        if plan.action == "failed":
            continue
        try:
            with transaction.atomic():
                target = Target.objects.get(pk=plan.local_id)
                if plan.action == "create":
                    measurement_record(target=target, acting_user=user, **plan.values)
                if plan.link.get("ref"):
                    _ref(run.source, ObjectType.TARGET, plan.external_id, target.pk)
        except ValidationError as error:
            _fail(plan, error)


APPLIERS = {
    ObjectType.ACCOUNT: _apply_accounts,
    ObjectType.CONTACT: _apply_contacts,
    ObjectType.OPPORTUNITY: _apply_opportunities,
    ObjectType.TARGET: _apply_actuals,
}


def import_apply_run(*, run_id: int) -> ImportRun:
    """Apply a previewed file as the data is now. Imports take turns (one at a time), so a
    row new in two files applied at the same moment is created once."""
    with transaction.atomic():
        serialise("integrations.import")
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if run.status == ImportRun.Status.APPLIED:
            return run
        cells = [{k: (v or "").strip() for k, v in row.items()} for row in run.rows]
        plans = import_plan(
            source=run.source, object_type=run.object_type, rows=cells, lines=run.line_numbers
        )
        APPLIERS[ObjectType(run.object_type)](run, plans, run.created_by)
        run.result = summary(plans)
        run.status = ImportRun.Status.APPLIED
        run.applied_at = timezone.now()
        run.save(update_fields=["result", "status", "applied_at"])
    return run


def import_confirm(*, run: ImportRun, acting_user) -> ImportRun:
    """Apply now when the file is small; a larger file goes to a Celery task after commit
    (announced with `signals.import_waiting`, which the tasks module answers)."""
    if run.status != ImportRun.Status.PREVIEW:
        return run
    if len(run.rows) <= settings.KAM_IMPORT_INLINE_MAX_ROWS:
        return import_apply_run(run_id=run.pk)
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEW).update(
        status=ImportRun.Status.QUEUED
    )
    transaction.on_commit(lambda: import_waiting.send(sender=ImportRun, run_id=run.pk))
    run.refresh_from_db()
    return run


def import_not_queued(*, run_id: int) -> None:
    """The task queue did not take the import: back to the preview, saying so."""
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.PREVIEW,
        error="The task queue did not answer; nothing was applied. Try again.",
    )


def failed_rows(run: ImportRun) -> tuple[list[str], list[list[str]]]:
    """The file's failed rows with their line and reason (the applied result once applied)."""
    outcome = run.result if run.status == ImportRun.Status.APPLIED else run.preview
    failed = {r["line"]: r["reason"] for r in outcome.get("rows", []) if r["action"] == "failed"}
    names = shape(run.source, run.object_type)
    # In the shape's order (a JSON column on PostgreSQL does not keep the keys' order).
    fields = [f for f in names if run.rows and f in run.rows[0]]
    header = ["Line", "Reason", *[names[f][0] for f in fields]]
    body = [
        [line, failed[line], *[row.get(f, "") for f in fields]]
        for row, line in zip(run.rows, run.line_numbers, strict=True)
        if line in failed
    ]
    return header, body


# ---- exports ---------------------------------------------------------------------------------


def _ids_for(source: str, object_type: str) -> dict[int, str]:
    return dict(
        ExternalRef.objects.filter(source=source, object_type=object_type).values_list(
            "local_id", "external_id"
        )
    )


def export_rows(*, source: str, object_type: str) -> tuple[list[str], list[list]]:
    """Header and rows of an export in `source`'s shape (a fixed number of queries)."""
    names = SHAPES[source][object_type]
    header = [names[f][0] for f in names]
    account_ids = _ids_for(source, ObjectType.ACCOUNT)
    customer_refs = dict(Customer.objects.values_list("pk", "reference"))

    def account_key(customer_id):
        return account_ids.get(customer_id) or customer_refs.get(customer_id, "")

    rows: list[list] = []
    if object_type == ObjectType.ACCOUNT:
        for c in Customer.objects.order_by("name", "pk"):
            values = {
                "external_id": account_key(c.pk),
                "name": c.name,
                "parent_id": account_key(c.parent_id) if c.parent_id else "",
                "industry": c.sector,
                "country": c.country,
            }
            rows.append([values[f] for f in names])
    elif object_type == ObjectType.CONTACT:
        ids = _ids_for(source, ObjectType.CONTACT)
        people = Stakeholder.objects.filter(archived_at__isnull=True).select_related("key_account")
        for s in people.order_by("key_account_id", "name", "pk"):
            first, _, last = s.name.rpartition(" ")
            values = {
                "external_id": ids.get(s.pk, f"KAM-S{s.pk}"),
                "account_id": account_key(s.key_account.customer_id),
                "first_name": first,
                "last_name": last,
                "title": s.title,
                "email": s.email,
                "department": s.department,
                "reports_to_id": ids.get(s.reports_to_id, f"KAM-S{s.reports_to_id}")
                if s.reports_to_id
                else "",
            }
            rows.append([values[f] for f in names])
    else:
        ids = _ids_for(source, ObjectType.OPPORTUNITY)
        stage_names = {
            Source.SALESFORCE: {"won": "Closed Won", "lost": "Closed Lost"},
            Source.HUBSPOT: {"won": "closedwon", "lost": "closedlost"},
            Source.DYNAMICS: {"won": "Won", "lost": "Lost"},
        }[source]
        opportunities = Opportunity.objects.select_related("key_account")
        for o in opportunities.order_by("key_account_id", "title", "pk"):
            values = {
                "external_id": ids.get(o.pk, f"KAM-O{o.pk}"),
                "account_id": account_key(o.key_account.customer_id),
                "name": o.title,
                "amount": o.annual_value,
                "stage": stage_names.get(o.status, o.get_status_display()),
                "close_date": o.expected_start_on,
                "probability": "",
            }
            rows.append([values[f] for f in names])
    return header, rows
