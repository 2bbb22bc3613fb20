"""Geometry for the dashboard's server-rendered SVG charts (numbers in, coordinates out).

The templates under portfolio/templates/portfolio/_*_svg.html draw what these return; the
same partials are used on the page and in the PDF.
"""

from __future__ import annotations

import math
from decimal import Decimal

from accounts.models import CLASS_STRATEGY, Classification

# Health colours: white text on each has WCAG AA contrast (see static/css/kam.css).
HEALTH_COLOURS = {
    "good": "#1b5e20",
    "fair": "#8a4b00",
    "poor": "#a4161a",
    "no_plan": "#4a4a4a",
}
QUADRANT_FILLS = {
    Classification.STRATEGIC: "#e3f1e4",
    Classification.STAR: "#fff3e0",
    Classification.STATUS: "#e3ecf8",
    Classification.STREAMLINE: "#f3f3f3",
}

# ---- the key account matrix ---------------------------------------------------------------

M_WIDTH, M_HEIGHT = 640, 480
M_LEFT, M_RIGHT, M_TOP, M_BOTTOM = 64, 16, 16, 56
M_PLOT_W, M_PLOT_H = M_WIDTH - M_LEFT - M_RIGHT, M_HEIGHT - M_TOP - M_BOTTOM
MIN_R, MAX_R = 7.0, 26.0


def _mx(strength: float) -> float:
    """Cranfield layout: our business strength runs from high (left) to low (right)."""
    return M_LEFT + (100 - strength) / 100 * M_PLOT_W


def _my(attractiveness: float) -> float:
    return M_TOP + (100 - attractiveness) / 100 * M_PLOT_H


def _fan(points: list[dict]) -> None:
    """Marks on (almost) the same spot are spread on a small circle so each stays visible."""
    spots: dict[tuple[int, int], list[dict]] = {}
    for p in points:
        spots.setdefault((round(p["cx"] / 6), round(p["cy"] / 6)), []).append(p)
    for crowd in spots.values():
        if len(crowd) < 2:
            continue
        for i, p in enumerate(crowd):
            angle = 2 * math.pi * i / len(crowd)
            p["cx"] = round(p["cx"] + 14 * math.cos(angle), 1)
            p["cy"] = round(p["cy"] + 14 * math.sin(angle), 1)


def key_account_matrix(
    *,
    accounts,
    bubble: str,
    changes: dict,
    attractiveness_threshold: Decimal,
    strength_threshold: Decimal,
    class_counts: dict[str, int],
) -> dict:
    """Attractiveness (up) × our business strength (high on the left), split at the
    programme's thresholds. Bubble area ∝ revenue or latest net profit (a loss is drawn as a
    small dashed mark); colour = plan health bucket; a ghost at the centre of the old class's
    quadrant, with an arrow, for a class change within the last year."""

    def measure(account) -> Decimal | None:
        if bubble == "profit":
            return account.latest_profit
        return account.customer.annual_revenue

    largest = max((float(m) for a in accounts if (m := measure(a)) and m > 0), default=0.0)
    split_x, split_y = _mx(float(strength_threshold)), _my(float(attractiveness_threshold))
    right, bottom = M_LEFT + M_PLOT_W, M_TOP + M_PLOT_H
    boxes = {
        Classification.STRATEGIC: (M_LEFT, M_TOP, split_x - M_LEFT, split_y - M_TOP),
        Classification.STAR: (split_x, M_TOP, right - split_x, split_y - M_TOP),
        Classification.STATUS: (M_LEFT, split_y, split_x - M_LEFT, bottom - split_y),
        Classification.STREAMLINE: (split_x, split_y, right - split_x, bottom - split_y),
    }
    points = []
    for number, account in enumerate(accounts, start=1):
        value = measure(account)
        share = float(value) / largest if value and value > 0 and largest else 0.0
        bucket = account.health_bucket
        points.append(
            {
                "number": number,
                "account": account,
                "cx": round(_mx(float(account.customer.strength_score)), 1),
                "cy": round(_my(float(account.customer.attractiveness_score)), 1),
                "r": round(MIN_R + (MAX_R - MIN_R) * math.sqrt(share), 1),
                "value": value,
                "loss": value is not None and value < 0,
                "colour": HEALTH_COLOURS[bucket],
                "bucket": bucket,
                "score": account.health_score,
            }
        )
    _fan(points)
    ghosts = []
    for p in points:
        event = changes.get(p["account"].pk)
        if event is None or event.old_value not in Classification.values:
            continue
        x, y, w, h = boxes[Classification(event.old_value)]
        gx, gy = x + w / 2, y + h / 2
        dx, dy = p["cx"] - gx, p["cy"] - gy
        distance = math.hypot(dx, dy)
        p["change"] = event
        p["old_label"] = Classification(event.old_value).label
        if distance < p["r"] + 12:
            continue  # the ghost would sit under the mark itself
        ux, uy = dx / distance, dy / distance
        ghosts.append(
            {
                "x": round(gx, 1),
                "y": round(gy, 1),
                "x1": round(gx + ux * 9, 1),
                "y1": round(gy + uy * 9, 1),
                "x2": round(p["cx"] - ux * (p["r"] + 3), 1),
                "y2": round(p["cy"] - uy * (p["r"] + 3), 1),
                "number": p["number"],
                "point": p,
            }
        )
    quadrants = []
    for cls, (x, y, w, h) in boxes.items():
        label = Classification(cls).label
        quadrants.append(
            {
                "label": label,
                "count": class_counts.get(cls, 0),
                "strategy": CLASS_STRATEGY[cls],
                "x": round(x, 1),
                "y": round(y, 1),
                "w": round(w, 1),
                "h": round(h, 1),
                "fill": QUADRANT_FILLS[cls],
                "label_x": round(x + 6, 1),
                "label_y": round(y + 16, 1),
            }
        )
    return {
        "width": M_WIDTH,
        "height": M_HEIGHT,
        "plot": {"left": M_LEFT, "top": M_TOP, "right": right, "bottom": bottom},
        "quadrants": quadrants,
        "ticks_x": [{"pos": round(_mx(s), 1), "label": s} for s in (100, 75, 50, 25, 0)],
        "ticks_y": [{"pos": round(_my(s), 1), "label": s} for s in (0, 25, 50, 75, 100)],
        "axis_x_label_y": bottom + 42,
        "axis_x_label_x": M_LEFT + M_PLOT_W / 2,
        "axis_y_label_x": 16,
        "axis_y_label_y": M_TOP + M_PLOT_H / 2,
        "points": points,
        "ghosts": ghosts,
        "bubble": bubble,
    }


