"""The project's charts: one palette, and one function per chart that turns plain numbers into
SVG coordinates. Templates only draw what these return, with SVG presentation attributes, so
a chart looks the same on a page and in a WeasyPrint PDF (which has no site stylesheet).

Callers pass plain data (numbers, the strings of their choices, labels) and keep whatever
else they need in each item: every key a caller puts in an item comes back in it. This module
imports no app of the project.

Charts:
- `classification_matrix`: Cranfield's key account matrix (the strategy page's customers, the
  portfolio dashboard's key accounts).
- `stakeholder_grid`: stakeholders by influence × attitude to us (the stakeholder map page, the
  plan page and its two-page PDF).
- `concentration_curve`, `quarter_bars`: the portfolio dashboard's profit concentration and
  pipeline by quarter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from .formats import compact  # noqa: F401  (charts.compact: the axis labels' one format)

# ---- the palette --------------------------------------------------------------------------
# Dark colours carry white text (and are readable as text on white) at WCAG AA contrast or
# better; each tint carries its dark colour, or near-black, as text at AA contrast or better.
# The class colours are those of static/css/kam.css (the class badges).

GREEN, AMBER, BLUE, GREY, RED, TEAL, PURPLE = (
    "#1b5e20",
    "#8a4b00",
    "#0d47a1",
    "#4a4a4a",
    "#a4161a",
    "#00695c",
    "#6a1b9a",
)
GREEN_TINT, AMBER_TINT, BLUE_TINT, GREY_TINT, RED_TINT = (
    "#e3f1e4",
    "#fff3e0",
    "#e3ecf8",
    "#f3f3f3",
    "#fbe9e7",
)


@dataclass(frozen=True)
class Swatch:
    """A dark colour for marks and text, and the light tint of the same hue for areas."""

    ink: str
    tint: str


CLASS_COLOURS = {
    "strategic": Swatch(GREEN, GREEN_TINT),
    "star": Swatch(AMBER, AMBER_TINT),
    "status": Swatch(BLUE, BLUE_TINT),
    "streamline": Swatch(GREY, GREY_TINT),
}
HEALTH_COLOURS = {"good": GREEN, "fair": AMBER, "poor": RED, "no_plan": GREY}
ATTITUDE_COLOURS = {
    "champion": Swatch(GREEN, "#cfe8cf"),
    "supporter": Swatch(TEAL, "#e2f0d9"),
    "neutral": Swatch(GREY, "#eeeeee"),
    "sceptic": Swatch(AMBER, "#fde9d9"),
    "blocker": Swatch(RED, "#f8d7da"),
}
KEY_ACCOUNT_MARK = BLUE  # a selected customer among candidates
GAP_MARK = PURPLE  # a stakeholder coverage gap
OPEN_FILL, WON_FILL = BLUE, GREEN  # pipeline: open and won value


# ---- the key account matrix ---------------------------------------------------------------

# Cranfield's layout: attractiveness high at the top, our business strength high on the LEFT,
# so Strategic is the top-left quadrant. Each class's corner of the plot:
MATRIX_CORNERS = {
    "strategic": ("left", "top"),
    "star": ("right", "top"),
    "status": ("left", "bottom"),
    "streamline": ("right", "bottom"),
}
SCORE_TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class MatrixFrame:
    """Where a matrix sits on its canvas (SVG user units), and its smallest and largest marks."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    min_radius: float
    max_radius: float

    @property
    def right(self) -> int:
        return self.left + self.plot_width

    @property
    def bottom(self) -> int:
        return self.top + self.plot_height

    def x(self, strength: float) -> float:
        """Our business strength runs from 100 (left) to 0 (right)."""
        return self.left + (100 - float(strength)) / 100 * self.plot_width

    def y(self, attractiveness: float) -> float:
        return self.top + (100 - float(attractiveness)) / 100 * self.plot_height


def bubble_radius(size, largest: float, *, min_radius: float, max_radius: float) -> float:
    """Mark area proportional to `size`: the radius grows with its square root. Sizes of zero,
    below zero (a loss) or unknown get the smallest mark."""
    share = float(size) / largest if size is not None and size > 0 and largest else 0.0
    return round(min_radius + (max_radius - min_radius) * math.sqrt(share), 1)


