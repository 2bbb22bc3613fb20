# ruff: noqa: E501 -- data tables read best one row per line.
"""Discovery demo data for generated accounts (--scale): an organisation chart of
GENERATED_ORG_CHART stakeholders and three profitability years per account, in bulk.

Accounts that already have stakeholders (or profitability years) are skipped, decided with one
query per kind, so a second run with the same scale creates nothing.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from accounts.models import Membership, Role

from ..models import ProfitabilityYear, Stakeholder

DM, INF, USR, GK, BUY = "decision_maker", "influencer", "user", "gatekeeper", "buyer"
# Shares of gross sales per cost line (as discovery's hand-written "default" accounts).
# Cost of goods, then the cost-to-serve lines (see COST_LINES), as shares of gross sales.
COST_SHARES = ("0.67", "0.025", "0.015", "0.03", "0.005", "0.01", "0.015", "0.005")
COST_LINES = ("cost_of_goods", *ProfitabilityYear.COST_TO_SERVE_FIELDS)


# title, department, buying role, influence, reports to (index into this list; bosses first)
GENERATED_ORG_CHART = [
    ("Chief executive officer", "Executive", DM, "high", None),
    ("Chief operating officer", "Operations", DM, "high", 0),
    ("Chief financial officer", "Finance", DM, "high", 0),
    ("Head of procurement", "Procurement", BUY, "high", 1),
    ("Head of supply chain", "Supply chain", INF, "high", 1),
    ("Quality director", "Quality", GK, "medium", 1),
    ("Sustainability manager", "Sustainability", INF, "medium", 0),
    ("Category buyer", "Procurement", BUY, "medium", 3),
    ("Assistant buyer", "Procurement", BUY, "low", 3),
    ("Plant manager", "Operations", USR, "medium", 1),
    ("Logistics manager", "Logistics", USR, "medium", 4),
    ("Warehouse supervisor", "Logistics", USR, "low", 10),
    ("Demand planner", "Supply chain", USR, "low", 4),
    ("R&D manager", "R&D", INF, "medium", 1),
    ("Packaging technologist", "R&D", INF, "low", 13),
    ("Financial controller", "Finance", GK, "medium", 2),
    ("Accounts payable lead", "Finance", GK, "low", 15),
    ("Marketing director", "Marketing", INF, "medium", 0),
    ("Customer service lead", "Sales", USR, "low", 17),
    ("Executive assistant to the CEO", "Executive", GK, "low", 0),
]
SECTOR_TITLES = {  # where the chart's generic title does not fit the sector
    "Retail": {9: "Store operations manager", 13: "Own-brand development manager"},
    "Logistics": {9: "Site manager", 13: "Solutions design manager"},
    "Chemicals": {5: "Head of EHS and quality"},
}
FIRST_NAMES = {
    "DE": "Anna Jonas Katharina Lukas Sabine Matthias Julia Stefan Laura Tobias Claudia Felix Nina Andreas Petra Jan",
    "FR": "Camille Julien Claire Nicolas Sophie Mathieu Élise Antoine Manon Pierre Chloé Thomas Léa Olivier Inès Hugo",
    "ES": "Lucía Javier Carmen Pablo Marta Sergio Elena Alberto Laura Diego Rocío Andrés Paula Miguel Sara Raúl",
    "IT": "Giulia Marco Chiara Luca Francesca Matteo Sara Davide Elena Andrea Valentina Simone Federica Paolo Marta Stefano",
    "PL": "Anna Piotr Katarzyna Tomasz Magdalena Paweł Agnieszka Michał Joanna Krzysztof Ewa Marcin Monika Jakub Zofia Adam",
}  # fmt: skip
LAST_NAMES = {
    "DE": "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz Koch Richter Klein Wolf Neumann Braun",
    "FR": "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia Fournier",
    "ES": "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Álvarez",
    "IT": "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca Costa Giordano",
    "PL": "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk",
}  # fmt: skip
ATTITUDES = ["champion", "supporter", "supporter", "neutral", "neutral", "neutral", "sceptic", "blocker"]  # fmt: skip
BATCH = 2000


def _generated_accounts(ctx) -> list:
    return [a for a in ctx.accounts if a.customer.reference.startswith("GEN-")]


def _accounts_having(model) -> set[int]:
    """Ids of generated accounts that already have rows of `model` (one query)."""
    return set(
        model.objects.filter(key_account__customer__reference__startswith="GEN-")
        .values_list("key_account_id", flat=True)
        .distinct()
    )


def _depth(index: int) -> int:
    boss = GENERATED_ORG_CHART[index][4]
    return 0 if boss is None else 1 + _depth(boss)


def _generated_stakeholders(ctx, generated) -> int:
    """An organisation chart per account, one bulk insert per reporting level (bosses first,
    so each level can point at the saved rows of the level above)."""
    done = _accounts_having(Stakeholder)
    todo = [a for a in generated if a.pk not in done]
    if not todo:
        return 0
    team = defaultdict(list)
    for account_id, user_id in Membership.objects.filter(
        key_account__customer__reference__startswith="GEN-",
        role__in=[Role.DIRECTOR, Role.MANAGER],
    ).values_list("key_account_id", "user_id"):
        team[account_id].append(user_id)
    rng = ctx.rng
    size = len(GENERATED_ORG_CHART)
    charts = {}  # account id -> list of unsaved Stakeholders in chart order
    for account in todo:
        code = account.customer.country.code
        country = code if code in FIRST_NAMES else "DE"
        firsts, lasts = FIRST_NAMES[country].split(), LAST_NAMES[country].split()
        picks = rng.sample(range(len(firsts) * len(lasts)), size)
        titles = SECTOR_TITLES.get(account.customer.sector, {})
        owners = team.get(account.pk, []) + [None]
        chart = []
        for i, (title, department, role, influence, _boss) in enumerate(GENERATED_ORG_CHART):
            first, last = divmod(picks[i], len(lasts))
            days = rng.randint(3, 240)
            chart.append(
                Stakeholder(
                    key_account=account,
                    name=f"{firsts[first]} {lasts[last]}",
                    title=titles.get(i, title),
                    department=department,
                    buying_role=role,
                    influence=influence,
                    attitude=rng.choice(ATTITUDES),
                    owner_id=rng.choice(owners) if influence != "low" else None,
                    last_contact_on=ctx.today - timedelta(days=days) if days < 220 else None,
                )
            )
        charts[account.pk] = chart
    levels = defaultdict(list)
    for i in range(size):
        levels[_depth(i)].append(i)
    for depth in sorted(levels):
        wave = []
        for chart in charts.values():
            for i in levels[depth]:
                boss = GENERATED_ORG_CHART[i][4]
                if boss is not None:
                    chart[i].reports_to = chart[boss]
                wave.append(chart[i])
        Stakeholder.objects.bulk_create(wave, batch_size=BATCH)
    return size * len(charts)


def _generated_profitability(ctx, generated) -> None:
    done = _accounts_having(ProfitabilityYear)
    shares = [Decimal(s) for s in COST_SHARES]
    rows = []
    for account in generated:
        if account.pk in done:
            continue
        latest = account.customer.annual_revenue or Decimal("500000")
        growth = Decimal(ctx.rng.choice(["0.95", "1.00", "1.03", "1.06", "1.12"]))
        for back in (3, 2, 1):
            sales = (latest / growth ** (back - 1)).quantize(Decimal("1000"))
            rows.append(
                ProfitabilityYear(
                    key_account=account,
                    year=ctx.today.year - back,
                    gross_sales=sales,
                    **{
                        name: (sales * share).quantize(Decimal("1"))
                        for name, share in zip(COST_LINES, shares, strict=True)
                    },
                )
            )
    ProfitabilityYear.objects.bulk_create(rows, batch_size=BATCH)


def seed_generated(ctx) -> int:
    """Seed the generated accounts; returns the number of stakeholders created."""
    generated = _generated_accounts(ctx)
    if not generated:
        return 0
    people = _generated_stakeholders(ctx, generated)
    _generated_profitability(ctx, generated)
    return people