# ---- profit concentration (Lorenz-style curve) --------------------------------------------

L_WIDTH, L_HEIGHT = 420, 260
L_LEFT, L_RIGHT, L_TOP, L_BOTTOM = 52, 16, 14, 44


def concentration_curve(concentration: dict) -> dict | None:
    """Cumulative share of net profit (up) against the share of accounts, best first."""
    curve = concentration["curve"]
    if not curve:
        return None
    top = max(100.0, max(float(y) for _, y in curve))
    bottom = min(0.0, min(float(y) for _, y in curve))
    top = math.ceil(top / 25) * 25
    bottom = math.floor(bottom / 25) * 25
    plot_w = L_WIDTH - L_LEFT - L_RIGHT
    plot_h = L_HEIGHT - L_TOP - L_BOTTOM

    def x(v: float) -> float:
        return round(L_LEFT + v / 100 * plot_w, 1)

    def y(v: float) -> float:
        return round(L_TOP + (top - v) / (top - bottom) * plot_h, 1)

    n = concentration["accounts"]
    marks = []
    for item in concentration["tops"]:
        if item["share"] is None or not item["accounts"]:
            continue
        share_x = item["accounts"] / n * 100
        marks.append(
            {
                "x": x(share_x),
                "y": y(float(item["share"])),
                "label": f"{item['share']:.0f} %",
                "text": item["label"],
            }
        )
    return {
        "width": L_WIDTH,
        "height": L_HEIGHT,
        "left": L_LEFT,
        "right": L_WIDTH - L_RIGHT,
        "top": L_TOP,
        "bottom": L_HEIGHT - L_BOTTOM,
        "points": " ".join(f"{x(float(a))},{y(float(b))}" for a, b in curve),
        "diagonal": {"x1": x(0), "y1": y(0), "x2": x(100), "y2": y(100)},
        "zero_y": y(0),
        "ticks_x": [{"pos": x(v), "label": f"{v} %"} for v in (0, 25, 50, 75, 100)],
        "ticks_y": [{"pos": y(v), "label": f"{v} %"} for v in range(int(bottom), int(top) + 1, 25)],
        "marks": marks,
        "axis_x_label_y": L_HEIGHT - 6,
        "axis_x_label_x": L_LEFT + plot_w / 2,
    }


# ---- pipeline by quarter ------------------------------------------------------------------

Q_WIDTH, Q_HEIGHT = 640, 240
Q_LEFT, Q_RIGHT, Q_TOP, Q_BOTTOM = 64, 12, 22, 40
OPEN_FILL, WON_FILL = "#0d47a1", "#1b5e20"


def compact(value: float) -> str:
    sign = "−" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000_000:  # "1000014.5 M" was too long for the chart's axis
        return f"{sign}{value / 1_000_000_000:,.1f} bn".replace(".0 bn", " bn")
    if value >= 1_000_000:
        return f"{sign}{value / 1_000_000:.1f} M".replace(".0 M", " M")
    if value >= 1_000:
        return f"{sign}{value / 1_000:.0f} k"
    return f"{sign}{value:.0f}"


def quarter_bars(quarters: list[dict]) -> dict | None:
    """Open pipeline and won value side by side per expected quarter."""
    if not any(q["open"] or q["won"] for q in quarters):
        return None
    top = max(float(max(q["open"], q["won"])) for q in quarters) or 1.0
    plot_w = Q_WIDTH - Q_LEFT - Q_RIGHT
    plot_h = Q_HEIGHT - Q_TOP - Q_BOTTOM
    group = plot_w / len(quarters)
    bar = min(group * 0.36, 28)
    bottom = Q_TOP + plot_h
    groups = []
    for i, q in enumerate(quarters):
        x0 = Q_LEFT + i * group + group / 2
        bars = []
        for j, (key, fill) in enumerate((("open", OPEN_FILL), ("won", WON_FILL))):
            value = float(q[key])
            h = value / top * plot_h
            bx = x0 - bar + j * bar
            bars.append(
                {
                    "x": round(bx, 1),
                    "y": round(bottom - h, 1),
                    "w": round(bar - 2, 1),
                    "h": round(h, 1),
                    "fill": fill,
                    "label": compact(value) if value else "",
                    "label_x": round(bx + (bar - 2) / 2, 1),
                    "label_y": round(bottom - h - 4, 1),
                    "kind": "open pipeline" if key == "open" else "won",
                    "value": q[key],
                }
            )
        groups.append({"label": q["label"], "x": round(x0, 1), "bars": bars})
    return {
        "width": Q_WIDTH,
        "height": Q_HEIGHT,
        "left": Q_LEFT,
        "right": Q_WIDTH - Q_RIGHT,
        "bottom": round(bottom, 1),
        "label_y": round(bottom + 16, 1),
        "groups": groups,
        "top_label": compact(top),
        "top_y": Q_TOP,
    }
