"""Reads for Stage 3 that already know the user. Plans and dashboards reuse the matrix."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from accounts.models import KeyAccount, Programme
from accounts.permissions import accounts_visible_to
from common import charts

from . import services
from .models import (
    BusinessUnit,
    ListPrice,
    Offering,
    Opportunity,
    Quadrant,
    WhiteSpaceCell,
    Workshop,
)

# ---- pipeline -----------------------------------------------------------------------------

# Opportunities not scored yet have no priority: they come after the scored ones whichever
# way priority is sorted (PostgreSQL would put NULLs first when descending).
PRIORITY_DESC = F("priority").desc(nulls_last=True)
SORTS = {
    "priority": ("priority", "title"),
    "title": ("title",),
    "account": ("key_account__customer__name", PRIORITY_DESC),
    "value": ("annual_value", "title"),
    "profit": ("profit_potential", "title"),
    "status": ("status", PRIORITY_DESC),
    "close": ("expected_start_on", "title"),
}
# PostgreSQL keeps this order as an index (migration opportunities 0008): keep them in step.
DEFAULT_SORT = "-priority"


@dataclass
class PipelineFilters:
    account: str = ""  # account name contains
    status: str = ""
    lever: str = ""
    owner: int | None = None
    quick_wins: bool = False
    not_scored: bool = False
    # Opportunities of accounts no longer in the programme: left out unless asked for, as the
    # dashboard and the account list leave those accounts out.
    include_deselected: bool = False
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, query) -> PipelineFilters:
        status = query.get("status", "")
        lever = query.get("lever", "")
        sort = query.get("sort", DEFAULT_SORT)
        try:
            owner = int(query.get("owner", "")) or None
        except ValueError:
            owner = None
        return cls(
            account=query.get("account", "").strip()[:100],
            status=status if status in Opportunity.Status.values else "",
            lever=lever if lever in Opportunity.Lever.values else "",
            owner=owner,
            quick_wins=query.get("quick_wins") == "1",
            not_scored=query.get("not_scored") == "1",
            include_deselected=query.get("deselected") == "1",
            sort=sort if sort.lstrip("-") in SORTS else DEFAULT_SORT,
        )

    def order_by(self) -> list:
        descending = self.sort.startswith("-")
        fields = SORTS[self.sort.lstrip("-")]
        first, rest = F(fields[0]), list(fields[1:])
        first = first.desc(nulls_last=True) if descending else first.asc(nulls_last=True)
        return [first, *rest, "pk"]


def opportunities_visible_to(*, user) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(key_account__in=accounts_visible_to(user))


def pipeline(
    *, user, filters: PipelineFilters, account: KeyAccount | None = None
) -> QuerySet[Opportunity]:
    """Opportunities the user may see, filtered and sorted, ready for a table row each. An
    account's own pipeline shows all of its opportunities, whatever the account's status."""
    if account is not None:
        qs = Opportunity.objects.filter(key_account=account)
    else:
        qs = opportunities_visible_to(user=user)
        if not filters.include_deselected:
            qs = qs.filter(key_account__status=KeyAccount.Status.ACTIVE)
        if filters.account:
            qs = qs.filter(key_account__customer__name__icontains=filters.account)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.lever:
        qs = qs.filter(lever=filters.lever)
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.quick_wins:
        qs = qs.filter(quadrant=Quadrant.QUICK_WIN)
    if filters.not_scored:
        qs = qs.filter(priority__isnull=True)
    return qs.select_related("key_account__customer", "owner").order_by(*filters.order_by())


def pipeline_owners(*, opportunities: QuerySet[Opportunity]):
    """People who own at least one of these opportunities (for the owner filter)."""
    from accounts.models import User

    owner_ids = opportunities.order_by().values("owner_id").filter(owner_id__isnull=False)
    return User.objects.filter(pk__in=owner_ids).order_by("first_name", "last_name")


@dataclass
class TotalsRow:
    label: str
    cells: list[Decimal]
    total: Decimal
    count: int


def pipeline_totals(*, opportunities: QuerySet[Opportunity]) -> dict:
    """Estimated annual value by status (rows) and lever (columns), with totals: one query."""
    return pipeline_totals_of_groups(
        opportunities.order_by()
        .values("status", "lever")
        .annotate(value=Sum("annual_value"), profit=Sum("profit_potential"), n=Count("pk"))
    )


def pipeline_totals_of_groups(groups: Iterable[dict]) -> dict:
    """pipeline_totals from opportunities grouped by status and lever, or more finely (a
    caller that needs other groupings too makes one pass over the opportunities): rows with
    "status", "lever", "value" (annual value), "profit" (profit potential) and "n"."""
    grid: dict[tuple[str, str], Decimal] = {}
    counts: dict[str, int] = {}
    profit_by_status: dict[str, Decimal] = {}
    for row in groups:
        key = (row["status"], row["lever"])
        grid[key] = grid.get(key, Decimal("0")) + (row["value"] or Decimal("0"))
        counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
        profit_by_status[row["status"]] = profit_by_status.get(row["status"], Decimal("0")) + (
            row["profit"] or Decimal("0")
        )
    levers = Opportunity.Lever.choices
    table = []
    for status, label in Opportunity.Status.choices:
        cells = [grid.get((status, lever), Decimal("0")) for lever, _ in levers]
        table.append(TotalsRow(label, cells, sum(cells, Decimal("0")), counts.get(status, 0)))
    lever_totals = [
        sum((grid.get((s, lever), Decimal("0")) for s in Opportunity.Status.values), Decimal("0"))
        for lever, _ in levers
    ]
    return {
        "levers": [label for _, label in levers],
        "rows": table,
        "lever_totals": lever_totals,
        "grand_total": sum(lever_totals, Decimal("0")),
        "count": sum(counts.values()),
        # The open pipeline's own figures: lost and dropped opportunities promise nothing, so
        # their profit potential is not counted (as on the account's overview).
        "open_count": sum(counts.get(s, 0) for s in services.OPEN_STATUSES),
        "open_profit": sum(
            (profit_by_status.get(s, Decimal("0")) for s in services.OPEN_STATUSES), Decimal("0")
        ),
        "open_value": sum(
            (
                r.total
                for r, (s, _) in zip(table, Opportunity.Status.choices, strict=True)
                if s in services.OPEN_STATUSES
            ),
            Decimal("0"),
        ),
    }


# ---- account pages ------------------------------------------------------------------------


def open_opportunities(*, account: KeyAccount) -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.filter(key_account=account, status__in=services.OPEN_STATUSES)
        .select_related("owner")
        .order_by(PRIORITY_DESC, "title")
    )


def opportunities_to_link(
    *, account: KeyAccount, keep: Iterable[int] = (), within: Q | None = None
) -> QuerySet[Opportunity]:
    """What a form offers to link (meetings, follow-up and plan actions, quotes): the
    account's live opportunities (not dropped, not lost), optionally `within` a narrower set,
    plus those in `keep` — already linked ones stay readable and selected even once over."""
    live = Q(status__in=services.LIVE_STATUSES)
    if within is not None:
        live &= within
    keep = [pk for pk in keep if pk]
    offered = live | Q(pk__in=keep) if keep else live
    return Opportunity.objects.filter(offered, key_account=account).order_by(PRIORITY_DESC, "title")


def opportunity_choice_label(opportunity: Opportunity) -> str:
    """A linked opportunity that is over says so in the select."""
    if opportunity.status in services.LIVE_STATUSES:
        return opportunity.title
    return f"{opportunity.title} ({opportunity.get_status_display().lower()})"


def quick_wins(*, account: KeyAccount) -> QuerySet[Opportunity]:
    return open_opportunities(account=account).filter(quadrant=Quadrant.QUICK_WIN)


def opportunity_detail(*, account: KeyAccount, pk: int) -> Opportunity:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Opportunity.objects.select_related(
            "owner", "workshop", "source_idea__interview", "key_account__customer"
        ).prefetch_related("stakeholders"),
        pk=pk,
        key_account=account,
    )


def decision_log(*, opportunity: Opportunity):
    return opportunity.decisions.select_related("decided_by")


def workshops_of(*, account: KeyAccount) -> QuerySet[Workshop]:
    return (
        Workshop.objects.filter(key_account=account)
        .annotate(opportunity_count=Count("opportunities", distinct=True))
        .prefetch_related("participants", "stakeholders")
    )


def offerings(*, include_archived: bool = False) -> QuerySet[Offering]:
    qs = Offering.objects.filter(programme_id=Programme.current().pk)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.annotate(
        cells_we_sell=Count("cells", filter=Q(cells__state=WhiteSpaceCell.State.WE_SELL))
    ).order_by("archived_at", "name")


# ---- price list ---------------------------------------------------------------------------


def _valid_on(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def list_price_on(*, offering_id: int, currency: str, on: date) -> ListPrice | None:
    """The offering's list price in `currency` valid on `on` (None: it has none)."""
    return (
        ListPrice.objects.filter(_valid_on(on), offering_id=offering_id, currency=currency)
        .order_by("-valid_from")
        .first()
    )


