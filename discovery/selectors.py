"""Stage 2 reads: lists already filtered for the user, and the numbers charts are drawn from.

Charts are laid out by common.charts (the stakeholder map by `stakeholder_grid`, like the
plan's); the partials draw them with SVG presentation attributes, so they render without the
site stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, Membership
from accounts.selectors import key_accounts_visible_to
from common import charts

from . import services
from .models import (
    Competitor,
    FinancialRatio,
    Interview,
    Level,
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfileSection,
    ProfitabilityYear,
    Stakeholder,
)

# ---- the Discovery landing page ------------------------------------------------------------


def _count(qs) -> Coalesce:
    counted = qs.order_by().values("key_account").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# Net account profit in the database, the same sum as ProfitabilityYear.net_profit: gross
# margin (gross sales − cost of goods) − cost to serve, stored by the database on every write
# (ProfitabilityYear.stored_net_profit). Every stage and the portfolio read it.
NET_PROFIT = ExpressionWrapper(
    F("stored_net_profit"), output_field=DecimalField(max_digits=16, decimal_places=2)
)


def _block_stale(rows: QuerySet, cutoff) -> Case:
    """1 when the block of rows (key ratios, competitors) is stale as the profile page says
    (ProfilePage: its latest update is older than the cutoff), else 0; an empty block is 0."""
    return Case(
        When(Exists(rows) & ~Exists(rows.filter(updated_at__gte=cutoff)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _stale_sections(account, cutoff):
    """The number of profile parts not updated since `cutoff`, as the profile page counts them
    (ProfilePage.stale_count): the written sections, and the key ratios and the competitors as
    one block each. `account`: the key account or an OuterRef to it."""
    sections = ProfileSection.objects.filter(key_account=account, updated_at__isnull=False)
    return (
        _count(sections.filter(updated_at__lt=cutoff))
        + _block_stale(FinancialRatio.objects.filter(key_account=account), cutoff)
        + _block_stale(Competitor.objects.filter(key_account=account), cutoff)
    )


def discovery_accounts(*, user, today: date | None = None) -> QuerySet[KeyAccount]:
    """The user's visible active key accounts with their discovery status, in one query.

    `stale_sections` counts what the profile page counts as not updated for a year: the
    written sections, and the key ratios and the competitors as one block each."""
    today = today or timezone.localdate()
    cutoff = services.stale_cutoff(today)
    account = OuterRef("pk")
    sections = ProfileSection.objects.filter(key_account=account, updated_at__isnull=False)
    people = Stakeholder.objects.filter(key_account=account, archived_at__isnull=True)
    latest = ProfitabilityYear.objects.filter(key_account=account).order_by("-year")
    return key_accounts_visible_to(user=user).annotate(
        written_sections=_count(sections),
        stale_sections=_stale_sections(account, cutoff),
        stakeholder_count=_count(people),
        gap_count=_count(people.filter(services.gap_q(today))),
        latest_year=Subquery(latest.values("year")[:1]),
        latest_gross_sales=Subquery(latest.values("gross_sales")[:1]),
        latest_net_profit=Subquery(
            latest.annotate(net=NET_PROFIT).values("net")[:1],
            output_field=DecimalField(max_digits=16, decimal_places=2),
        ),
    )


def margin_percent(net: Decimal | None, gross: Decimal | None) -> Decimal | None:
    if net is None or not gross:
        return None
    return (Decimal(net) / Decimal(gross) * 100).quantize(Decimal("0.1"))


# ---- profile -----------------------------------------------------------------------------------


@dataclass
class SectionView:
    key: str
    label: str
    content: str = ""
    revision: int = 0
    updated_at: object = None
    updated_by: object = None
    stale: bool = False

    @property
    def empty(self) -> bool:
        return self.updated_at is None


def profile_section(account: KeyAccount, key: str, today: date | None = None) -> SectionView:
    section = (
        ProfileSection.objects.filter(key_account=account, key=key)
        .select_related("updated_by")
        .first()
    )
    return _section_view(key, section, today)


def _section_view(key, section, today) -> SectionView:
    label = ProfileSection.Key(key).label
    if section is None:
        return SectionView(key=key, label=label)
    return SectionView(
        key=key,
        label=label,
        content=section.content,
        revision=section.revision,
        updated_at=section.updated_at,
        updated_by=section.updated_by,
        stale=services.is_stale(section.updated_at, today),
    )


@dataclass
class ProfilePage:
    sections: list[SectionView]
    ratios: list[FinancialRatio]
    competitors: list[Competitor]
    ratios_updated: FinancialRatio | None = None
    competitors_updated: Competitor | None = None
    ratios_stale: bool = False
    competitors_stale: bool = False

    @property
    def stale_count(self) -> int:
        return (
            sum(s.stale for s in self.sections)
            + int(self.ratios_stale)
            + int(self.competitors_stale)
        )


PROFILE_PARTS = ("sections", "ratios", "competitors")


def profile_stale_count(account: KeyAccount, today: date | None = None) -> int:
    """ProfilePage.stale_count without reading the profile: for a block of the page saved
    alone, whose answer also redraws the page's "N sections not updated". One query."""
    cutoff = services.stale_cutoff(today)
    return (
        KeyAccount.objects.filter(pk=account.pk)
        .annotate(stale=_stale_sections(OuterRef("pk"), cutoff))
        .values_list("stale", flat=True)
        .get()
    )


