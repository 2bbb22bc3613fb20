"""The whole plan as one JSON-able dict: what a version freezes, what the PDF and diff read.

The live plan is converted to exactly the structure an approved `PlanVersion.snapshot` holds,
so one print template and one comparison serve both. Dates are ISO strings inside the dict
(JSON); `hydrate()` turns them back into dates for templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Classification, Membership, RelationshipStage, Role
from common import formats
from discovery.models import Level, Stakeholder
from opportunities import services as opportunity_services
from opportunities.models import Opportunity

from . import rules
from .models import (
    IMPACT_CHOICES,
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    Target,
)

SCHEMA = 1
MEASUREMENT_HISTORY = 5  # measurements per target kept in the snapshot (latest first)


def pursued_opportunities_q() -> Q:
    """Opportunities that belong in the plan: decided 'pursue', or being pursued or won.
    One decided 'pursue' and since lost (or dropped) is over: the plan and its PDF no longer
    list it among the prioritised opportunities, and its actions fall to "Other actions"."""
    pursued = Q(decision=Opportunity.Decision.PURSUE) | Q(
        status__in=[Opportunity.Status.PURSUING, Opportunity.Status.WON]
    )
    return pursued & Q(status__in=opportunity_services.LIVE_STATUSES)


@dataclass
class PlanData:
    """A plan and everything around it, loaded in a fixed number of queries."""

    plan: AccountPlan
    objectives: list[Objective]
    actions: list[Action]
    engagement: list[EngagementActivity]
    risks: list
    opportunities: list[Opportunity]
    stakeholders: list[Stakeholder]
    team: list[Membership]


PLAN_PARTS_LOADED = (
    "objectives",
    "actions",
    "engagement",
    "risks",
    "opportunities",
    "stakeholders",
    "team",
)


def load_plan(plan: AccountPlan, *, only: tuple[str, ...] = PLAN_PARTS_LOADED) -> PlanData:
    """Eight queries whatever the plan's size. `only` names the parts to read (the others are
    left empty): one section of the plan page, redrawn in place, needs one or two of them."""
    account = plan.key_account
    loaders = {
        "objectives": lambda: plan.objectives.select_related("owner").prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(archived_at__isnull=True).prefetch_related(
                    Prefetch("measurements", queryset=_measurements_latest_first())
                ),
            )
        ),
        "actions": lambda: plan.actions.select_related(
            "owner", "customer_owner", "opportunity", "objective"
        ),
        "engagement": lambda: plan.engagement_activities.select_related(
            "our_person", "stakeholder"
        ),
        "risks": lambda: plan.risks.select_related("owner"),
        "opportunities": lambda: (
            Opportunity.objects.filter(key_account=account)
            .filter(pursued_opportunities_q())
            .select_related("owner")
            .order_by(F("priority").desc(nulls_last=True), "title")
        ),
        "stakeholders": lambda: (
            Stakeholder.objects.filter(key_account=account, archived_at__isnull=True)
            .select_related("owner")
            .order_by("name")
        ),
        "team": lambda: (
            Membership.objects.filter(key_account=account)
            .select_related("user")
            .order_by("role", "user__first_name")
        ),
    }
    return PlanData(
        plan=plan,
        **{part: list(load()) if part in only else [] for part, load in loaders.items()},
    )


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _name(user) -> str:
    return str(user) if user is not None else ""


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def loaded_target_status(target: Target, today: date) -> tuple[rules.TargetStatus, Any]:
    """A loaded target's status and latest measurement (measurements prefetched, latest first
    as load_plan orders them)."""
    latest = next(iter(target.measurements.all()), None)
    status = rules.target_status(
        baseline=target.baseline,
        target_value=target.target_value,
        baseline_on=target.baseline_on,
        due_on=target.due_on,
        actual=latest.actual if latest else None,
        measured_on=latest.measured_on if latest else None,
        today=today,
        aim=target.aim,
    )
    return status, latest


def _action_owner(action) -> str:
    """Ours: the person's name. Theirs (a joint action): the customer stakeholder's name."""
    if action.customer_owner_id:
        return gettext("%(name)s (customer)") % {"name": action.customer_owner.name}
    return _name(action.owner)


def action_dict(action: Action, today: date) -> dict:
    """One action as the snapshot holds it (also the row a save in place answers with)."""
    return {
        "id": action.pk,
        "title": action.title,
        "owner": _action_owner(action),
        "side": "theirs" if action.customer_owner_id else "ours",
        "customer_owner_id": action.customer_owner_id,
        "due_on": _iso(action.due_on),
        "status": action.status,
        "status_label": action.get_status_display(),
        "progress_percent": action.progress_percent,
        "notes": action.notes,
        "is_internal": action.is_internal,
        "overdue": rules.action_is_overdue(status=action.status, due_on=action.due_on, today=today),
        "opportunity_id": action.opportunity_id,
        "opportunity": action.opportunity.title if action.opportunity else "",
        "objective_id": action.objective_id,
        "objective": action.objective.title if action.objective else "",
    }


def engagement_dict(activity: EngagementActivity, today: date) -> dict:
    """One engagement activity as the snapshot holds it (also the row a save in place answers
    with)."""
    return {
        "id": activity.pk,
        "our_person": _name(activity.our_person),
        "stakeholder": activity.stakeholder.name,
        "stakeholder_title": activity.stakeholder.title,
        "purpose": activity.purpose,
        "cadence": activity.cadence,
        "cadence_label": activity.get_cadence_display(),
        "next_due_on": _iso(activity.next_due_on),
        "last_held_on": _iso(activity.last_held_on),
        "missed": activity.next_due_on < today,
        "is_internal": activity.is_internal,
    }


def _measurements_latest_first():
    return Measurement.objects.order_by("-measured_on", "-pk")


def saved_target_dict(target: Target, today: date) -> dict:
    """One target just saved as the snapshot holds it, its measurements read as load_plan
    reads them (one query): the row a save in place answers with."""
    prefetch_related_objects(
        [target], Prefetch("measurements", queryset=_measurements_latest_first())
    )
    # Its numbers as the database gives them back (300 typed is 300.00 read), so that the row
    # is the one the page draws from the loaded plan.
    for field in target._meta.concrete_fields:
        value = getattr(target, field.attname)
        if isinstance(field, DecimalField) and value is not None:
            setattr(
                target,
                field.attname,
                Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)),
            )
    return target_dict(target, today)


def target_dict(target: Target, today: date) -> dict:
    history = list(target.measurements.all())  # prefetched, latest first
    status, latest = loaded_target_status(target, today)
    return {
        "id": target.pk,
        "kpi": target.kpi,
        "unit": target.unit,
        "baseline": _num(target.baseline),
        "baseline_on": _iso(target.baseline_on),
        "target_value": _num(target.target_value),
        "aim": target.aim,
        "aim_label": target.get_aim_display(),
        "due_on": _iso(target.due_on),
        "status": status.status,
        "status_label": status.label,
        "progress_percent": status.progress_percent,
        "expected_percent": status.expected_percent,
        # Days since the latest measurement (or the start) when it is due a new one, else None.
        "measure_again": status.measure_again,
        "latest": None
        if latest is None
        else {
            "measured_on": _iso(latest.measured_on),
            "actual": _num(latest.actual),
            "comment": latest.comment,
        },
        "measurements": [
            {"measured_on": _iso(m.measured_on), "actual": _num(m.actual), "comment": m.comment}
            for m in history[:MEASUREMENT_HISTORY]
        ],
    }


def plan_to_dict(data: PlanData, *, today: date | None = None, version: dict | None = None) -> dict:
    """The snapshot structure (see module docstring)."""
    today = today or timezone.localdate()
    plan = data.plan
    account = plan.key_account
    leaders = {m.role: _name(m.user) for m in data.team if m.role in (Role.MANAGER, Role.DIRECTOR)}
    return {
        "schema": SCHEMA,
        "generated_on": _iso(today),
        "version": version,
        "account": {
            "id": account.pk,
            "name": account.name,
            "classification": account.classification,
            "classification_label": account.get_classification_display(),
            "relationship_stage": account.relationship_stage,
            "relationship_stage_label": account.get_relationship_stage_display(),
            "manager": leaders.get(Role.MANAGER, ""),
            "director": leaders.get(Role.DIRECTOR, ""),
        },
        "plan": {
            "id": plan.pk,
            "period": plan.period,
            "status": plan.status,
            "status_label": plan.get_status_display(),
            "value_proposition": plan.value_proposition,
            "value_proposition_refreshed_on": _iso(plan.value_proposition_refreshed_on),
            "strengths": plan.strengths,
            "weaknesses": plan.weaknesses,
            "opportunities_swot": plan.opportunities_swot,
            "threats": plan.threats,
            "critical_success_factors": plan.critical_success_factors,
            "approved_at": _iso(plan.approved_at),
            "approved_by": _name(plan.approved_by),
        },
        "objectives": [
            {
                "id": o.pk,
                "title": o.title,
                "rationale": o.rationale,
                "owner": _name(o.owner),
                "due_on": _iso(o.due_on),
                "is_internal": o.is_internal,
                "targets": [target_dict(t, today) for t in o.targets.all()],
            }
            for o in data.objectives
        ],
        "actions": [action_dict(a, today) for a in data.actions],
        "engagement": [engagement_dict(e, today) for e in data.engagement],
        "risks": [
            {
                "id": r.pk,
                "description": r.description,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "mitigation": r.mitigation,
                "owner": _name(r.owner),
                "is_internal": r.is_internal,
                "severity": RISK_WEIGHT[r.likelihood] * RISK_WEIGHT[r.impact],
            }
            for r in data.risks
        ],
        "opportunities": [
            {
                "id": o.pk,
                "title": o.title,
                "status": o.status,
                "status_label": o.get_status_display(),
                "decision": o.decision,
                "annual_value": _num(o.annual_value),
                "profit_potential": _num(o.profit_potential),
                "priority": _num(o.priority),
                "owner": _name(o.owner),
                "is_internal": o.is_internal,
            }
            for o in data.opportunities
        ],
        "stakeholders": [
            {
                "id": s.pk,
                "name": s.name,
                "title": s.title,
                "buying_role": s.buying_role,
                "buying_role_label": s.get_buying_role_display(),
                "influence": s.influence,
                "attitude": s.attitude,
                "attitude_label": s.get_attitude_display(),
                "owner": _name(s.owner),
            }
            for s in data.stakeholders
        ],
    }


RISK_WEIGHT = {"high": 3, "medium": 2, "low": 1}

# ---- the customer version -----------------------------------------------------------------
#
# What the customer reads is built from a whitelist: a field that is not named here never
# reaches the customer PDF, so a field added to the snapshot later stays internal until
# someone decides otherwise. Left out: items marked internal, the SWOT (our analysis of them)
# and critical success factors, the account's class, stakeholders' buying roles, influence,
# attitudes and relationship owners, lost, dropped or undecided opportunities and every money
# figure, cancelled actions, progress notes and measurement comments, and our own status words
# (overdue, missed, waiting on others, at risk / off track).

CUSTOMER_OPPORTUNITY_STATUSES = (Opportunity.Status.PURSUING, Opportunity.Status.WON)
# Our action statuses in the customer's words: "waiting on others" and "overdue" are ours.
CUSTOMER_ACTION_STATUS = {
    "open": _("Planned"),
    "in_progress": _("In progress"),
    "waiting": _("In progress"),
    "done": _("Done"),
}


_CUSTOMER_TARGET = ("id", "kpi", "unit", "baseline", "target_value", "aim", "aim_label", "due_on")


def _pick(item: dict, fields: tuple[str, ...]) -> dict:
    return {field: item.get(field) for field in fields}


def customer_version(snapshot: dict) -> dict:
    """The plan as the customer may read it (see the comment above): a new dict holding only
    customer-safe fields of an approved version's snapshot, its labels in the reader's
    language."""
    snapshot = relabelled(snapshot)
    account = snapshot["account"]
    plan = snapshot["plan"]
    objectives = [o for o in snapshot["objectives"] if not o.get("is_internal")]
    opportunities = [
        o
        for o in snapshot["opportunities"]
        if not o.get("is_internal") and o.get("status") in CUSTOMER_OPPORTUNITY_STATUSES
    ]
    kept_objectives = {o["id"] for o in objectives}
    kept_opportunities = {o["id"] for o in opportunities}
    actions = []
    for action in snapshot["actions"]:
        if action.get("is_internal") or action.get("status") not in CUSTOMER_ACTION_STATUS:
            continue
        row = _pick(action, ("id", "title", "owner", "due_on", "status"))
        row["side"] = action.get("side", "ours")
        row["customer_owner_id"] = action.get("customer_owner_id")
        row["status_label"] = str(CUSTOMER_ACTION_STATUS[action["status"]])
        row["overdue"] = False
        linked_opportunity = action.get("opportunity_id") in kept_opportunities
        row["opportunity_id"] = action["opportunity_id"] if linked_opportunity else None
        linked_objective = action.get("objective_id") in kept_objectives
        row["objective_id"] = action["objective_id"] if linked_objective else None
        actions.append(row)
    return {
        "schema": snapshot.get("schema"),
        "audience": "customer",
        "generated_on": snapshot.get("generated_on"),
        "version": snapshot.get("version"),
        "account": _pick(
            account, ("id", "name", "relationship_stage_label", "manager", "director")
        ),
        "plan": {
            **_pick(
                plan,
                ("id", "period", "value_proposition", "value_proposition_refreshed_on"),
            ),
            "approved_at": plan.get("approved_at"),
            "approved_by": plan.get("approved_by"),
        },
        "objectives": [
            {
                **_pick(objective, ("id", "title", "rationale", "owner", "due_on")),
                "targets": [
                    {
                        **_pick(target, _CUSTOMER_TARGET),
                        "latest": None
                        if not target.get("latest")
                        else _pick(target["latest"], ("measured_on", "actual")),
                    }
                    for target in objective.get("targets", [])
                ],
            }
            for objective in objectives
        ],
        "actions": actions,
        "engagement": [
            _pick(e, ("id", "our_person", "stakeholder", "purpose", "cadence_label"))
            | {"next_due_on": e.get("next_due_on"), "missed": False}
            for e in snapshot["engagement"]
            if not e.get("is_internal")
        ],
        "risks": [
            _pick(r, ("id", "description", "likelihood", "impact", "mitigation", "owner"))
            | {"severity": r.get("severity", 0)}
            for r in snapshot["risks"]
            if not r.get("is_internal")
        ],
        "opportunities": [
            _pick(o, ("id", "title", "status", "status_label", "owner")) for o in opportunities
        ],
        "stakeholders": [_pick(s, ("id", "name", "title")) for s in snapshot["stakeholders"]],
    }


def for_audience(snapshot: dict, audience: str) -> dict:
    """The snapshot for `audience`: "customer" gets `customer_version`, anyone else all of it."""
    return customer_version(snapshot) if audience == "customer" else snapshot


# The labels a snapshot keeps beside a stored value, by list: (value key, label key, choices).
# A frozen snapshot keeps them in the language of whoever froze it; `relabelled` draws them
# again in the reader's.
_LABELS = {
    "actions": (("status", "status_label", Action.Status),),
    "engagement": (("cadence", "cadence_label", EngagementActivity.Cadence),),
    "opportunities": (("status", "status_label", Opportunity.Status),),
    "stakeholders": (
        ("buying_role", "buying_role_label", Stakeholder.BuyingRole),
        ("attitude", "attitude_label", Stakeholder.Attitude),
    ),
}
_TARGET_LABELS = (("status", "status_label", rules.STATUS_LABELS), ("aim", "aim_label", Target.Aim))
_CUSTOMER_SUFFIX = " (customer)"


def _label(choices, value) -> str | None:
    if isinstance(choices, dict):
        label = choices.get(value)
        return None if label is None else str(label)
    return str(choices(value).label) if value in choices.values else None


def _relabel_item(item: dict, fields) -> dict:
    item = dict(item)
    for value_key, label_key, choices in fields:
        label = _label(choices, item.get(value_key)) if label_key in item else None
        if label is not None:
            item[label_key] = label
    return item


def relabelled(snapshot: dict) -> dict:
    """A copy of a plan snapshot whose labels of stored values (statuses, cadences, buying
    roles, attitudes, the class and relationship stage, "(customer)" after a customer's name)
    are in the active language, whatever the language it was frozen in."""
    out = dict(snapshot)
    for key, fields in _LABELS.items():
        if key == "actions" and out.get("audience") == "customer":
            continue  # customer_version names the customer's statuses itself
        if key in out:
            out[key] = [_relabel_item(item, fields) for item in out[key]]
    if "actions" in out:
        for action in out["actions"]:
            owner = action.get("owner") or ""
            if action.get("side") == "theirs" and owner.endswith(_CUSTOMER_SUFFIX):
                action["owner"] = gettext("%(name)s (customer)") % {
                    "name": owner[: -len(_CUSTOMER_SUFFIX)]
                }
    if "account" in out:
        out["account"] = _relabel_item(
            out["account"],
            (
                ("classification", "classification_label", Classification),
                ("relationship_stage", "relationship_stage_label", RelationshipStage),
            ),
        )
    if "plan" in out:
        out["plan"] = _relabel_item(out["plan"], (("status", "status_label", AccountPlan.Status),))
    if "objectives" in out:
        out["objectives"] = [
            {**o, "targets": [_relabel_item(t, _TARGET_LABELS) for t in o["targets"]]}
            if "targets" in o
            else o
            for o in out["objectives"]
        ]
    return out


def _parse(key: str, value):
    if not isinstance(value, str) or not value:
        return value
    try:
        if key.endswith("_at"):
            return datetime.fromisoformat(value)
        if key.endswith("_on"):
            return date.fromisoformat(value)
    except ValueError:
        return value
    return value


def hydrate(snapshot):
    """A copy with `*_on` / `*_at` strings turned into dates for templates."""
    if isinstance(snapshot, dict):
        return {
            k: hydrate(v) if isinstance(v, dict | list) else _parse(k, v)
            for k, v in snapshot.items()
        }
    if isinstance(snapshot, list):
        return [hydrate(v) for v in snapshot]
    return snapshot


# ---- comparing two snapshots --------------------------------------------------------------

# Which fields of each list are compared (derived values such as "overdue" are not changes).
DIFF_FIELDS = {
    "objectives": ("title", "rationale", "owner", "due_on", "is_internal"),
    "targets": (
        "kpi",
        "unit",
        "baseline",
        "baseline_on",
        "target_value",
        "aim_label",
        "due_on",
        "latest_actual",
        "status_label",
    ),
    "actions": (
        "title",
        "owner",
        "due_on",
        "status_label",
        "progress_percent",
        "objective",
        "opportunity",
        "is_internal",
    ),
    "engagement": (
        "our_person",
        "stakeholder",
        "purpose",
        "cadence_label",
        "next_due_on",
        "is_internal",
    ),
    "risks": ("description", "likelihood", "impact", "mitigation", "owner", "is_internal"),
    "opportunities": ("title", "status_label", "decision", "annual_value", "owner"),
    "stakeholders": ("name", "title", "buying_role_label", "influence", "attitude_label", "owner"),
}
ITEM_LABEL = {
    "objectives": "title",
    "targets": "kpi",
    "actions": "title",
    "engagement": "purpose",
    "risks": "description",
    "opportunities": "title",
    "stakeholders": "name",
}
SECTION_TITLES = {
    "header": _("Plan sections"),
    "objectives": _("Objectives"),
    "targets": _("Targets"),
    "actions": _("Actions"),
    "engagement": _("Engagement plan"),
    "risks": _("Risks"),
    "opportunities": _("Pursued opportunities"),
    "stakeholders": _("Stakeholders"),
}
# The compared fields as the compare page names them (lower case, as read in a sentence).
DIFF_FIELD_LABELS = {
    "title": _("title"),
    "rationale": _("rationale"),
    "owner": _("owner"),
    "due_on": _("due on"),
    "is_internal": _("is internal"),
    "kpi": _("kpi"),
    "unit": _("unit"),
    "baseline": _("baseline"),
    "baseline_on": _("baseline on"),
    "target_value": _("target value"),
    "aim_label": _("aim"),
    "latest_actual": _("latest actual"),
    "status_label": _("status"),
    "progress_percent": _("progress percent"),
    "our_person": _("our person"),
    "stakeholder": _("stakeholder"),
    "purpose": _("purpose"),
    "cadence_label": _("cadence"),
    "next_due_on": _("next due on"),
    "description": _("description"),
    "likelihood": _("likelihood"),
    "impact": _("impact"),
    "mitigation": _("mitigation"),
    "decision": _("decision"),
    "name": _("name"),
    "influence": _("influence"),
    "attitude_label": _("attitude"),
    "buying_role_label": _("buying role"),
    "annual_value": _("annual value"),
    "objective": _("objective"),
    "opportunity": _("opportunity"),
}
# Stored codes the compare page names as the plan page does, in the reader's language.
DIFF_CHOICES = {
    "likelihood": dict(Level.choices),
    "influence": dict(Level.choices),
    "impact": dict(IMPACT_CHOICES),
}
# Snapshot numbers (kept as text, "24.00") and ISO dates are written as the plan page writes them.
DIFF_NUMBERS = ("baseline", "target_value", "latest_actual", "annual_value")
HEADER_FIELDS = {
    "value_proposition": _("Value proposition"),
    "strengths": _("Strengths"),
    "weaknesses": _("Weaknesses"),
    "opportunities_swot": _("Opportunities (SWOT)"),
    "threats": _("Threats"),
    "critical_success_factors": _("Critical success factors"),
    "period": _("Period"),
}


# (shown value, compared value, label) of the account's facts the plan's header prints.
HEADER_ACCOUNT_FIELDS = (
    ("classification_label", "classification", _("Class")),
    ("relationship_stage_label", "relationship_stage", _("Relationship stage")),
    ("manager", "manager", _("Manager")),
    ("director", "director", _("Director")),
)


def _targets(snapshot: dict) -> list[dict]:
    rows = []
    for objective in snapshot.get("objectives", []):
        for target in objective.get("targets", []):
            latest = target.get("latest") or {}
            rows.append({**target, "latest_actual": latest.get("actual")})
    return rows


def _shown(field: str, value):
    """A compared value as the reader reads it on the plan page: '24,00' not '24.00',
    '3 août 2027' not '2027-08-03', 'Élevée' not 'high', 'Oui' not 'True'; empty is None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if field in DIFF_CHOICES:
        return str(DIFF_CHOICES[field].get(value, value))
    if field in DIFF_NUMBERS:
        try:
            return formats.number(Decimal(str(value)))
        except ArithmeticError:
            return value
    if field == "progress_percent":
        return formats.percent(value)
    if field.endswith("_on"):
        try:
            return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except (TypeError, ValueError):
            return value
    return value


# A link is compared by what it points at: renaming an objective changes the objective, not
# every action that serves it.
DIFF_LINKS = {"objective": "objective_id", "opportunity": "opportunity_id"}


def _differs(field: str, before: dict, after: dict) -> bool:
    link = DIFF_LINKS.get(field)
    if link and link in before and link in after:
        return before[link] != after[link]
    return before[field] != after[field]


def diff_snapshots(old: dict, new: dict) -> list[dict]:
    """Added / removed / changed items per section, matched by id. Empty sections are left out."""
    old, new = relabelled(old), relabelled(new)  # labels compared in the reader's language
    sections = []
    header_changes = [
        {"field": label, "old": old["plan"].get(key), "new": new["plan"].get(key)}
        for key, label in HEADER_FIELDS.items()
        if old["plan"].get(key) != new["plan"].get(key)
    ]
    old_account, new_account = old.get("account") or {}, new.get("account") or {}
    account_changes = [
        {"field": label, "old": old_account.get(key) or None, "new": new_account.get(key) or None}
        for key, code, label in HEADER_ACCOUNT_FIELDS
        if code in old_account
        and code in new_account
        and old_account.get(code) != new_account.get(code)
    ]
    changed = [{"label": _("Plan"), "fields": header_changes}] if header_changes else []
    if account_changes:
        # What the plan's header says of the account and its leaders (a re-classification
        # between two quarters' snapshots, a new manager).
        changed.append({"label": new_account.get("name", ""), "fields": account_changes})
    if changed:
        sections.append(
            {
                "key": "header",
                "title": SECTION_TITLES["header"],
                "added": [],
                "removed": [],
                "changed": changed,
            }
        )
    for key, fields in DIFF_FIELDS.items():
        old_items = {i["id"]: i for i in (_targets(old) if key == "targets" else old.get(key, []))}
        new_items = {i["id"]: i for i in (_targets(new) if key == "targets" else new.get(key, []))}
        label_field = ITEM_LABEL[key]
        added = [new_items[i][label_field] for i in new_items if i not in old_items]
        removed = [old_items[i][label_field] for i in old_items if i not in new_items]
        changed = []
        for item_id in new_items.keys() & old_items.keys():
            before, after = old_items[item_id], new_items[item_id]
            fields_changed = [
                {
                    "field": DIFF_FIELD_LABELS.get(f, f.replace("_label", "").replace("_", " ")),
                    "old": _shown(f, before.get(f)),
                    "new": _shown(f, after.get(f)),
                }
                for f in fields
                # A field a record frozen before it existed does not hold is no change.
                if f in before and f in after and _differs(f, before, after)
            ]
            if fields_changed:
                changed.append({"label": after[label_field], "fields": fields_changed})
        if added or removed or changed:
            changed.sort(key=lambda c: str(c["label"]))
            sections.append(
                {
                    "key": key,
                    "title": SECTION_TITLES[key],
                    "added": added,
                    "removed": removed,
                    "changed": changed,
                }
            )
    return sections


def diff_summary(sections: list[dict]) -> str:
    added = sum(len(s["added"]) for s in sections)
    removed = sum(len(s["removed"]) for s in sections)
    changed = sum(len(s["changed"]) for s in sections)
    if not (added or removed or changed):
        return gettext("No changes")
    return gettext("%(added)s added, %(removed)s removed, %(changed)s changed") % {
        "added": added,
        "removed": removed,
        "changed": changed,
    }
