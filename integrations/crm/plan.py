"""What applying a file would do, row by row; reads the database, writes nothing (the preview)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop

from accounts.countries import country_code, english_name, unknown_country
from accounts.event_text import EventText, shown_or
from accounts.models import Customer
from common.formats import number
from discovery.models import Stakeholder
from opportunities.models import Opportunity
from planning.models import Measurement, Target

from ..models import ExternalRef, ObjectType
from .columns import (
    LABELS,
    OWN_CONTACT_ID,
    OWN_OPPORTUNITY_ID,
    RowError,
    _date,
    _money,
    _status_for_stage,
    _text,
)


@dataclass
class RowPlan:
    line: int
    external_id: str
    action: str = "unchanged"  # create | update | unchanged | failed
    label: str = ""
    changes: list[list[str]] = field(default_factory=list)
    # Why the row failed: an EventText as stored (crm.reason_shown reads it; older runs: text).
    reason: dict | str = ""
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


def failed_reason(text: EventText) -> dict:
    """A failed row's reason as the run keeps it: message and values, and the English."""
    return {**text.stored(), "en": text.english()}


def reason_shown(reason: dict | str) -> str:
    """A failed row's reason in the reader's language (an older run's text as stored)."""
    if isinstance(reason, dict):
        return shown_or(reason, reason.get("en", ""))
    return reason


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return number(value, 2)
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
            if name == "country":  # a code: named as the CRM's files name it
                old, new = english_name(old), english_name(new)
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
                raise RowError(EventText(gettext_noop("The row has no Id.")))
            name = _text(row.get("name", ""), 200, "Name")
            if not name:
                raise RowError(EventText(gettext_noop("The account has no name.")))
            plan.label = name
            customer = by_id.get(linked.get(plan.external_id)) or by_reference.get(plan.external_id)
            if customer is None and len(plan.external_id) > 40:
                raise RowError(EventText(gettext_noop("The Id is longer than 40 characters.")))
            values = {"name": name}
            if row.get("industry"):
                values["sector"] = _text(row["industry"], 120, "Industry")
            if row.get("country"):
                code = country_code(row["country"])
                if code is None:
                    raise RowError(unknown_country(row["country"]))
                values["country"] = code
            parent_key = row.get("parent_id", "")
            if parent_key:
                if parent_key == plan.external_id:
                    raise RowError(EventText(gettext_noop("The account is its own parent.")))
                parent = parents.get(parent_links.get(parent_key)) or parents_by_reference.get(
                    parent_key
                )
                if parent is None and parent_key not in in_file:
                    raise RowError(
                        EventText(
                            gettext_noop(
                                "Parent account %(id)s is neither in this file nor imported before."
                            ),
                            id=parent_key,
                        )
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
            plan.action, plan.reason, plan.changes = "failed", failed_reason(error.text), []
    return plans


def _key_account_for(source, account_key, linked_accounts, customers):
    customer = customers.get(linked_accounts.get(account_key))
    if customer is None:
        customer = next((c for c in customers.values() if c.reference == account_key), None)
    if customer is None:
        raise RowError(
            EventText(
                gettext_noop("Account %(id)s is not known here: import the accounts first."),
                id=account_key,
            )
        )
    account = getattr(customer, "key_account", None)
    if account is None:
        raise RowError(
            EventText(
                gettext_noop(
                    "%(name)s is not a key account: contacts and opportunities are kept only "
                    "for key accounts (select it first)."
                ),
                name=customer.name,
            )
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
                raise RowError(EventText(gettext_noop("The row has no Id.")))
            name = _text(
                " ".join(p for p in (row.get("first_name", ""), row.get("last_name", "")) if p),
                200,
                "Name",
            )
            if not name:
                raise RowError(EventText(gettext_noop("The contact has no name.")))
            plan.label = name
            account = _key_account_for(source, row.get("account_id"), linked_accounts, customers)
            plan.label = f"{name} ({account.customer.name})"
            person = local(plan.external_id)
            if person is not None and person.key_account_id != account.pk:
                raise RowError(
                    EventText(
                        gettext_noop(
                            "%(name)s is a stakeholder of another account here; moving people "
                            "between accounts is not imported."
                        ),
                        name=person.name,
                    )
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
                    raise RowError(
                        EventText(
                            gettext_noop("Email “%(email)s” is not an e-mail address."),
                            email=email,
                        )
                    ) from None
                values["email"] = email
            boss_key = row.get("reports_to_id", "")
            if boss_key:
                if boss_key == plan.external_id:
                    raise RowError(EventText(gettext_noop("The contact reports to themself.")))
                boss = local(boss_key)
                if boss is None and boss_key not in in_file:
                    raise RowError(
                        EventText(
                            gettext_noop(
                                "Reports to %(id)s, who is neither in this file nor imported "
                                "before."
                            ),
                            id=boss_key,
                        )
                    )
                if boss is not None and boss.key_account_id != account.pk:
                    raise RowError(
                        EventText(gettext_noop("Reports to someone at another account."))
                    )
                if boss is None:
                    other = in_file[boss_key]
                    if other.get("account_id") != row.get("account_id"):
                        raise RowError(
                            EventText(gettext_noop("Reports to someone at another account."))
                        )
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
            plan.action, plan.reason, plan.changes = "failed", failed_reason(error.text), []
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
                raise RowError(EventText(gettext_noop("The row has no Id.")))
            title = _text(row.get("name", ""), 200, "Name")
            if not title:
                raise RowError(EventText(gettext_noop("The opportunity has no name.")))
            plan.label = title
            account = _key_account_for(source, row.get("account_id"), linked_accounts, customers)
            plan.label = f"{title} ({account.customer.name})"
            opportunity = None
            if plan.external_id in linked:
                opportunity = found.get(linked[plan.external_id])
            elif m := OWN_OPPORTUNITY_ID.match(plan.external_id):
                opportunity = found.get(int(m.group(1)))
            if opportunity is not None and opportunity.key_account_id != account.pk:
                raise RowError(
                    EventText(gettext_noop("This opportunity belongs to another account here."))
                )
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
            plan.action, plan.reason, plan.changes = "failed", failed_reason(error.text), []
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
                    raise RowError(
                        EventText(
                            gettext_noop("TargetId “%(id)s” is not a number."),
                            id=row["target_id"],
                        )
                    )
                target = targets.get(int(row["target_id"]))
                if target is not None and ext:
                    plan.link["ref"] = True
            if target is None:
                raise RowError(
                    EventText(
                        gettext_noop("No target with this id here.")
                        if row.get("target_id")
                        else gettext_noop("No target with this id here: give its TargetId once.")
                    )
                )
            measured_on = _date(row.get("measured_on", ""), "Date")
            actual = _money(row.get("actual", ""), "Actual", negative=True)
            if measured_on is None or actual is None:
                raise RowError(EventText(gettext_noop("Date and Actual are required.")))
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
            plan.action, plan.reason, plan.changes = "failed", failed_reason(error.text), []
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