def profile_page(
    account: KeyAccount, today: date | None = None, *, parts: Iterable[str] = PROFILE_PARTS
) -> ProfilePage:
    """All sections in method order (missing ones empty), ratios and competitors: 3 queries.
    `parts`: only those are read (one query each), the others left empty: a block of the page
    redrawn alone reads only its own."""
    parts = set(parts)
    sections, ratios, competitors = [], [], []
    if "sections" in parts:
        existing = {
            s.key: s
            for s in ProfileSection.objects.filter(key_account=account).select_related("updated_by")
        }
        sections = [
            _section_view(key, existing.get(key), today) for key in ProfileSection.Key.values
        ]
    if "ratios" in parts:
        ratios = list(
            FinancialRatio.objects.filter(key_account=account).select_related("updated_by")
        )
    if "competitors" in parts:
        competitors = list(
            Competitor.objects.filter(key_account=account).select_related("updated_by")
        )
    page = ProfilePage(sections=sections, ratios=ratios, competitors=competitors)
    if ratios:
        page.ratios_updated = max(ratios, key=lambda r: r.updated_at)
        page.ratios_stale = services.is_stale(page.ratios_updated.updated_at, today)
    if competitors:
        page.competitors_updated = max(competitors, key=lambda c: c.updated_at)
        page.competitors_stale = services.is_stale(page.competitors_updated.updated_at, today)
    return page


# ---- stakeholders ------------------------------------------------------------------------------


def stakeholder_list(*, account: KeyAccount, archived: bool = False) -> QuerySet[Stakeholder]:
    return (
        Stakeholder.objects.filter(key_account=account, archived_at__isnull=not archived)
        .select_related("owner", "reports_to")
        .order_by("name", "pk")
    )


def stakeholder_row(*, account: KeyAccount, pk: int) -> Stakeholder | None:
    """One stakeholder of the account, archived or not, with what its row in the list shows
    (owner, reports-to): for its edit form and its row redrawn alone. One query."""
    return (
        Stakeholder.objects.filter(key_account=account, pk=pk)
        .select_related("owner", "reports_to")
        .first()
    )


def with_gaps(stakeholders, today: date | None = None):
    """Attach `.gaps` (reasons) to each stakeholder; no queries."""
    today = today or timezone.localdate()
    for person in stakeholders:
        person.gaps = services.stakeholder_gaps(person, today)
    return stakeholders


def team_users(account: KeyAccount):
    """Users on the account team: the people who may own a relationship or interview."""
    from accounts.models import User

    return User.objects.filter(
        pk__in=Membership.objects.filter(key_account=account).values("user_id")
    ).order_by("first_name", "last_name", "username")


# The stakeholder map page: cells grow to hold everyone in them, three marks to a line.
MAP_LAYOUT = charts.GridLayout(left=116, top=34, right=10, bottom=40, cell_width=168)


def stakeholder_map(account: KeyAccount, today: date | None = None, stakeholders=None) -> dict:
    """Active stakeholders by influence (rows) × attitude (columns), drawn by
    common.charts.stakeholder_grid like the plan's map. One query.

    Each mark carries its `stakeholder`, the owner's `initials` ("?" when nobody owns the
    relationship) and its coverage `gaps` (see services.stakeholder_gaps); `gaps` lists the
    marks that have some.
    """
    today = today or timezone.localdate()
    if stakeholders is None:
        stakeholders = list(stakeholder_list(account=account))
    grid = charts.stakeholder_grid(
        (
            {
                "name": person.name,
                "influence": person.influence,
                "attitude": person.attitude,
                "stakeholder": person,
                "initials": person.owner.initials if person.owner else "?",
                "gaps": services.stakeholder_gaps(person, today),
            }
            for person in stakeholders
        ),
        influence_labels=dict(Level.choices),
        attitude_labels=dict(Stakeholder.Attitude.choices),
        layout=MAP_LAYOUT,
    )
    grid["gaps"] = [mark for mark in grid["marks"] if mark["gaps"]]
    grid["gap_stroke"] = charts.GAP_MARK
    return grid