def list_prices_on(*, currency: str, on: date) -> dict[int, ListPrice]:
    """offering id -> its list price in `currency` valid on `on`, for every offering (one
    query: the quote form's offering choices show them)."""
    prices: dict[int, ListPrice] = {}
    for price in ListPrice.objects.filter(_valid_on(on), currency=currency).order_by(
        "offering_id", "-valid_from"
    ):
        prices.setdefault(price.offering_id, price)
    return prices


def price_list(*, offering: Offering) -> QuerySet[ListPrice]:
    return offering.list_prices.select_related("created_by").order_by("currency", "-valid_from")


@dataclass
class GridCell:
    unit: BusinessUnit
    offering: Offering
    cell: WhiteSpaceCell | None
    # On an edit conflict: the state this user chose, kept in the cell's form.
    typed: str | None = None

    @property
    def state(self) -> str:
        return self.cell.state if self.cell else services.OPEN

    @property
    def chosen(self) -> str:
        return self.state if self.typed is None else self.typed

    @property
    def revision(self) -> int:
        """What the cell's form carries: 0 while the cell is open (has no row)."""
        return self.cell.revision if self.cell else 0

    @property
    def is_open(self) -> bool:
        return self.cell is None


def white_space_grid(*, account: KeyAccount) -> dict:
    """Offerings (rows) × the account's business units (columns); a missing cell is open."""
    units = list(BusinessUnit.objects.filter(key_account=account).order_by("name"))
    rows_of = list(offerings())
    cells = {
        (c.business_unit_id, c.offering_id): c
        for c in WhiteSpaceCell.objects.filter(business_unit__key_account=account).select_related(
            "opportunity"
        )
    }
    rows = [
        (offering, [GridCell(unit, offering, cells.get((unit.pk, offering.pk))) for unit in units])
        for offering in rows_of
    ]
    open_count = sum(1 for _, row in rows for c in row if c.is_open)
    return {"units": units, "rows": rows, "open_count": open_count}


