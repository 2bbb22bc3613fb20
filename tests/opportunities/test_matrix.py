"""The opportunity matrix: geometry from the selector, SVG from the shared partial."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse

from opportunities import selectors


def test_matrix_places_bubbles_by_effort_risk_and_value(account, make_opportunity):
    easy = make_opportunity(
        account,
        title="Easy",
        profit_potential=Decimal("600000"),
        effort=1,
        risk=1,
        strategic_value_us=5,
        strategic_value_customer=5,
    )
    hard = make_opportunity(
        account,
        title="Hard",
        profit_potential=Decimal("0"),
        effort=5,
        risk=5,
        strategic_value_us=1,
        strategic_value_customer=1,
    )
    matrix = selectors.opportunity_matrix(opportunities=[easy, hard])
    p_easy, p_hard = matrix["points"]
    plot = matrix["plot"]
    assert (p_easy["cx"], p_easy["cy"]) == (plot["left"], plot["top"])  # (1, 5): top left
    assert (p_hard["cx"], p_hard["cy"]) == (plot["right"], plot["bottom"])  # (5, 1)
    assert p_easy["r"] > p_hard["r"]  # bigger profit potential, bigger bubble
    assert p_easy["quadrant_label"] == "Quick win"
    assert p_hard["quadrant_label"] == "Drop without regret"


def test_bubbles_on_the_same_spot_are_fanned_out(account, make_opportunity):
    a = make_opportunity(account, title="A")
    b = make_opportunity(account, title="B")
    p_a, p_b = selectors.opportunity_matrix(opportunities=[a, b])["points"]
    assert (p_a["cx"], p_a["cy"]) != (p_b["cx"], p_b["cy"])


def test_partial_renders_an_accessible_svg(account, make_opportunity):
    make_opportunity(account, title="Shared forecast <dashboard>")
    html = render_to_string(
        "opportunities/_matrix_svg.html",
        {"matrix": selectors.account_matrix(account=account), "currency": "EUR"},
    )
    # A labelled group, not an image: its bubbles are links a keyboard must reach (axe's
    # nested-interactive rule: an image may hold no focusable content).
    assert 'role="group" aria-labelledby="matrix-title matrix-desc"' in html
    assert "<title" in html and "<desc" in html
    for label in ("Quick win", "Major project", "Fill-in", "Drop without regret"):
        assert label in html
    assert "Shared forecast &lt;dashboard&gt;" in html  # user text escaped


def test_matrix_shows_only_open_opportunities(client_for, people, account, make_opportunity):
    make_opportunity(account, title="Still open", status="qualified")
    make_opportunity(account, title="Long dropped", status="dropped")
    response = client_for(people.executive).get(
        reverse("opportunities:account_opportunities", args=[account.pk])
    )
    titles = [p["opportunity"].title for p in response.context["matrix"]["points"]]
    assert titles == ["Still open"]


def test_matrix_plots_the_top_priorities_and_counts_the_rest(account, make_opportunity):
    for i in range(selectors.MATRIX_LIMIT + 3):
        make_opportunity(account, title=f"Idea {i}")
    matrix = selectors.account_matrix(account=account)
    assert len(matrix["points"]) == selectors.MATRIX_LIMIT
    assert matrix["not_shown"] == 3
    html = render_to_string("opportunities/_matrix_svg.html", {"matrix": matrix, "currency": "EUR"})
    assert "+3 more open opportunities" in html


def test_a_bubble_on_the_value_split_does_not_cover_a_quadrant_label(account, make_opportunity):
    # Value exactly 3 counts as high and sits on the split line; the Fill-in label used to be
    # drawn just below that line, right under such a bubble.
    on_split = make_opportunity(
        account,
        title="On the line",
        profit_potential=Decimal("50000"),  # money score 2
        strategic_value_us=3,
        strategic_value_customer=4,  # value (2 + 3 + 4) / 3 = 3
        effort=1,
        risk=2,
    )
    matrix = selectors.opportunity_matrix(opportunities=[on_split])
    (point,) = matrix["points"]
    assert point["cy"] == matrix["split"]["y"]
    for quadrant in matrix["quadrants"]:
        label_top = quadrant["label_y"] - 13  # font size 13, drawn on its baseline
        clear = (
            point["cy"] + point["r"] < label_top or point["cy"] - point["r"] > quadrant["label_y"]
        )
        assert clear, quadrant["label"]


def test_a_small_bubble_next_to_a_giant_one_keeps_its_number_legible(account, make_opportunity):
    giant = make_opportunity(account, title="Giant", profit_potential=Decimal("999999999999"))
    small = make_opportunity(account, title="Small", profit_potential=Decimal("40000"))
    _, p_small = selectors.opportunity_matrix(opportunities=[giant, small])["points"]
    number_font = 11
    assert 2 * p_small["r"] >= number_font + 8  # the number and some of the bubble round it


def test_bubbles_are_24_px_targets_none_under_another(account, make_opportunity):
    """Four opportunities scored alike (one spot): centres at least 24 apart, each with a tap
    circle of radius 12 at least, drawn largest first; the list keeps the priority numbers."""
    import math

    opportunities = [make_opportunity(account, title=f"Same {i}") for i in range(4)]
    matrix = selectors.opportunity_matrix(opportunities=opportunities)
    points = matrix["points"]
    assert (
        min(
            math.hypot(a["cx"] - b["cx"], a["cy"] - b["cy"])
            for i, a in enumerate(points)
            for b in points[i + 1 :]
        )
        >= 24
    )
    assert all(p["tap_r"] >= 12 for p in points)
    assert [p["number"] for p in points] == [1, 2, 3, 4]
    assert [p["r"] for p in matrix["marks"]] == sorted((p["r"] for p in points), reverse=True)
    html = render_to_string("opportunities/_matrix_svg.html", {"matrix": matrix, "currency": "EUR"})
    assert html.count('class="matrix-tap"') == sum(1 for p in points if p["tap_r"] > p["r"])
    assert (
        '<div class="chart-scroll" tabindex="0" role="region" aria-labelledby="matrix-title"><svg'
        in html
    )