@dataclass
class OrgNode:
    stakeholder: Stakeholder
    children: list[OrgNode]
    gaps: list[str]


def org_chart(stakeholders, today: date | None = None) -> list[OrgNode]:
    """Reporting trees from reports-to links among active stakeholders, roots first by name.

    Someone whose manager is archived (or not recorded) starts a tree of their own. A loop in
    old data cannot hang the page: each person is placed once.
    """
    today = today or timezone.localdate()
    people = {p.pk: p for p in stakeholders}
    children: dict[int | None, list[Stakeholder]] = {}
    for person in people.values():
        parent = person.reports_to_id if person.reports_to_id in people else None
        children.setdefault(parent, []).append(person)
    placed: set[int] = set()

    def build(person) -> OrgNode:
        placed.add(person.pk)
        kids = [build(k) for k in children.get(person.pk, []) if k.pk not in placed]
        return OrgNode(person, kids, services.stakeholder_gaps(person, today))

    roots = [build(p) for p in children.get(None, [])]
    # People caught in a loop have no root; show them at top level rather than drop them.
    roots += [build(p) for p in people.values() if p.pk not in placed]
    return roots


# ---- interviews --------------------------------------------------------------------------------


def interview_list(*, account: KeyAccount) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(key_account=account)
        .select_related("interviewer")
        .prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("name")),
            Prefetch("ideas", queryset=OpportunityIdea.objects.select_related("opportunity")),
        )
    )


# ---- profitability -----------------------------------------------------------------------------


def profitability_rows(account: KeyAccount) -> list[ProfitabilityYear]:
    """Years oldest first (a trend reads left to right)."""
    return list(ProfitabilityYear.objects.filter(key_account=account).order_by("year"))


# The cost-to-serve lines whose field has no verbose name of its own (adding one would be a
# migration), as the table shows them.
COST_LINE_LABELS = {
    "discounts": _("Discounts"),
    "rebates": _("Rebates"),
    "transport": _("Transport"),
    "returns": _("Returns"),
    "customer_service": _("Customer service"),
}


def profitability_table(rows: list[ProfitabilityYear]) -> list[dict]:
    """Lines down, years across, in domain.md's order: gross sales, cost of goods, gross
    margin; each cost-to-serve line and their total; net account profit and net margin.
    `kind` says how a line is drawn (money or percent, indented, bold, red when negative)."""

    def line(label: str, values: list, kind: str) -> dict:
        return {"label": label, "values": values, "kind": kind}

    def field_label(name: str) -> str:
        if name in COST_LINE_LABELS:
            return COST_LINE_LABELS[name]
        label = str(ProfitabilityYear._meta.get_field(name).verbose_name)
        return f"{label[0].upper()}{label[1:]}"

    lines = [
        line(_("Gross sales"), [r.gross_sales for r in rows], "sales"),
        line(_("− Cost of goods"), [r.cost_of_goods for r in rows], "cost"),
        line(_("Gross margin"), [r.gross_margin for r in rows], "total"),
        line(_("Gross margin %"), [r.gross_margin_percent for r in rows], "percent"),
    ]
    lines.append(line(_("Cost to serve:"), [], "heading"))
    lines += [
        line(field_label(name), [getattr(r, name) for r in rows], "cost")
        for name in ProfitabilityYear.COST_TO_SERVE_FIELDS
    ]
    lines += [
        line(_("Cost to serve, total"), [r.cost_to_serve for r in rows], "total"),
        line(_("Cost to serve, % of sales"), [r.cost_to_serve_percent for r in rows], "percent"),
        line(
            _("Net account profit (gross margin − cost to serve)"),
            [r.net_profit for r in rows],
            "profit",
        ),
        line(_("Net margin %"), [r.margin_percent for r in rows], "net_percent"),
    ]
    return lines


def profitability_cards(rows: list[ProfitabilityYear], table: list[dict]) -> list[dict]:
    """The same table turned a quarter: one card per year (its row and, in the table's order,
    each line's label, kind and that year's value), how a phone shows it. No queries."""
    return [
        {
            "row": row,
            "lines": [
                {"label": line["label"], "kind": line["kind"], "value": line["values"][index]}
                if line["values"]
                else {"label": line["label"], "kind": line["kind"], "value": None}
                for line in table
            ],
        }
        for index, row in enumerate(rows)
    ]


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


