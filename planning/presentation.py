"""Numbers and cut lists for the plan's charts and its two-page print, prepared in Python.

Templates only draw what is decided here: where each stakeholder sits on the map, and how
many items of each list fit on the page (the rest is counted as "+N more").
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from common import charts, formats
from discovery.models import Level, Stakeholder

from . import rules


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
#
# Every section is on the page whatever the plan holds: texts wrap and are clamped to a fixed
# number of lines in the print CSS (`line-clamp`, ending in "…"), list rows are one line each,
# and the lists share each page's height by a budget in millimetres below, so a long list
# takes the room a short one leaves and what does not fit is counted as "+N more". The
# constants are the print CSS's row heights (planning/static/planning/plan_print.css) rounded
# up; tests/planning/test_pdf.py lays out maximal plans and checks that every section ends
# on its page.

# The print CSS, given to WeasyPrint parsed once (common.pdf.print_stylesheet), not linked.
PRINT_STYLESHEET = "planning/plan_print.css"
# The HTML defaults it builds on, in place of WeasyPrint's larger set (common.pdf.render_pdf).
PRINT_USER_AGENT_STYLESHEET = "css/print_user_agent.css"

PAGE_MM = 266  # .page height
ROW_MM = 4.35  # a one-line table row (7.8 pt text, padding, rule)
GROUP_MM = 5.2  # an objective's or an opportunity's heading row
TABLE_MM = 13.1  # a section's heading, its table head and the gap after it
RISK_ROW_MM, RISK_LINE_MM = 2.0, 3.25  # a risk row: padding, and each of its text lines
RISK_CHARS_PER_LINE = 70  # fewer than the risk column holds, so the estimate errs long

# Page 1 parts of fixed height (each at its tallest: clamped text, capped lists).
HEAD_MM = 21  # the header and the gap after it
INTRO_MM = 44  # value proposition beside the critical success factors
SWOT_MM = 34  # the four SWOT quadrants
MAP_MM = 67  # the stakeholder map beside the key contacts
CUSTOMER_INTRO_MM = 32  # the value proposition alone (customer version)
CUSTOMER_CONTACTS_MM = 27  # key contacts in three columns (customer version)
HEAD2_MM = 9.3  # page 2's running header

LIMITS = {
    "objectives": 8,
    "targets_per_objective": 3,
    "objective_chars": 110,
    "rationale_chars": 140,
    "kpi_chars": 60,
    "map_names_per_cell": 3,
    "map_contacts": 7,
    "contacts": 12,
    "csf": 4,
    "opportunities": 8,
    "actions_per_opportunity": 3,
    "other_actions": 4,
    "action_chars": 90,
    "engagement": 10,
    "risks": 5,
}
RISK_ORDER = {"high": 0, "medium": 1, "low": 2}
# Risks and engagement first get what they need up to these shares of page 2; the
# opportunities and their actions take the rest.
RISK_SHARE_MM = 62
ENGAGEMENT_SHARE_MM = 8 * ROW_MM


def _open_first(actions: list[dict]) -> list[dict]:
    live = [a for a in actions if a["status"] != "cancelled"]
    return sorted(live, key=lambda a: (a["status"] == "done", a["due_on"] or "", a["id"]))


def lines_of(text: str | None) -> list[str]:
    """A multi-line text field as its non-empty lines (one critical success factor a line)."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def figure(value) -> str:
    """A target's number as it fits its print column, in the reader's number format:
    1,250.5 · 12.3 M · 4.6 bn (French: 1 250,5 · 12,3 M · 4,6 Md)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(str(value))
    for size, suffix in (
        (Decimal(10) ** 9, pgettext("billions, short", "bn")),
        (Decimal(10) ** 6, pgettext("millions, short", "M")),
    ):
        if abs(amount) >= size:
            return f"{formats.number(round(amount / size, 1), 1)} {suffix}"
    places = 0 if amount == amount.to_integral_value() else 2
    text = formats.number(round(amount, 2), places)
    return text


# A target to stay at or above (below) prints its value after ≥ (≤), named in the section's
# heading (AIM_KEY); a target to reach prints the bare value, as before aims existed.
AIM_SIGNS = {rules.AIM_AT_LEAST: "≥", rules.AIM_AT_MOST: "≤"}
AIM_KEY = gettext_lazy("≥ stay at or above, ≤ stay at or below the target")


def _target_row(target: dict) -> dict:
    latest = target.get("latest") or {}
    sign = AIM_SIGNS.get(target.get("aim"))
    shown = figure(target.get("target_value"))
    return {
        **target,
        "kpi": short(target["kpi"], LIMITS["kpi_chars"]),
        "baseline_shown": figure(target.get("baseline")),
        # A no-break space: the sign never ends a line apart from its number.
        "target_shown": f"{sign}\u00a0{shown}" if sign else shown,
        "latest_shown": figure(latest.get("actual")),
    }


def _objective_rows(objectives: list[dict], budget: float) -> tuple[list[dict], int]:
    """As many objectives as fit in `budget` mm (each with up to 3 targets), and the number
    left out. The first always shows."""
    rows: list[dict] = []
    used = 0.0
    for index, objective in enumerate(objectives[: LIMITS["objectives"]]):
        targets, targets_more = cut(objective["targets"], LIMITS["targets_per_objective"])
        rationale = short(objective.get("rationale"), LIMITS["rationale_chars"])
        # A target due a new measurement prints it on a second line of its status cell.
        again = sum(1 for t in targets if t.get("measure_again"))
        cost = GROUP_MM + ROW_MM * (
            max(1, len(targets)) + again + bool(targets_more) + bool(rationale)
        )
        left_after = len(objectives) - index - 1
        if rows and used + cost + (ROW_MM if left_after else 0) > budget:
            break
        used += cost
        rows.append(
            {
                **objective,
                "title": short(objective["title"], LIMITS["objective_chars"]),
                "rationale": rationale,
                "targets": [_target_row(t) for t in targets],
                "targets_more": targets_more,
            }
        )
    return rows, len(objectives) - len(rows)


def _action_row(action: dict) -> dict:
    return {**action, "title": short(action["title"], LIMITS["action_chars"])}


def _others_height(count: int) -> float:
    """The "Other actions" block at its smallest: its heading and up to 4 actions."""
    return GROUP_MM + ROW_MM * min(count, LIMITS["other_actions"]) if count else 0


def _opportunity_rows(snapshot: dict, budget: float) -> dict:
    """The pursued opportunities (priority order) with up to 3 of their actions each, then the
    actions linked to no shown opportunity, within `budget` mm."""
    by_opportunity: dict[int, list[dict]] = {}
    others = []
    for action in _open_first(snapshot["actions"]):
        if action.get("opportunity_id") is not None:
            by_opportunity.setdefault(action["opportunity_id"], []).append(action)
        else:
            others.append(action)
    candidates = snapshot["opportunities"][: LIMITS["opportunities"]]
    rows, shown = [], set()
    used = 0.0
    for index, opportunity in enumerate(candidates):
        linked, linked_more = cut(
            by_opportunity.get(opportunity["id"], []), LIMITS["actions_per_opportunity"]
        )
        cost = GROUP_MM + ROW_MM * (max(1, len(linked)) + bool(linked_more))
        left_out = len(snapshot["opportunities"]) - index - 1
        # Actions of the opportunities not shown fall to "Other actions": keep room for them.
        unshown = sum(
            len(by_opportunity.get(o["id"], [])) for o in snapshot["opportunities"][index + 1 :]
        )
        reserve = _others_height(len(others) + unshown) + ROW_MM * (bool(left_out) + 1)
        if rows and used + cost + reserve > budget:
            break
        used += cost
        shown.add(opportunity["id"])
        rows.append(
            {
                **opportunity,
                "title": short(opportunity["title"], 60),
                "actions": [_action_row(a) for a in linked],
                "actions_more": linked_more,
            }
        )
    for opportunity_id, linked in by_opportunity.items():
        if opportunity_id not in shown:
            others.extend(linked)
    others.sort(key=lambda a: (a["status"] == "done", a["due_on"] or "", a["id"]))
    opportunities_more = len(snapshot["opportunities"]) - len(rows)
    used += ROW_MM if opportunities_more else 0
    room = max(1, int((budget - used - GROUP_MM - ROW_MM) // ROW_MM))
    other_actions, other_more = cut(others, min(room, LIMITS["other_actions"] + 8))
    return {
        "opportunities": rows,
        "opportunities_more": opportunities_more,
        "other_actions": [_action_row(a) for a in other_actions],
        "other_actions_more": other_more,
    }


def risk_height(risk: dict) -> float:
    """A risk row's height: what and its mitigation, each wrapping to at most two lines."""
    mitigation = f"Mitigation: {risk.get('mitigation') or 'none yet'}"
    lines = sum(
        min(2, max(1, -(-len(text) // RISK_CHARS_PER_LINE)))
        for text in (risk["description"], mitigation)
    )
    return RISK_ROW_MM + RISK_LINE_MM * lines


def _risk_rows(risks: list[dict], budget: float) -> tuple[list[dict], int, float]:
    """The most severe risks that fit in `budget` mm (at least one), how many were left out,
    and the height they take."""
    shown: list[dict] = []
    used = 0.0
    for index, risk in enumerate(risks[: LIMITS["risks"]]):
        height = risk_height(risk)
        more_line = ROW_MM if index + 1 < len(risks) else 0
        if shown and used + height + more_line > budget:
            break
        shown.append(risk)
        used += height
    more = len(risks) - len(shown)
    return shown, more, max(used, ROW_MM) + (ROW_MM if more else 0)


def _fit(count: int, row_mm: float, budget: float, cap: int) -> int:
    """How many rows of `row_mm` fit in `budget` (keeping one for "+N more" when cut)."""
    if count * row_mm <= budget and count <= cap:
        return count
    return max(1, min(cap, int((budget - ROW_MM) // row_mm)))


def print_layout(snapshot: dict) -> dict:
    """Everything the print template shows, already cut to fit two A4 pages."""
    customer = snapshot.get("audience") == "customer"
    plan = snapshot["plan"]
    stakeholders = snapshot["stakeholders"]
    by_influence = sorted(
        stakeholders, key=lambda s: (RISK_ORDER.get(s.get("influence"), 3), s["name"])
    )

    # Page 1: header, value proposition (+ critical success factors and SWOT, internal), the
    # objectives in whatever height is left, the stakeholder map (or contacts) at the foot.
    if customer:
        fixed = HEAD_MM + CUSTOMER_INTRO_MM + CUSTOMER_CONTACTS_MM
        contacts, contacts_more = cut(by_influence, LIMITS["contacts"])
    else:
        fixed = HEAD_MM + INTRO_MM + SWOT_MM + MAP_MM
        contacts, contacts_more = cut(by_influence, LIMITS["map_contacts"])
    objectives, objectives_more = _objective_rows(
        snapshot["objectives"], PAGE_MM - fixed - TABLE_MM - ROW_MM
    )
    csf, csf_more = cut(lines_of(plan.get("critical_success_factors")), LIMITS["csf"])

    # Page 2: risks and the engagement plan take what they need up to their share; the
    # opportunities and their actions get the rest.
    risks = sorted(
        snapshot["risks"],
        key=lambda r: (-r.get("severity", 0), RISK_ORDER.get(r["impact"], 3), r["id"]),
    )
    room = PAGE_MM - HEAD2_MM - 3 * TABLE_MM
    risks, risks_more, risks_mm = _risk_rows(risks, RISK_SHARE_MM)
    engagement_rows = _fit(
        len(snapshot["engagement"]), ROW_MM, ENGAGEMENT_SHARE_MM, LIMITS["engagement"]
    )
    engagement, engagement_more = cut(snapshot["engagement"], engagement_rows)
    engagement_mm = (max(1, len(engagement)) + bool(engagement_more)) * ROW_MM
    opportunities = _opportunity_rows(snapshot, room - risks_mm - engagement_mm)
    return {
        "customer": customer,
        "value_proposition": plan.get("value_proposition") or "",
        "csf": csf,
        "csf_more": csf_more,
        "swot": None
        if customer
        else [
            (_("Strengths"), plan.get("strengths")),
            (_("Weaknesses"), plan.get("weaknesses")),
            (_("Opportunities"), plan.get("opportunities_swot")),
            (_("Threats"), plan.get("threats")),
        ],
        "objectives": objectives,
        "objectives_more": objectives_more,
        "aim_key": AIM_KEY
        if any(t.get("aim") in AIM_SIGNS for o in objectives for t in o["targets"])
        else "",
        "stakeholder_map": None
        if customer
        else stakeholder_map(stakeholders, names_per_cell=LIMITS["map_names_per_cell"]),
        "contacts": contacts,
        "contacts_more": contacts_more,
        **opportunities,
        "engagement": [
            {**e, "purpose": short(e["purpose"], 80), "stakeholder": short(e["stakeholder"], 30)}
            for e in engagement
        ],
        "engagement_more": engagement_more,
        "risks": risks,
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
            for limit, label in ((75, _("75: healthy")), (50, _("50: needs attention")))
            if bottom < limit < top
        ],
        "first_on": first_day,
        "first": points[0][1],
        "low": low,
        "high": high,
        "now": score,
    }
