# ruff: noqa: E501 -- data tables read best one row per line.
"""Meetings, quotes, check-ins and comments of the hand-written key accounts, as data.

People are the account's Discovery stakeholders and team roles ("manager", "director",
"coordinator", "supply", "finance" — see planning.demo_data.team_roles); opportunities and
plan actions are that account's titles. Links are skipped where the earlier stage's demo data
is absent.
"""

from typing import NamedTuple

from ..models import Meeting, Quote

K = Meeting.Kind


class FollowUp(NamedTuple):
    title: str  # an existing plan action of that title is linked; otherwise one is added
    owner: str
    due_in: int


class MeetingRow(NamedTuple):
    title: str
    kind: str
    day: int  # days from today
    hour: int  # local time, in time_zone
    agenda: str
    notes: str  # empty on a past meeting = its follow-up is missing
    decisions: str
    stakeholders: tuple[str, ...]
    opportunities: tuple[str, ...]
    follow_ups: tuple[FollowUp, ...] = ()
    location: str = ""  # default: the customer's head office
    time_zone: str = "Europe/London"


# fmt: off
MEETINGS = {
    "C-1001": [
        MeetingRow("Quarterly business review with Katrin Vogel", K.BUSINESS_REVIEW, -24, 10,
                   "1. Service levels since the last review\n2. Clean-label pilot\n3. Tray prices 2027–2028",
                   "On-time delivery 96.1 % (up from 93 %). The clean-label pilot is on plan. Jens Albrecht asked for a two-year tray price; Miriam Scholz wants joint shelf-life trials on two deli salads.",
                   "Shelf-life trials on two deli salads next quarter. We send a two-year tray price before the next review.",
                   ("Katrin Vogel", "Jens Albrecht", "Miriam Scholz"), ("Clean-label ingredient system for the deli salad range",),
                   (FollowUp("Send Jens Albrecht the two-year tray price proposal", "manager", 10), FollowUp("Book the pilot line in Erfurt for the first two SKUs", "supply", -4)),
                   "Northwind Foods, Hamburg head office"),
        MeetingRow("Erfurt line visit on tray changes", K.CUSTOMER, -9, 14,
                   "1. Line stops at tray changes\n2. VMI reorder points", "", "",
                   ("Florian Wagner",), ("Vendor-managed tray inventory at the Erfurt plant",), (), "Northwind Foods, Erfurt plant"),
        MeetingRow("Clean-label tasting in the Erfurt pilot kitchen", K.WORKSHOP, 6, 10,
                   "1. First two deli salads without preservatives\n2. Shelf-life results so far\n3. Launch calendar", "", "",
                   ("Miriam Scholz", "Katrin Vogel"), ("Clean-label ingredient system for the deli salad range",), (), "Northwind Foods, Erfurt plant"),
        MeetingRow("Executive visit: our CEO meets Katrin Vogel", K.EXECUTIVE_VISIT, 20, 11, "", "", "",
                   ("Katrin Vogel",), ()),
    ],
    "C-1002": [
        MeetingRow("Tender briefing with Thomas Girard", K.CUSTOMER, -15, 10,
                   "1. Lot structure\n2. Award criteria\n3. Timeline",
                   "Thomas Girard walked through the lots: 3 and 4 cover chilled salads and ready meals for 1,450 stores. Award in the third quarter; cost transparency weighs 30 %.",
                   "We bid for lots 3 and 4 with an open-book cost model.",
                   ("Thomas Girard", "Camille Lefèvre"), ("Private-label fresh tender: a dedicated second co-packing line",),
                   (FollowUp("Build the open-book cost sheet for the top 30 fresh SKUs", "finance", 9),), "Helios Retail Group, Paris head office"),
        MeetingRow("CSR data review with Hugo Bernard", K.CUSTOMER, -6, 15,
                   "1. First-quarter CO2 data\n2. Spanish SKUs",
                   "First-quarter CO2 data accepted for the French SKUs. Hugo Bernard asked for the same data on the Spanish range.",
                   "Add the Spanish SKUs to the CO2 data set.",
                   ("Hugo Bernard",), ("Per-product CO2 data for the Helios CSR report",),
                   (FollowUp("Add the Spanish SKUs to the CO2 data set", "coordinator", 20),)),
        MeetingRow("Supplier quality audit at our Lyon plant", K.CUSTOMER, 9, 9,
                   "1. HACCP records\n2. Traceability test\n3. Corrective actions from the last audit", "", "",
                   ("Antoine Dubois",), ("Private-label fresh tender: a dedicated second co-packing line",), (), "Our Lyon plant",
                   "Europe/Paris"),
    ],
    "C-1003": [
        MeetingRow("Business review with Sofie Lund", K.BUSINESS_REVIEW, -30, 11,
                   "1. Provisioning volumes per port\n2. ERP integration\n3. Payment terms",
                   "Volumes up 30 % with the Bergen ports. Sofie Lund wants one catalogue in the new ERP before summer; Peter Nielsen raised payment terms again.",
                   "We send a per-port volume map and the item master; terms wait for the refinancing.",
                   ("Sofie Lund", "Peter Nielsen"), ("Cold-chain provisioning to all 14 ports", "One catalogue for all ports with EDI ordering"),
                   (FollowUp("Send Sofie Lund the per-port volume map", "manager", 5),), "Baltic Marine Supply, Copenhagen head office"),
        MeetingRow("Esbjerg warehouse visit", K.CUSTOMER, -8, 13,
                   "1. 24-hour provisioning process\n2. Frozen stock-outs",
                   "Lars Holm showed the 24-hour provisioning process; frozen items run out twice a week in the summer season.",
                   "Pilot consignment stock of frozen items in Esbjerg.",
                   ("Lars Holm",), ("Port-side consignment stock in Esbjerg",), (), "Baltic Marine Supply, Esbjerg port warehouse"),
        MeetingRow("ERP catalogue workshop with Ingrid Berg", K.WORKSHOP, 12, 10,
                   "1. Item master format\n2. Price list per port\n3. Go-live plan", "", "",
                   ("Ingrid Berg", "Sofie Lund"), ("One catalogue for all ports with EDI ordering",)),
    ],
    "C-1004": [
        MeetingRow("Annual review with Johann Hofer", K.BUSINESS_REVIEW, -40, 10,
                   "1. Volumes and service\n2. Paper cups in Italy\n3. Prices for next year",
                   "Johann Hofer confirmed flat volumes and a growing premium range in Italy. The paper cups were well received by Italian buyers.",
                   "Prices held for a year in exchange for the peak capacity booking.",
                   ("Johann Hofer", "Anna Gruber"), ("Trade yoghurt cups up to paper-wrapped premium cups",),
                   (FollowUp("Send the capacity booking confirmation to Anna Gruber", "manager", 7),), "Alpenmilch AG, Wörgl"),
        MeetingRow("Christmas peak planning with Martin Egger", K.CUSTOMER, -11, 9,
                   "1. Peak forecast\n2. Wrap stock\n3. Delivery windows", "", "",
                   ("Martin Egger",), ("Reserved packaging capacity for the Christmas cheese peak",), (), "Alpenmilch AG, Wörgl"),
        MeetingRow("Export packaging meeting with Lisa Pichler", K.CUSTOMER, 16, 14,
                   "1. Shelf photos from Italy\n2. Label languages for Italy", "", "",
                   ("Lisa Pichler",), ("Trade yoghurt cups up to paper-wrapped premium cups",)),
    ],
    "C-1005": [
        MeetingRow("Coating performance review", K.BUSINESS_REVIEW, -21, 10,
                   "1. Line stops\n2. New paper grades\n3. Prices",
                   "Diego Navarro reported two line stops caused by coating viscosity on the new recycled grade. Carmen Ruiz asked for predictable prices.",
                   "Our technologist visits Valencia; we tighten the viscosity specification.",
                   ("Diego Navarro", "Carmen Ruiz"), ("Water-based barrier coating for e-commerce mailers",),
                   (FollowUp("Send the tightened viscosity specification to Diego Navarro", "manager", 4),), "Iberia Packaging, Valencia plant"),
        MeetingRow("Line trial of the water-based grade", K.CUSTOMER, 7, 8,
                   "1. Trial plan\n2. Run speeds\n3. Barrier tests", "", "",
                   ("Diego Navarro", "Elena Castro"), ("Water-based barrier coating for e-commerce mailers",), (), "Iberia Packaging, Valencia plant"),
    ],
    "C-1006": [
        MeetingRow("Procurement review with Petra Lange", K.CUSTOMER, -12, 10,
                   "1. Consignment terms\n2. Invoicing\n3. Reconditioned IBCs",
                   "Petra Lange accepted consignment in principle; she wants one invoice a month and a joint stock count before go-live.",
                   "Go-live after the joint stock count.",
                   ("Petra Lange",), ("Consignment stock of UN-approved drums and IBCs",),
                   (FollowUp("Count the drum stock with Uwe Hartmann", "manager", 8),), "Rheinland Chemie, Leverkusen site"),
        MeetingRow("Consignment go-live in the drum warehouse", K.CUSTOMER, 18, 9, "", "", "",
                   ("Uwe Hartmann",), ("Consignment stock of UN-approved drums and IBCs",), (), "Rheinland Chemie, Leverkusen site"),
    ],
    "C-1007": [
        MeetingRow("Tender preparation with Annika Svensson", K.CUSTOMER, -16, 10,
                   "1. Tender timeline\n2. Lanes and temperatures\n3. Qualification",
                   "Annika Svensson shared the timeline: specification in January, bids in March. Four lanes, 2–8 °C, 72 hours.",
                   "We run a qualification shipment Stockholm–Luleå before the specification is published.",
                   ("Annika Svensson", "Maja Eriksson"), ("Cold-chain tender: validated 2–8 °C passive shippers",),
                   (FollowUp("Send Maja Eriksson our supplier qualification pack", "coordinator", 6),), "Nordic Pharma Logistics, Stockholm head office"),
        MeetingRow("Validation review with Oskar Lindqvist", K.CUSTOMER, -10, 13,
                   "1. Validation reports\n2. Open QA questions", "", "",
                   ("Oskar Lindqvist",), ("Cold-chain tender: validated 2–8 °C passive shippers", "Data-logger feed into their WMS"), (), "Teams"),
        MeetingRow("GDP reference visit in Copenhagen", K.CUSTOMER, 12, 10,
                   "1. Tour of the reference customer's cold store\n2. Excursion history with our shippers\n3. Questions from their QA", "", "",
                   ("Oskar Lindqvist", "Annika Svensson"), ("GDP reference visit at a Danish distributor we serve",), (), "Reference customer, Copenhagen"),
    ],
    "C-1008": [
        MeetingRow("Multipack trial kick-off at the Leeds plant", K.WORKSHOP, -18, 10,
                   "1. Trial scope\n2. Line speed targets\n3. Consumer feedback",
                   "Agreed the trial scope: one low-sugar line, four weeks, full line speed. Emily Clarke wants consumer feedback on the paper clip.",
                   "Trial starts in three weeks; Sunvale shares line-speed data daily.",
                   ("Emily Clarke", "Charlotte Evans"), ("Shrink-free multipacks on all low-sugar lines",),
                   (FollowUp("Ship the trial clips to Leeds", "manager", 5),), "Sunvale Beverages, Leeds plant"),
        MeetingRow("Supply director meeting with Oliver Hughes", K.EXECUTIVE_VISIT, 15, 11,
                   "1. Results of the multipack trial\n2. Timeline of the Albion renewal\n3. DRS readiness", "", "",
                   ("Oliver Hughes",), ("Share of the core multipack volume from Albion",)),
    ],
    "C-1009": [
        MeetingRow("Central procurement kick-off with Marco Bianchi", K.CUSTOMER, -14, 11,
                   "1. Opening dates\n2. Kit contents\n3. Ordering",
                   "Marco Bianchi confirmed the opening dates of the first four hotels in Spain; he wants one order per opening.",
                   "We deliver opening kits two weeks before each opening.",
                   ("Marco Bianchi",), ("Opening kits for the 12 new hotels",),
                   (FollowUp("Send Marco Bianchi the opening-kit price list", "manager", 3),), "Castello Hotels, Milan head office"),
        MeetingRow("Refill pilot walk-through in Milan", K.CUSTOMER, 10, 10,
                   "1. Dispenser positions per room type\n2. Refill logistics\n3. Guest feedback form", "", "",
                   ("Francesca Ricci", "Luca Conti"), ("Refill dispensers and plastic-free amenities for 38 hotels",), (), "Castello Hotel Milano Centrale"),
    ],
    "C-1010": [
        MeetingRow("Tender debrief with Agnieszka Nowak", K.CUSTOMER, -35, 10,
                   "1. Tender result\n2. Delivery pattern",
                   "We won lot 2 on price and lost lots 1 and 3 to Baltic Box.",
                   "Full-truck deliveries once a week from next month.",
                   ("Agnieszka Nowak",), ("Standard shipping cartons, tender lot 2",), (), "Vistula Hardware, Warsaw head office"),
        MeetingRow("Delivery slot meeting at the Łódź DC", K.CUSTOMER, 8, 8,
                   "1. Weekly slot\n2. Pallet labels", "", "",
                   ("Tomasz Wiśniewski",), ("Full-truck deliveries only to the Łódź DC",), (), "Vistula Hardware, Łódź DC"),
    ],
    "C-1011": [
        MeetingRow("Automation project visit with Bram Visser", K.CUSTOMER, -16, 13,
                   "1. The new packing line\n2. Box formats",
                   "Bram Visser's new line takes six box formats; our current sizes waste 30 % of the volume.",
                   "We sample six right-sized boxes.",
                   ("Bram Visser", "Sanne Jansen"), ("Right-sized boxes for the automated line",), (), "Atlas Office Supplies, Utrecht DC"),
        MeetingRow("Quarterly review with Sanne Jansen", K.BUSINESS_REVIEW, 25, 10,
                   "1. EDI order quality\n2. Right-sized box samples\n3. Drop shipment", "", "",
                   ("Sanne Jansen",), ("EDI ordering for all standard boxes",)),
    ],
    "C-1012": [
        MeetingRow("Rush-order review with Lotte Maes", K.CUSTOMER, -7, 14,
                   "1. Rush orders last month\n2. Weekly slot",
                   "22 rush orders last month. Lotte Maes accepts a weekly slot if prices hold for a year.",
                   "Weekly slot from next month; a surcharge on orders placed less than 48 hours ahead.",
                   ("Lotte Maes", "Bart Claes"), ("Minimum order quantity and a rush-order surcharge",),
                   (FollowUp("Send the surcharge terms to Lotte Maes", "manager", 4),), "Lumen Electronics, Antwerp"),
        MeetingRow("Payment terms meeting with Inge Willems", K.CUSTOMER, 14, 10, "", "", "",
                   ("Inge Willems",), ("Payment terms cut from 90 to 45 days",), (), "Lumen Electronics, Antwerp"),
    ],
}