CHART_W, CHART_H = 640, 300
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 72, 16, 16, 44
SALES_FILL, PROFIT_FILL, LOSS_FILL = charts.BLUE, charts.GREEN, charts.RED
MARGIN_FILL, SERVE_FILL = charts.TEAL, charts.AMBER
# The bars of each year, left to right: net profit = gross margin − cost to serve.
CHART_SERIES = (
    ("gross_sales", _("Gross sales"), SALES_FILL),
    ("gross_margin", _("Gross margin"), MARGIN_FILL),
    ("cost_to_serve", _("Cost to serve"), SERVE_FILL),
    ("net_profit", _("Net profit"), PROFIT_FILL),
)
LEGEND_STEP = 112  # room for each legend item's swatch and words


def profitability_chart(rows: list[ProfitabilityYear]) -> dict | None:
    """Grouped bars per year on one scale with a zero line: gross sales, gross margin, cost to
    serve and net profit (red when a loss)."""
    if not rows:
        return None
    values = {name: [float(getattr(r, name)) for r in rows] for name, _, _ in CHART_SERIES}
    profits = values["net_profit"]
    top = max([v for series in values.values() for v in series] + [0.0])
    bottom = min([*profits, 0.0])
    step = _nice_step(top - bottom)
    top = math.ceil(top / step) * step or step
    bottom = math.floor(bottom / step) * step
    plot_h = CHART_H - CHART_TOP - CHART_BOTTOM
    plot_w = CHART_W - CHART_LEFT - CHART_RIGHT

    def y(v: float) -> float:
        return CHART_TOP + (top - v) / (top - bottom) * plot_h

    zero = y(0)
    group = plot_w / len(rows)
    gap = 2.0
    count = len(CHART_SERIES)
    bar = min(28.0, (group * 0.8 - gap * (count - 1)) / count)
    bars = []
    for i, row in enumerate(rows):
        start = CHART_LEFT + group * i + group / 2 - (bar * count + gap * (count - 1)) / 2
        for k, (name, label, fill) in enumerate(CHART_SERIES):
            value = values[name][i]
            if name == "net_profit" and value < 0:
                fill, label = LOSS_FILL, _("Net loss")
            bars.append(
                {
                    "x": round(start + k * (bar + gap), 1),
                    "y": round(min(y(value), zero), 1),
                    "width": round(bar, 1),
                    "height": round(max(abs(y(value) - zero), 0.5), 1),
                    "fill": fill,
                    "title": _("%(year)s %(label)s: %(value)s")
                    % {"year": row.year, "label": label, "value": charts.compact(value)},
                }
            )
    legend = [(label, fill) for _, label, fill in CHART_SERIES]
    if any(p < 0 for p in profits):
        legend.append((_("Net loss"), LOSS_FILL))
    ticks = []
    value = bottom
    while value <= top + step / 2:
        ticks.append({"y": round(y(value), 1), "label": charts.compact(value)})
        value += step
    return {
        "width": CHART_W,
        "height": CHART_H,
        "left": CHART_LEFT,
        "right": CHART_W - CHART_RIGHT,
        "zero": round(zero, 1),
        "bars": bars,
        "ticks": ticks,
        "years": [
            {"x": round(CHART_LEFT + group * i + group / 2, 1), "label": r.year}
            for i, r in enumerate(rows)
        ],
        "year_label_y": CHART_H - CHART_BOTTOM + 18,
        "legend_y": CHART_H - 6,
        "legend": [
            {"x": CHART_LEFT + LEGEND_STEP * k, "fill": fill, "label": label}
            for k, (label, fill) in enumerate(legend)
        ],
    }


@dataclass
class LifetimeValueView:
    assumption: LifetimeValueAssumption
    value: services.LifetimeValue | None
    # Where the year-1 profit comes from: True when the team entered it in the assumptions,
    # False when it is the computed net profit of `latest` (the latest recorded year).
    base_entered: bool = False
    latest: ProfitabilityYear | None = None


def account_lifetime_value(
    account: KeyAccount, rows: list[ProfitabilityYear], today: date | None = None
) -> LifetimeValueView:
    """CLV from the saved assumptions (or the defaults) and the base profit: the one entered
    in the assumptions, else the latest year's computed net profit."""
    assumption = LifetimeValueAssumption.objects.filter(key_account=account).first()
    if assumption is None:
        assumption = LifetimeValueAssumption(key_account=account)
    latest = rows[-1] if rows else None
    entered = assumption.base_profit is not None
    if entered:
        base = assumption.base_profit
    elif latest is not None:
        base = latest.net_profit
    else:
        return LifetimeValueView(assumption, None)
    first = (latest.year if latest else (today or timezone.localdate()).year) + 1
    value = services.lifetime_value(
        base_profit=base,
        growth_rate_percent=assumption.growth_rate_percent,
        discount_rate_percent=assumption.discount_rate_percent,
        horizon_years=assumption.horizon_years,
        first_calendar_year=first,
    )
    return LifetimeValueView(assumption, value, base_entered=entered, latest=latest)
