# ruff: noqa: E501 -- data tables read best one row per line.
"""Demo data for Stage 2: profiles, stakeholders, interviews, relationship history, profitability.

Idempotent: every row is found by a stable key (account + name/title/text) before it is created,
and per-account histories (relationship, profitability) are written only once. Generated
accounts (--scale) get an organisation chart of GENERATED_ORG_CHART stakeholders and three
profitability years each, inserted in bulk; accounts that already have them are skipped.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import gettext_noop

from accounts.event_text import EventText, term
from accounts.models import (
    RELATIONSHIP_ORDER,
    AccountEvent,
    KeyAccount,
    Membership,
    RelationshipStage,
)
from accounts.services import event_fields
from common.dates import at_hour

from ..models import (
    Competitor,
    FinancialRatio,
    Interview,
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfileSection,
    ProfitabilityYear,
    RelationshipChange,
    Stakeholder,
)
from ..services import stakeholders_contact_update
from .generated import seed_generated

K = ProfileSection.Key

# Per account: market, strategy, annual report, needs (the facts that differ most).
PROFILES = {
    "C-1001": (
        "Germany's third-largest maker of chilled ready meals and deli salads (EUR 1.9 bn "
        "sales), supplying all major German and Austrian grocers. Private label is 60 % of "
        "volume; the branded 'Nordwind Küche' range grows 9 % a year.",
        "Grow the branded share to 50 % by 2028, launch a clean-label range without "
        "preservatives, and cut food waste in its own plants by a third.",
        "Sales up 6.4 %, EBITDA margin 9.1 % (down from 10.3 %) after energy costs. Capex of "
        "EUR 120 m planned for a new plant in Erfurt. Sustainability report promises 100 % "
        "recyclable packaging by 2027.",
        "Shelf-life extension for clean-label products; recyclable mono-material trays; a "
        "reliable cold chain into Austria; help with packaging compliance (PPWR).",
    ),
    "C-1002": (
        "Pan-European grocery retailer, 1,450 stores in France, Belgium and Spain; "
        "EUR 14 bn sales. Consolidating from 2,300 to 1,500 suppliers over three years.",
        "Double private-label share to 45 %, become the price leader in discount formats, "
        "and reach net-zero logistics in France by 2030.",
        "Like-for-like sales +2.1 %, operating margin 3.4 %. Supplier rationalisation is "
        "named as a source of EUR 180 m savings. New CEO since March.",
        "Fewer, larger suppliers who can take on category management; transparent cost "
        "models; joint sustainability reporting per product.",
    ),
    "C-1003": (
        "Ship-chandling and marine services group in Denmark, Norway and Germany; serves "
        "400 vessels a month in 14 ports. Grew from EUR 180 m to 310 m in three years by "
        "acquisition.",
        "Become the one-stop supplier to cruise and offshore-wind service vessels; integrate "
        "the acquired companies on one ERP by next year.",
        "Revenue +34 % (mostly acquired), EBIT margin 5.2 %. Net debt / EBITDA 3.1 after the "
        "Bergen acquisition; covenant at 3.5.",
        "Provisioning within 24 hours of a port call; one catalogue across ports; credit "
        "terms that match their own cash cycle.",
    ),
    "C-1004": (
        "Cooperative dairy in Tyrol owned by 2,100 farmers; cheese, yoghurt and organic milk "
        "sold in Austria, Germany and Italy. Stable volume, premium positioning.",
        "Protect the premium: alpine organic milk, hay-milk certification, export growth in "
        "Italy. Modest investment; the cooperative distributes most of its surplus.",
        "Turnover EUR 420 m (+1.8 %), surplus EUR 11 m. Board re-elected; no major capex "
        "announced apart from a solar roof programme.",
        "Packaging that carries the premium story; small batch runs; dependable supply in "
        "peak season (Christmas cheese).",
    ),
    "C-1005": (
        "Spanish converter of corrugated and folding-carton packaging for food and "
        "e-commerce; six plants; EUR 260 m sales. We supply 55 % of its barrier coatings.",
        "Hold margin in a flat market by moving to higher-value e-commerce formats and "
        "reducing plastic content.",
        "Sales -0.8 %, EBITDA 11 %. Energy surcharges passed on to customers with a lag.",
        "Stable coating prices, technical service on new paper grades, faster sampling.",
    ),
    "C-1006": (
        "Mid-sized speciality chemicals producer on the Rhine (adhesives, resins); EUR 540 m "
        "sales; exports 70 %.",
        "Cut working capital and supplier count; procurement-led agenda.",
        "Revenue -4 % on lower volumes; restructuring programme with 180 job cuts.",
        "Lowest landed cost, consignment stock, fewer invoices.",
    ),
    "C-1007": (
        "Third-party logistics for pharmaceuticals across the Nordics; 9 GDP-certified "
        "warehouses. Small customer for us today (EUR 0.6 m) but its new cold-chain "
        "programme will tender EUR 8 m a year of temperature-controlled packaging.",
        "Win the Nordic distribution of two biologics with 2–8 °C chains; become the "
        "reference for GDP compliance and temperature excursions below 0.1 %.",
        "Revenue +18 %, EBIT 7.5 %. Capital increase of SEK 400 m for cold-chain capacity.",
        "Validated passive cooling boxes; data loggers integrated with their WMS; "
        "qualification support for new lanes.",
    ),
    "C-1008": (
        "UK soft-drinks and craft-beer group, EUR 780 m sales, fast growth in low-sugar "
        "drinks. We are second supplier behind a long-standing incumbent.",
        "Double the low- and no-sugar portfolio; enter Germany; meet the UK deposit return scheme.",
        "Revenue +12 %, gross margin 41 %. Sugar tax and DRS costs called out as risks.",
        "Secondary packaging for multipacks without shrink film; promotional flexibility; "
        "DRS-ready labelling.",
    ),
    "C-1009": (
        "Italian hotel chain, 38 four-star hotels, opening 12 more in Spain and Greece. "
        "Central procurement is new; hotels bought locally until last year.",
        "Standardise the guest experience and buying across all hotels; cut single-use "
        "plastics to zero by 2027.",
        "Revenue +22 % (occupancy 78 %), EBITDA 24 %. Bond issue to fund openings.",
        "Central catalogue; sustainable amenities and food-service packaging; delivery to "
        "remote islands.",
    ),
    "C-1010": (
        "Polish DIY retail chain, 95 stores. Buys on price through yearly tenders.",
        "Grow own brands, keep prices 5 % under the market leader.",
        "Revenue +3 %, thin margin (2.1 %).",
        "Lowest unit price, full-truck deliveries, no special service.",
    ),
    "C-1011": (
        "Dutch wholesaler of office supplies to SMEs; shrinking paper market, growing "
        "facility products.",
        "Shift the mix to hygiene and facility products; automate the warehouse.",
        "Revenue -2 %, EBIT 3 %.",
        "Standard products, drop shipment, electronic ordering (EDI).",
    ),
    "C-1012": (
        "Belgian consumer-electronics distributor; imports from Asia and repacks for Benelux "
        "retail. Buys packaging from us on price, with many small rush orders.",
        "Cut logistics cost; move to e-commerce direct to consumers.",
        "Revenue -6 %, loss before tax EUR 3 m; new financing agreed with banks.",
        "Cheaper packaging, short lead times on small lots, generous payment terms.",
    ),
}

VALUE_CHAIN = (
    "Inbound: raw materials from {n} main suppliers, quality checks at goods-in. Operations: "
    "{plants}. Outbound: {outbound}. Our products enter at {entry}."
)
CHAIN_FACTS = {
    "C-1001": (
        "40",
        "three plants, 24/7 lines",
        "chilled trucks to 11 retail DCs",
        "filling and sealing",
    ),
    "C-1002": (
        "2,300",
        "own DCs and 1,450 stores",
        "own fleet to stores",
        "private-label sourcing",
    ),
    "C-1003": ("600", "14 port warehouses", "vans and barges to vessels", "port warehouses"),
    "C-1004": (
        "2,100 farm",
        "two cheese dairies, one yoghurt plant",
        "retail DCs in three countries",
        "packing",
    ),
    "C-1005": ("30", "six converting plants", "customer plants in Iberia", "coating"),
    "C-1006": (
        "200",
        "batch reactors and drum filling",
        "bulk and drums, export by rail",
        "drum filling",
    ),
    "C-1007": (
        "120",
        "9 GDP warehouses",
        "temperature-controlled lanes to 2,000 pharmacies",
        "pick-and-pack",
    ),
    "C-1008": ("60", "two bottling plants, one brewery", "UK grocers and pubs", "multipacking"),
    "C-1009": (
        "500 local",
        "38 hotels, central kitchen in Milan",
        "guests",
        "housekeeping and food service",
    ),
    "C-1010": ("900", "95 stores, one DC", "stores", "store replenishment"),
    "C-1011": ("150", "one automated DC", "parcel carriers to 40,000 SMEs", "order picking"),
    "C-1012": (
        "80 Asian",
        "repacking centre in Antwerp",
        "Benelux retailers and web shops",
        "repacking",
    ),
}
CSF = {
    "strategic": "Innovation speed, on-shelf availability above 98 %, and credible sustainability "
    "claims that retailers can audit.",
    "status": "Consistent quality, dependable supply in peaks, and cost discipline.",
    "star": "Fast growth without quality incidents; partners who scale with them.",
    "streamline": "Price, availability and simple ordering.",
}
CAPABILITY = {
    "strategic": "Strong: we hold {share} of their spend in our categories, have a joint "
    "development team and meet their operations and sustainability people every month.",
    "status": "Good: long-standing supplier with {share} share; relationship concentrated in "
    "procurement and quality. Little access to their strategy team.",
    "star": "Limited so far: {share} share, one or two contacts. Our cold-chain and "
    "sustainability offer fits their plans well; we need references and senior access.",
    "streamline": "Adequate for a transactional account: {share} share through tenders. Our "
    "standard range and EDI ordering cover what they ask for.",
}
SHARE = {
    "C-1001": "45 %", "C-1002": "30 %", "C-1003": "25 %", "C-1004": "60 %", "C-1005": "55 %",
    "C-1006": "40 %", "C-1007": "8 %", "C-1008": "15 %", "C-1009": "5 %", "C-1010": "20 %",
    "C-1011": "25 %", "C-1012": "35 %",
}  # fmt: skip

# Sections deliberately not updated for more than a year (shown as stale).
STALE = {("C-1006", K.ANNUAL_REPORT), ("C-1010", K.OBJECTIVES_STRATEGY), ("C-1012", K.NEEDS)}
# Sections deliberately left empty.
EMPTY = {("C-1009", K.VALUE_CHAIN), ("C-1011", K.CAPABILITY), ("C-1011", K.SUCCESS_FACTORS)}

RATIO_NAMES = ("Revenue growth %", "EBITDA margin %", "Net debt / EBITDA", "Current ratio")
RATIOS = {
    "C-1001": ("6.4", "9.1", "1.8", "1.4"), "C-1002": ("2.1", "5.9", "2.4", "0.8"),
    "C-1003": ("34.0", "7.8", "3.1", "1.1"), "C-1004": ("1.8", "6.2", "0.9", "1.9"),
    "C-1005": ("-0.8", "11.0", "1.5", "1.3"), "C-1006": ("-4.0", "8.4", "2.2", "1.5"),
    "C-1007": ("18.0", "12.3", "1.2", "1.6"), "C-1008": ("12.0", "14.5", "1.9", "1.2"),
    "C-1009": ("22.0", "24.0", "3.4", "0.9"), "C-1010": ("3.0", "4.1", "2.8", "1.0"),
    "C-1011": ("-2.0", "5.0", "1.1", "1.4"), "C-1012": ("-6.0", "-1.5", "4.6", "0.9"),
}  # fmt: skip

# name, what they sell, strength, threat
COMPETITORS = {
    "C-1001": [
        ("Schütz Verpackung", "Rigid PET trays and lids", "high", "high"),
        ("Polarkette Logistik", "Chilled distribution Germany–Austria", "medium", "medium"),
    ],
    "C-1002": [
        ("Packwell Europe", "Private-label packaging, pan-European", "high", "high"),
        ("Vert Emballage", "Recycled-fibre trays", "medium", "medium"),
        ("Iberpack", "Low-cost cartons for Spain", "low", "medium"),
    ],
    "C-1003": [
        ("Nordsø Provisions", "Ship provisioning in Esbjerg", "medium", "high"),
        ("Hanse Marine Trade", "Technical marine stores", "medium", "low"),
    ],
    "C-1004": [("Tirol Pack", "Local cheese packaging", "medium", "medium")],
    "C-1005": [
        ("Coatex Ibérica", "Water-based barrier coatings", "medium", "high"),
        ("Sun Chemical", "Inks and coatings", "high", "medium"),
    ],
    "C-1006": [("ChemDrum GmbH", "Reconditioned drums and IBCs", "high", "high")],
    "C-1007": [
        ("CoolSafe Systems", "Validated passive shippers", "high", "high"),
        ("Scandi Thermo", "Reusable cool boxes", "medium", "medium"),
    ],
    "C-1008": [
        ("Albion Packaging", "Incumbent multipack supplier", "high", "high"),
        ("GreenWrap UK", "Paper-based multipack clips", "medium", "medium"),
    ],
    "C-1009": [
        ("HoReCa Italia", "Hotel amenities and disposables", "high", "high"),
        ("EcoStay Supplies", "Refill dispensers", "low", "medium"),
    ],
    "C-1010": [("Baltic Box", "Low-cost cartons", "medium", "high")],
    "C-1011": [("OfficePack NL", "Standard shipping boxes", "medium", "medium")],
    "C-1012": [
        ("Shenzhen DirectPack", "Imported retail boxes", "high", "high"),
        ("Flandria Carton", "Local short runs", "medium", "medium"),
    ],
}

# name, title, department, role, influence, attitude, reports to (name), owner role,
# days since last contact (None: never)
DM, INF, USR, GK, BUY = "decision_maker", "influencer", "user", "gatekeeper", "buyer"
STAKEHOLDERS = {
    "C-1001": [
        ("Katrin Vogel", "Chief operating officer", "Operations", DM, "high", "champion", None, "director", 20),
        ("Jens Albrecht", "Head of procurement", "Procurement", BUY, "high", "supporter", "Katrin Vogel", "manager", 9),
        ("Miriam Scholz", "Packaging development lead", "R&D", INF, "medium", "champion", "Jens Albrecht", "teammember", 30),
        ("Florian Wagner", "Plant manager Erfurt", "Operations", USR, "medium", "neutral", "Katrin Vogel", "teammember", 125),
        ("Sabine Koch", "Sustainability director", "Sustainability", INF, "high", "sceptic", "Katrin Vogel", None, 200),
        ("Tobias Brandt", "Category buyer, chilled", "Procurement", GK, "low", "supporter", "Jens Albrecht", "coordinator", 14),
    ],
    "C-1002": [
        ("Élodie Marchand", "Chief merchandising officer", "Executive board", DM, "high", "neutral", None, "director", 75),
        ("Thomas Girard", "Director private label", "Private label", DM, "high", "supporter", "Élodie Marchand", "manager", 12),
        ("Camille Lefèvre", "Category manager fresh", "Private label", INF, "medium", "champion", "Thomas Girard", "manager", 6),
        ("Antoine Dubois", "Head of supplier quality", "Quality", GK, "medium", "sceptic", "Élodie Marchand", "coordinator", 40),
        ("Lucía Romero", "Buyer Spain", "Procurement", BUY, "medium", "neutral", "Thomas Girard", None, 150),
        ("Hugo Bernard", "CSR reporting manager", "CSR", USR, "low", "supporter", "Élodie Marchand", "financeanalyst", 33),
        ("Nathalie Perrin", "Chief financial officer", "Finance", DM, "high", "blocker", None, None, None),
    ],
    "C-1003": [
        ("Mads Kristensen", "CEO", "Executive", DM, "high", "supporter", None, "director2", 60),
        ("Sofie Lund", "Group procurement manager", "Procurement", BUY, "high", "neutral", "Mads Kristensen", "manager2", 18),
        ("Lars Holm", "Port operations Esbjerg", "Operations", USR, "medium", "champion", "Sofie Lund", "coordinator", 25),
        ("Ingrid Berg", "Integration director (Bergen)", "PMO", INF, "medium", "sceptic", "Mads Kristensen", None, 110),
        ("Peter Nielsen", "Finance controller", "Finance", GK, "low", "neutral", "Sofie Lund", "manager2", 80),
    ],
    "C-1004": [
        ("Johann Hofer", "Managing director", "Management", DM, "high", "champion", None, "director", 35),
        ("Anna Gruber", "Purchasing manager", "Purchasing", BUY, "medium", "supporter", "Johann Hofer", "manager", 8),
        ("Martin Egger", "Production manager cheese", "Production", USR, "medium", "supporter", "Johann Hofer", "teammember", 50),
        ("Lisa Pichler", "Marketing lead export", "Marketing", INF, "low", "neutral", "Johann Hofer", "coordinator", 100),
    ],
    "C-1005": [
        ("Javier Morales", "Operations director", "Operations", DM, "high", "supporter", None, "director2", 45),
        ("Carmen Ruiz", "Purchasing manager", "Purchasing", BUY, "medium", "supporter", "Javier Morales", "manager2", 15),
        ("Diego Navarro", "Technical manager", "Quality", INF, "medium", "champion", "Javier Morales", "manager2", 22),
        ("Elena Castro", "Plant manager Valencia", "Operations", USR, "low", "neutral", "Javier Morales", None, 130),
    ],
    "C-1006": [
        ("Dr. Ralf Schneider", "Head of supply chain", "Supply chain", DM, "high", "neutral", None, "director2", 95),
        ("Petra Lange", "Strategic buyer", "Procurement", BUY, "high", "sceptic", "Dr. Ralf Schneider", "manager2", 20),
        ("Uwe Hartmann", "Warehouse manager", "Logistics", USR, "low", "supporter", "Dr. Ralf Schneider", None, 70),
        ("Birgit Krämer", "Head of EHS", "EHS", GK, "medium", "neutral", "Dr. Ralf Schneider", None, None),
    ],
    "C-1007": [
        ("Erik Johansson", "CEO", "Executive", DM, "high", "neutral", None, None, None),
        ("Annika Svensson", "Head of cold chain", "Operations", DM, "high", "supporter", "Erik Johansson", "manager", 16),
        ("Oskar Lindqvist", "Quality assurance / GDP", "Quality", GK, "high", "sceptic", "Annika Svensson", "teammember", 45),
        ("Maja Eriksson", "Procurement lead", "Procurement", BUY, "medium", "neutral", "Annika Svensson", "coordinator", 28),
        ("Nils Andersson", "Warehouse supervisor Malmö", "Operations", USR, "low", "champion", "Annika Svensson", "teammember", 12),
    ],
    "C-1008": [
        ("Oliver Hughes", "Supply director", "Supply", DM, "high", "neutral", None, "director", 55),
        ("Charlotte Evans", "Packaging buyer", "Procurement", BUY, "medium", "supporter", "Oliver Hughes", "manager2", 10),
        ("George Patel", "Head of sustainability", "Sustainability", INF, "high", "supporter", "Oliver Hughes", None, 140),
        ("Emily Clarke", "Brand manager low-sugar", "Marketing", USR, "medium", "champion", "George Patel", "manager2", 35),
        ("Harry Wilson", "Incumbent-loyal category buyer", "Procurement", GK, "medium", "blocker", "Charlotte Evans", None, 180),
    ],
    "C-1009": [
        ("Giulia Romano", "Chief operating officer", "Operations", DM, "high", "neutral", None, None, None),
        ("Marco Bianchi", "Head of central procurement", "Procurement", BUY, "high", "supporter", "Giulia Romano", "manager2", 30),
        ("Francesca Ricci", "Housekeeping standards lead", "Operations", USR, "medium", "champion", "Giulia Romano", "manager2", 44),
        ("Luca Conti", "Sustainability manager", "CSR", INF, "medium", "neutral", "Marco Bianchi", "director2", 120),
    ],
    "C-1010": [
        ("Piotr Kowalski", "Purchasing director", "Purchasing", DM, "high", "neutral", None, "director2", 85),
        ("Agnieszka Nowak", "Category buyer packaging", "Purchasing", BUY, "medium", "neutral", "Piotr Kowalski", "manager2", 21),
        ("Tomasz Wiśniewski", "DC manager", "Logistics", USR, "low", "supporter", "Piotr Kowalski", None, 60),
        ("Katarzyna Zielińska", "Finance manager", "Finance", GK, "medium", "sceptic", "Piotr Kowalski", None, None),
    ],
    "C-1011": [
        ("Jeroen de Vries", "Managing director", "Management", DM, "high", "neutral", None, "director", 160),
        ("Sanne Jansen", "Purchasing manager", "Purchasing", BUY, "medium", "supporter", "Jeroen de Vries", "manager", 26),
        ("Bram Visser", "Warehouse automation lead", "Logistics", INF, "medium", "neutral", "Jeroen de Vries", "coordinator", 58),
        ("Eva Bakker", "Customer service lead", "Sales", USR, "low", "supporter", "Sanne Jansen", None, 95),
    ],
    "C-1012": [
        ("Wouter Peeters", "CEO", "Executive", DM, "high", "sceptic", None, None, 300),
        ("Lotte Maes", "Operations manager", "Operations", BUY, "medium", "neutral", "Wouter Peeters", "manager2", 19),
        ("Bart Claes", "Repacking supervisor", "Operations", USR, "low", "supporter", "Lotte Maes", None, 41),
        ("Inge Willems", "CFO", "Finance", DM, "high", "blocker", "Wouter Peeters", "director2", 90),
    ],
}  # fmt: skip

# days ago, interviewer role, stakeholders met, notes, needs, validated, contradicted, ideas
INTERVIEWS = {
    "C-1001": [
        (
            40, "manager", ["Katrin Vogel", "Jens Albrecht"],
            "Asked how the clean-label launch is going and where packaging limits shelf life. "
            "Walked the Erfurt line.",
            "Seven more days of shelf life on deli salads; fewer line stops at tray changes.",
            "Clean-label range is the top priority for 2028.",
            "Private label is not shrinking: they expect it to stay at 60 % for two years.",
            [
                ("Modified-atmosphere trays for the clean-label range", "Trial on two SKUs, shared shelf-life study."),
                ("Vendor-managed inventory of trays in Erfurt", "Cuts their safety stock and our rush deliveries."),
            ],
        ),
        (
            120, "director", ["Sabine Koch"],
            "Introductory meeting with the sustainability director; discussed PPWR.",
            "Proof of recyclability per SKU for their 2027 promise.",
            "Recyclable packaging pledge confirmed.",
            "",
            [("Recyclability certificates per SKU", "We provide data sheets their auditors accept.")],
        ),
    ],
    "C-1002": [
        (
            25, "manager", ["Thomas Girard", "Camille Lefèvre"],
            "Private-label tender timeline and supplier consolidation criteria.",
            "One supplier per category for fresh private label; cost transparency.",
            "Supplier rationalisation under way; decisions in Q3.",
            "They do not want category management from suppliers yet.",
            [
                ("Open-book cost model for fresh trays", "Show the cost breakdown to win the consolidated tender."),
                ("Shared CO2 data per product", "Feeds their CSR reporting."),
                ("Spanish stores supplied from our Zaragoza plant", ""),
            ],
        ),
    ],
    "C-1003": [
        (
            60, "manager2", ["Sofie Lund", "Lars Holm"],
            "Provisioning lead times and the ERP integration.",
            "One catalogue for all ports; 24-hour delivery in Esbjerg.",
            "Growth by acquisition continues.",
            "",
            [("Port-side consignment stock in Esbjerg", "Speeds up 24-hour provisioning.")],
        ),
    ],
    "C-1004": [
        (
            90, "manager", ["Johann Hofer", "Anna Gruber"],
            "Annual review and Christmas peak planning.",
            "Secure supply for the cheese peak; premium look on shelf.",
            "Premium positioning and export to Italy.",
            "",
            [("Premium printed wraps for hay-milk cheese", "")],
        ),
    ],
    "C-1005": [
        (
            70, "manager2", ["Diego Navarro"],
            "New paper grades and coating performance.",
            "Faster sampling of coatings for new paper grades.",
            "Plastic reduction is real.",
            "",
            [("Joint lab day for new paper grades", "")],
        ),
    ],
    "C-1006": [
        (
            200, "manager2", ["Petra Lange"],
            "Procurement review; asked about consignment stock.",
            "Lower landed cost, fewer invoices.",
            "",
            "They are not planning to cut the supplier count for packaging this year.",
            [("Monthly consolidated invoice", "")],
        ),
    ],
    "C-1007": [
        (
            30, "manager", ["Annika Svensson", "Oskar Lindqvist"],
            "Cold-chain programme scope and qualification requirements.",
            "Validated 2–8 °C shippers for 72 hours; logger data in their WMS.",
            "Tender for the cold-chain programme next spring.",
            "Quality wants a reference from another GDP distributor first.",
            [
                ("72-hour validated passive shipper", "Qualification run on the Stockholm–Luleå lane."),
                ("Logger data integration with their WMS", ""),
            ],
        ),
        (
            95, "teammember", ["Nils Andersson"],
            "Warehouse visit in Malmö.",
            "Fewer temperature excursions at loading docks.",
            "",
            "",
            [("Dock-side cool curtains", "")],
        ),
        (
            150, "director", ["Annika Svensson"],
            "First meeting at the Nordic pharma logistics conference.",
            "A partner for temperature-controlled packaging.",
            "",
            "",
            [],
        ),
    ],
    "C-1008": [
        (
            50, "manager2", ["Charlotte Evans", "Emily Clarke"],
            "Multipack formats for the low-sugar range.",
            "Shrink-free multipacks; DRS-ready labels.",
            "Low-sugar range doubles.",
            "",
            [("Paper-based multipack trial", "Replace shrink film on one line.")],
        ),
    ],
    "C-1009": [
        (
            45, "manager2", ["Marco Bianchi"],
            "Central procurement set-up and catalogue.",
            "A central catalogue for amenities and food-service packaging.",
            "",
            "Hotels still order locally for food service.",
            [("Central amenities catalogue for all hotels", "")],
        ),
    ],
    "C-1010": [
        (
            100, "manager2", ["Agnieszka Nowak"],
            "Tender feedback.",
            "Price; full-truck deliveries.",
            "Buys on price.",
            "",
            [],
        ),
    ],
    "C-1011": [
        (
            80, "manager", ["Sanne Jansen", "Bram Visser"],
            "EDI ordering and the warehouse automation project.",
            "Box sizes that fit the new automated packing line.",
            "",
            "",
            [("Right-sized boxes for the automated line", "")],
        ),
    ],
    "C-1012": [
        (
            70, "manager2", ["Lotte Maes"],
            "Rush orders and cost to serve.",
            "Short lead times on small lots.",
            "",
            "They would accept fixed weekly deliveries if prices hold.",
            [("Fixed weekly delivery slot instead of rush orders", "Cuts our transport cost.")],
        ),
    ],
}  # fmt: skip

# Profitability: the last three years, oldest first, grown to today's revenue with us. Shares of
# gross sales: first the cost of goods (a food and packaging supplier's 66-72 %), then the cost
# to serve line by line (discounts, rebates, transport, returns, customer service, KAM team,
# other): a few per cent each, about 10 % in all. C-1007 is served by a large KAM team ahead of
# its growth; C-1012 is loss-making: rush orders, returns and rebates eat its gross margin.
COST_SHARES = {
    "default": ("0.68", "0.025", "0.015", "0.03", "0.005", "0.01", "0.015", "0.005"),
    "C-1004": ("0.72", "0.02", "0.01", "0.025", "0.005", "0.01", "0.01", "0.005"),
    "C-1007": ("0.68", "0.02", "0.00", "0.05", "0.01", "0.03", "0.09", "0.01"),
    "C-1012": ("0.70", "0.08", "0.05", "0.08", "0.04", "0.04", "0.03", "0.015"),
}
GROWTH = {"C-1003": "1.18", "C-1007": "1.25", "C-1008": "1.12", "C-1012": "0.93", "C-1006": "0.96"}

LTV = {
    "strategic": ("6", "8", 8),
    "status": ("1", "8", 5),
    "star": ("12", "10", 8),
    "streamline": ("0", "10", 3),
}
LTV_BASE = {"C-1007": Decimal("180000")}  # expected profit once the cold-chain programme starts

SERVICE_ABOVE_STAGE = {"C-1008": RelationshipStage.INTERDEPENDENT}


def _team(account) -> dict:
    return {
        m.user.username: m.user
        for m in Membership.objects.filter(key_account=account).select_related("user")
    }


def _profile(ctx, account, ref, team):
    market, strategy, report, needs = PROFILES[ref]
    n, plants, outbound, entry = CHAIN_FACTS[ref]
    texts = {
        K.CUSTOMER_MARKET: market,
        K.OBJECTIVES_STRATEGY: strategy,
        K.ANNUAL_REPORT: report,
        K.NEEDS: needs,
        K.VALUE_CHAIN: VALUE_CHAIN.format(n=n, plants=plants, outbound=outbound, entry=entry),
        K.SUCCESS_FACTORS: CSF[account.classification],
        K.CAPABILITY: CAPABILITY[account.classification].format(share=SHARE[ref]),
    }
    manager = next((u for u in team.values() if u.username.startswith("manager")), None)
    for i, (key, text) in enumerate(texts.items()):
        if (ref, key) in EMPTY:
            continue
        days = 400 + i * 10 if (ref, key) in STALE else 20 + i * 11
        ProfileSection.objects.get_or_create(
            key_account=account,
            key=key,
            defaults={
                "content": text,
                "revision": 1,
                "updated_at": at_hour(ctx.today - timedelta(days=days), 10),
                "updated_by": manager,
            },
        )
    for name, value in zip(RATIO_NAMES, RATIOS[ref], strict=True):
        FinancialRatio.objects.get_or_create(
            key_account=account,
            name=name,
            year=ctx.today.year - 1,
            defaults={"value": Decimal(value), "updated_by": manager},
        )
    for name, offering, strength, threat in COMPETITORS[ref]:
        Competitor.objects.get_or_create(
            key_account=account,
            name=name,
            defaults={
                "offering": offering,
                "strength": strength,
                "threat_level": threat,
                "updated_by": manager,
            },
        )


# Customer people who read our e-mails in French (the retailer's head office is in France).
FRENCH_READERS = {
    "Élodie Marchand",
    "Thomas Girard",
    "Camille Lefèvre",
    "Antoine Dubois",
    "Hugo Bernard",
    "Nathalie Perrin",
}


def _stakeholders(ctx, account, ref, team) -> dict:
    people = {}
    rows = STAKEHOLDERS[ref]
    domain = slugify(account.name).replace("-", "") + ".example"
    for name, title, dept, role, influence, attitude, _boss, owner, days in rows:
        # People we have met have given us their address; nobody has met the others yet, so
        # meetings with them show the "no e-mail address" warning.
        email = "" if days is None else f"{slugify(name).replace('-', '.')}@{domain}"
        people[name], created = Stakeholder.objects.get_or_create(
            key_account=account,
            name=name,
            defaults={
                "title": title,
                "department": dept,
                "email": email,
                "language": "fr" if name in FRENCH_READERS else "",
                "buying_role": role,
                "influence": influence,
                "attitude": attitude,
                "owner": team.get(owner) if owner else None,
                "last_contact_on": ctx.today - timedelta(days=days) if days is not None else None,
                "notes": "",
            },
        )
        if not created and email and not people[name].email:
            people[name].email = email
            people[name].save(update_fields=["email"])
    for name, _title, _dept, _role, _influence, _attitude, boss, _owner, _days in rows:
        person = people[name]
        if boss and person.reports_to_id is None:
            person.reports_to = people[boss]
            person.save(update_fields=["reports_to"])
    return people


def _interviews(ctx, account, ref, team, people):
    for days, who, met, notes, needs, valid, contra, ideas in INTERVIEWS.get(ref, []):
        interviewer = team.get(who) or next(iter(team.values()), None)
        interview, created = Interview.objects.get_or_create(
            key_account=account,
            notes=notes,
            defaults={
                "held_on": ctx.today - timedelta(days=days),
                "interviewer": interviewer,
                "needs_learned": needs,
                "validated": valid,
                "contradicted": contra,
            },
        )
        if created:
            interview.stakeholders.set([people[n] for n in met if n in people])
            stakeholders_contact_update(
                stakeholder_ids=[people[n].pk for n in met if n in people],
                contacted_on=interview.held_on,
            )
        for title, description in ideas:
            OpportunityIdea.objects.get_or_create(
                interview=interview, title=title, defaults={"description": description}
            )


def _relationship(ctx, account, ref, team):
    """A climb from exploratory to today's stage, written once per account."""
    if RelationshipChange.objects.filter(key_account=account).exists():
        return
    actor = team.get("director") or team.get("director2")
    stages = RelationshipStage.values[: RELATIONSHIP_ORDER[account.relationship_stage] + 1]
    steps = list(zip(stages, stages[1:], strict=False))
    reasons = {
        "basic": "First orders placed after a successful trial.",
        "cooperative": "Regular business reviews; their operations team now works with ours.",
        "interdependent": "Joint development project and shared forecasts.",
        "integrated": "Joint planning and shared systems.",
    }
    for i, (old, new) in enumerate(steps):
        day = ctx.today - timedelta(days=380 - i * 110)
        RelationshipChange.objects.create(
            key_account=account,
            field=RelationshipChange.Field.STAGE,
            old_value=old,
            new_value=new,
            changed_on=day,
            reason=reasons[new],
            changed_by=actor,
        )
        AccountEvent.objects.create(
            key_account=account,
            kind=AccountEvent.Kind.STAGE_CHANGED,
            **event_fields(
                EventText(
                    gettext_noop("%(field)s changed from %(old)s to %(new)s"),
                    field=term(RelationshipChange.Field.STAGE.label),
                    old=term(RelationshipStage(old).label),
                    new=term(RelationshipStage(new).label),
                ),
                reasons[new],
            ),
            old_value=old,
            new_value=new,
            actor=actor,
            occurred_at=at_hour(day, 10),
        )
    if ref in SERVICE_ABOVE_STAGE:
        new = SERVICE_ABOVE_STAGE[ref]
        RelationshipChange.objects.create(
            key_account=account,
            field=RelationshipChange.Field.SERVICE,
            old_value=account.service_level,
            new_value=new,
            changed_on=ctx.today - timedelta(days=60),
            reason="Dedicated service desk and weekly forecasts promised to win the second-"
            "supplier slot.",
            changed_by=actor,
        )
        KeyAccount.objects.filter(pk=account.pk).update(service_level=new)


