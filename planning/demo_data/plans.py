# ruff: noqa: E501 -- data tables read best one row per line.
"""The plan of each hand-written key account, as data.

Owners are roles on that account's team: "manager", "director", "coordinator", "supply" (the
supply chain planner) and "finance" (the commercial finance analyst); where the account has no
such member the manager takes the item. Stakeholders are the account's Discovery stakeholders,
opportunities the account's titles in opportunities/demo_data — links are skipped where the
earlier stage's demo data is absent.
"""

from decimal import Decimal
from typing import NamedTuple

ON, AT_RISK, OFF = "on", "at_risk", "off"  # where the target's latest measurement puts it
LAPSED = "lapsed"  # due a few weeks ago and never measured: off track by the target rule


class Objective(NamedTuple):
    title: str
    why: str
    owner: str
    kpi: str
    unit: str
    baseline: Decimal
    target: Decimal
    progress: str
    internal: bool = False
    kind: str = "other"  # Target.Kind: revenue and net profit targets are amounts in EUR


def unit_type(unit: str) -> tuple[str, str]:
    """A demo target's Target.Measure and currency, from its unit as written here."""
    if unit.split(" ")[0] in ("EUR", "USD", "GBP"):
        return "amount", unit.split(" ")[0]
    if "%" in unit:
        return "percent", ""
    return ("other", "") if unit in ("days",) else ("count", "")


class Action(NamedTuple):
    title: str
    due_in: int  # days from today; negative and still open = overdue
    status: str
    owner: str
    objective: int  # 1-based position in the plan's objectives; 0 = none
    opportunity: str = ""  # title of the account's opportunity it advances


class Risk(NamedTuple):
    description: str
    likelihood: str
    impact: str
    mitigation: str
    owner: str


class Engagement(NamedTuple):
    our_person: str
    stakeholder: str
    purpose: str
    cadence: str
    next_due_in: int  # negative = missed
    last_held_ago: int | None


class Plan(NamedTuple):
    status: str
    value_proposition: str
    refreshed_ago: int  # days since the value proposition was refreshed
    strengths: str
    weaknesses: str
    opportunities_swot: str
    threats: str
    critical_success_factors: str
    objectives: list
    actions: list
    risks: list
    engagement: list
    return_comment: str = ""


D = Decimal
OPEN, IN_PROGRESS, WAITING, DONE, CANCELLED = "open", "in_progress", "waiting", "done", "cancelled"

