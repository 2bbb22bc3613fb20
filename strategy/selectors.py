"""Stage 1 reads: criteria with their weight shares, the candidate customer list and the
classification matrix."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.countries import codes_named
from accounts.event_text import note_shown
from accounts.models import (
    CLASS_STRATEGY,
    CLASS_STRATEGY_SHORT,
    Classification,
    Customer,
    KeyAccount,
    Programme,
    classification_label,
)
from common import charts

from .services import weight_shares


def key_account_share(programme: Programme | None = None) -> dict:
    """Active key accounts as a share of all customers, and whether that breaks the limit
    ("less is more": Programme.key_account_limit_percent, 20 % by default). One home for the
    figure: the strategy pages and the portfolio dashboard read it (one query)."""
    programme = programme or Programme.current()
    counts = Customer.objects.aggregate(
        customers=Count("pk"),
        key_accounts=Count("key_account", filter=Q(key_account__status=KeyAccount.Status.ACTIVE)),
    )
    key_accounts, customers = counts["key_accounts"], counts["customers"]
    percent = (
        (Decimal(key_accounts * 100) / customers).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if customers
        else Decimal("0")
    )
    limit = programme.key_account_limit_percent
    over_limit = key_accounts * 100 > customers * limit
    if over_limit and percent <= limit:  # 401 of 2,001: 20.04 %, not "20.0 % — above 20 %"
        percent = (Decimal(key_accounts * 100) / customers).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return {
        "key_accounts": key_accounts,
        "customers": customers,
        "percent": percent,
        "limit": limit,
        # The number of key accounts the limit allows (its share of the customers, rounded
        # down): over it is over the limit, however the shown percent rounds.
        "allowed": int(customers * limit // 100),
        "over_limit": over_limit,
    }


def active_criteria_count(*, programme) -> int:
    if programme.pk is None:  # nobody has saved the programme yet: it has no criteria
        return 0
    return programme.criteria.filter(archived_at__isnull=True).count()


def unscored_count(*, customer, programme) -> int:
    """How many of the programme's active criteria the customer has no score on: its class
    from the scores is incomplete while this is not 0."""
    if programme.pk is None:
        return 0
    return (
        programme.criteria.filter(archived_at__isnull=True)
        .exclude(scores__customer=customer)
        .count()
    )


def criteria_for(*, programme, include_archived: bool = True) -> list:
    """Criteria with `share` (percent of their axis's weight) and `score_count` set."""
    if programme.pk is None:  # nobody has saved the programme yet: it has no criteria
        return []
    qs = programme.criteria.annotate(score_count=Count("scores"))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    criteria = list(qs.order_by("axis", "position", "pk"))
    shares = weight_shares(criteria)
    for criterion in criteria:
        criterion.share = shares.get(criterion.pk)
    return criteria


CUSTOMER_SELECTION_FILTERS = {
    "key": _("Key accounts"),
    "candidate": _("Not selected"),
    "deselected": _("De-selected"),
}


# The customer list's sorts: sort key -> the fields it orders by (then the name). Customers
# with no score on an axis come after the scored ones in both directions.
CUSTOMER_SORTS = {
    "name": ("name",),
    "revenue": ("annual_revenue",),
    "potential": ("potential_spend",),
    "attractiveness": ("attractiveness_score",),
    "strength": ("strength_score",),
}
CUSTOMER_DEFAULT_SORT = "name"


def customer_sort_choices() -> list[tuple[str, str]]:
    """The sorts as the list's 'Sort by' offers them (its column headers are hidden on a
    phone, where each customer is a card), in the reader's language."""
    columns = [
        ("attractiveness", _("Attractiveness")),
        ("strength", _("Strength")),
        ("revenue", _("Revenue with us")),
        ("potential", _("Potential spend")),
    ]
    choices = [("name", _("Name, A to Z")), ("-name", _("Name, Z to A"))]
    for key, label in columns:
        choices.append((f"-{key}", _("%(column)s, highest first") % {"column": label}))
        choices.append((key, _("%(column)s, lowest first") % {"column": label}))
    return choices


def customer_sort(value: str) -> str:
    """The sort asked for (`key` or `-key`) if it is one of CUSTOMER_SORTS, else by name."""
    return value if value.lstrip("-") in CUSTOMER_SORTS else CUSTOMER_DEFAULT_SORT


def customer_list(
    *,
    user,
    query: str = "",
    classification: str = "",
    selection: str = "",
    sort: str = CUSTOMER_DEFAULT_SORT,
):
    """Candidate customers for the list page, each with `scored_count` (scores on active
    criteria) and its key account, in the order `sort` asks (customer_sort). Callers check
    `permissions.can_view_candidates` first."""
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
            | Q(country__in=codes_named(query))
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
    sort = customer_sort(sort)
    first = F(CUSTOMER_SORTS[sort.lstrip("-")][0])
    first = first.desc(nulls_last=True) if sort.startswith("-") else first.asc(nulls_last=True)
    return qs.order_by(first, "name", "pk")


# The matrix page's canvas: a square plot with room for names beside the marks and a legend.
MATRIX_FRAME = charts.MatrixFrame(
    width=620,
    height=620,
    left=80,
    top=30,
    plot_width=500,
    plot_height=500,
    min_radius=5,
    max_radius=28,
)
LABEL_LIMIT = 40  # with more customers than this, names show on hover/focus only


def matrix_chart(*, programme) -> dict:
    """The classification matrix of every customer with both axis scores (area ~ revenue with
    us; filled when a key account), drawn by common.charts like the portfolio's, the four
    quadrants with their recommended strategy, and the customers not yet placed."""
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
    chart = charts.classification_matrix(
        (
            {
                "customer": c,
                "attractiveness": c.attractiveness_score,
                "strength": c.strength_score,
                "size": c.annual_revenue,
                "selected": hasattr(c, "key_account") and c.key_account.is_active,
            }
            for c in placed
        ),
        classes={
            value: {
                "label": Classification(value).label,
                "strategy": CLASS_STRATEGY_SHORT[value],
                "full_strategy": CLASS_STRATEGY[value],
            }
            for value in charts.MATRIX_CORNERS
        },
        attractiveness_threshold=programme.attractiveness_threshold,
        strength_threshold=programme.strength_threshold,
        frame=MATRIX_FRAME,
        label_lines=2,
        tap_targets=True,  # each bubble opens its customer: 24 × 24 px at least on a phone
    )
    by_class: dict[str, list[dict]] = {value: [] for value in charts.MATRIX_CORNERS}
    for p in chart["points"]:
        by_class.setdefault(p["customer"].classification, []).append(p)
    return {
        **chart,
        # The list beside the chart (the same customers, by class and by name): what a screen
        # reader or a phone reads instead of aiming at bubbles.
        "listed": [
            {**q, "points": sorted(by_class[q["value"]], key=lambda p: p["customer"].name)}
            for q in chart["quadrants"]
        ],
        "unplaced": [c for c in customers if c.pk not in placed_ids],
        "show_labels": len(chart["points"]) <= LABEL_LIMIT,
        "selected_count": sum(1 for p in chart["points"] if p["selected"]),
        "legend_y": MATRIX_FRAME.bottom + 50,
        "key_account_mark": charts.KEY_ACCOUNT_MARK,
    }


CLASS_CHANGES_SHOWN = 10


def customer_class_changes(*, customer, limit: int = CLASS_CHANGES_SHOWN) -> list[dict]:
    """The customer's recorded changes of class from scoring (newest first): when, old and new
    class, and why (the note re-scoring leaves: the weight, axis, criterion or threshold that
    moved). One query; reads the customer's audit history."""
    rows = (
        Customer.history.filter(id=customer.pk)
        .order_by("history_date", "history_id")
        .values_list("history_date", "classification", "history_change_reason")
    )
    changes, previous = [], None
    for when, classification, reason in rows:
        if previous is not None and classification != previous:
            changes.append(
                {
                    "when": when,
                    "old": classification_label(previous),
                    "new": classification_label(classification),
                    "reason": note_shown(reason or ""),
                }
            )
        previous = classification
    return changes[::-1][:limit]
