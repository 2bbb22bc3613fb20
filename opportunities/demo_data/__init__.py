# ruff: noqa: E501 -- data tables read best one row per line.
"""Demo data for Stage 3: offerings, white space, opportunities with decisions, workshops.

Every hand-written account has its own opportunities (ACCOUNT_OPPORTUNITIES), written to fit
its sector and the story told in Discovery (the stakeholders named here are that account's).
Together they cover every lever, status and matrix quadrant.

Idempotent: every row is found by a stable key (account + title, name) before anything is
created, and decisions and timeline entries are only written when their opportunity is first
created. Generated accounts (--scale) are seeded in bulk by .generated.
"""

from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from accounts.models import KeyAccount, Membership, Programme, Role, User
from accounts.services import events_dated
from common.dates import at_hour
from discovery.models import OpportunityIdea, Stakeholder

from .. import services
from ..models import BusinessUnit, Offering, Opportunity, WhiteSpaceCell, Workshop
from .generated import seed_generated

L = Opportunity.Lever
B = Opportunity.Beneficiary
S = Opportunity.Status
D = Opportunity.Decision

# The catalogue: what we sell (rows of the white-space grid, offerings on quote lines).
OFFERINGS = [
    ("Clean-label ingredient systems", "Emulsifier-free and E-number-free ingredient blends."),
    ("Cold-chain logistics", "Temperature-controlled storage and distribution, 2–8 °C and frozen."),
    ("Vendor-managed inventory", "We plan and replenish the customer's stock of our products."),
    ("Private-label co-packing", "Filling and packing under the customer's own brand."),
    (
        "Sustainable packaging",
        "Recyclable mono-material trays, paper multipacks, refill systems and returnable transit packaging.",
    ),
    ("Demand-planning analytics", "Shared forecasts and a weekly demand-sensing dashboard."),
    (
        "Technical application support",
        "Food and packaging technologists on site for trials, validation and scale-up.",
    ),
    (
        "Barrier coatings and industrial packaging",
        "Water-based barrier coatings for paper and board; UN-approved drums, IBCs and shipping cartons.",
    ),
]


class Opp(NamedTuple):
    title: str
    lever: str
    beneficiary: str
    annual_value: int
    profit: int
    scores: tuple[int, int, int, int]  # strategic value for us, for the customer, effort, risk
    status: str  # where it stands today
    decision: str = ""
    reason: str = ""
    stakeholders: tuple[str, ...] = ()  # names from the account's Discovery stakeholders
    description: str = ""


