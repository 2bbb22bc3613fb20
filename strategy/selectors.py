"""Stage 1 reads: criteria with their weight shares, the candidate customer list and the
classification matrix."""

from decimal import Decimal

from django.db.models import Count, Q

from accounts import permissions
from accounts.models import CLASS_STRATEGY, Classification, Customer, KeyAccount

from .services import weight_shares


def active_criteria_count(*, programme) -> int:
    return programme.criteria.filter(archived_at__isnull=True).count()


def criteria_for(*, programme, include_archived: bool = True) -> list:
    """Criteria with `share` (percent of their axis's weight) and `score_count` set."""
    qs = programme.criteria.annotate(score_count=Count("scores"))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    criteria = list(qs.order_by("axis", "position", "pk"))
    shares = weight_shares(criteria)
    for criterion in criteria:
        criterion.share = shares.get(criterion.pk)
    return criteria


CUSTOMER_SELECTION_FILTERS = {
    "key": "Key accounts",
    "candidate": "Not selected",
    "deselected": "De-selected",
}


def customer_list(*, user, query: str = "", classification: str = "", selection: str = ""):
    """Candidate customers for the list page, each with `scored_count` (scores on active
    criteria) and its key account. Callers check `permissions.can_view_candidates` first."""
    if not permissions.can_view_candidates(user):
        return Customer.objects.none()
    qs = Customer.objects.select_related("key_account").annotate(
        scored_count=Count("scores", filter=Q(scores__criterion__archived_at__isnull=True))
    )
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(reference__icontains=query)
            | Q(sector__icontains=query)
            | Q(country__icontains=query)
        )
    if classification == "none":
        qs = qs.filter(classification="")
    elif classification in Classification.values:
        qs = qs.filter(classification=classification)
    if selection == "key":
        qs = qs.filter(key_account__status=KeyAccount.Status.ACTIVE)
    elif selection == "candidate":
        qs = qs.filter(key_account__isnull=True)
    elif selection == "deselected":
        qs = qs.filter(key_account__status=KeyAccount.Status.DESELECTED)
    return qs.order_by("name", "pk")


# Geometry of the classification matrix (SVG user units).
MATRIX = {"width": 620, "height": 600, "left": 80, "top": 30, "size": 500}
BUBBLE_MIN, BUBBLE_MAX = 5, 28
LABEL_LIMIT = 40
# Quadrant background tint and text colour (the class colours of static/css/kam.css, which
# pass WCAG AA on these tints). Attributes rather than CSS so the SVG prints and exports alike.
QUADRANT_COLOURS = {
    "strategic": ("#e8f3e8", "#1b5e20"),
    "star": ("#fbf0e3", "#8a4b00"),
    "status": ("#e6eef9", "#0d47a1"),
    "streamline": ("#f1f1f1", "#4a4a4a"),
}  # with more customers than this, names show on hover/focus only


def matrix_chart(*, programme) -> dict:
    """Numbers for the server-rendered classification matrix: one point per customer with both
    axis scores (x = business strength, high on the left as in Cranfield's matrix and on the
    portfolio dashboard; y = attractiveness, area ~ revenue), the threshold lines, the four
    quadrants with their recommended strategy, and customers not yet placed."""
    size, left, top = MATRIX["size"], MATRIX["left"], MATRIX["top"]
    customers = list(
        Customer.objects.select_related("key_account")
        .only(
            "pk",
            "name",
            "reference",
            "annual_revenue",
            "attractiveness_score",
            "strength_score",
            "classification",
            "key_account__status",
            "key_account__id",
        )
        .order_by("-annual_revenue", "name")
    )
    placed = [
        c for c in customers if c.attractiveness_score is not None and c.strength_score is not None
    ]
    placed_ids = {c.pk for c in placed}
    unplaced = [c for c in customers if c.pk not in placed_ids]
    top_revenue = max((c.annual_revenue for c in placed), default=Decimal("0")) or Decimal("1")

    def x_of(score) -> float:
        return round(left + (100 - float(score)) / 100 * size, 1)

    def y_of(score) -> float:
        return round(top + size - float(score) / 100 * size, 1)

    points = []
    for c in placed:
        # Area proportional to revenue: radius grows with the square root.
        share = (float(c.annual_revenue) / float(top_revenue)) ** 0.5
        selected = hasattr(c, "key_account") and c.key_account.is_active
        points.append(
            {
                "customer": c,
                "x": x_of(c.strength_score),
                "y": y_of(c.attractiveness_score),
                "r": (r := round(BUBBLE_MIN + (BUBBLE_MAX - BUBBLE_MIN) * share, 1)),
                "label_x": round(x_of(c.strength_score) + r + 3, 1),
                "selected": selected,
            }
        )
    split_x = x_of(programme.strength_threshold)
    split_y = y_of(programme.attractiveness_threshold)
    right, bottom = left + size, top + size
    quadrant_boxes = {
        Classification.STRATEGIC: (left, top, split_x, split_y),
        Classification.STAR: (split_x, top, right, split_y),
        Classification.STATUS: (left, split_y, split_x, bottom),
        Classification.STREAMLINE: (split_x, split_y, right, bottom),
    }
    quadrants = []
    for value, (x1, y1, x2, y2) in quadrant_boxes.items():
        quadrants.append(
            {
                "value": value,
                "label": Classification(value).label,
                "tint": QUADRANT_COLOURS[value][0],
                "ink": QUADRANT_COLOURS[value][1],
                "strategy": CLASS_STRATEGY[value].split(":")[0],
                "full_strategy": CLASS_STRATEGY[value],
                "x": x1,
                "y": y1,
                "width": round(x2 - x1, 1),
                "height": round(y2 - y1, 1),
                # Name in the outer corner so bubbles near the split do not hide it.
                "label_x": x1 + 8 if value in ("strategic", "status") else x2 - 8,
                "label_y": y1 + 18 if value in ("star", "strategic") else y2 - 24,
                "strategy_y": (y1 + 34 if value in ("star", "strategic") else y2 - 8),
                "anchor": "start" if value in ("strategic", "status") else "end",
            }
        )
    ticks = [{"value": v, "x": x_of(v), "y": y_of(v)} for v in (0, 25, 50, 75, 100)]
    return {
        "geometry": MATRIX,
        "right": right,
        "bottom": bottom,
        "points": points,
        "unplaced": unplaced,
        "split_x": split_x,
        "split_y": split_y,
        "quadrants": quadrants,
        "ticks": ticks,
        "show_labels": len(points) <= LABEL_LIMIT,
        "selected_count": sum(1 for p in points if p["selected"]),
        "legend_y": top + size + 50,
    }