# fmt: off
PLANS = {
    "C-1001": Plan(
        "approved",
        "We help Northwind launch its clean-label deli range on time and keep it on shelf longer: our ingredient systems and modified-atmosphere trays add seven days of shelf life, and vendor-managed tray stock keeps the Erfurt lines running — measured in fewer write-offs and line stops, not in our discounts.",
        40,
        "Joint development team with Miriam Scholz's packaging lab; 45 % of their packaging spend; Katrin Vogel champions the co-development.",
        "Sabine Koch (sustainability) doubts our recyclability claims; nobody of ours knows the Erfurt shift planners.",
        "The clean-label range launches in 2028; the new Erfurt plant; the PPWR forces a packaging change by 2027.",
        "Schütz Verpackung offers rigid PET trays 8 % cheaper; energy costs squeeze Northwind's margin (EBITDA down to 9.1 %).",
        "Shelf-life trial results before the 2028 range freeze\nA recyclability certificate for every tray SKU\nVMI live in Erfurt before the new plant ramps up",
        [
            Objective("Launch the clean-label deli range with our ingredient systems", "Northwind's top priority for 2028; it makes us their development partner.", "manager", "Clean-label SKUs launched with our systems", "SKUs", D("0"), D("24"), ON),
            Objective("Cut line stops at tray changes in Erfurt", "Florian Wagner's biggest complaint; VMI removes the rush deliveries behind it.", "supply", "Line stops caused by tray supply", "per month", D("14"), D("2"), AT_RISK),
            Objective("Prove the recyclability of every tray we supply", "Sabine Koch's condition for the branded-range switch and their 2027 pledge.", "coordinator", "Tray SKUs with a recyclability certificate", "%", D("35"), D("100"), OFF),
        ],
        [
            Action("Send the shelf-life trial protocol to Miriam Scholz", -18, DONE, "supply", 1, "Clean-label ingredient system for the deli salad range"),
            Action("Book the pilot line in Erfurt for the first two SKUs", -4, IN_PROGRESS, "supply", 1, "Clean-label ingredient system for the deli salad range"),
            Action("Agree VMI reorder points for the 40 tray SKUs with Florian Wagner", 6, IN_PROGRESS, "supply", 2, "Vendor-managed tray inventory at the Erfurt plant"),
            Action("Set up the EDI stock feed from Erfurt", 14, OPEN, "coordinator", 2, "Vendor-managed tray inventory at the Erfurt plant"),
            Action("Collect recyclability data sheets for all 62 tray SKUs", -9, OPEN, "coordinator", 3, "Recyclable mono-material trays for the branded range"),
            Action("Present the PPWR compliance roadmap to Sabine Koch", 21, OPEN, "manager", 3, "Recyclable mono-material trays for the branded range"),
            Action("Build the co-development cost model with commercial finance", 28, OPEN, "finance", 1, "Clean-label ingredient system for the deli salad range"),
            Action("Introduce our CEO to Katrin Vogel at the Anuga fair", 45, OPEN, "director", 0),
        ],
        [
            Risk("Schütz undercuts us on PET trays before the PPWR switch", "medium", "high", "Show the total cost including line stops and the PPWR cost of PET; quote a two-year tray price.", "manager"),
            Risk("Shelf-life trials slip past the 2028 range freeze", "medium", "high", "Book pilot line time now and run both SKUs in parallel.", "supply"),
            Risk("The co-development rests on Katrin Vogel alone", "low", "medium", "Build a second sponsor in R&D through Miriam Scholz.", "director"),
        ],
        [
            Engagement("director", "Katrin Vogel", "Executive sponsor meeting on the co-development", "quarterly", 25, 65),
            Engagement("manager", "Jens Albrecht", "Monthly commercial review", "monthly", 8, 23),
            Engagement("supply", "Florian Wagner", "VMI and line-stop review in Erfurt", "monthly", -6, 37),
            Engagement("coordinator", "Sabine Koch", "PPWR and recyclability working session", "quarterly", 15, 120),
        ],
    ),
    "C-1002": Plan(
        "submitted",
        "We help Helios double its private-label share with fewer, larger suppliers: one co-packer for fresh private label with an open-book cost model and certified CO2 data per product — measured in Helios' cost per unit and in its CSR report.",
        75,
        "Camille Lefèvre champions us; our CO2 data already feeds their CSR report; the Zaragoza plant is close to their Spanish stores.",
        "No contact with the CFO (Nathalie Perrin, a blocker) or the new CEO; Antoine Dubois doubts our quality data.",
        "Consolidation from 2,300 to 1,500 suppliers; private label to 45 % of sales; net-zero logistics in France by 2030.",
        "Packwell Europe bids pan-European for the same lots; the new CEO may reset the tender.",
        "Win lots 3 and 4 of the fresh tender\nAn open-book cost model their finance accepts\nA sponsor on the executive board",
        [
            Objective("Win lots 3 and 4 of the private-label fresh tender", "Doubles our volume with Helios and makes us a consolidation winner.", "manager", "Revenue with Helios, tender lots included", "EUR a year", D("6100000"), D("9200000"), AT_RISK, kind="revenue"),
            Objective("Make our costs transparent to Helios finance", "Nathalie Perrin blocks suppliers who will not open their books.", "finance", "Fresh SKUs with an open-book cost sheet", "%", D("0"), D("80"), ON),
            Objective("Report CO2 per product for every private-label SKU we supply", "Feeds Helios' CSR report: the cheapest proof that we are a partner.", "coordinator", "SKUs with certified CO2 data", "%", D("40"), D("100"), ON),
        ],
        [
            Action("Submit the tender pre-qualification for lots 3 and 4", -20, DONE, "manager", 1, "Private-label fresh tender: a dedicated second co-packing line"),
            Action("Get board approval for the second co-packing line", -6, WAITING, "director", 1, "Private-label fresh tender: a dedicated second co-packing line"),
            Action("Build the open-book cost sheet for the top 30 fresh SKUs", 9, IN_PROGRESS, "finance", 2, "Open-book cost model for fresh trays"),
            Action("Walk Antoine Dubois through our supplier quality audit results", 12, OPEN, "coordinator", 1, "Private-label fresh tender: a dedicated second co-packing line"),
            Action("Send the first-quarter CO2 data to Hugo Bernard", -2, OPEN, "coordinator", 3, "Per-product CO2 data for the Helios CSR report"),
            Action("Model Zaragoza supply costs for the Spanish stores", 20, OPEN, "manager", 2, "Supply the Spanish stores from our Zaragoza plant"),
            Action("Ask Élodie Marchand for a meeting with the new CEO", 30, OPEN, "director", 0),
        ],
        [
            Risk("Packwell Europe underbids us on the pan-European lots", "high", "high", "Bid on total landed cost including the Zaragoza lead-time advantage; keep the open-book model ready.", "manager"),
            Risk("The new CEO pauses the tender", "medium", "high", "Get the tender onto the executive agenda through Élodie Marchand.", "director"),
            Risk("The second line is not ready for the first tender deliveries", "low", "high", "Start the capex request before the award; agree a ramp-up with a co-packing partner.", "manager"),
        ],
        [
            Engagement("director", "Élodie Marchand", "Half-yearly executive review", "half_yearly", 40, 110),
            Engagement("manager", "Thomas Girard", "Tender and private-label steering", "monthly", 5, 26),
            Engagement("finance", "Nathalie Perrin", "Open-book cost review", "quarterly", -12, None),
            Engagement("coordinator", "Antoine Dubois", "Supplier quality review", "quarterly", 30, 60),
        ],
    ),
    "C-1003": Plan(
        "returned",
        "We help Baltic Marine become the one-stop supplier to cruise and offshore-wind vessels: chilled and frozen provisions at every port within 24 hours, ordered from one catalogue — measured in on-time provisioning and the working capital they free.",
        200,
        "Lars Holm in Esbjerg champions us; our cold-chain network reaches 11 of their 14 ports.",
        "Our credit insurer limits the exposure while their net debt is high; Ingrid Berg (integration) sees us as one more supplier to integrate.",
        "Offshore-wind service vessels; one ERP across all acquired companies next year.",
        "Nordsø Provisions is strong in Esbjerg; covenant pressure may freeze new projects.",
        "A twelve-month volume forecast our production accepts\nThe full catalogue live in their new ERP\nA board proposal before the third quarter",
        [
            Objective("Provision all 14 ports from our cold-chain network", "Their one-stop strategy; our largest growth lever in marine.", "manager", "Ports supplied within 24 hours", "ports", D("6"), D("14"), AT_RISK),
            Objective("Put our full range in their single catalogue", "Every item outside the new ERP catalogue is lost when they integrate.", "coordinator", "Catalogue items live in their ERP", "%", D("0"), D("100"), OFF),
        ],
        [
            Action("Map provisioning volumes per port with Sofie Lund", -15, DONE, "manager", 1, "Cold-chain provisioning to all 14 ports"),
            Action("Draft the board proposal for Mads Kristensen", 18, IN_PROGRESS, "manager", 1, "Cold-chain provisioning to all 14 ports"),
            Action("Send the item master to Ingrid Berg's integration team", -7, WAITING, "coordinator", 2, "One catalogue for all ports with EDI ordering"),
            Action("Test EDI orders from the Esbjerg warehouse", 10, OPEN, "coordinator", 2, "One catalogue for all ports with EDI ordering"),
            Action("Ask our credit insurer to review the limit after the Bergen refinancing", 35, OPEN, "director", 0, "Credit terms matched to their charter payment cycle"),
        ],
        [
            Risk("Covenant pressure freezes new projects at Baltic Marine", "medium", "high", "Keep the proposal cash-neutral for them: no upfront investment, pay per delivery.", "director"),
            Risk("Nordsø Provisions matches our 24-hour promise in Esbjerg", "medium", "medium", "Tie in Lars Holm's team with the consignment stock pilot.", "manager"),
        ],
        [
            Engagement("director", "Mads Kristensen", "CEO relationship meeting", "half_yearly", 60, 60),
            Engagement("manager", "Sofie Lund", "Monthly procurement review", "monthly", -3, 34),
            Engagement("coordinator", "Lars Holm", "Esbjerg port operations call", "weekly", 2, 5),
        ],
        "The port objective has no forecast behind it — production will not commit marine-grade volumes without one. Add the twelve-month forecast and a risk on their net debt.",
    ),
    "C-1004": Plan(
        "approved",
        "We help Alpenmilch carry its hay-milk premium onto the shelf and through the Christmas peak: packaging that tells the alpine story, in small batches, always on time — measured in the shelf-price premium and a peak season without shortages.",
        60,
        "60 % share of wallet; Johann Hofer is a long-standing champion; we have never missed a Christmas peak.",
        "Little contact with export marketing; our small-batch print costs are high.",
        "Export growth in Italy; hay-milk certification; the solar-roof programme shows a sustainability budget.",
        "Tirol Pack courts them locally; the cooperative distributes most of its surplus, so little budget for change.",
        "Capacity reserved for the November–December peak\nSmall-batch print at a price the cooperative accepts\nNo over-investment: protect the margin",
        [
            Objective("Deliver the Christmas cheese peak without a single shortage", "The most profitable weeks of the year, for both sides.", "supply", "Peak orders delivered on time", "%", D("94"), D("99"), ON),
            Objective("Hold our share while serving at lower cost", "A status account: protect the margin, do not over-invest.", "manager", "Cost to serve", "% of sales", D("6.5"), D("5.5"), AT_RISK, True),
        ],
        [
            Action("Confirm the peak forecast with Martin Egger", -10, DONE, "supply", 1, "Reserved packaging capacity for the Christmas cheese peak"),
            Action("Book November line capacity at our Linz plant", 5, IN_PROGRESS, "supply", 1, "Reserved packaging capacity for the Christmas cheese peak"),
            Action("Move Anna Gruber's last e-mailed orders to EDI", -30, DONE, "coordinator", 2, "EDI ordering instead of e-mailed orders"),
            Action("Send Lisa Pichler the shelf photos of the paper cups in Italy", -3, OPEN, "coordinator", 0, "Trade yoghurt cups up to paper-wrapped premium cups"),
            Action("Quote small-batch printing for the regional cheeses", 16, OPEN, "manager", 2, "Small-batch digital printing for regional cheeses"),
            Action("Annual review dinner with Johann Hofer", 40, OPEN, "director", 0),
        ],
        [
            Risk("A late peak forecast leaves us short of wrap material", "low", "high", "Agree a forecast freeze on 15 September with Martin Egger.", "supply"),
            Risk("Tirol Pack wins the regional cheese wraps on price", "medium", "medium", "Offer small-batch printing on stock sizes to close the price gap.", "manager"),
        ],
        [
            Engagement("director", "Johann Hofer", "Annual review with the managing director", "yearly", 40, 320),
            Engagement("manager", "Anna Gruber", "Quarterly purchasing review", "quarterly", 12, 80),
            Engagement("supply", "Martin Egger", "Peak planning call", "monthly", 3, 28),
        ],
    ),
    "C-1005": Plan(
        "draft",
        "We help Iberia Packaging hold its margin in a flat market by moving to plastic-free e-commerce formats: barrier coatings that run on new paper grades, sampled in days, at prices they can plan with.",
        20,
        "55 % of their barrier-coating spend; Diego Navarro trusts our technical service.",
        "Sampling takes three weeks; last year's price increase came without warning.",
        "Plastic reduction in e-commerce packaging; new recycled paper grades.",
        "Coatex Ibérica's water-based grade, priced 6 % below ours; energy surcharges.",
        "A successful line trial of the water-based grade in Valencia\nA price corridor their purchasing manager can plan with\nSamples in under a week",
        [
            Objective("Keep our share of their barrier coatings", "Coatex Ibérica targets exactly the grades we supply.", "manager", "Share of their coating spend", "%", D("55"), D("60"), ON),
            Objective("Sample new paper grades within a week", "Slow sampling is why they try Coatex.", "manager", "Days from request to sample", "days", D("21"), D("7"), OFF),
        ],
        [
            Action("Run the water-based coating trial on the Valencia line", 7, IN_PROGRESS, "manager", 1, "Water-based barrier coating for e-commerce mailers"),
            Action("Send the resin-index price corridor proposal to Carmen Ruiz", -5, OPEN, "manager", 1, "Two-year coating price corridor indexed to resin"),
            Action("Agree a sample request form with Diego Navarro", 14, OPEN, "manager", 2, "Coating sampling lab at the Valencia plant"),
            Action("Book the joint lab day for new paper grades", 25, OPEN, "manager", 2, "Joint lab day for new paper grades"),
            Action("Review the coating price list with commercial finance", 40, OPEN, "director", 1),
        ],
        [
            Risk("Coatex Ibérica wins the e-commerce grade on price", "high", "medium", "Show the run-speed advantage of our grade in the Valencia trial.", "manager"),
            Risk("Resin prices jump before the corridor is signed", "medium", "medium", "Offer the corridor from today's index level, valid for 30 days.", "manager"),
        ],
        [
            Engagement("director", "Javier Morales", "Half-yearly operations review", "half_yearly", 50, 130),
            Engagement("manager", "Carmen Ruiz", "Monthly purchasing call", "monthly", 10, 21),
            Engagement("manager", "Diego Navarro", "Technical service review", "monthly", -8, 39),
        ],
    ),
    "C-1006": Plan(
        "submitted",
        "We help Rheinland Chemie free working capital and cut supplier administration during its restructuring: drums and IBCs on consignment, one invoice a month — measured in their stock days and invoice count.",
        150,
        "40 % share; reliable UN-approved drums; never a dangerous-goods incident.",
        "The relationship is thin beyond Petra Lange in procurement; no contact with EHS.",
        "Their working-capital programme; fewer suppliers and invoices.",
        "ChemDrum's reconditioned drums and IBCs are 20 % cheaper; 180 job cuts may move our contacts.",
        "Consignment stock live before the year-end stock count\nEHS approval for reconditioned IBCs\nA contact beyond procurement",
        [
            Objective("Free their working capital with consignment stock", "Their first ask in every procurement review.", "manager", "Their packaging stock", "days", D("45"), D("10"), AT_RISK),
            Objective("Reach beyond procurement", "Our only contact is a sceptical buyer, and the restructuring may move her.", "director", "Contacts met outside procurement", "people", D("1"), D("4"), OFF, True),
        ],
        [
            Action("Propose consignment terms to Petra Lange", -12, DONE, "manager", 1, "Consignment stock of UN-approved drums and IBCs"),
            Action("Count the drum stock with Uwe Hartmann", 8, OPEN, "manager", 1, "Consignment stock of UN-approved drums and IBCs"),
            Action("Set up the monthly consolidated invoice", -1, IN_PROGRESS, "manager", 1, "Monthly consolidated invoice"),
            Action("Request a meeting with Birgit Krämer on reconditioned IBCs", 20, OPEN, "manager", 2, "Reconditioned IBC take-back loop"),
            Action("Invite Dr. Ralf Schneider to our Duisburg drum plant", 45, OPEN, "director", 2),
        ],
        [
            Risk("Petra Lange leaves in the restructuring", "medium", "high", "Meet Dr. Ralf Schneider and Uwe Hartmann this quarter.", "director"),
            Risk("ChemDrum wins on price with reconditioned IBCs", "medium", "medium", "Offer our own take-back loop once EHS approves it.", "manager"),
        ],
        [
            Engagement("director", "Dr. Ralf Schneider", "Supply chain review", "half_yearly", 30, None),
            Engagement("manager", "Petra Lange", "Procurement review", "quarterly", -20, 110),
        ],
    ),
    "C-1007": Plan(
        "draft",
        "We help Nordic Pharma Logistics win its biologics lanes with GDP-proof cold chains: validated 72-hour passive shippers whose logger data flows into their WMS — measured in temperature excursions below 0.1 %.",
        15,
        "Our validated shippers run at two GDP distributors; Annika Svensson and Nils Andersson support us.",
        "8 % share and no reference they know; nobody of ours has met the CEO.",
        "The EUR 8 m cold-chain tender next spring; a SEK 400 m capital increase for capacity.",
        "CoolSafe Systems is validated and entrenched; Oskar Lindqvist (QA) is sceptical.",
        "",  # not written yet: the plan page lists it as missing before submission
        [
            Objective("Qualify our shippers for the cold-chain tender", "Only qualified shippers may bid in the spring.", "manager", "Lanes qualified with our shippers", "lanes", D("0"), D("4"), ON),
            Objective("Earn Oskar Lindqvist's trust as a GDP partner", "Quality assurance decides who may bid.", "supply", "Open QA questions on our shippers", "questions", D("18"), D("0"), AT_RISK),
            Objective("Meet the decision makers before the tender", "The CEO signs the tender award and does not know us.", "director", "Decision makers met", "people", D("1"), D("3"), OFF, True),
        ],
        [
            Action("Run the qualification shipment Stockholm–Luleå", -6, IN_PROGRESS, "supply", 1, "Cold-chain tender: validated 2–8 °C passive shippers"),
            Action("Send the validation reports to Oskar Lindqvist", -14, DONE, "supply", 2, "Cold-chain tender: validated 2–8 °C passive shippers"),
            Action("Organise the reference visit at our Danish customer", 12, OPEN, "coordinator", 2, "GDP reference visit at a Danish distributor we serve"),
            Action("Specify the logger data feed with their WMS team", 24, OPEN, "supply", 1, "Data-logger feed into their WMS"),
            Action("Ask Annika Svensson to introduce us to Erik Johansson", 10, OPEN, "director", 3),
            Action("Install the cool curtains at the Malmö docks", -25, DONE, "coordinator", 2, "Dock-side cool curtains in Malmö"),
            Action("Prepare the tender pricing model", 45, OPEN, "manager", 1, "Cold-chain tender: validated 2–8 °C passive shippers"),
        ],
        [
            Risk("CoolSafe's shippers set the tender specification", "high", "high", "Get our 72-hour data into the specification through Annika Svensson before it is published.", "manager"),
            Risk("The qualification run fails on a winter lane", "medium", "high", "Run a second shipment with extra phase-change packs.", "supply"),
            Risk("We cannot finance the tender volumes", "low", "medium", "Agree capacity and working capital with finance before we bid.", "director"),
        ],
        [
            Engagement("manager", "Annika Svensson", "Tender preparation meeting", "monthly", 6, 16),
            Engagement("supply", "Oskar Lindqvist", "GDP and validation review", "monthly", -4, 45),
            Engagement("supply", "Nils Andersson", "Malmö warehouse check-in", "monthly", 18, 12),
        ],
    ),
    "C-1008": Plan(
        "returned",
        "We help Sunvale double its low-sugar range without shrink film: paper multipacks and DRS-ready labels from a supplier that reacts in days, not weeks.",
        90,
        "Emily Clarke champions us; George Patel backs plastic-free multipacks.",
        "Second supplier with 15 %; Harry Wilson blocks us; we promised service above our relationship stage.",
        "The low-sugar range doubles; the deposit return scheme starts; a German launch in 2027.",
        "Albion Packaging's contract runs to next April and Albion matches on price.",
        "A successful paper multipack trial on one line\nDRS labels ready before the scheme starts\nA seat at the table for the Albion renewal",
        [
            Objective("Become the multipack supplier for the low-sugar range", "The fastest-growing part of Sunvale and the one the incumbent serves worst.", "manager", "Low-sugar lines on our multipacks", "lines", D("0"), D("4"), AT_RISK),
            Objective("Be first with DRS-ready packaging", "Every SKU needs new marks before the scheme starts.", "manager", "SKUs carrying DRS marks from us", "SKUs", D("0"), D("30"), ON),
        ],
        [
            Action("Run the paper multipack trial on the Leeds line", 9, IN_PROGRESS, "manager", 1, "Shrink-free multipacks on all low-sugar lines"),
            Action("Share the trial's CO2 saving with George Patel", 20, OPEN, "manager", 1, "Shrink-free multipacks on all low-sugar lines"),
            Action("Send DRS label artwork templates to Charlotte Evans", -4, OPEN, "manager", 2, "DRS-ready labels and cartons"),
            Action("Brief Elena Rossi before she meets Oliver Hughes", 15, OPEN, "director", 1, "Share of the core multipack volume from Albion"),
            Action("Cost the dedicated service desk we promised Sunvale", 30, OPEN, "manager", 0),
        ],
        [
            Risk("Harry Wilson keeps the Albion contract untouched", "high", "high", "Win the low-sugar lines first and let the results speak at the renewal.", "director"),
            Risk("The paper clip slows their filling line", "medium", "medium", "Trial at full line speed with our technologist on site.", "manager"),
        ],
        [
            Engagement("manager", "Charlotte Evans", "Monthly buyer review", "monthly", 4, 27),
            Engagement("manager", "Emily Clarke", "Low-sugar innovation meeting", "monthly", 12, 19),
            Engagement("director", "Oliver Hughes", "Supply director review", "quarterly", -9, 101),
        ],
        "Ambitious, but the plan ignores Harry Wilson, who decides the Albion renewal. Add him to the engagement plan and say how we win him over.",
    ),
    "C-1009": Plan(
        "draft",
        "We help Castello Hotels give every guest the same experience in 50 hotels and reach zero single-use plastic by 2027: one central catalogue of refill amenities and compostable food-service packaging, delivered even to the islands.",
        45,
        "Marco Bianchi wants one supplier for all hotels; Francesca Ricci champions refill dispensers.",
        "5 % share; we have never met Giulia Romano; no delivery route to the islands.",
        "12 openings in Spain and Greece; central procurement is new.",
        "HoReCa Italia knows every hotel manager; hotels still buy food service locally.",
        "Opening kits on time for the first new hotels\nA refill pilot in three hotels\nA meeting with the COO",
        [
            Objective("Become the central supplier for amenities", "Central buying is new and the first supplier in the catalogue sets the standard.", "manager", "Hotels ordering amenities from us", "hotels", D("3"), D("38"), AT_RISK),
            Objective("Equip every new hotel from its first day", "Openings are fixed dates: a reliable way in.", "manager", "New hotels opened with our kits", "hotels", D("0"), D("12"), ON),
        ],
        [
            Action("Agree the opening kit list with Marco Bianchi", -8, DONE, "manager", 2, "Opening kits for the 12 new hotels"),
            Action("Start the refill pilot in three Milan hotels", 11, OPEN, "manager", 1, "Refill dispensers and plastic-free amenities for 38 hotels"),
            Action("Send compostable samples to the central kitchen", -2, OPEN, "manager", 1, "Compostable packaging for breakfast and room service"),
            Action("Ask Luca Conti for an introduction to Giulia Romano", 21, OPEN, "director", 1),
            Action("Cost the island deliveries through Naples", 35, OPEN, "manager", 0, "Island deliveries through our Naples cross-dock"),
        ],
        [
            Risk("Hotel managers keep buying locally", "high", "medium", "Make the central catalogue cheaper than local buying for the top 50 items.", "manager"),
            Risk("Opening dates slip and kits sit in our warehouse", "medium", "low", "Deliver kits on call-off two weeks before each opening.", "manager"),
        ],
        [
            Engagement("manager", "Marco Bianchi", "Central procurement review", "monthly", 7, 24),
            Engagement("manager", "Francesca Ricci", "Refill pilot review", "monthly", 14, 44),
        ],
    ),
    "C-1010": Plan(
        "approved",
        "We serve Vistula Hardware with our standard carton range at the lowest landed cost: full trucks to one DC, no special service.",
        100,
        "Tender lot 2 won; reliable full-truck deliveries.",
        "A price-only relationship; their finance is sceptical of any change in terms.",
        "Own-brand growth; DC consolidation in Łódź.",
        "Baltic Box undercuts every tender; Vistula's margin of 2.1 % leaves none for us.",
        "Full trucks only\nNo custom work at tender prices\nOrders by EDI",
        [
            Objective("Serve the tender at a profit", "A streamline account must pay its way.", "manager", "Net margin on the account", "%", D("1.5"), D("4.0"), ON, True),
            Objective("Deliver only full trucks to the Łódź DC", "Part-loads are what makes the account unprofitable.", "manager", "Deliveries as full trucks", "%", D("40"), D("90"), ON),
        ],
        [
            Action("Agree the weekly delivery day with Tomasz Wiśniewski", -20, DONE, "manager", 2, "Full-truck deliveries only to the Łódź DC"),
            Action("Stop part-load deliveries from our Poznań warehouse", 3, IN_PROGRESS, "manager", 2, "Full-truck deliveries only to the Łódź DC"),
            Action("Prepare the price file for next year's tender", 60, OPEN, "manager", 1, "Standard shipping cartons, tender lot 2"),
            Action("Review the account margin after six months", 30, OPEN, "director", 1),
        ],
        [
            Risk("Baltic Box undercuts the next tender", "high", "medium", "Bid only the sizes we run at full speed; accept losing the rest.", "manager"),
            Risk("Vistula asks for 90-day terms again", "medium", "low", "Answer with the financing cost built into the price.", "manager"),
        ],
        [
            Engagement("manager", "Agnieszka Nowak", "Quarterly tender review", "quarterly", 20, 70),
            Engagement("director", "Piotr Kowalski", "Annual tender meeting", "yearly", 120, 240),
        ],
    ),
    "C-1011": Plan(
        "submitted",
        "We serve Atlas Office Supplies with standard boxes ordered by EDI and sized for their new automated packing line — and use this year to test whether there is more to build.",
        260,
        "EDI ordering is live; Sanne Jansen supports us.",
        "A transactional relationship; the managing director has not met us for five months.",
        "Warehouse automation; the shift to hygiene and facility products.",
        "OfficePack NL offers standard boxes cheaper; Atlas may leave the programme at the annual review.",
        "Box sizes that fit the automated line\nA decision on drop shipment before the annual review",
        [
            Objective("Fit our boxes to the automated packing line", "Right-sized boxes are the one thing OfficePack cannot offer.", "manager", "Orders packed in right-sized boxes", "%", D("10"), D("70"), AT_RISK),
            Objective("Decide whether Atlas stays in the programme", "The annual review needs evidence, not impressions.", "director", "Evidence collected for the annual review", "items", D("0"), D("4"), ON, True),
        ],
        [
            Action("Measure the automated line's box formats with Bram Visser", -16, DONE, "coordinator", 1, "Right-sized boxes for the automated line"),
            Action("Send samples of six right-sized boxes", 5, IN_PROGRESS, "coordinator", 1, "Right-sized boxes for the automated line"),
            Action("Ask Eva Bakker how many SME customers would take drop shipment", -5, OPEN, "manager", 2, "Drop shipment of facility packaging to their SME customers"),
            Action("Write the keep-or-deselect note for the annual review", 40, OPEN, "manager", 2),
        ],
        [
            Risk("Atlas moves its standard boxes to OfficePack NL", "medium", "medium", "Keep EDI ordering and right-sized boxes as the reasons to stay.", "manager"),
        ],
        [
            Engagement("manager", "Sanne Jansen", "Review of EDI orders and box sizes", "quarterly", 25, 26),
            Engagement("coordinator", "Bram Visser", "Automation project check-in", "monthly", -2, 58),
        ],
    ),
    "C-1012": Plan(
        "draft",
        "We serve Lumen Electronics from standard stock with a fixed weekly delivery, and stop the rush orders that make the account lose money — or we let it go at the next review.",
        400,
        "Lotte Maes would accept a weekly slot; the repacking team likes our boxes.",
        "The account loses money (rush orders, returns, rebates); the CFO blocks and the CEO is sceptical.",
        "Their move to e-commerce; new bank financing.",
        "Shenzhen DirectPack imports cheaper boxes; Lumen's loss and net debt of 4.6× EBITDA.",
        "Weekly delivery slot in place\nRush orders down by three quarters\nShorter payment terms",
        [
            Objective("Turn the account profitable", "It lost money last year; de-selection is the alternative.", "manager", "Net account profit", "EUR", D("-40000"), D("30000"), OFF, True, kind="net_profit"),
            Objective("Replace rush orders by a weekly slot", "Rush orders drive most of the cost to serve.", "manager", "Rush orders", "per month", D("22"), D("4"), AT_RISK),
            Objective("Shorten Lumen's payment terms before the financing closes", "Their new bank financing is the moment to ask.", "manager", "Payment terms", "days", D("90"), D("45"), LAPSED),
        ],
        [
            Action("Agree the fixed weekly delivery slot with Lotte Maes", -9, OPEN, "manager", 2, "Fixed weekly delivery slot instead of rush orders"),
            Action("Introduce the rush-order surcharge from next month", 15, OPEN, "manager", 1, "Minimum order quantity and a rush-order surcharge"),
            Action("Offer twelve stock box sizes to Bart Claes", 20, OPEN, "manager", 1, "Standard retail boxes from stock instead of custom prints"),
            Action("Cancel the custom-print rerun for the autumn range", -30, CANCELLED, "manager", 1),
            Action("Prepare the de-selection case for the programme review", 50, OPEN, "director", 1),
        ],
        [
            Risk("Lumen cannot pay under its new financing", "medium", "high", "Credit-insure the account and cap open orders at EUR 150,000.", "director"),
            Risk("The surcharge pushes them to Shenzhen DirectPack", "high", "low", "Accept it: the account loses money today.", "manager"),
        ],
        [
            Engagement("manager", "Lotte Maes", "Weekly order planning call", "weekly", -1, 8),
            Engagement("director", "Inge Willems", "Payment terms discussion", "quarterly", 14, 90),
        ],
    ),
}
# fmt: on