# fmt: off
ACCOUNT_OPPORTUNITIES = {
    "C-1001": [  # Northwind Foods: clean-label co-development, Erfurt plant, PPWR
        Opp("Clean-label ingredient system for the deli salad range", L.NEW_PRODUCT, B.BOTH, 900_000, 180_000, (5, 5, 4, 3), S.PURSUING, D.PURSUE,
            "Co-development budget signed off by Katrin Vogel and our R&D; it anchors us as development partner for the 2028 range.",
            ("Katrin Vogel", "Miriam Scholz"), "Replace preservatives in 24 deli salads with our clean-label systems before Northwind's 2028 launch; joint shelf-life trials in Erfurt."),
        Opp("Vendor-managed tray inventory at the Erfurt plant", L.COST_TO_SERVE, B.BOTH, 150_000, 60_000, (3, 4, 2, 1), S.PURSUING, D.PURSUE,
            "Florian Wagner's planners can start next month on the existing EDI feed; it removes our rush deliveries.",
            ("Florian Wagner", "Jens Albrecht"), "We plan and replenish their tray stock for the 40 fastest SKUs; fewer line stops at tray changes."),
        Opp("Recyclable mono-material trays for the branded range", L.CROSS_SELL, B.BOTH, 400_000, 90_000, (4, 4, 2, 2), S.QUALIFIED, D.HOLD,
            "Sabine Koch wants recyclability data per SKU before any switch; revisit when their PPWR audit plan is set in March.",
            ("Sabine Koch",), "Move 'Nordwind Küche' from PET trays (bought from Schütz) to our recyclable mono-material trays."),
        Opp("Chilled distribution lane Erfurt–Vienna", L.CROSS_SELL, B.BOTH, 300_000, 45_000, (3, 4, 3, 3), S.IDEA, "", "",
            ("Katrin Vogel",), "Take over the chilled lane into Austria that Polarkette runs today; part-loads are late twice a month."),
        Opp("Shared demand-sensing dashboard for ready meals", L.OTHER, B.BOTH, 120_000, 45_000, (4, 5, 3, 3), S.IDEA, "", "",
            ("Jens Albrecht",), "Weekly shared forecast of ready-meal promotions so both sides cut safety stock."),
        Opp("Payment in 30 days against a 1 % rebate", L.CREDIT_TERMS, B.SELLER, 0, 20_000, (2, 1, 2, 4), S.DROPPED, D.DROP,
            "Jens Albrecht will not reopen terms mid-contract; the cash gain does not justify the friction with our best account.",
            ("Jens Albrecht",), "Offer a 1 % rebate for payment in 30 instead of 75 days."),
        Opp("Exclusive seasoning supply for the new snack line", L.VOLUME, B.BOTH, 1_200_000, 260_000, (4, 3, 3, 4), S.LOST, D.PURSUE,
            "Strategic entry into snacks; worth a full proposal even against the incumbent.",
            ("Katrin Vogel",), "Become sole supplier of clean-label seasonings for the snack line Northwind launches next year."),
    ],
    "C-1002": [  # Helios Retail Group: private-label tender, supplier consolidation, CSR
        Opp("Private-label fresh tender: a dedicated second co-packing line", L.VOLUME, B.BOTH, 3_100_000, 520_000, (4, 3, 5, 4), S.PURSUING, D.PURSUE,
            "Largest growth lever in the portfolio; our board accepts the capex risk if we win lots 3 and 4.",
            ("Thomas Girard", "Camille Lefèvre"), "Win lots 3 and 4 of the private-label fresh tender by dedicating a second co-packing line; doubles our volume with Helios."),
        Opp("Supply the Spanish stores from our Zaragoza plant", L.COST_TO_SERVE, B.BOTH, 250_000, 70_000, (3, 3, 2, 2), S.QUALIFIED, "", "",
            ("Lucía Romero",), "Serve the 310 Spanish stores from Zaragoza instead of Lyon: two days shorter lead time, lower transport cost."),
        Opp("Per-product CO2 data for the Helios CSR report", L.OTHER, B.CUSTOMER, 60_000, 15_000, (3, 4, 1, 2), S.WON, D.PURSUE,
            "Cheap for us, and Hugo Bernard's team now quotes our data in their sustainability report.",
            ("Hugo Bernard",), "Certified CO2 footprint per private-label SKU, delivered quarterly in their reporting format."),
        Opp("Trade fresh-meat trays up to coated recycled fibre", L.TRADE_UP, B.BOTH, 700_000, 150_000, (4, 4, 3, 3), S.QUALIFIED, D.HOLD,
            "Antoine Dubois wants migration tests on all 40 SKUs first; decide after the tender award.",
            ("Antoine Dubois", "Camille Lefèvre"), "Replace PET meat trays with recycled-fibre trays and our barrier coating; higher price, plastic-free claim."),
        Opp("Category management for private-label fresh packaging", L.OTHER, B.BOTH, 400_000, 100_000, (5, 2, 4, 4), S.DROPPED, D.DROP,
            "Thomas Girard said plainly they do not want category management from suppliers yet; revisit after the consolidation.",
            ("Thomas Girard",), "Run the packaging category for fresh private label on Helios' behalf."),
        Opp("Display-ready trays for the summer barbecue campaign", L.VOLUME, B.SELLER, 180_000, 30_000, (2, 2, 1, 2), S.LOST, D.PURSUE,
            "Small, but a foot in the door of the Spanish stores before the tender.",
            ("Lucía Romero",), "Shelf-ready trays for the Spanish summer promotion."),
    ],
    "C-1003": [  # Baltic Marine Supply: ship chandler, 14 ports, acquisitions, high debt
        Opp("Cold-chain provisioning to all 14 ports", L.VOLUME, B.BOTH, 1_600_000, 300_000, (5, 4, 4, 3), S.PURSUING, D.PURSUE,
            "Fits their one-stop strategy and our logistics network; Mads Kristensen wants a proposal for his board in the third quarter.",
            ("Mads Kristensen", "Sofie Lund"), "Chilled and frozen provisions delivered to every port warehouse within 24 hours of a call notice."),
        Opp("One catalogue for all ports with EDI ordering", L.COST_TO_SERVE, B.BOTH, 120_000, 40_000, (3, 5, 2, 2), S.PURSUING, D.PURSUE,
            "Sofie Lund needs it for the ERP integration anyway; low effort on our side.",
            ("Sofie Lund", "Ingrid Berg"), "One price list and item master across Denmark, Norway and Germany, ordered through their new ERP."),
        Opp("Credit terms matched to their charter payment cycle", L.CREDIT_TERMS, B.CUSTOMER, 0, 30_000, (2, 4, 2, 3), S.QUALIFIED, D.HOLD,
            "Our credit insurer caps the exposure while their net debt is above 3× EBITDA; revisit after the Bergen refinancing.",
            ("Peter Nielsen",), "60-day terms on provisioning invoices, in line with when ship owners pay them."),
        Opp("Returnable insulated crates for vessel deliveries", L.COST_TO_SERVE, B.BOTH, 90_000, 35_000, (3, 3, 2, 2), S.IDEA, "", "",
            ("Lars Holm",), "Replace one-way cartons on barge deliveries with returnable insulated crates."),
        Opp("Frozen provisions for cruise calls in Copenhagen", L.VOLUME, B.SELLER, 500_000, 80_000, (3, 3, 4, 4), S.IDEA, "", "",
            ("Lars Holm",), "Peak-season frozen provisioning for the 60 cruise calls a summer; needs a bonded store."),
    ],
    "C-1004": [  # Alpenmilch AG: cooperative dairy, hay-milk premium, Christmas cheese peak
        Opp("Trade yoghurt cups up to paper-wrapped premium cups", L.TRADE_UP, B.SELLER, 600_000, 140_000, (3, 2, 2, 2), S.WON, D.PURSUE,
            "Lisa Pichler wants the hay-milk story on shelf in Italy; shelf tests convinced quality, good margin for little effort.",
            ("Lisa Pichler", "Anna Gruber"), "Move the organic yoghurt range to paper-wrapped cups that carry the hay-milk story."),
        Opp("Reserved packaging capacity for the Christmas cheese peak", L.VOLUME, B.BOTH, 250_000, 50_000, (3, 4, 2, 1), S.PURSUING, D.PURSUE,
            "Protects the most profitable weeks of their year and ours; it only needs a capacity booking.",
            ("Anna Gruber", "Martin Egger"), "Book line capacity and safety stock for November–December cheese wraps."),
        Opp("Small-batch digital printing for regional cheeses", L.NEW_PRODUCT, B.BOTH, 150_000, 40_000, (3, 3, 3, 2), S.QUALIFIED, "", "",
            ("Martin Egger",), "Runs from 2,000 wraps so each valley cheese can have its own label."),
        Opp("EDI ordering instead of e-mailed orders", L.COST_TO_SERVE, B.BOTH, 25_000, 25_000, (3, 3, 2, 2), S.WON, D.PURSUE,
            "Cheap to do and removes order errors for both sides.",
            ("Anna Gruber",), "Move the last e-mail and fax orders to EDI."),
        Opp("Packaging warehouse on the Wörgl site", L.OTHER, B.CUSTOMER, 50_000, 15_000, (2, 2, 5, 4), S.DROPPED, D.DROP,
            "High fixed cost and little margin on an account we protect rather than invest in: drop without regret.",
            ("Johann Hofer",), "Run a consignment warehouse for all their packaging inside the dairy."),
    ],
    "C-1005": [  # Iberia Packaging: converter, we hold 55 % of its barrier coatings
        Opp("Water-based barrier coating for e-commerce mailers", L.NEW_PRODUCT, B.BOTH, 500_000, 110_000, (4, 4, 3, 2), S.PURSUING, D.PURSUE,
            "Defends our 55 % share against Coatex Ibérica's water-based grade; Diego Navarro runs the line trial in Valencia.",
            ("Diego Navarro", "Javier Morales"), "Our new water-based grade on their e-commerce mailers; plastic-free and recyclable with paper."),
        Opp("Two-year coating price corridor indexed to resin", L.OTHER, B.BOTH, 200_000, 30_000, (3, 4, 2, 2), S.QUALIFIED, "", "",
            ("Carmen Ruiz",), "Prices move only with the published acrylic resin index, within ±4 %, for two years."),
        Opp("Coating sampling lab at the Valencia plant", L.CROSS_SELL, B.CUSTOMER, 80_000, 30_000, (2, 4, 1, 2), S.QUALIFIED, "", "",
            ("Diego Navarro", "Elena Castro"), "A technologist two days a month in Valencia; samples on new paper grades in days, not weeks."),
        Opp("Consignment stock of coatings in Valencia", L.COST_TO_SERVE, B.BOTH, 60_000, 20_000, (2, 3, 2, 3), S.IDEA, "", "",
            ("Carmen Ruiz",), "We own the stock in their tank farm until it is drawn."),
    ],
    "C-1006": [  # Rheinland Chemie: procurement-led, restructuring, drums and IBCs
        Opp("Consignment stock of UN-approved drums and IBCs", L.COST_TO_SERVE, B.BOTH, 180_000, 45_000, (3, 4, 2, 2), S.PURSUING, D.PURSUE,
            "Their first ask in every procurement review; frees their working capital and locks in our volume.",
            ("Petra Lange", "Uwe Hartmann"), "We keep drums and IBCs in their warehouse and invoice on withdrawal, once a month."),
        Opp("Reconditioned IBC take-back loop", L.CROSS_SELL, B.BOTH, 220_000, 40_000, (3, 3, 3, 3), S.QUALIFIED, D.HOLD,
            "Birgit Krämer must approve reconditioned IBCs for hazardous goods first; ChemDrum is ahead of us here.",
            ("Birgit Krämer",), "Collect, clean and recertify their IBCs; cheaper than new ones for non-hazardous resins."),
        Opp("Payment in 30 days against a 1.5 % prompt-payment discount", L.CREDIT_TERMS, B.SELLER, 0, 25_000, (2, 2, 1, 2), S.LOST, D.PURSUE,
            "Cash matters to them during the restructuring; worth offering.",
            ("Petra Lange",), "Offer 1.5 % off for payment in 30 days instead of 60."),
        Opp("Drums for the new hot-melt adhesives line", L.VOLUME, B.SELLER, 400_000, 60_000, (3, 2, 2, 3), S.IDEA, "", "",
            ("Dr. Ralf Schneider",), "Steel drums with liners for the hot-melt line starting next year."),
    ],
    "C-1007": [  # Nordic Pharma Logistics: GDP cold chain, tender next spring
        Opp("Cold-chain tender: validated 2–8 °C passive shippers", L.VOLUME, B.BOTH, 6_500_000, 900_000, (5, 5, 4, 4), S.PURSUING, D.PURSUE,
            "The account's whole potential sits in this tender; worth the qualification cost even if we lose.",
            ("Annika Svensson", "Maja Eriksson"), "Validated 72-hour passive shippers for the two biologics lanes, about EUR 8 m a year of temperature-controlled packaging."),
        Opp("Data-logger feed into their WMS", L.NEW_PRODUCT, B.BOTH, 250_000, 70_000, (4, 5, 3, 3), S.QUALIFIED, "", "",
            ("Oskar Lindqvist",), "Our shipper loggers upload to their WMS so excursions are flagged before goods-in."),
        Opp("GDP reference visit at a Danish distributor we serve", L.OTHER, B.BOTH, 0, 0, (4, 4, 1, 1), S.PURSUING, D.PURSUE,
            "Oskar Lindqvist asked for a reference from another GDP distributor before the tender; a visit costs us two days.",
            ("Oskar Lindqvist", "Annika Svensson"), "Host their quality team at a customer who has run our shippers for three years."),
        Opp("Dock-side cool curtains in Malmö", L.CROSS_SELL, B.CUSTOMER, 40_000, 10_000, (2, 3, 1, 1), S.WON, D.PURSUE,
            "Nils Andersson's quick win; it gets us known in the warehouse before the tender.",
            ("Nils Andersson",), "Insulated curtains at four loading docks to stop excursions while trucks load."),
        Opp("Clinical-trial shipments in reusable cool boxes", L.CROSS_SELL, B.BOTH, 300_000, 60_000, (3, 3, 4, 4), S.DROPPED, D.DROP,
            "Clinical trials are a niche for them and Scandi Thermo's reusable boxes are entrenched; our effort belongs in the main tender.",
            ("Annika Svensson",), "Reusable boxes for their clinical-trials unit."),
    ],
    "C-1008": [  # Sunvale Beverages: second supplier behind Albion, low-sugar growth, DRS
        Opp("Shrink-free multipacks on all low-sugar lines", L.NEW_PRODUCT, B.BOTH, 1_100_000, 200_000, (4, 5, 3, 3), S.PURSUING, D.PURSUE,
            "Emily Clarke's range doubles and shrink film is their biggest sustainability complaint; our way past the incumbent.",
            ("Emily Clarke", "George Patel"), "Paper-based multipack clips instead of shrink film on the four low-sugar lines."),
        Opp("DRS-ready labels and cartons", L.CROSS_SELL, B.BOTH, 350_000, 70_000, (3, 4, 2, 2), S.QUALIFIED, "", "",
            ("Charlotte Evans",), "Labels and cartons carrying the deposit return scheme marks from day one."),
        Opp("Share of the core multipack volume from Albion", L.VOLUME, B.SELLER, 2_000_000, 280_000, (4, 2, 3, 4), S.QUALIFIED, D.HOLD,
            "Harry Wilson blocks any move before the Albion contract ends next April; prepare, do not push.",
            ("Harry Wilson", "Oliver Hughes"), "Take 40 % of the core multipack volume when the incumbent contract is renewed."),
        Opp("Packaging for the German launch", L.VOLUME, B.BOTH, 600_000, 90_000, (4, 4, 3, 4), S.IDEA, "", "",
            ("Oliver Hughes",), "German-language packs and German Pfand marks for the 2027 launch."),
        Opp("Trade summer promotion packs up to printed sleeves", L.TRADE_UP, B.SELLER, 150_000, 35_000, (2, 2, 2, 2), S.LOST, D.PURSUE,
            "A cheap way to show we react faster than Albion.",
            ("Charlotte Evans",), "Printed sleeves instead of stickers on the summer promotion packs."),
    ],
    "C-1009": [  # Castello Hotels: 38 hotels, 12 openings, plastic-free by 2027
        Opp("Refill dispensers and plastic-free amenities for 38 hotels", L.CROSS_SELL, B.BOTH, 900_000, 170_000, (4, 5, 3, 3), S.PURSUING, D.PURSUE,
            "Their 2027 plastic-free pledge needs a partner who can roll out to every hotel; EcoStay is too small.",
            ("Francesca Ricci", "Luca Conti"), "Wall-mounted refill dispensers and paper-wrapped amenities in all rooms."),
        Opp("Compostable packaging for breakfast and room service", L.NEW_PRODUCT, B.BOTH, 300_000, 60_000, (3, 4, 2, 2), S.QUALIFIED, "", "",
            ("Luca Conti",), "Compostable cups, boxes and cutlery for the central kitchen in Milan."),
        Opp("Opening kits for the 12 new hotels", L.VOLUME, B.SELLER, 500_000, 100_000, (4, 3, 2, 3), S.PURSUING, D.PURSUE,
            "One order per opening on fixed dates; the fastest way to become their central supplier.",
            ("Marco Bianchi",), "A complete first-fill kit of amenities and food-service packaging per hotel opening in Spain and Greece."),
        Opp("Island deliveries through our Naples cross-dock", L.COST_TO_SERVE, B.CUSTOMER, 80_000, 10_000, (2, 3, 4, 4), S.IDEA, "", "",
            ("Marco Bianchi",), "Weekly consolidated ferry deliveries to the hotels on Ischia, Capri and the Greek islands."),
    ],
    "C-1010": [  # Vistula Hardware: price-driven DIY chain, yearly tenders
        Opp("Standard shipping cartons, tender lot 2", L.VOLUME, B.SELLER, 400_000, 35_000, (2, 2, 2, 2), S.WON, D.PURSUE,
            "Standard range at a low cost to serve: exactly how we serve a streamline account.",
            ("Agnieszka Nowak",), "Five standard carton sizes for store replenishment, one-year contract."),
        Opp("Full-truck deliveries only to the Łódź DC", L.COST_TO_SERVE, B.SELLER, 20_000, 20_000, (2, 2, 1, 1), S.PURSUING, D.PURSUE,
            "Cuts our transport cost per pallet by a third, and Tomasz Wiśniewski prefers fewer deliveries anyway.",
            ("Tomasz Wiśniewski",), "One full truck a week instead of three part-loads."),
        Opp("Printed packaging for the own-brand tool range", L.CROSS_SELL, B.BOTH, 250_000, 25_000, (2, 3, 3, 3), S.DROPPED, D.DROP,
            "Printed runs at tender prices lose money; a streamline account gets the standard offer only.",
            ("Piotr Kowalski",), "Four-colour boxes for the 120 own-brand tools."),
        Opp("Payment terms of 90 days", L.CREDIT_TERMS, B.CUSTOMER, 0, 0, (1, 3, 1, 3), S.IDEA, "", "",
            ("Katarzyna Zielińska",), "Asked for in the tender feedback; would cost us 1.2 % of sales in financing."),
    ],
    "C-1011": [  # Atlas Office Supplies: transactional SME wholesaler
        Opp("EDI ordering for all standard boxes", L.COST_TO_SERVE, B.BOTH, 30_000, 25_000, (3, 3, 2, 1), S.WON, D.PURSUE,
            "Cheap to set up and removes manual order entry on both sides.",
            ("Sanne Jansen",), "Orders, confirmations and invoices by EDI."),
        Opp("Drop shipment of facility packaging to their SME customers", L.CROSS_SELL, B.BOTH, 200_000, 30_000, (2, 4, 3, 3), S.QUALIFIED, D.HOLD,
            "Needs a web-shop link we would build for one account; decide at the annual review whether Atlas stays in the programme.",
            ("Eva Bakker",), "We ship facility packaging straight to their customers under the Atlas label."),
        Opp("Packaging for their new hygiene range", L.VOLUME, B.SELLER, 150_000, 20_000, (2, 3, 2, 3), S.IDEA, "", "",
            ("Sanne Jansen",), "Shipper cartons for the hand-towel and soap range they add next year."),
        Opp("Annual volume commitment against a 2 % rebate", L.OTHER, B.SELLER, 100_000, 8_000, (2, 2, 1, 2), S.DROPPED, D.DROP,
            "Volumes too small to plan capacity on; the rebate would only give margin away.",
            ("Jeroen de Vries",), "A 12-month volume commitment in exchange for a year-end rebate."),
    ],
    "C-1012": [  # Lumen Electronics: loss-making, rush orders, candidate for de-selection
        Opp("Minimum order quantity and a rush-order surcharge", L.COST_TO_SERVE, B.SELLER, 0, 60_000, (3, 1, 1, 2), S.PURSUING, D.PURSUE,
            "Rush orders make this account loss-making; Lotte Maes accepts a minimum order if weekly prices hold.",
            ("Lotte Maes",), "Minimum 2 pallets per order; orders inside 48 hours carry a surcharge."),
        Opp("Standard retail boxes from stock instead of custom prints", L.OTHER, B.BOTH, 200_000, 40_000, (2, 3, 2, 2), S.QUALIFIED, "", "",
            ("Bart Claes",), "Twelve stock sizes with a printed sleeve replace 80 custom prints."),
        Opp("Payment terms cut from 90 to 45 days", L.CREDIT_TERMS, B.SELLER, 0, 35_000, (3, 1, 2, 4), S.QUALIFIED, D.HOLD,
            "Inge Willems will not move while the new bank financing settles; hold until the de-selection review.",
            ("Inge Willems",), "Halve the payment terms; the account ties up EUR 270,000 of our cash."),
        Opp("Shipper boxes for their direct-to-consumer web shop", L.VOLUME, B.BOTH, 300_000, 30_000, (2, 3, 3, 4), S.LOST, D.PURSUE,
            "Their one growth area; worth one proposal before we decide on de-selection.",
            ("Wouter Peeters",), "E-commerce shipper boxes for the web shop they launch this year."),
    ],
}

