"""Demo data for Stage 3: offerings, white space, opportunities with decisions, workshops.

Idempotent: every row is found by a stable key (title, name) before anything is created, and
decisions and timeline entries are only written when their opportunity is first created.
"""

from datetime import timedelta
from decimal import Decimal

from accounts.models import Membership, Programme, Role
from discovery.models import OpportunityIdea, Stakeholder

from . import services
from .models import BusinessUnit, Offering, Opportunity, WhiteSpaceCell, Workshop

L = Opportunity.Lever
B = Opportunity.Beneficiary
S = Opportunity.Status
D = Opportunity.Decision

OFFERINGS = [
    ("Clean-label ingredient systems", "Emulsifier-free and E-number-free ingredient blends."),
    ("Cold-chain logistics", "Temperature-controlled storage and distribution, 2–8 °C and frozen."),
    ("Vendor-managed inventory", "We plan and replenish the customer's stock of our products."),
    ("Private-label co-packing", "Filling and packing under the customer's own brand."),
    ("Sustainable packaging", "Recyclable mono-material and returnable transport packaging."),
    ("Demand-planning analytics", "Shared forecasts and a weekly demand-sensing dashboard."),
    ("Technical application support", "Food technologists on site for trials and scale-up."),
]

BUSINESS_UNITS = {
    "C-1001": ["Bakery division", "Ready meals", "Dairy desserts", "Central procurement"],
    "C-1002": ["Private label", "Fresh food", "E-commerce fulfilment"],
    "C-1003": ["Ship chandlery", "Offshore supply", "Port services"],
    "C-1007": ["Cold-chain distribution", "Clinical trials logistics"],
}
# Cycle of cell states for the grid ("" = left open: white space).
CELL_PATTERN = [
    WhiteSpaceCell.State.WE_SELL,
    "",
    WhiteSpaceCell.State.COMPETITOR,
    WhiteSpaceCell.State.NOT_RELEVANT,
    "",
    WhiteSpaceCell.State.WE_SELL,
    "",
]

# title, description, lever, beneficiary, annual value, profit potential,
# strategic us, strategic customer, effort, risk, final status, decision, reason
OPPORTUNITIES = [
    (
        "Clean-label reformulation of the bakery range",
        "Replace emulsifiers in 24 bakery lines with our clean-label systems before the "
        "customer's 2-year labelling pledge falls due.",
        L.NEW_PRODUCT,
        B.BOTH,
        900_000,
        180_000,
        5,
        5,
        4,
        3,
        S.PURSUING,
        D.PURSUE,
        "Co-development budget approved on both sides; it anchors us as development partner.",
    ),
    (
        "Vendor-managed inventory for the top 40 SKUs",
        "We plan their stock of our fastest movers; fewer rush orders and stock-outs.",
        L.COST_TO_SERVE,
        B.BOTH,
        150_000,
        60_000,
        3,
        4,
        2,
        1,
        S.PURSUING,
        D.PURSUE,
        "Quick win: the planning team can start next month with existing EDI data.",
    ),
    (
        "Consolidated weekly deliveries",
        "Move from three part-loads a week to one full truck; lower transport cost per pallet.",
        L.COST_TO_SERVE,
        B.SELLER,
        35_000,
        35_000,
        2,
        2,
        1,
        1,
        S.IDEA,
        "",
        "",
    ),
    (
        "Private-label tender: second production line",
        "Win the private-label tender by dedicating a second line; doubles our volume.",
        L.VOLUME,
        B.BOTH,
        3_100_000,
        520_000,
        4,
        3,
        5,
        4,
        S.PURSUING,
        D.PURSUE,
        "Largest single growth lever in the portfolio; board accepted the capex risk.",
    ),
    (
        "Sustainable packaging for the fresh division",
        "Cross-sell our recyclable trays to the fresh division, which buys from a competitor.",
        L.CROSS_SELL,
        B.BOTH,
        400_000,
        90_000,
        4,
        4,
        2,
        2,
        S.QUALIFIED,
        D.HOLD,
        "Customer's sustainability budget is only set in March; revisit then.",
    ),
    (
        "Trade up to premium cultures",
        "Move the yoghurt lines from standard to premium cultures with a longer shelf life.",
        L.TRADE_UP,
        B.SELLER,
        600_000,
        140_000,
        3,
        2,
        2,
        2,
        S.WON,
        D.PURSUE,
        "Shelf-life trial results convinced quality; low effort for a good margin gain.",
    ),
    (
        "Shorter payment terms against a rebate",
        "Offer a 1 % rebate for payment in 30 instead of 75 days.",
        L.CREDIT_TERMS,
        B.SELLER,
        0,
        20_000,
        2,
        1,
        2,
        4,
        S.DROPPED,
        D.DROP,
        "Procurement will not reopen terms mid-contract; the cash gain does not justify "
        "the friction.",
    ),
    (
        "Joint demand-planning dashboard",
        "Share forecasts weekly; both sides cut safety stock.",
        L.OTHER,
        B.BOTH,
        120_000,
        45_000,
        4,
        5,
        3,
        3,
        S.IDEA,
        "",
        "",
    ),
    (
        "Exclusive supply for the new snack brand",
        "Become sole supplier of seasonings for the snack brand launching next year.",
        L.VOLUME,
        B.BOTH,
        1_200_000,
        260_000,
        4,
        3,
        3,
        4,
        S.LOST,
        D.PURSUE,
        "Strategic entry into snacks; worth a full proposal.",
    ),
    (
        "Technical application support on site",
        "Two days a month of a food technologist at their plant for trials.",
        L.CROSS_SELL,
        B.CUSTOMER,
        80_000,
        30_000,
        2,
        4,
        1,
        2,
        S.QUALIFIED,
        "",
        "",
    ),
    (
        "Returnable transport packaging loop",
        "Replace one-way cartons with returnable crates between our plant and theirs.",
        L.COST_TO_SERVE,
        B.BOTH,
        70_000,
        70_000,
        3,
        3,
        2,
        3,
        S.IDEA,
        "",
        "",
    ),
    (
        "Dedicated on-site warehouse",
        "Run a consignment warehouse inside the customer's site.",
        L.OTHER,
        B.CUSTOMER,
        50_000,
        15_000,
        2,
        2,
        5,
        4,
        S.DROPPED,
        D.DROP,
        "High fixed cost, little margin and no strategic gain: drop without regret.",
    ),
    (
        "Add the organic line to existing orders",
        "Offer the organic variants on the same orders and deliveries.",
        L.CROSS_SELL,
        B.BOTH,
        500_000,
        120_000,
        3,
        3,
        1,
        2,
        S.PURSUING,
        D.PURSUE,
        "Quick win: same buyer, same logistics; listing only needs a price sheet.",
    ),
    (
        "EDI ordering to cut order handling",
        "Move the last fax and e-mail orders to EDI.",
        L.COST_TO_SERVE,
        B.BOTH,
        25_000,
        25_000,
        3,
        3,
        2,
        2,
        S.WON,
        D.PURSUE,
        "Cheap to do and removes order errors for both sides.",
    ),
]

