"""The one chart module: Cranfield's matrix and the stakeholder grid are laid out once, with one
palette, for the strategy page and the portfolio dashboard, the stakeholder map page and the
plan (page and PDF)."""

import ast
from decimal import Decimal
from pathlib import Path

from common import charts

FRAME = charts.MatrixFrame(
    width=300,
    height=300,
    left=50,
    top=0,
    plot_width=200,
    plot_height=200,
    min_radius=4,
    max_radius=20,
)
CLASSES = {value: {"label": value.title()} for value in charts.MATRIX_CORNERS}


def _matrix(points, **kwargs):
    return charts.classification_matrix(
        points,
        classes=CLASSES,
        attractiveness_threshold=Decimal(50),
        strength_threshold=Decimal(60),
        frame=FRAME,
        **kwargs,
    )


def _quadrant(matrix, value):
    return next(q for q in matrix["quadrants"] if q["value"] == value)


def test_strategic_is_top_left_with_strength_high_on_the_left():
    strong = {"strength": 90, "attractiveness": 90, "size": 10, "name": "strong"}
    weak = {"strength": 10, "attractiveness": 10, "size": 0, "name": "weak"}
    matrix = _matrix([strong, weak])
    placed = {p["name"]: p for p in matrix["points"]}
    for name, value in (("strong", "strategic"), ("weak", "streamline")):
        q, p = _quadrant(matrix, value), placed[name]
        assert q["x"] <= p["x"] <= q["x"] + q["width"] and q["y"] <= p["y"] <= q["y"] + q["height"]
    assert _quadrant(matrix, "strategic")["x"] == FRAME.left
    assert _quadrant(matrix, "star")["y"] == FRAME.top
    assert matrix["split_x"] == FRAME.left + 40 / 100 * FRAME.plot_width  # strength 60
    assert [t["label"] for t in matrix["ticks_x"]] == [100, 75, 50, 25, 0]


def test_the_splits_sit_at_the_programme_thresholds():
    (point,) = _matrix([{"strength": 60, "attractiveness": 50, "size": 1}])["points"]
    strategic = _quadrant(_matrix([]), "strategic")
    assert point["x"] == strategic["x"] + strategic["width"]
    assert point["y"] == strategic["y"] + strategic["height"]


def test_quadrants_take_the_class_colours_and_name_their_class_in_the_outer_corner():
    matrix = _matrix([])
    for q in matrix["quadrants"]:
        assert (q["tint"], q["ink"]) == (
            charts.CLASS_COLOURS[q["value"]].tint,
            charts.CLASS_COLOURS[q["value"]].ink,
        )
    star, status = _quadrant(matrix, "star"), _quadrant(matrix, "status")
    assert (star["anchor"], star["label_x"]) == ("end", FRAME.right - 8)
    assert star["label_y"] < status["y"] < status["label_y"]
    assert status["label_y"] == FRAME.bottom - 8


def test_mark_area_follows_size_and_losses_get_the_smallest_mark():
    points = _matrix(
        [
            {"strength": 20, "attractiveness": 20, "size": 400},
            {"strength": 80, "attractiveness": 80, "size": 100},
            {"strength": 50, "attractiveness": 50, "size": Decimal(-5)},
        ]
    )["points"]
    assert [p["r"] for p in points] == [20, 12, 4]


def test_a_ghost_points_from_the_old_quadrant_to_the_mark():
    matrix = _matrix([{"strength": 90, "attractiveness": 90, "size": 1, "was": "streamline"}])
    (ghost,) = matrix["ghosts"]
    streamline = _quadrant(matrix, "streamline")
    assert (ghost["x"], ghost["y"]) == (
        round(streamline["x"] + streamline["width"] / 2, 1),
        round(streamline["y"] + streamline["height"] / 2, 1),
    )
    assert ghost["point"] is matrix["points"][0]


def test_marks_on_one_spot_are_spread_only_when_asked():
    same = [{"strength": 30, "attractiveness": 30, "size": 1} for _ in range(3)]
    assert len({(p["x"], p["y"]) for p in _matrix(same)["points"]}) == 1
    assert len({(p["x"], p["y"]) for p in _matrix(same, spread=True)["points"]}) == 3


def test_the_stakeholder_grid_has_influence_rows_and_attitude_columns_in_one_order():
    layout = charts.GridLayout(left=10, top=10, right=0, bottom=0, cell_width=100, row_height=50)
    grid = charts.stakeholder_grid(
        [
            {"name": "Ann", "influence": "high", "attitude": "champion"},
            {"name": "Bo", "influence": "low", "attitude": "blocker"},
        ],
        influence_labels={"high": "High", "medium": "Medium", "low": "Low"},
        attitude_labels={a: a.title() for a in charts.ATTITUDE_COLUMNS},
        layout=layout,
    )
    assert [r["value"] for r in grid["rows"]] == ["high", "medium", "low"]
    assert [c["value"] for c in grid["columns"]] == list(charts.ATTITUDE_COLUMNS)
    ann, bo = grid["marks"]
    assert ann["name"] == "Ann" and ann["fill"] == charts.ATTITUDE_COLOURS["champion"].ink
    assert ann["x"] > bo["x"] and ann["y"] < bo["y"]  # champions right, high influence on top
    champion_high = next(
        c for c in grid["cells"] if (c["influence"], c["attitude"]) == ("high", "champion")
    )
    assert champion_high["tint"] == charts.ATTITUDE_COLOURS["champion"].tint
    assert [line["text"] for line in champion_high["lines"]] == ["Ann"]
    assert (grid["width"], grid["height"]) == (510, 160)


def test_the_chart_module_imports_no_app_of_the_project():
    source = Path(charts.__file__).read_text()
    project = {p.name for p in Path(charts.__file__).parents[1].iterdir() if p.is_dir()}
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.split(".")[0])
    assert imported & project == set()


def _centres_apart(points, x="x", y="y") -> float:
    import math

    return min(
        math.hypot(a[x] - b[x], a[y] - b[y]) for i, a in enumerate(points) for b in points[i + 1 :]
    )


def test_marks_one_taps_are_nudged_apart_to_24_px_each():
    """WCAG 2.5.8: six customers on one spot and three a few units apart — every two centres
    end at least 24 units (CSS px on a phone) apart, each with a tap circle of radius 12, and
    all stay inside the plot."""
    same = [{"strength": 70, "attractiveness": 70, "size": 1} for _ in range(6)]
    close = [{"strength": 30 + i, "attractiveness": 30, "size": 1} for i in range(3)]
    matrix = _matrix(same + close, tap_targets=True)
    points = matrix["points"]
    assert _centres_apart(points) >= 24
    assert all(p["tap_r"] == max(p["r"], 12) for p in points)
    plot = matrix["plot"]
    assert all(plot["left"] <= p["x"] <= plot["right"] for p in points)
    assert all(plot["top"] <= p["y"] <= plot["bottom"] for p in points)
    # Without tap targets (the PDFs, the dashboard) nothing moves.
    untouched = _matrix(same, spread=False)["points"]
    assert len({(p["x"], p["y"]) for p in untouched}) == 1