BUSINESS_UNITS = {  # columns of the white-space grid: unit → one state per offering, in OFFERINGS order
    # S we sell here, C a competitor sells here, N not relevant, . open (white space)
    "C-1001": {"Ready meals": "SCS.SSSN", "Deli salads": "S..CS.SN", "Dairy desserts": ".C.N..SN", "Central procurement": "NNS.CSNN"},
    "C-1002": {"Private label": "S.NSC.SN", "Fresh food": "NC..C.N.", "E-commerce fulfilment": "NSS.S.NN"},
    "C-1003": {"Ship chandlery": "NS..C.NN", "Offshore supply": "N...CNNS", "Port services": "NC.N..NN"},
    "C-1007": {"Cold-chain distribution": "NC..S..N", "Clinical trials logistics": "NCN.C.NN"},
}
STATE_CODES = {"S": WhiteSpaceCell.State.WE_SELL, "C": WhiteSpaceCell.State.COMPETITOR, "N": WhiteSpaceCell.State.NOT_RELEVANT}
# The one open cell per grid that became an opportunity: (unit, offering).
WHITE_SPACE_OPPORTUNITY = {
    "C-1001": ("Dairy desserts", "Clean-label ingredient systems"),
    "C-1002": ("Fresh food", "Demand-planning analytics"),
    "C-1003": ("Ship chandlery", "Demand-planning analytics"),
    "C-1007": ("Cold-chain distribution", "Technical application support"),
}