class QuoteRow(NamedTuple):
    number: str
    account: str
    title: str
    status: str
    overall_discount: str
    valid_days: int  # from today; negative = already expired
    opportunity: str
    notes: str
    lines: tuple  # (offering name or "", description, quantity, unit price, line discount %)


# Q-DEMO-04 is above the programme's 10 % discount limit and waits for a director's approval.
# Q-DEMO-03 declares no line discount, but its trays are offered at 58.90 against a list price
# of 66.00: a worked-out 10.76 % that waits for a director too. Lines without an offering are
# free text (custom items not on the price list) with the discount their author declares.
QUOTES = [
    QuoteRow("Q-DEMO-01", "C-1001", "Clean-label deli salad base, annual supply", Quote.Status.ACCEPTED, "3", 30,
             "Clean-label ingredient system for the deli salad range", "Prices ex works Bremen; payment 30 days net.",
             (("Clean-label ingredient systems", "Deli salad base blend CL-24, 25 kg bags", "480", "42.60", "5"),
              ("Technical application support", "Shelf-life trial support in Erfurt, days on site", "6", "950.00", "2"))),
    QuoteRow("Q-DEMO-02", "C-1007", "Qualification kit, Stockholm–Luleå lane", Quote.Status.SENT, "0", 25,
             "Cold-chain tender: validated 2–8 °C passive shippers", "Shippers delivered to the Stockholm warehouse; validation report within ten days of the run.",
             (("Cold-chain logistics", "Validated 72-hour passive shipper, 2–8 °C, 48 l", "40", "186.00", "8"),
              ("", "Lane qualification run and GDP report", "1", "4800.00", "0"))),
    QuoteRow("Q-DEMO-03", "C-1002", "Private-label fresh tender, lots 3 and 4", Quote.Status.DRAFT, "2", 40,
             "Private-label fresh tender: a dedicated second co-packing line", "Prices per Helios tender template; delivered to the Lyon and Zaragoza DCs.",
             (("Private-label co-packing", "Co-packing of chilled salads, per 1,000 packs", "5200", "214.00", "4"),
              ("Sustainable packaging", "Recyclable mono-material trays, per 1,000", "5200", "58.90", "0"))),
    QuoteRow("Q-DEMO-04", "C-1001", "Recyclable trays with vendor-managed stock", Quote.Status.DRAFT, "15", 30,
             "Recyclable mono-material trays for the branded range", "Two-year price; volume rebate included in the overall discount.",
             (("Sustainable packaging", "Mono-material tray 1/4 GN, per 1,000", "900", "64.80", "0"),
              ("Vendor-managed inventory", "VMI service fee, per month", "12", "1150.00", "0"))),
    QuoteRow("Q-DEMO-05", "C-1006", "Drums and IBCs framework", Quote.Status.REJECTED, "5", 20,
             "Consignment stock of UN-approved drums and IBCs", "Consignment stock in Leverkusen; one invoice a month.",
             (("", "UN-approved steel drum 216 l, open head", "3000", "38.90", "6"),
              ("", "IBC 1,000 l, new, UN-approved", "400", "165.00", "0"))),
    QuoteRow("Q-DEMO-06", "C-1002", "Display-ready trays, summer barbecue campaign", Quote.Status.EXPIRED, "0", -10,
             "Display-ready trays for the summer barbecue campaign", "Delivered to the Zaragoza DC four weeks before the campaign.",
             (("", "Display-ready tray, printed, per 1,000", "140", "182.00", "5"),
              ("", "Artwork and print proofs", "1", "650.00", "5"))),
    QuoteRow("Q-DEMO-07", "C-1005", "Water-based barrier coating, first year", Quote.Status.SENT, "0", 45,
             "Water-based barrier coating for e-commerce mailers", "Delivered in IBCs to Valencia; price reviewed against the resin index each quarter.",
             (("Barrier coatings and industrial packaging", "Water-based barrier coating WB-40, per tonne", "180", "2350.00", "0"),
              ("Technical application support", "Line trial support in Valencia, days", "4", "950.00", "5"))),
    # Sent and unanswered past its validity: the daily job (rhythm.expire_quotes, or
    # `manage.py run_due_jobs` on a fresh demo) expires it and tells its author and the
    # account's manager. Q-DEMO-06 shows one the job expired the night its validity ended.
    QuoteRow("Q-DEMO-08", "C-1003", "Cold-chain provisioning, Bergen pilot", Quote.Status.SENT, "0", -4,
             "Cold-chain provisioning to all 14 ports", "Shippers delivered to the Bergen port warehouse; loggers read at each delivery.",
             (("Cold-chain logistics", "Validated 72-hour passive shipper, 2–8 °C, 48 l", "60", "189.00", "0"),
              ("", "Temperature logging per delivery", "60", "12.50", "0"))),
]

