"""The dashboard's key account matrix: the accounts in view as plain data for
common.charts.classification_matrix, which draws it like the strategy page's matrix."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import CLASS_STRATEGY, Classification
from common import charts

# Sized for the dashboard's column and its landscape PDF page; the smallest mark still holds
# its number.
FRAME = charts.MatrixFrame(
    width=640,
    height=480,
    left=64,
    top=16,
    plot_width=560,
    plot_height=408,
    min_radius=7,
    max_radius=26,
)


def key_account_matrix(
    *,
    accounts,
    bubble: str,
    changes: dict,
    attractiveness_threshold: Decimal,
    strength_threshold: Decimal,
    class_counts: dict[str, int],
) -> dict:
    """Attractiveness × our business strength at the programme's thresholds. Mark area ∝
    revenue or net profit of the performance year (a loss is drawn as a small dashed mark),
    colour = plan health bucket, numbered in the order given; a ghost, with an arrow, where an
    account was before a class change in `changes` (account id -> its latest class-change
    event)."""
    points = []
    labels = {value: str(label) for value, label in Classification.choices}
    for number, account in enumerate(accounts, start=1):
        value = account.latest_profit if bubble == "profit" else account.customer.annual_revenue
        point = {
            "number": number,
            "account": account,
            "attractiveness": account.customer.attractiveness_score,
            "strength": account.customer.strength_score,
            "size": value,
            "value": value,
            "loss": value is not None and value < 0,
            "colour": charts.HEALTH_COLOURS[account.health_bucket],
            "bucket": account.health_bucket,
            "score": account.health_score,
            # Translated once (get_classification_display() translates every label per call).
            "class_label": labels.get(account.classification, account.classification),
        }
        event = changes.get(account.pk)
        if event is not None and event.old_value in Classification.values:
            point["change"] = event
            point["was"] = event.old_value
            point["old_label"] = Classification(event.old_value).label
        points.append(point)
    matrix = charts.classification_matrix(
        points,
        classes={
            value: {
                "label": Classification(value).label,
                "count": class_counts.get(value, 0),
                "strategy": CLASS_STRATEGY[value],
            }
            for value in charts.MATRIX_CORNERS
        },
        attractiveness_threshold=attractiveness_threshold,
        strength_threshold=strength_threshold,
        frame=FRAME,
        spread=True,
    )
    matrix["bubble"] = bubble
    for ghost in matrix["ghosts"]:
        ghost["number"] = ghost["point"]["number"]
    return matrix