# title, held days ago, agenda, outcomes, stakeholders, the opportunity born there (title,
# description), the existing opportunity re-scored there (its customer value raised to 5).
WORKSHOPS = {
    "C-1001": ("Joint value workshop: clean label and supply", 12,
               "1. Northwind's two-year product roadmap\n2. Where cost sits between our plants and Erfurt\n3. Score ideas together\n4. Agree owners",
               "Agreed to co-develop the clean-label deli salads; VMI pilot on 40 tray SKUs; the planning teams specify a shared forecast dashboard.",
               ("Katrin Vogel", "Jens Albrecht", "Miriam Scholz"),
               ("Shared shelf-life testing lab", "Pool our shelf-life testing with Miriam Scholz's quality lab to halve trial lead times."),
               "Vendor-managed tray inventory at the Erfurt plant"),
    "C-1002": ("Private-label growth workshop", 18,
               "1. Helios private-label strategy 2027\n2. Tender timeline and capacity\n3. Packaging sustainability targets",
               "Helios shares the tender specification early; packaging targets confirmed in March; Camille Lefèvre hosts a range review twice a year.",
               ("Thomas Girard", "Camille Lefèvre", "Hugo Bernard"),
               ("Twice-yearly private-label range review", "Review the fresh private-label range with Camille Lefèvre twice a year to cut slow movers."),
               "Supply the Spanish stores from our Zaragoza plant"),
}