# ---- the opportunity matrix ---------------------------------------------------------------

WIDTH, HEIGHT = 640, 460
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 70
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# The smallest bubble still holds its 11 px number legibly.
MIN_R, MAX_R = 10.0, 24.0
QUADRANT_STYLE = {
    Quadrant.QUICK_WIN: {"fill": charts.GREEN_TINT, "bubble": charts.GREEN},
    Quadrant.MAJOR_PROJECT: {"fill": charts.BLUE_TINT, "bubble": charts.BLUE},
    Quadrant.FILL_IN: {"fill": charts.GREY_TINT, "bubble": charts.GREY},
    Quadrant.DROP: {"fill": charts.RED_TINT, "bubble": charts.RED},
}


def _x(score: float) -> float:
    return LEFT + (score - 1) / 4 * PLOT_W


def _y(score: float) -> float:
    return TOP + (5 - score) / 4 * PLOT_H


def opportunity_matrix(*, opportunities: Iterable[Opportunity]) -> dict:
    """Geometry for `opportunities/_matrix_svg.html`: x = effort and risk, y = value score,
    bubble area ∝ profit potential. Bubbles that share a spot are fanned out around it.
    Each point is numbered; the partial lists the numbers below the chart. Opportunities not
    scored yet have no place on it and are left out."""
    items = [o for o in opportunities if o.is_scored]
    max_profit = max((float(o.profit_potential) for o in items), default=0.0)
    spots: dict[tuple[Decimal, Decimal], int] = {}
    for o in items:
        key = (services.effort_risk_score(o), services.value_score(o))
        spots[key] = spots.get(key, 0) + 1
    seen: dict[tuple[Decimal, Decimal], int] = {}
    points = []
    for number, o in enumerate(items, start=1):
        er, v = services.effort_risk_score(o), services.value_score(o)
        cx, cy = _x(float(er)), _y(float(v))
        crowd = spots[(er, v)]
        if crowd > 1:
            i = seen.get((er, v), 0)
            seen[(er, v)] = i + 1
            angle = 2 * math.pi * i / crowd
            cx += 16 * math.cos(angle)
            cy += 16 * math.sin(angle)
        share = float(o.profit_potential) / max_profit if max_profit else 0.0
        radius = MIN_R + (MAX_R - MIN_R) * math.sqrt(share)
        quadrant = o.quadrant or services.quadrant_for(o)
        points.append(
            {
                "number": number,
                "opportunity": o,
                "cx": round(cx, 1),
                "cy": round(cy, 1),
                "r": round(radius, 1),
                "colour": QUADRANT_STYLE[quadrant]["bubble"],
                "quadrant_label": Quadrant(quadrant).label,
                "value_score": v,
                "effort_risk": er,
                "url": services.detail_url(o),
            }
        )
    split_x, split_y = _x(services.QUADRANT_SPLIT), _y(services.QUADRANT_SPLIT)
    right, bottom = LEFT + PLOT_W, TOP + PLOT_H
    # Each bubble opens its opportunity: 24 × 24 px at least on a phone, none under another's.
    charts.separate_targets(points, bounds=(LEFT, TOP, right, bottom), x="cx", y="cy")
    quadrants = [
        (Quadrant.QUICK_WIN, LEFT, TOP, split_x - LEFT, split_y - TOP),
        (Quadrant.MAJOR_PROJECT, split_x, TOP, right - split_x, split_y - TOP),
        (Quadrant.FILL_IN, LEFT, split_y, split_x - LEFT, bottom - split_y),
        (Quadrant.DROP, split_x, split_y, right - split_x, bottom - split_y),
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {"left": LEFT, "top": TOP, "right": right, "bottom": bottom},
        "split": {"x": split_x, "y": split_y},
        "quadrants": [
            {
                "label": Quadrant(q).label,
                "x": x,
                "y": y,
                "w": w,
                "h": h,
                "fill": QUADRANT_STYLE[q]["fill"],
                "label_x": x + 8,
                # The lower quadrants are labelled at their bottom edge: a value of exactly 3
                # (common) sits on the split line and would cover a label at their top.
                "label_y": y + 18 if y == TOP else y + h - 8,
            }
            for q, x, y, w, h in quadrants
        ],
        "ticks_x": [{"pos": _x(s), "label": s} for s in range(1, 6)],
        "ticks_y": [{"pos": _y(s), "label": s} for s in range(1, 6)],
        "axis_x_label_y": bottom + 45,
        "axis_y_label_x": 20,
        "axis_y_label_y": TOP + PLOT_H / 2,
        "points": points,
        # Drawn largest first, so a small bubble is never under a large one's disc.
        "marks": sorted(points, key=lambda p: -p["r"]),
    }


MATRIX_LIMIT = 40  # more bubbles than this stop being readable; the rest are counted


def account_matrix(*, account: KeyAccount) -> dict:
    """The matrix of an account's scored open opportunities (idea, qualified, pursuing), the
    MATRIX_LIMIT highest priorities; `not_shown` counts the other scored ones, `not_scored`
    the open ones nobody has scored yet (they are not plotted)."""
    opportunities = open_opportunities(account=account)
    scored = opportunities.filter(priority__isnull=False)
    shown = list(scored[:MATRIX_LIMIT])
    matrix = opportunity_matrix(opportunities=shown)
    matrix["not_shown"] = scored.count() - len(shown) if len(shown) == MATRIX_LIMIT else 0
    matrix["not_scored"] = opportunities.filter(priority__isnull=True).count()
    return matrix
