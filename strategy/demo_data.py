"""Demo data for Stage 1: the programme and its roadmap, the selection criteria, candidate
customers and their scores, and the key accounts selected from them. The people come from
accounts.demo_data, which seed_demo runs first (INSTALLED_APPS order)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.countries import country_code
from accounts.event_text import EventText, term
from accounts.models import (
    AccountEvent,
    Classification,
    Customer,
    KeyAccount,
    Membership,
    Programme,
    RelationshipStage,
    Role,
    User,
)
from accounts.services import event_fields
from common.dates import at_hour

from .models import Axis, CriterionScore, RoadmapItem, SelectionCriterion
from .services import customers_rescore_all

CRITERIA = [
    # axis, name, weight, 1, 3, 5
    (
        Axis.ATTRACTIVENESS,
        "Potential spend on what we sell",
        3,
        "Under 0.5 M a year",
        "0.5–2 M a year",
        "Over 2 M a year",
    ),
    (
        Axis.ATTRACTIVENESS,
        "Growth potential",
        2,
        "Shrinking market",
        "Growing with the market",
        "Growing much faster than the market",
    ),
    (
        Axis.ATTRACTIVENESS,
        "Profitability for us",
        2,
        "Margin below our average",
        "Average margin",
        "Margin well above average",
    ),
    (
        Axis.ATTRACTIVENESS,
        "Strategic fit and shared values",
        1,
        "Little in common",
        "Some overlap in strategy",
        "Shared direction and culture",
    ),
    (
        Axis.STRENGTH,
        "Share of wallet",
        2,
        "Under 10 %",
        "10–40 %",
        "Over 40 %",
    ),
    (
        Axis.STRENGTH,
        "Relationship depth",
        2,
        "One buyer contact",
        "Several functions know us",
        "Board-level and multi-function",
    ),
    (
        Axis.STRENGTH,
        "How they rate us against competitors",
        1,
        "Below competitors",
        "On a par",
        "Preferred supplier",
    ),
]

# reference, name, sector, country, revenue k, potential k, scores (4 attractiveness, 3 strength)
CUSTOMERS = [
    (
        "C-1001",
        "Northwind Foods",
        "Food manufacturing",
        "Germany",
        4200,
        9000,
        (5, 4, 4, 4),
        (4, 5, 4),
    ),
    (
        "C-1002",
        "Helios Retail Group",
        "Grocery retail",
        "France",
        6100,
        12000,
        (5, 3, 3, 4),
        (4, 4, 5),
    ),
    (
        "C-1003",
        "Baltic Marine Supply",
        "Marine services",
        "Denmark",
        2300,
        7000,
        (4, 5, 4, 3),
        (4, 3, 4),
    ),
    ("C-1004", "Alpenmilch AG", "Dairy", "Austria", 1900, 2500, (2, 2, 3, 4), (5, 4, 5)),
    ("C-1005", "Iberia Packaging", "Packaging", "Spain", 2600, 3000, (3, 2, 2, 3), (4, 5, 4)),
    ("C-1006", "Rheinland Chemie", "Chemicals", "Germany", 1500, 2000, (2, 3, 2, 2), (5, 4, 4)),
    (
        "C-1007",
        "Nordic Pharma Logistics",
        "Pharmaceuticals",
        "Sweden",
        600,
        8000,
        (5, 5, 4, 4),
        (2, 2, 3),
    ),
    (
        "C-1008",
        "Sunvale Beverages",
        "Beverages",
        "United Kingdom",
        800,
        6500,
        (5, 4, 3, 5),
        (2, 1, 3),
    ),
    ("C-1009", "Castello Hotels", "Hospitality", "Italy", 400, 5200, (4, 4, 4, 3), (1, 2, 2)),
    ("C-1010", "Vistula Hardware", "DIY retail", "Poland", 900, 1100, (2, 1, 2, 2), (2, 2, 3)),
    (
        "C-1011",
        "Atlas Office Supplies",
        "Wholesale",
        "Netherlands",
        700,
        900,
        (1, 2, 2, 1),
        (3, 2, 2),
    ),
    ("C-1012", "Lumen Electronics", "Electronics", "Belgium", 1100, 1400, (2, 2, 1, 2), (2, 3, 2)),
    (
        "C-1013",
        "Meridian Airlines Catering",
        "Aviation",
        "Ireland",
        300,
        4000,
        (4, 3, 3, 3),
        (1, 1, 2),
    ),
    ("C-1014", "Gaia Organic Farms", "Agriculture", "Portugal", 250, 600, (2, 4, 3, 5), (2, 2, 3)),
    (
        "C-1015",
        "Polar Frozen Foods",
        "Food manufacturing",
        "Finland",
        1300,
        2400,
        (3, 3, 3, 3),
        (3, 3, 3),
    ),
    (
        "C-1016",
        "Danube Builders Merchants",
        "Construction",
        "Hungary",
        500,
        700,
        (1, 1, 2, 2),
        (1, 2, 1),
    ),
    ("C-1017", "Corvid Bakeries", "Bakery", "United Kingdom", 350, 900, None, None),
    ("C-1018", "Tessaro Fashion", "Apparel retail", "Italy", 150, 1200, None, None),
]

# reference, classification, relationship stage, director, manager, rationale
SELECTED = [
    (
        "C-1001",
        Classification.STRATEGIC,
        RelationshipStage.INTERDEPENDENT,
        "director",
        "manager",
        "Largest food customer; co-developing a clean-label range with us.",
    ),
    (
        "C-1002",
        Classification.STRATEGIC,
        RelationshipStage.COOPERATIVE,
        "director",
        "manager",
        "Pan-European retailer consolidating suppliers; the private-label tender doubles volume.",
    ),
    (
        "C-1003",
        Classification.STRATEGIC,
        RelationshipStage.COOPERATIVE,
        "director2",
        "manager2",
        "Fast-growing marine services group entering our core market.",
    ),
    (
        "C-1004",
        Classification.STATUS,
        RelationshipStage.INTERDEPENDENT,
        "director",
        "manager",
        "Long-standing, loyal and profitable; protect, do not over-invest.",
    ),
    (
        "C-1005",
        Classification.STATUS,
        RelationshipStage.COOPERATIVE,
        "director2",
        "manager2",
        "High share of wallet in a flat market; keep service sharp.",
    ),
    (
        "C-1006",
        Classification.STATUS,
        RelationshipStage.BASIC,
        "director2",
        "manager2",
        "Steady volume; relationship thin beyond procurement.",
    ),
    (
        "C-1007",
        Classification.STAR,
        RelationshipStage.EXPLORATORY,
        "director",
        "manager",
        "Small today, large potential: new cold-chain programme needs a partner.",
    ),
    (
        "C-1008",
        Classification.STAR,
        RelationshipStage.BASIC,
        "director",
        "manager2",
        "Attractive beverages group where we are still a second supplier.",
    ),
    (
        "C-1009",
        Classification.STAR,
        RelationshipStage.EXPLORATORY,
        "director2",
        "manager2",
        "Hotel chain expanding; decision makers not yet met.",
    ),
    (
        "C-1010",
        Classification.STREAMLINE,
        RelationshipStage.BASIC,
        "director2",
        "manager2",
        "Price-driven; serve with the standard offer at low cost.",
    ),
    (
        "C-1011",
        Classification.STREAMLINE,
        RelationshipStage.BASIC,
        "director",
        "manager",
        "Transactional buyer; kept in the programme for one more year to test interest.",
    ),
    (
        "C-1012",
        Classification.STREAMLINE,
        RelationshipStage.BASIC,
        "director2",
        "manager2",
        "Buys on price; candidate for de-selection at the next review.",
    ),
]


def _programme(ctx) -> Programme:
    programme = Programme.ensure()
    if not programme.rationale:
        programme.name = "Northstar key account programme"
        programme.trigger = "growth"
        programme.rationale = (
            "Twelve customers bring two thirds of our profit, and three competitors now court "
            "them with dedicated teams. We serve our most important customers as partners, "
            "not as order books."
        )
        programme.business_strategy = (
            "Grow profitable revenue 8 % a year by moving from product supplier to solutions "
            "partner in food, retail and marine services."
        )
        programme.objectives = (
            "Lift net profit from key accounts by 15 % in two years.\n"
            "Move three strategic accounts to the interdependent stage.\n"
            "Every key account has an approved two-page plan reviewed each quarter."
        )
        programme.starts_on = ctx.today.replace(month=1, day=1)
        programme.ends_on = programme.starts_on.replace(year=programme.starts_on.year + 2)
        programme.annual_review_on = ctx.today + timedelta(days=45)
        programme.save()
    roadmap = [
        ("workshop", "Selection workshop with the sales leadership", -120, "progadmin"),
        ("training", "KAM skills training for managers", -60, "progadmin"),
        ("workshop", "Joint value workshop pilot with Northwind Foods", -20, "director"),
        ("steering", "Steering committee: first plan approvals", 20, "executive"),
        ("sales_activity", "Quarterly plan reviews", 40, "director2"),
        ("steering", "Annual programme review: criteria, weights and selection", 45, "executive"),
        ("training", "Value proposition writing clinic", 75, "progadmin"),
    ]
    for kind, title, offset, owner in roadmap:
        RoadmapItem.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={
                "kind": kind,
                "due_on": ctx.today + timedelta(days=offset),
                "owner": ctx.users[owner],
                "done": offset < 0,
            },
        )
    return programme


def _criteria(programme) -> dict:
    criteria = {}
    for position, (axis, name, weight, s1, s3, s5) in enumerate(CRITERIA):
        criterion, _ = SelectionCriterion.objects.get_or_create(
            programme=programme,
            name=name,
            defaults={
                "axis": axis,
                "weight": weight,
                "scale_1": s1,
                "scale_3": s3,
                "scale_5": s5,
                "position": position,
            },
        )
        criteria[name] = criterion
    return criteria


FIRST_SCORED_DAYS_AGO = 540


def _customers(ctx, criteria):
    """The hand-written candidates, their scores, and a long tail of smaller candidates: a
    real programme picks a few key accounts out of many customers ("less is more")."""
    attractiveness = [c for c in criteria.values() if c.axis == Axis.ATTRACTIVENESS]
    strength = [c for c in criteria.values() if c.axis == Axis.STRENGTH]
    ordered = attractiveness + strength
    customers = {}
    started = timezone.now()
    for ref, name, sector, country, revenue, potential, a_scores, s_scores in [
        *CUSTOMERS,
        *_tail(ctx),
    ]:
        customer, _ = Customer.objects.get_or_create(
            reference=ref,
            defaults={
                "name": name,
                "sector": sector,
                "country": country_code(country),
                "annual_revenue": Decimal(revenue) * 1000,
                "potential_spend": Decimal(potential) * 1000,
            },
        )
        if a_scores and s_scores:
            for criterion, score in zip(ordered, a_scores + s_scores, strict=True):
                if score is None:  # not scored yet: the customer shows as incomplete
                    continue
                CriterionScore.objects.get_or_create(
                    customer=customer,
                    criterion=criterion,
                    defaults={"score": score, "scored_by": ctx.users["director"]},
                )
        customers[ref] = customer
    # The same rule the app uses (strategy.services), so demo classes and pages agree.
    customers_rescore_all(programme=next(iter(criteria.values())).programme)
    # Entered and scored when the programme chose its key accounts, before the first was
    # selected (520 days ago, in _history), not today: else each customer's page listed its
    # class as changed from "Not classified" today, for an account selected over a year ago.
    Customer.history.filter(
        id__in=[c.pk for c in customers.values()], history_date__gte=started
    ).update(history_date=at_hour(ctx.today - timedelta(days=FIRST_SCORED_DAYS_AGO)))
    for customer in customers.values():
        customer.refresh_from_db(
            fields=["attractiveness_score", "strength_score", "classification"]
        )
    return customers


TAIL_NAMES = [
    ("Aurora Dairy Cooperative", "Dairy", "Netherlands"),
    ("Brightwater Logistics", "Logistics", "United Kingdom"),
    ("Cedar Hill Bakeries", "Bakery", "Ireland"),
    ("Delta Fresh Produce", "Wholesale", "Spain"),
    ("Elbe Kunststoffe", "Plastics", "Germany"),
    ("Fjordkyst Seafood", "Seafood", "Norway"),
    ("Granit Baustoffe", "Construction", "Austria"),
    ("Harbourside Hotels", "Hospitality", "United Kingdom"),
    ("Isar Pharma Vertrieb", "Pharmaceuticals", "Germany"),
    ("Juniper Craft Distillers", "Beverages", "Scotland"),
    ("Kestrel Petfood", "Pet food", "France"),
    ("Lagune Cosmetics", "Cosmetics", "France"),
    ("Moravia Glassworks", "Glass", "Czechia"),
    ("Nordlys Grocery", "Grocery retail", "Norway"),
    ("Oakridge Catering", "Food service", "United Kingdom"),
    ("Piemonte Pasta", "Food manufacturing", "Italy"),
    ("Quayside Chandlers", "Marine services", "Netherlands"),
    ("Rosales Conservas", "Food manufacturing", "Spain"),
    ("Saxon Print & Pack", "Packaging", "Germany"),
    ("Tatra Mountain Water", "Beverages", "Slovakia"),
    ("Umbria Olive Oils", "Agriculture", "Italy"),
    ("Valby Kantine Service", "Food service", "Denmark"),
    ("Westfjord Aquaculture", "Seafood", "Iceland"),
    ("Yser Frozen Vegetables", "Food manufacturing", "Belgium"),
    ("Zephyr Airline Supplies", "Aviation", "Ireland"),
    ("Alba Confectionery", "Confectionery", "Romania"),
    ("Bergamo Cheese Makers", "Dairy", "Italy"),
    ("Carpathian Timber", "Construction", "Romania"),
    ("Douro Wine Estates", "Beverages", "Portugal"),
    ("Eifel Landmetzgerei", "Meat processing", "Germany"),
    ("Flanders Horticulture", "Agriculture", "Belgium"),
    ("Garonne Cash & Carry", "Wholesale", "France"),
    ("Hanse Ship Management", "Marine services", "Germany"),
    ("Inn Valley Hotels", "Hospitality", "Austria"),
    ("Jutland Feed Mills", "Agriculture", "Denmark"),
    ("Karelia Forest Products", "Paper", "Finland"),
    ("Loire Valley Creameries", "Dairy", "France"),
    ("Mazovia Meat Works", "Meat processing", "Poland"),
    ("Navarra Canned Foods", "Food manufacturing", "Spain"),
    ("Oder Chemical Trading", "Chemicals", "Poland"),
    ("Provence Herbes", "Food manufacturing", "France"),
    ("Riga Port Services", "Logistics", "Latvia"),
    ("Solent Marine Stores", "Marine services", "United Kingdom"),
    ("Tyrol Sports Retail", "Sports retail", "Austria"),
    ("Uppsala Lab Supplies", "Laboratory", "Sweden"),
    ("Vltava Brewing Group", "Beverages", "Czechia"),
    ("Wessex Farm Shops", "Grocery retail", "United Kingdom"),
    ("Zeeland Mussel Company", "Seafood", "Netherlands"),
]


def _tail(ctx) -> list:
    """Smaller candidates C-1019 onwards, mostly low on both axes; every seventh only partly
    scored. Values come from a private generator so they are the same on every run."""
    import random

    rng = random.Random(1019)  # noqa: S311 - demo data, not security
    rows = []
    for i, (name, sector, country) in enumerate(TAIL_NAMES):
        revenue = rng.choice([60, 90, 120, 180, 240, 300, 420, 550])
        potential = revenue + rng.choice([50, 150, 300, 600, 1200])
        a_scores = tuple(rng.choice([1, 1, 2, 2, 3, 3, 4]) for _ in range(4))
        s_scores = tuple(rng.choice([1, 2, 2, 3, 3, 4]) for _ in range(3))
        if i % 7 == 3:
            a_scores = (a_scores[0], None, a_scores[2], None)
        if i % 11 == 5:
            a_scores, s_scores = None, None  # not scored at all yet
        rows.append(
            (f"C-{1019 + i}", name, sector, country, revenue, potential, a_scores, s_scores)
        )
    return rows


# The class an account was first selected on, where a later review changed it: the timeline
# starts with the selection on this class, then says when and why it changed (Baltic Marine
# below, the other two in portfolio.demo_data.CLASS_CHANGES, which reads its "before" here).
FIRST_CLASS = {
    "C-1003": Classification.STAR,
    "C-1004": Classification.STRATEGIC,
    "C-1008": Classification.STREAMLINE,
}


def _select(ctx, customers):
    coordinated = {"C-1001", "C-1002", "C-1004", "C-1007", "C-1011", "C-1003"}
    for i, (ref, classification, stage, director, manager, rationale) in enumerate(SELECTED):
        selected_on = ctx.today - timedelta(days=400 - i * 7)
        account, created = KeyAccount.objects.get_or_create(
            customer=customers[ref],
            defaults={
                "classification": classification,
                "relationship_stage": stage,
                "service_level": stage,
                "selection_rationale": rationale,
                "selected_on": selected_on,
                "selected_by": ctx.users[director],
            },
        )
        Membership.objects.get_or_create(
            user=ctx.users[director], key_account=account, defaults={"role": Role.DIRECTOR}
        )
        Membership.objects.get_or_create(
            user=ctx.users[manager],
            key_account=account,
            defaults={"role": Role.MANAGER, "time_share_percent": 15},
        )
        if ref in coordinated:
            Membership.objects.get_or_create(
                user=ctx.users["coordinator"],
                key_account=account,
                defaults={"role": Role.COORDINATOR, "time_share_percent": 10},
            )
        if ref in {"C-1001", "C-1004", "C-1007"}:
            Membership.objects.get_or_create(
                user=ctx.users["teammember"],
                key_account=account,
                defaults={"role": Role.TEAM_MEMBER, "function": "Supply chain"},
            )
        if ref in {"C-1001", "C-1002"}:
            Membership.objects.get_or_create(
                user=ctx.users["financeanalyst"],
                key_account=account,
                defaults={"role": Role.TEAM_MEMBER, "function": "Finance"},
            )
        if created:
            AccountEvent.objects.create(
                key_account=account,
                kind=AccountEvent.Kind.SELECTED,
                **event_fields(
                    EventText(
                        gettext_noop("Selected as key account (%(class)s)"),
                        **{"class": term(FIRST_CLASS.get(ref, classification).label)},
                    ),
                    rationale,
                ),
                new_value=FIRST_CLASS.get(ref, classification),
                actor=ctx.users[director],
                occurred_at=at_hour(selected_on),
            )
        ctx.accounts.append(account)


def _history(ctx, customers):
    """A de-selected former key account and a re-classification, so the selection history
    and the timeline show how periodic reviews change the portfolio."""
    selected_on = ctx.today - timedelta(days=520)
    deselected_on = ctx.today - timedelta(days=70)
    reason = (
        "Buys on price alone and turned down the service package twice; "
        "serve through the standard offer instead."
    )
    account, created = KeyAccount.objects.get_or_create(
        customer=customers["C-1016"],
        defaults={
            "classification": Classification.STREAMLINE,
            "relationship_stage": RelationshipStage.BASIC,
            "selection_rationale": "Regional builders merchant expected to grow after a merger.",
            "selected_on": selected_on,
            "selected_by": ctx.users["director2"],
            "status": KeyAccount.Status.DESELECTED,
            "deselected_on": deselected_on,
            "deselection_reason": reason,
        },
    )
    Membership.objects.get_or_create(
        user=ctx.users["director2"], key_account=account, defaults={"role": Role.DIRECTOR}
    )
    Membership.objects.get_or_create(
        user=ctx.users["manager2"], key_account=account, defaults={"role": Role.MANAGER}
    )
    if created:
        AccountEvent.objects.bulk_create(
            [
                AccountEvent(
                    key_account=account,
                    kind=AccountEvent.Kind.SELECTED,
                    **event_fields(
                        EventText(
                            gettext_noop("Selected as key account (%(class)s)"),
                            **{"class": term(Classification.STREAMLINE.label)},
                        ),
                        account.selection_rationale,
                    ),
                    new_value=Classification.STREAMLINE,
                    actor=ctx.users["director2"],
                    occurred_at=at_hour(selected_on),
                ),
                AccountEvent(
                    key_account=account,
                    kind=AccountEvent.Kind.DESELECTED,
                    **event_fields(EventText(gettext_noop("De-selected as key account")), reason),
                    old_value=KeyAccount.Status.ACTIVE,
                    new_value=KeyAccount.Status.DESELECTED,
                    actor=ctx.users["director2"],
                    occurred_at=at_hour(deselected_on),
                ),
            ]
        )
    baltic = KeyAccount.objects.get(customer=customers["C-1003"])
    AccountEvent.objects.get_or_create(
        key_account=baltic,
        kind=AccountEvent.Kind.CLASS_CHANGED,
        defaults={
            **event_fields(
                EventText(
                    gettext_noop("Classification changed from %(old)s to %(new)s"),
                    old=term(FIRST_CLASS["C-1003"].label),
                    new=term(Classification.STRATEGIC.label),
                ),
                "Share of wallet passed 40 % after the fleet contract; board-level contact "
                "established. Scores now place it in Strategic.",
            ),
            "old_value": FIRST_CLASS["C-1003"],
            "new_value": Classification.STRATEGIC,
            "actor": ctx.users["director2"],
            "occurred_at": at_hour(ctx.today - timedelta(days=150)),
        },
    )


def _scaled(ctx, criteria):
    """Extra generated accounts for --scale N (N-1 blocks of 20), inserted in bulk."""
    if ctx.scale <= 1:
        return
    classes = list(Classification.values)
    stages = list(RelationshipStage.values)
    blocks = ctx.scale - 1
    refs = [f"GEN-{b:04d}-{i:02d}" for b in range(blocks) for i in range(20)]
    existing = set(Customer.objects.filter(reference__in=refs).values_list("reference", flat=True))
    rng = ctx.rng
    new_customers = [
        Customer(
            reference=ref,
            name=f"Generated customer {ref[4:]}",
            sector=rng.choice(["Food manufacturing", "Retail", "Chemicals", "Logistics"]),
            country=rng.choice(["DE", "FR", "ES", "IT", "PL"]),
            annual_revenue=Decimal(rng.randint(200, 5000) * 1000),
            potential_spend=Decimal(rng.randint(500, 9000) * 1000),
        )
        for ref in refs
        if ref not in existing
    ]
    Customer.objects.bulk_create(new_customers, batch_size=1000)
    # Score the new ones on every criterion and classify them with the app's own rule.
    new_refs = [c.reference for c in new_customers]
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(customer_id=pk, criterion=criterion, score=rng.randint(1, 5))
            for pk in Customer.objects.filter(reference__in=new_refs).values_list("pk", flat=True)
            for criterion in criteria.values()
        ],
        batch_size=2000,
    )
    if new_refs:
        customers_rescore_all(programme=next(iter(criteria.values())).programme)
    # Two generated people per block: one director, one manager.
    usernames = [f"gen{b:04d}{kind}" for b in range(blocks) for kind in ("dir", "mgr")]
    known = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    template = User(username="x")
    template.set_password(ctx.password)
    User.objects.bulk_create(
        [
            User(username=u, first_name=u[:7].title(), last_name=u[7:], password=template.password)
            for u in usernames
            if u not in known
        ],
        batch_size=1000,
    )
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    customers = Customer.objects.filter(reference__in=refs, key_account__isnull=True)
    new_accounts = [
        KeyAccount(
            customer=c,
            classification=c.classification or rng.choice(classes),
            relationship_stage=rng.choice(stages),
            selection_rationale="Generated for scale tests.",
            selected_on=ctx.today - timedelta(days=rng.randint(30, 900)),
        )
        for c in customers
    ]
    KeyAccount.objects.bulk_create(new_accounts, batch_size=1000)
    accounts = list(
        KeyAccount.objects.filter(customer__reference__in=refs)
        .select_related("customer")
        .order_by("customer__reference")
    )
    have = set(
        Membership.objects.filter(key_account__in=accounts).values_list("key_account_id", flat=True)
    )
    memberships = []
    for account in accounts:
        if account.pk in have:
            continue
        block = int(account.customer.reference[4:8])
        memberships.append(
            Membership(user=users[f"gen{block:04d}dir"], key_account=account, role=Role.DIRECTOR)
        )
        memberships.append(
            Membership(user=users[f"gen{block:04d}mgr"], key_account=account, role=Role.MANAGER)
        )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    ctx.accounts.extend(accounts)
    ctx.say(f"Scale {ctx.scale}: {len(accounts)} generated key accounts.")


def seed(ctx) -> None:
    programme = _programme(ctx)
    criteria = _criteria(programme)
    customers = _customers(ctx, criteria)
    _select(ctx, customers)
    _history(ctx, customers)
    _scaled(ctx, criteria)