# Opportunities that start from an interview idea or a white-space cell are born unscored; the
# manager scores them afterwards: title → (lever, annual value, profit potential, scores).
# Two are left "Not scored yet" (off the matrix, counted beside it): the Esbjerg consignment
# idea from Baltic Marine's interview and Helios' white-space cell for demand planning.
LATER_SCORES = {
    "Modified-atmosphere trays for the clean-label range": (L.NEW_PRODUCT, 350_000, 80_000, (4, 5, 2, 3)),
    "Open-book cost model for fresh trays": (L.OTHER, 0, 30_000, (3, 4, 2, 2)),
    "Premium printed wraps for hay-milk cheese": (L.TRADE_UP, 200_000, 45_000, (3, 3, 2, 2)),
    "Joint lab day for new paper grades": (L.OTHER, 0, 10_000, (2, 3, 1, 1)),
    "Monthly consolidated invoice": (L.COST_TO_SERVE, 0, 15_000, (2, 4, 1, 1)),
    "72-hour validated passive shipper": (L.NEW_PRODUCT, 800_000, 150_000, (5, 5, 3, 3)),
    "Paper-based multipack trial": (L.NEW_PRODUCT, 120_000, 25_000, (4, 4, 2, 2)),
    "Central amenities catalogue for all hotels": (L.CROSS_SELL, 400_000, 70_000, (4, 4, 3, 2)),
    "Right-sized boxes for the automated line": (L.VOLUME, 90_000, 12_000, (2, 3, 2, 2)),
    "Fixed weekly delivery slot instead of rush orders": (L.COST_TO_SERVE, 0, 40_000, (3, 2, 1, 2)),
    "Clean-label ingredient systems for Dairy desserts": (L.CROSS_SELL, 250_000, 50_000, (3, 4, 3, 2)),
    "Demand-planning analytics for Ship chandlery": (L.CROSS_SELL, 60_000, 25_000, (3, 4, 2, 3)),
    "Technical application support for Cold-chain distribution": (L.CROSS_SELL, 120_000, 40_000, (4, 4, 2, 2)),
}
# fmt: on