# Check-ins on opportunities being pursued: opportunity title → (weeks ago, next step, blockers).
CHECK_INS = {
    "Clean-label ingredient system for the deli salad range": [(3, "Agree the two pilot SKUs with Miriam Scholz", ""), (1, "Book the Erfurt pilot line", "Pilot line fully booked until the end of the month")],
    "Vendor-managed tray inventory at the Erfurt plant": [(2, "Agree reorder points for the 40 SKUs", "")],
    "Private-label fresh tender: a dedicated second co-packing line": [(3, "Submit the pre-qualification", ""), (1, "Get board approval for the second line", "Capex decision waits for the board meeting on the 20th")],
    "Cold-chain provisioning to all 14 ports": [(2, "Draft the board proposal for Mads Kristensen", "Production wants a twelve-month forecast first")],
    "One catalogue for all ports with EDI ordering": [(1, "Send the item master to the integration team", "Their ERP field list is not final")],
    "Reserved packaging capacity for the Christmas cheese peak": [(1, "Book November capacity in Linz", "")],
    "Water-based barrier coating for e-commerce mailers": [(2, "Plan the Valencia line trial", ""), (1, "Tighten the viscosity specification", "")],
    "Consignment stock of UN-approved drums and IBCs": [(1, "Joint stock count with Uwe Hartmann", "")],
    "Cold-chain tender: validated 2–8 °C passive shippers": [(3, "Agree the qualification lane", ""), (1, "Run the Stockholm–Luleå shipment", "Waiting for a winter-profile slot at their warehouse")],
    "GDP reference visit at a Danish distributor we serve": [(1, "Fix a date with the reference customer", "")],
    "Shrink-free multipacks on all low-sugar lines": [(2, "Agree the trial scope with Emily Clarke", ""), (1, "Ship the trial clips to Leeds", "")],
    "Refill dispensers and plastic-free amenities for 38 hotels": [(1, "Choose the three pilot hotels", "")],
    "Opening kits for the 12 new hotels": [(2, "Agree the kit list", "")],
    "Full-truck deliveries only to the Łódź DC": [(1, "Stop part-loads from Poznań", "")],
    "Minimum order quantity and a rush-order surcharge": [(1, "Send the surcharge terms", "Lotte Maes wants the price freeze in writing first")],
}

# Account-team comments with @mentions: (account, author username, text).
COMMENTS = [
    ("C-1001", "coordinator", "@manager Florian Wagner can only do the Erfurt line visit in the afternoon; shall I move it? @teammember please check the loading-bay slots."),
    ("C-1001", "manager", "The first clean-label deli salad kept six days longer in the trial. @director worth raising at the steering committee as a quick win."),
    ("C-1002", "coordinator", "@manager Antoine Dubois confirmed the audit date at our Lyon plant; I have booked our quality team."),
    ("C-1002", "financeanalyst", "@manager the open-book cost sheet is ready for the first 18 SKUs; the margin on lot 4 is thinner than we thought."),
    ("C-1003", "manager2", "@director2 Sofie Lund says their board meets on the 14th; the provisioning proposal must reach Mads Kristensen a week before."),
    ("C-1003", "coordinator", "@manager2 the Esbjerg consignment pilot needs a frozen-goods permit from the port; I have asked their operations team."),
]
# fmt: on