COST_LINES = ("cost_of_goods", *ProfitabilityYear.COST_TO_SERVE_FIELDS)


def _profitability(ctx, account, ref):
    if ProfitabilityYear.objects.filter(key_account=account).exists():
        return
    latest_sales = account.customer.annual_revenue or Decimal("500000")
    growth = Decimal(GROWTH.get(ref, "1.04"))
    shares = [Decimal(s) for s in COST_SHARES.get(ref, COST_SHARES["default"])]
    for back in (3, 2, 1):
        sales = (latest_sales / growth ** (back - 1)).quantize(Decimal("1000"))
        costs = {
            field: (sales * share).quantize(Decimal("1"))
            for field, share in zip(COST_LINES, shares, strict=True)
        }
        ProfitabilityYear.objects.create(
            key_account=account, year=ctx.today.year - back, gross_sales=sales, **costs
        )


def _lifetime_value(account, ref):
    growth, discount, horizon = LTV[account.classification]
    LifetimeValueAssumption.objects.get_or_create(
        key_account=account,
        defaults={
            "base_profit": LTV_BASE.get(ref),
            "growth_rate_percent": Decimal(growth),
            "discount_rate_percent": Decimal(discount),
            "horizon_years": horizon,
        },
    )


def seed(ctx) -> None:
    accounts = [
        a
        for a in KeyAccount.objects.filter(customer__reference__in=PROFILES).select_related(
            "customer"
        )
    ]
    for account in accounts:
        ref = account.customer.reference
        team = _team(account)
        _profile(ctx, account, ref, team)
        people = _stakeholders(ctx, account, ref, team)
        _interviews(ctx, account, ref, team, people)
        _relationship(ctx, account, ref, team)
        _profitability(ctx, account, ref)
        _lifetime_value(account, ref)
    generated = seed_generated(ctx)
    ctx.say(
        f"Discovery: profiles, stakeholders and profitability for {len(accounts)} accounts"
        f" ({generated} new stakeholders on generated accounts)."
    )