def _offerings() -> dict[str, Offering]:
    programme = Programme.ensure()
    result = {}
    for name, description in OFFERINGS:
        offering, _ = Offering.objects.get_or_create(
            programme=programme, name=name, defaults={"description": description}
        )
        result[name] = offering
    return result


# The price list: offering → (unit, EUR last year's price, EUR price now, other prices). Last
# year's ran until 121 days ago; today's from 120 days ago, open-ended. Quote lines chosen
# from an offering take today's price in the quote's currency.
# fmt: off
PRICE_LIST = {
    "Clean-label ingredient systems": ("25 kg bag", "41.9000", "43.5000", ()),
    "Cold-chain logistics": ("72-hour passive shipper, 48 l", "182.0000", "189.0000", (("USD", "205.0000"),)),
    "Vendor-managed inventory": ("month of service", "1100.0000", "1150.0000", ()),
    "Private-label co-packing": ("1,000 packs", "216.0000", "222.0000", ()),
    "Sustainable packaging": ("1,000 mono-material trays", "63.0000", "66.0000", ()),
    "Demand-planning analytics": ("user-month", "38.5000", "39.7500", ()),
    "Technical application support": ("technologist day on site", "920.0000", "950.0000", ()),
    "Barrier coatings and industrial packaging": ("tonne of WB-40 coating", "2290.0000", "2350.0000", ()),
}
# Next year's price is already announced for one offering: it starts in 60 days.
UPCOMING_PRICES = {"Clean-label ingredient systems": "44.8500"}
# fmt: on