WORKSHOPS = {
    "C-1001": (
        "Joint value workshop: clean label and supply",
        "1. Customer's 2-year product roadmap\n2. Where cost sits in the supply chain\n"
        "3. Score ideas together\n4. Agree owners",
        "Agreed to co-develop the clean-label range; VMI pilot on 40 SKUs; shared forecast "
        "dashboard to be specified by the planning teams.",
        "Shared shelf-life testing lab",
        "Pool our shelf-life testing with their quality lab to halve trial lead times.",
    ),
    "C-1002": (
        "Private-label growth workshop",
        "1. Private-label strategy 2027\n2. Capacity and tender timeline\n"
        "3. Packaging sustainability targets",
        "Customer will share the tender specification early; packaging targets to be "
        "confirmed in March.",
        "Joint private-label range review",
        "Review the private-label range twice a year to cut slow movers.",
    ),
}


def _offerings() -> list[Offering]:
    programme = Programme.current()
    result = []
    for name, description in OFFERINGS:
        offering, _ = Offering.objects.get_or_create(
            programme=programme, name=name, defaults={"description": description}
        )
        result.append(offering)
    return result


def _manager(account):
    membership = (
        Membership.objects.filter(key_account=account, role=Role.MANAGER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _stakeholders(account, n):
    return list(
        Stakeholder.objects.filter(key_account=account, archived_at__isnull=True).order_by("pk")[:n]
    )


def _opportunity(ctx, account, row, manager, days_ago, stakeholders, workshop=None):
    (title, description, lever, beneficiary, value, profit, sv_us, sv_cust, effort, risk) = row[:10]
    final_status, decision, reason = row[10:]
    existing = Opportunity.objects.filter(key_account=account, title=title).first()
    if existing is not None:
        return existing
    start_status = S.QUALIFIED if final_status in (S.PURSUING, S.WON, S.LOST) else final_status
    if final_status == S.DROPPED:
        start_status = S.QUALIFIED
    identified = ctx.today - timedelta(days=days_ago)
    opportunity = services.opportunity_create(
        account=account,
        values={
            "title": title,
            "description": description,
            "lever": lever,
            "beneficiary": beneficiary,
            "annual_value": Decimal(value),
            "profit_potential": Decimal(profit),
            "strategic_value_us": sv_us,
            "strategic_value_customer": sv_cust,
            "effort": effort,
            "risk": risk,
            "identified_on": identified,
            "expected_start_on": identified + timedelta(days=90 + 15 * effort),
            "owner": manager,
            "status": start_status,
            "source": Opportunity.Source.MANAGER,
        },
        stakeholders=stakeholders,
        workshop=workshop,
        acting_user=manager,
    )
    if decision:
        opportunity = services.opportunity_decide(
            opportunity=opportunity, decision=decision, reason=reason, acting_user=manager
        )
    if final_status in (S.WON, S.LOST) and opportunity.status != final_status:
        opportunity = services.opportunity_update(
            opportunity=opportunity,
            values={"status": final_status},
            revision=opportunity.revision,
            acting_user=manager,
        )
    return opportunity


def _account_opportunities(ctx, index, account, manager):
    count = 4 + index % 5  # 4..8 per account
    start = (index * 3) % len(OPPORTUNITIES)
    stakeholders = _stakeholders(account, 2)
    for i in range(count):
        row = OPPORTUNITIES[(start + i) % len(OPPORTUNITIES)]
        _opportunity(ctx, account, row, manager, 20 + 11 * i, stakeholders[i % 2 :][:1])


def _workshop(ctx, account, manager):
    title, agenda, outcomes, new_title, new_description = WORKSHOPS[account.customer.reference]
    workshop = Workshop.objects.filter(key_account=account, title=title).first()
    if workshop is None:
        team = list(
            Membership.objects.filter(
                key_account=account, role__in=[Role.DIRECTOR, Role.MANAGER]
            ).values_list("user", flat=True)
        )
        from accounts.models import User

        workshop = services.workshop_create(
            account=account,
            values={
                "held_on": ctx.today - timedelta(days=12),
                "title": title,
                "agenda": agenda,
                "outcomes": outcomes,
            },
            participants=User.objects.filter(pk__in=team),
            stakeholders=_stakeholders(account, 3),
            acting_user=manager,
        )
    # An opportunity born in the workshop...
    _opportunity(
        ctx,
        account,
        (new_title, new_description, L.OTHER, B.BOTH, 90_000, 40_000, 4, 4, 2, 2, S.IDEA, "", ""),
        manager,
        12,
        _stakeholders(account, 1),
        workshop=workshop,
    )
    # ...and the top-priority existing one re-scored there (once).
    if workshop.opportunities.exclude(title=new_title).exists():
        return
    top = (
        Opportunity.objects.filter(key_account=account, workshop__isnull=True)
        .exclude(status__in=[S.DROPPED, S.LOST, S.WON])
        .order_by("-priority", "pk")
        .first()
    )
    if top is not None:
        services.opportunity_update(
            opportunity=top,
            values={"strategic_value_customer": 5},
            revision=top.revision,
            workshop=workshop,
            acting_user=manager,
        )


def _white_space(account, offerings, manager):
    units = []
    for name in BUSINESS_UNITS[account.customer.reference]:
        unit, _ = BusinessUnit.objects.get_or_create(key_account=account, name=name)
        units.append(unit)
    for i, offering in enumerate(offerings):
        for j, unit in enumerate(units):
            state = CELL_PATTERN[(i + 2 * j) % len(CELL_PATTERN)]
            if state:
                WhiteSpaceCell.objects.get_or_create(
                    business_unit=unit, offering=offering, defaults={"state": state}
                )
    # One white-space cell turned into an opportunity (idempotent: the cell keeps the link).
    services.white_space_cell_to_opportunity(
        unit=units[0], offering=offerings[4], acting_user=manager
    )


def _convert_ideas(accounts):
    """The first idea heard on each account becomes an opportunity (if discovery seeded any)."""
    ideas = (
        OpportunityIdea.objects.filter(interview__key_account__in=accounts)
        .select_related("interview__key_account")
        .order_by("interview__key_account_id", "pk")
    )
    first_per_account = {}
    for idea in ideas:
        first_per_account.setdefault(idea.interview.key_account_id, idea)
    for idea in first_per_account.values():
        manager = _manager(idea.interview.key_account)
        if manager is not None:
            services.idea_convert(idea=idea, acting_user=manager)


def _generated(ctx):
    """Three opportunities per generated account (scale > 1), in bulk."""
    generated = ctx.accounts[12:]
    if not generated:
        return
    have = set(
        Opportunity.objects.filter(key_account__in=generated).values_list(
            "key_account_id", flat=True
        )
    )
    rows = []
    for n, account in enumerate(generated):
        if account.pk in have:
            continue
        for k in range(3):
            row = OPPORTUNITIES[(n + 5 * k) % len(OPPORTUNITIES)]
            opportunity = Opportunity(
                key_account=account,
                title=row[0],
                description=row[1],
                lever=row[2],
                beneficiary=row[3],
                annual_value=Decimal(row[4]),
                profit_potential=Decimal(row[5]),
                strategic_value_us=row[6],
                strategic_value_customer=row[7],
                effort=row[8],
                risk=row[9],
                status=row[10],
                decision=row[11],
                decision_reason=row[12],
                identified_on=ctx.today - timedelta(days=30 + k * 20),
            )
            services._apply_scores(opportunity)
            rows.append(opportunity)
    Opportunity.objects.bulk_create(rows, batch_size=1000)


def seed(ctx) -> None:
    offerings = _offerings()
    hand_written = ctx.accounts[:12]
    for index, account in enumerate(hand_written):
        manager = _manager(account)
        if manager is None:
            continue
        _account_opportunities(ctx, index, account, manager)
        reference = account.customer.reference
        if reference in WORKSHOPS:
            _workshop(ctx, account, manager)
        if reference in BUSINESS_UNITS:
            _white_space(account, offerings, manager)
    _convert_ideas(hand_written)
    _generated(ctx)
    ctx.say(
        f"Opportunities: {Opportunity.objects.count()} across the programme, "
        f"{len(offerings)} offerings in the catalogue."
    )
