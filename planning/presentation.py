"""Numbers and cut lists for the plan's charts and its two-page print, prepared in Python.

Templates only draw what is decided here: where each stakeholder sits on the map, and how
many items of each list fit on the page (the rest is counted as "+N more").
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.text import Truncator

from common import charts
from discovery.models import Level, Stakeholder


def cut(items: list, limit: int) -> tuple[list, int]:
    """The first `limit` items and how many were left out."""
    return items[:limit], max(0, len(items) - limit)


def short(text: str | None, length: int) -> str:
    return Truncator(text or "").chars(length)


# The plan's map is one size on the page and in the two-page PDF: 520 × 250, names listed in
# the cells (the stakeholder map page draws marks on a grid that grows instead).
MAP_WIDTH, MAP_HEIGHT = 520, 250
MAP_LEFT, MAP_TOP, MAP_RIGHT, MAP_BOTTOM = 64, 8, 6, 34
MAP_LAYOUT = charts.GridLayout(
    left=MAP_LEFT,
    top=MAP_TOP,
    right=MAP_RIGHT,
    bottom=MAP_BOTTOM,
    cell_width=(MAP_WIDTH - MAP_LEFT - MAP_RIGHT) / len(charts.ATTITUDE_COLUMNS),
    row_height=(MAP_HEIGHT - MAP_TOP - MAP_BOTTOM) / len(charts.INFLUENCE_ROWS),
)


def stakeholder_map(stakeholders: list[dict], *, names_per_cell: int = 3) -> dict:
    """Influence × attitude grid of a plan's stakeholders (snapshot dicts), up to N names per
    cell and "+N more" counts, laid out by common.charts.stakeholder_grid."""
    return charts.stakeholder_grid(
        stakeholders,
        influence_labels=dict(Level.choices),
        attitude_labels=dict(Stakeholder.Attitude.choices),
        layout=replace(MAP_LAYOUT, names_per_cell=names_per_cell),
    )


# ---- the two-page print -------------------------------------------------------------------

LIMITS = {
    "value_proposition_chars": 560,
    "objectives": 4,
    "targets_per_objective": 3,
    "objective_chars": 90,
    "rationale_chars": 140,
    "map_names_per_cell": 3,
    "contacts": 10,
    "opportunities": 4,
    "actions_per_opportunity": 3,
    "other_actions": 3,
    "action_chars": 70,
    "engagement": 6,
    "risks": 4,
    "risk_chars": 90,
    "mitigation_chars": 110,
}
RISK_ORDER = {"high": 0, "medium": 1, "low": 2}


def _open_first(actions: list[dict]) -> list[dict]:
    live = [a for a in actions if a["status"] != "cancelled"]
    return sorted(live, key=lambda a: (a["status"] == "done", a["due_on"] or "", a["id"]))


def print_layout(snapshot: dict) -> dict:
    """Everything the print template shows, already cut to fit two A4 pages."""
    objectives, objectives_more = cut(snapshot["objectives"], LIMITS["objectives"])
    objective_rows = []
    for objective in objectives:
        targets, targets_more = cut(objective["targets"], LIMITS["targets_per_objective"])
        objective_rows.append(
            {
                **objective,
                "title": short(objective["title"], LIMITS["objective_chars"]),
                "rationale": short(objective["rationale"], LIMITS["rationale_chars"]),
                "targets": [{**t, "kpi": short(t["kpi"], 40)} for t in targets],
                "targets_more": targets_more,
            }
        )

    actions = _open_first(snapshot["actions"])
    by_opportunity: dict[int, list[dict]] = {}
    others = []
    for action in actions:
        row = {**action, "title": short(action["title"], LIMITS["action_chars"])}
        if action.get("opportunity_id") is not None:
            by_opportunity.setdefault(action["opportunity_id"], []).append(row)
        else:
            others.append(row)
    opportunities, opportunities_more = cut(snapshot["opportunities"], LIMITS["opportunities"])
    opportunity_rows = []
    shown_ids = set()
    for opportunity in opportunities:
        shown_ids.add(opportunity["id"])
        linked, linked_more = cut(
            by_opportunity.get(opportunity["id"], []), LIMITS["actions_per_opportunity"]
        )
        opportunity_rows.append(
            {
                **opportunity,
                "title": short(opportunity["title"], 80),
                "actions": linked,
                "actions_more": linked_more,
            }
        )
    # Actions of opportunities not shown (or no longer pursued) count as "other" actions.
    for opportunity_id, linked in by_opportunity.items():
        if opportunity_id not in shown_ids:
            others.extend(linked)
    others = sorted(others, key=lambda a: (a["status"] == "done", a["due_on"] or "", a["id"]))
    other_actions, other_more = cut(others, LIMITS["other_actions"])

    engagement, engagement_more = cut(snapshot["engagement"], LIMITS["engagement"])
    risks = sorted(
        snapshot["risks"],
        key=lambda r: (-r.get("severity", 0), RISK_ORDER.get(r["impact"], 3), r["id"]),
    )
    risks, risks_more = cut(risks, LIMITS["risks"])
    stakeholders = snapshot["stakeholders"]
    contacts = sorted(stakeholders, key=lambda s: (RISK_ORDER.get(s["influence"], 3), s["name"]))
    contacts, contacts_more = cut(contacts, LIMITS["contacts"])
    customer = snapshot.get("audience") == "customer"
    return {
        "customer": customer,
        "value_proposition": short(
            snapshot["plan"]["value_proposition"], LIMITS["value_proposition_chars"]
        ),
        "objectives": objective_rows,
        "objectives_more": objectives_more,
        "stakeholder_map": None
        if customer
        else stakeholder_map(stakeholders, names_per_cell=LIMITS["map_names_per_cell"]),
        "contacts": contacts,
        "contacts_more": contacts_more,
        "opportunities": opportunity_rows,
        "opportunities_more": opportunities_more,
        "other_actions": other_actions,
        "other_actions_more": other_more,
        "engagement": [
            {**e, "purpose": short(e["purpose"], 60), "stakeholder": short(e["stakeholder"], 28)}
            for e in engagement
        ],
        "engagement_more": engagement_more,
        "risks": [
            {
                **r,
                "description": short(r["description"], LIMITS["risk_chars"]),
                "mitigation": short(r["mitigation"], LIMITS["mitigation_chars"]),
            }
            for r in risks
        ],
        "risks_more": risks_more,
    }


TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 240, 56, 6


def health_trend(records: list[tuple], *, today, score: int) -> dict | None:
    """A sparkline of the plan's recorded daily scores and today's live one, scaled to the
    scores shown (at least 20 points of height, so small moves stay small), with the health
    bands' limits (75 and 50) drawn where they fall inside. None until a score is recorded."""
    if not records:
        return None
    points = [*records, (today, score)]
    values = [value for _, value in points]
    low, high = min(values), max(values)
    bottom = max(0, min(low - 5, (low + high) // 2 - 10))
    top = min(100, max(high + 5, bottom + 20))
    first_day = points[0][0]
    span = max(1, (today - first_day).days)
    inner_w, inner_h = TREND_WIDTH - 2 * TREND_PAD, TREND_HEIGHT - 2 * TREND_PAD

    def x(day) -> float:
        return round(TREND_PAD + inner_w * (day - first_day).days / span, 1)

    def y(value) -> float:
        return round(TREND_PAD + inner_h * (top - value) / (top - bottom), 1)

    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "points": " ".join(f"{x(day)},{y(value)}" for day, value in points),
        "end": {"x": x(today), "y": y(score)},
        "bands": [
            {"y": y(limit), "label": label}
            for limit, label in ((75, "75: healthy"), (50, "50: needs attention"))
            if bottom < limit < top
        ],
        "first_on": first_day,
        "first": points[0][1],
        "low": low,
        "high": high,
        "now": score,
    }