def spread_overlaps(points: list[dict], *, cell: float = 6, distance: float = 14) -> None:
    """Marks on (almost) the same spot are spread on a small circle so each stays visible."""
    spots: dict[tuple[int, int], list[dict]] = {}
    for p in points:
        spots.setdefault((round(p["x"] / cell), round(p["y"] / cell)), []).append(p)
    for crowd in spots.values():
        if len(crowd) < 2:
            continue
        for i, p in enumerate(crowd):
            angle = 2 * math.pi * i / len(crowd)
            p["x"] = round(p["x"] + distance * math.cos(angle), 1)
            p["y"] = round(p["y"] + distance * math.sin(angle), 1)


# WCAG 2.5.8 (target size, minimum): a mark one taps is at least 24 × 24 CSS px. A matrix with
# tap targets keeps one SVG unit per CSS px on a phone (it scrolls sideways instead of shrinking:
# `.chart-scroll` in static/css/kam.css), draws an invisible tap circle of this radius under
# each smaller mark, and nudges marks apart until no two tap circles overlap.
TAP_RADIUS = 12


def separate_targets(
    points: list[dict], *, bounds: tuple[float, float, float, float], x="x", y="y", rounds=40
) -> None:
    """Move marks (in place) until every two centres are at least 2 × TAP_RADIUS apart, each
    within `bounds` (left, top, right, bottom): pairs too close are pushed apart along the line
    between them, a few rounds. Marks on one spot fan out on a circle first (deterministic)."""
    gap = 2 * TAP_RADIUS + 0.2  # the centres are rounded to 0.1 at the end
    left, top, right, bottom = bounds
    spots: dict[tuple[float, float], list[dict]] = {}
    for p in points:
        spots.setdefault((p[x], p[y]), []).append(p)
    for crowd in spots.values():
        for i, p in enumerate(crowd if len(crowd) > 1 else ()):
            angle = 2 * math.pi * i / len(crowd)
            p[x] += gap / 2 * math.cos(angle)
            p[y] += gap / 2 * math.sin(angle)
    for _ in range(rounds):
        moved = False
        cells: dict[tuple[int, int], list[dict]] = {}
        for p in points:
            cells.setdefault((int(p[x] // gap), int(p[y] // gap)), []).append(p)
        for (cx, cy), here in cells.items():
            near = [
                q
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for q in cells.get((cx + dx, cy + dy), ())
            ]
            for a in here:
                for b in near:
                    if a is b:
                        continue
                    dx, dy = b[x] - a[x], b[y] - a[y]
                    distance = math.hypot(dx, dy)
                    if distance >= gap:
                        continue
                    if distance == 0:
                        dx, dy, distance = 1.0, 0.0, 1.0
                    push = (gap - distance) / 2 + 0.01
                    ux, uy = dx / distance, dy / distance
                    a[x], a[y] = a[x] - ux * push, a[y] - uy * push
                    b[x], b[y] = b[x] + ux * push, b[y] + uy * push
                    moved = True
        for p in points:
            p[x] = min(max(p[x], left), right)
            p[y] = min(max(p[y], top), bottom)
        if not moved:
            break
    for p in points:
        p[x], p[y] = round(p[x], 1), round(p[y], 1)
        p["tap_r"] = max(p.get("r", 0), TAP_RADIUS)


def _quadrant(value: str, box, about: dict, label_lines: int) -> dict:
    x1, y1, x2, y2 = box
    side, edge = MATRIX_CORNERS[value]
    # The class name sits in the quadrant's outer corner, where marks near the splits do not
    # cover it; a second line (the strategy) goes below it at the top, above it at the bottom.
    line_ys = [y1 + 18 + 16 * i for i in range(label_lines)]
    if edge == "bottom":
        line_ys = [y2 - 8 - 16 * (label_lines - 1 - i) for i in range(label_lines)]
    return {
        **about,
        "value": value,
        "x": round(x1, 1),
        "y": round(y1, 1),
        "width": round(x2 - x1, 1),
        "height": round(y2 - y1, 1),
        "tint": CLASS_COLOURS[value].tint,
        "ink": CLASS_COLOURS[value].ink,
        "label_x": round(x1 + 8 if side == "left" else x2 - 8, 1),
        "anchor": "start" if side == "left" else "end",
        "label_y": round(line_ys[0], 1),
        "second_line_y": round(line_ys[-1], 1),
        "centre": (x1 + (x2 - x1) / 2, y1 + (y2 - y1) / 2),
    }


def _ghost(point: dict, centre: tuple[float, float]) -> dict | None:
    """A dashed mark at the centre of the quadrant a point was in, with an arrow to where it
    is now; None when the mark itself would cover it."""
    gx, gy = centre
    dx, dy = point["x"] - gx, point["y"] - gy
    distance = math.hypot(dx, dy)
    if distance < point["r"] + 12:
        return None
    ux, uy = dx / distance, dy / distance
    return {
        "x": round(gx, 1),
        "y": round(gy, 1),
        "x1": round(gx + ux * 9, 1),
        "y1": round(gy + uy * 9, 1),
        "x2": round(point["x"] - ux * (point["r"] + 3), 1),
        "y2": round(point["y"] - uy * (point["r"] + 3), 1),
        "point": point,
    }


def classification_matrix(
    points: Iterable[dict],
    *,
    classes: dict[str, dict],
    attractiveness_threshold,
    strength_threshold,
    frame: MatrixFrame,
    spread: bool = False,
    label_lines: int = 1,
    tap_targets: bool = False,
) -> dict:
    """Cranfield's key account matrix: attractiveness (up) × our business strength (high on the
    left), split at the programme's thresholds (a score on the threshold is high).

    `points`: dicts with `attractiveness` and `strength` (0-100), `size` (mark area ∝ size)
    and, optionally, `was` (a class it had before: a ghost at that quadrant's centre with an
    arrow to the mark). They come back with `x`, `y`, `r` and `label_x` (where a name beside
    the mark starts). `classes`: class value -> what its quadrant shows (`label`, ...), in the
    order the quadrants are listed. `spread`: move marks that share a spot apart.
    `tap_targets`: marks one taps (links), nudged apart with a tap circle each (`tap_r`,
    separate_targets) so that each is at least 24 × 24 CSS px on a phone.
    """
    points = [dict(p) for p in points]
    largest = max((float(p["size"]) for p in points if p.get("size") and p["size"] > 0), default=0)
    for p in points:
        p["x"] = round(frame.x(p["strength"]), 1)
        p["y"] = round(frame.y(p["attractiveness"]), 1)
        p["r"] = bubble_radius(
            p.get("size"), largest, min_radius=frame.min_radius, max_radius=frame.max_radius
        )
    if spread:
        spread_overlaps(points)
    if tap_targets:
        separate_targets(points, bounds=(frame.left, frame.top, frame.right, frame.bottom))
    for p in points:
        p["label_x"] = round(p["x"] + p["r"] + 3, 1)
    split_x, split_y = frame.x(strength_threshold), frame.y(attractiveness_threshold)
    left, top, right, bottom = frame.left, frame.top, frame.right, frame.bottom
    columns = {"left": (left, split_x), "right": (split_x, right)}
    rows = {"top": (top, split_y), "bottom": (split_y, bottom)}
    quadrants = []
    for value, about in classes.items():
        (x1, x2), (y1, y2) = columns[MATRIX_CORNERS[value][0]], rows[MATRIX_CORNERS[value][1]]
        quadrants.append(_quadrant(value, (x1, y1, x2, y2), about, label_lines))
    centres = {q["value"]: q["centre"] for q in quadrants}
    ghosts = [
        ghost
        for p in points
        if p.get("was") in centres and (ghost := _ghost(p, centres[p["was"]])) is not None
    ]
    return {
        "width": frame.width,
        "height": frame.height,
        "plot": {
            "left": left,
            "top": top,
            "right": right,
            "bottom": bottom,
            "width": frame.plot_width,
            "height": frame.plot_height,
            "centre_x": left + frame.plot_width / 2,
            "centre_y": top + frame.plot_height / 2,
        },
        "split_x": round(split_x, 1),
        "split_y": round(split_y, 1),
        "quadrants": quadrants,
        # Left to right along the strength axis, bottom to top along the attractiveness axis.
        "ticks_x": [{"pos": round(frame.x(s), 1), "label": s} for s in reversed(SCORE_TICKS)],
        "ticks_y": [{"pos": round(frame.y(s), 1), "label": s} for s in SCORE_TICKS],
        "points": points,
        "ghosts": ghosts,
    }


# ---- the stakeholder grid: influence × attitude to us -------------------------------------

INFLUENCE_ROWS = ("high", "medium", "low")  # top to bottom
ATTITUDE_COLUMNS = ("blocker", "sceptic", "neutral", "supporter", "champion")  # against → for us
# A generous average glyph width of the fonts in use (DejaVu Sans is wide), as a share of the
# font size: over-estimating only makes a long name a little smaller than it had to be.
GLYPH_WIDTH = 0.6


@dataclass(frozen=True)
class GridLayout:
    """Margins around the grid and the size of its cells (SVG user units).

    A fixed `row_height` keeps the grid one size (a printed page); None lets each row grow to
    hold its fullest cell's marks, `marks_per_line` to a line. Names listed in a cell (at most
    `names_per_cell`, then "+N more") are cut to `name_chars` and set in `name_size` type, or
    smaller where they would run into the next cell."""

    left: float
    top: float
    right: float
    bottom: float
    cell_width: float
    row_height: float | None = None
    marks_per_line: int = 3
    mark_width: float = 56
    mark_height: float = 58
    cell_pad: float = 8
    mark_label_chars: int = 12
    names_per_cell: int = 3
    name_chars: int = 16
    name_size: float = 10.5


def _num(value: float) -> float | int:
    """A coordinate as the SVG shows it: whole numbers without a decimal point."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def shorten(text: str, length: int) -> str:
    text = text or ""
    return text if len(text) <= length else text[: length - 1] + "…"


def _name_line(name: str, *, y: float, room: float, layout: GridLayout) -> dict:
    """One name listed in a cell, in a smaller type when it would otherwise run into the
    next cell."""
    text = shorten(name, layout.name_chars)
    width = len(text) * GLYPH_WIDTH * layout.name_size
    size = layout.name_size if width <= room else layout.name_size * room / width
    return {"text": text, "y": round(y, 1), "size": math.floor(size * 10) / 10}


def stakeholder_grid(
    people: Iterable[dict],
    *,
    influence_labels: dict[str, str],
    attitude_labels: dict[str, str],
    layout: GridLayout,
) -> dict:
    """Stakeholders by influence (rows, high at the top) and attitude to us (columns, blocker
    to champion).

    `people`: dicts with `name`, `influence` and `attitude`. Each cell lists its first names
    (`lines`, `more`) and each person gets a round mark in their cell (`marks`: the person's
    dict with the mark's place, short label and the attitude's colour added): a chart draws
    one or the other.
    """
    people = list(people)
    grouped: dict[tuple[str, str], list[dict]] = {}
    for person in people:
        grouped.setdefault((person.get("influence"), person.get("attitude")), []).append(person)
    rows = []
    y = layout.top
    for level in INFLUENCE_ROWS:
        if layout.row_height is not None:
            height = layout.row_height
        else:
            fullest = max((len(grouped.get((level, a), [])) for a in ATTITUDE_COLUMNS), default=0)
            lines = max(1, math.ceil(fullest / layout.marks_per_line))
            height = lines * layout.mark_height + 2 * layout.cell_pad
        rows.append(
            {
                "value": level,
                "label": influence_labels[level],
                # "High influence" / "Influence élevée": the level lower-cased inside the
                # sentence, its first letter capitalised after.
                "influence_label": capfirst(
                    gettext("%(level)s influence") % {"level": str(influence_labels[level]).lower()}
                ),
                "y": _num(y),
                "height": _num(height),
                "mid_y": _num(y + height / 2),
                "text_y": _num(y + height / 2 + 4),  # baseline of a label centred on the row
                "top": y,
            }
        )
        y += height
    plot_bottom = y
    columns = [
        {
            "value": attitude,
            "label": attitude_labels[attitude],
            "x": _num(layout.left + i * layout.cell_width),
            "width": _num(layout.cell_width),
            "mid_x": _num(layout.left + (i + 0.5) * layout.cell_width),
            "left": layout.left + i * layout.cell_width,
        }
        for i, attitude in enumerate(ATTITUDE_COLUMNS)
    ]
    plot_right = layout.left + len(ATTITUDE_COLUMNS) * layout.cell_width
    cells, marks = [], []
    for row in rows:
        for column in columns:
            here = grouped.get((row["value"], column["value"]), [])
            shown = here[: layout.names_per_cell]
            x, cell_y = column["left"], row["top"]
            cells.append(
                {
                    "influence": row["value"],
                    "attitude": column["value"],
                    "x": round(x, 1),
                    "text_x": round(x + 4, 1),
                    "y": round(cell_y, 1),
                    "width": round(layout.cell_width, 1),
                    "height": round(row["height"], 1),
                    "tint": ATTITUDE_COLOURS[column["value"]].tint,
                    "lines": [
                        _name_line(
                            p["name"],
                            y=cell_y + 16 + i * 14,
                            room=layout.cell_width - 8,
                            layout=layout,
                        )
                        for i, p in enumerate(shown)
                    ],
                    "more": len(here) - len(shown),
                    "more_y": round(cell_y + 16 + len(shown) * 14, 1),
                    "label": f"{row['influence_label']}, {column['label'].lower()}",
                    "count": len(here),
                }
            )
            for i, person in enumerate(here):
                mark_y = (
                    cell_y
                    + layout.cell_pad
                    + (i // layout.marks_per_line) * layout.mark_height
                    + 18
                )
                mark_x = (
                    x + (i % layout.marks_per_line) * layout.mark_width + layout.mark_width / 2 + 2
                )
                marks.append(
                    {
                        **person,
                        "x": _num(mark_x),
                        "y": _num(mark_y),
                        "name_y": _num(mark_y + 28),
                        "label": shorten(person["name"], layout.mark_label_chars),
                        "fill": ATTITUDE_COLOURS[column["value"]].ink,
                    }
                )
    for cell in cells:
        # "High influence, champion: 2" (French: a no-break space before the colon).
        cell["title"] = gettext("%(title)s: %(count)s") % {
            "title": cell["label"],
            "count": cell["count"],
        }
    summary = ", ".join(c["title"] for c in cells if c["count"]) or gettext(
        "no stakeholders mapped"
    )
    return {
        "width": _num(plot_right + layout.right),
        "height": _num(plot_bottom + layout.bottom),
        "plot": {
            "left": _num(layout.left),
            "top": _num(layout.top),
            "right": _num(plot_right),
            "bottom": _num(plot_bottom),
            "width": _num(plot_right - layout.left),
        },
        "rows": rows,
        "columns": columns,
        "cells": cells,
        "marks": marks,
        "total": len(people),
        "summary": summary,
        "legend": [
            (attitude_labels[a], ATTITUDE_COLOURS[a].ink) for a in reversed(ATTITUDE_COLUMNS)
        ],
    }


# ---- profit concentration (Lorenz-style curve) --------------------------------------------

L_WIDTH, L_HEIGHT = 420, 260
L_LEFT, L_RIGHT, L_TOP, L_BOTTOM = 52, 16, 14, 44
LABEL_ROOM_X = 34  # "100 %" in 10-unit type, and a gap


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
    # Two figures about the same accounts (top 3 and top 20 % of 12 accounts; top 5 of 4) are
    # one point: one mark, its texts joined, its label drawn once.
    marks: list[dict] = []
    for item in concentration["tops"]:
        if item["share"] is None or not item["accounts"]:
            continue
        same = next((m for m in marks if m["accounts"] == item["accounts"]), None)
        if same is not None:
            same["text"] += f", {item['label'].lower()}"
            continue
        marks.append(
            {
                "accounts": item["accounts"],
                "x": x(item["accounts"] / n * 100),
                "y": y(float(item["share"])),
                "label": f"{item['share']:.0f} %",
                "text": item["label"],
            }
        )
    # A label that would overprint the one before (marks a few accounts apart among many)
    # is left to the mark's tooltip and the table beside the chart.
    last = None
    for mark in marks:
        mark["show_label"] = last is None or (
            abs(mark["x"] - last["x"]) >= LABEL_ROOM_X or abs(mark["y"] - last["y"]) >= 12
        )
        if mark["show_label"]:
            last = mark
        # Near the right edge the label goes to the mark's left, inside the chart.
        at_edge = mark["x"] + 6 + LABEL_ROOM_X > L_WIDTH
        mark["label_x"] = round(mark["x"] - 6 if at_edge else mark["x"] + 6, 1)
        mark["anchor"] = "end" if at_edge else "start"
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


# What each bar is, in the reader's language (the chart's description and tooltips).
QUARTER_BAR_KINDS = {"open": gettext_lazy("open pipeline"), "won": gettext_lazy("won")}


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
                    "kind": QUARTER_BAR_KINDS[key],
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