def _price_list(ctx, offerings: dict) -> int:
    """Once per offering (an offering that has prices is left alone, so a second run on a
    later day adds nothing)."""
    admin = ctx.users.get("progadmin")
    added = 0
    for name, (unit, last_year, now, others) in PRICE_LIST.items():
        offering = offerings.get(name)
        if offering is None or offering.list_prices.exists():
            continue
        currency = Programme.ensure().currency
        rows = [
            (currency, last_year, ctx.today - timedelta(days=400), ctx.today - timedelta(days=121)),
            (currency, now, ctx.today - timedelta(days=120), None),
            *((other, price, ctx.today - timedelta(days=120), None) for other, price in others),
        ]
        if name in UPCOMING_PRICES:
            rows.append((currency, UPCOMING_PRICES[name], ctx.today + timedelta(days=60), None))
        for row_currency, price, start, end in rows:
            services.list_price_add(
                offering=offering,
                currency=row_currency,
                unit=unit,
                unit_price=Decimal(price),
                valid_from=start,
                valid_until=end,
                acting_user=admin,
            )
            added += 1
    return added


def _manager(account):
    membership = (
        Membership.objects.filter(key_account=account, role=Role.MANAGER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _people(account) -> dict[str, Stakeholder]:
    return {
        s.name: s for s in Stakeholder.objects.filter(key_account=account, archived_at__isnull=True)
    }


def _named(people: dict, names) -> list[Stakeholder]:
    """The named stakeholders that exist (Discovery's demo data may be absent)."""
    return [people[name] for name in names if name in people]


def _opportunity(ctx, account, row: Opp, manager, days_ago, stakeholders, workshop=None):
    existing = Opportunity.objects.filter(key_account=account, title=row.title).first()
    if existing is not None:
        return existing
    # Decided opportunities start qualified: the decision moves them on, as in real use; each
    # step is dated when it happened (identified, decided a week later, won or lost after three).
    identified = ctx.today - timedelta(days=days_ago)
    with events_dated(at_hour(identified, 10)):
        opportunity = _create(ctx, account, row, manager, identified, stakeholders, workshop)
    if row.decision:
        with events_dated(at_hour(identified + timedelta(days=7), 11)):
            opportunity = services.opportunity_decide(
                opportunity=opportunity,
                decision=row.decision,
                reason=row.reason,
                acting_user=manager,
            )
    if row.status in (S.WON, S.LOST) and opportunity.status != row.status:
        with events_dated(at_hour(identified + timedelta(days=21), 15)):
            opportunity = services.opportunity_update(
                opportunity=opportunity,
                values={"status": row.status},
                revision=opportunity.revision,
                acting_user=manager,
            )
    return opportunity


def _create(ctx, account, row: Opp, manager, identified, stakeholders, workshop):
    start_status = S.QUALIFIED if row.decision else row.status
    us, customer, effort, risk = row.scores
    return services.opportunity_create(
        account=account,
        values={
            "title": row.title,
            "description": row.description,
            "lever": row.lever,
            "beneficiary": row.beneficiary,
            "annual_value": Decimal(row.annual_value),
            "profit_potential": Decimal(row.profit),
            "strategic_value_us": us,
            "strategic_value_customer": customer,
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


# The de-selected former key account (strategy's demo data) kept what its team had found: the
# pipeline leaves these out unless asked to include de-selected accounts.
FORMER_ACCOUNT = "C-1016"
FORMER_OPPORTUNITIES = [
    Opp(
        "Pallet wrap for the merged group's new depots",
        L.VOLUME,
        B.BOTH,
        180_000,
        25_000,
        (2, 3, 2, 2),
        S.QUALIFIED,
    ),
    Opp(
        "Own-brand packaging for the merchant counters",
        L.NEW_PRODUCT,
        B.CUSTOMER,
        90_000,
        12_000,
        (1, 2, 3, 3),
        S.IDEA,
    ),
]


def _former_account_opportunities(ctx) -> None:
    account = KeyAccount.objects.filter(customer__reference=FORMER_ACCOUNT).first()
    manager = _manager(account) if account is not None else None
    if manager is None:
        return
    # Found in the months before the de-selection (70 days ago).
    for i, row in enumerate(FORMER_OPPORTUNITIES):
        _opportunity(ctx, account, row, manager, 160 + 30 * i, [])


def _account_opportunities(ctx, account, manager, people) -> None:
    for i, row in enumerate(ACCOUNT_OPPORTUNITIES[account.customer.reference]):
        _opportunity(ctx, account, row, manager, 25 + 13 * i, _named(people, row.stakeholders))


def _workshop(ctx, account, manager, people) -> None:
    title, days_ago, agenda, outcomes, guests, (new_title, new_description), rescored = WORKSHOPS[
        account.customer.reference
    ]
    workshop = Workshop.objects.filter(key_account=account, title=title).first()
    if workshop is None:
        team = Membership.objects.filter(
            key_account=account, role__in=[Role.DIRECTOR, Role.MANAGER, Role.TEAM_MEMBER]
        ).values_list("user", flat=True)
        held_on = ctx.today - timedelta(days=days_ago)
        with events_dated(at_hour(held_on, 16)):
            workshop = services.workshop_create(
                account=account,
                values={
                    "held_on": ctx.today - timedelta(days=days_ago),
                    "title": title,
                    "agenda": agenda,
                    "outcomes": outcomes,
                },
                participants=User.objects.filter(pk__in=team),
                stakeholders=_named(people, guests),
                acting_user=manager,
            )
    born = Opp(new_title, L.OTHER, B.BOTH, 90_000, 40_000, (4, 4, 2, 2), S.IDEA, description=new_description)  # fmt: skip
    _opportunity(ctx, account, born, manager, days_ago, _named(people, guests[:1]), workshop)
    # The opportunity re-scored in the workshop (once: it then carries the workshop link).
    top = Opportunity.objects.filter(key_account=account, title=rescored, workshop__isnull=True)
    for opportunity in top:
        with events_dated(at_hour(workshop.held_on, 17)):
            services.opportunity_update(
                opportunity=opportunity,
                values={"strategic_value_customer": 5},
                revision=opportunity.revision,
                workshop=workshop,
                acting_user=manager,
            )


def _white_space(account, offerings: dict, manager) -> None:
    reference = account.customer.reference
    names = [name for name, _description in OFFERINGS]
    units = {}
    for unit_name, states in BUSINESS_UNITS[reference].items():
        unit, _ = BusinessUnit.objects.get_or_create(key_account=account, name=unit_name)
        units[unit_name] = unit
        for offering_name, code in zip(names, states, strict=True):
            if code in STATE_CODES:
                WhiteSpaceCell.objects.get_or_create(
                    business_unit=unit,
                    offering=offerings[offering_name],
                    defaults={"state": STATE_CODES[code]},
                )
    unit_name, offering_name = WHITE_SPACE_OPPORTUNITY[reference]
    _white_space_opportunity(units[unit_name], offerings[offering_name], manager)


def _white_space_opportunity(unit, offering, manager) -> None:
    """What a click on the open cell does (services.white_space_cell_to_opportunity), written
    out here because that service's row lock fails on PostgreSQL (see the demo report)."""
    if WhiteSpaceCell.objects.filter(
        business_unit=unit, offering=offering, opportunity__isnull=False
    ).exists():
        return
    # Spotted on the white-space grid a month ago.
    spotted = timezone.localdate() - timedelta(days=30)
    with events_dated(at_hour(spotted, 9)):
        opportunity = services.opportunity_create(
            account=unit.key_account,
            values={
                "title": f"{offering.name} for {unit.name}"[:200],
                "description": f"White space: {unit.name} does not buy {offering.name} from us yet.",
                "lever": L.CROSS_SELL,
                "source": Opportunity.Source.WHITE_SPACE,
                "identified_on": spotted,
                "owner": manager,
            },
            acting_user=manager,
        )
    WhiteSpaceCell.objects.update_or_create(
        business_unit=unit,
        offering=offering,
        defaults={"state": WhiteSpaceCell.State.OPPORTUNITY, "opportunity": opportunity},
    )


def _convert_ideas(accounts) -> None:
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
            # Turned into an opportunity two days after the interview that heard it.
            with events_dated(at_hour(idea.interview.held_on + timedelta(days=2), 9)):
                services.idea_convert(idea=idea, acting_user=manager)


def _score_later(accounts) -> None:
    """Score the converted ideas and white-space cells once (a fresh one has revision 0)."""
    for opportunity in Opportunity.objects.filter(
        key_account__in=accounts, title__in=LATER_SCORES, revision=0
    ).select_related("owner"):
        lever, value, profit, (us, customer, effort, risk) = LATER_SCORES[opportunity.title]
        # Scored a week after it was identified.
        with events_dated(at_hour(opportunity.identified_on + timedelta(days=7), 14)):
            services.opportunity_update(
                opportunity=opportunity,
                values={
                    "lever": lever,
                    "annual_value": Decimal(value),
                    "profit_potential": Decimal(profit),
                    "strategic_value_us": us,
                    "strategic_value_customer": customer,
                    "effort": effort,
                    "risk": risk,
                },
                revision=opportunity.revision,
                acting_user=opportunity.owner,
            )


def seed(ctx) -> None:
    offerings = _offerings()
    _price_list(ctx, offerings)
    hand_written = [a for a in ctx.accounts[:12] if a.customer.reference in ACCOUNT_OPPORTUNITIES]
    for account in hand_written:
        manager = _manager(account)
        if manager is None:
            continue
        people = _people(account)
        _account_opportunities(ctx, account, manager, people)
        reference = account.customer.reference
        if reference in WORKSHOPS:
            _workshop(ctx, account, manager, people)
        if reference in BUSINESS_UNITS:
            _white_space(account, offerings, manager)
    _former_account_opportunities(ctx)
    _convert_ideas(hand_written)
    _score_later(hand_written)
    created = seed_generated(ctx)
    ctx.say(
        f"Opportunities: {Opportunity.objects.count()} across the programme "
        f"({created} new on generated accounts), {len(offerings)} offerings in the catalogue, "
        f"{Opportunity.objects.filter(priority__isnull=True).count()} not scored yet."
    )
