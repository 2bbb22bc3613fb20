"""Opportunities for generated accounts (--scale): GENERATED_PER_ACCOUNT each, in bulk.

Priority and quadrant come from the services' pure scoring functions (no per-row save).
Accounts that already have opportunities are skipped (one query), so a rerun creates nothing.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from accounts.models import Membership, Role
from discovery.models import Stakeholder

from .. import services
from ..models import Opportunity

L = Opportunity.Lever
B = Opportunity.Beneficiary
S = Opportunity.Status
D = Opportunity.Decision
BATCH = 2000

# Generated accounts (--scale): GENERATED_PER_ACCOUNT opportunities each, picked from these
# templates; {focus} is the account's sector focus.
GENERATED_PER_ACCOUNT = 10
SECTOR_FOCUS = {
    "Food manufacturing": "chilled range",
    "Retail": "own-brand range",
    "Chemicals": "adhesives line",
    "Logistics": "regional warehouses",
}
GENERATED_TEMPLATES = [
    ("Vendor-managed inventory for the {focus}", L.COST_TO_SERVE),
    ("Recyclable packaging for the {focus}", L.CROSS_SELL),
    ("Second-source volume on the {focus}", L.VOLUME),
    ("Premium format for the {focus}", L.TRADE_UP),
    ("Shared demand forecast for the {focus}", L.OTHER),
    ("Full-truck deliveries to the {focus}", L.COST_TO_SERVE),
    ("Co-developed product for the {focus}", L.NEW_PRODUCT),
    ("Payment terms review for the {focus}", L.CREDIT_TERMS),
    ("Technical support days for the {focus}", L.CROSS_SELL),
    ("Annual framework agreement for the {focus}", L.VOLUME),
    ("Returnable transit packaging for the {focus}", L.COST_TO_SERVE),
    ("Cold-chain lane for the {focus}", L.CROSS_SELL),
    ("EDI ordering for the {focus}", L.COST_TO_SERVE),
    ("Clean-label reformulation for the {focus}", L.NEW_PRODUCT),
]
# The life cycle of a generated account's ten opportunities: (status, decision, reason).
GENERATED_STATUSES = [
    (S.IDEA, "", ""),
    (S.IDEA, "", ""),
    (S.IDEA, "", ""),
    (S.QUALIFIED, "", ""),
    (S.QUALIFIED, D.HOLD, "Waiting for the customer's budget round."),
    (S.PURSUING, D.PURSUE, "Clear value for both sides; the account team has capacity."),
    (S.PURSUING, D.PURSUE, "Supports the customer's stated objective for next year."),
    (S.WON, D.PURSUE, "Low effort for a solid margin."),
    (S.LOST, D.PURSUE, "Worth a full proposal against the incumbent."),
    (S.DROPPED, D.DROP, "Too much effort for the margin it brings."),
]


def seed_generated(ctx) -> int:
    """GENERATED_PER_ACCOUNT opportunities per generated account, in bulk (scale > 1).

    Priority and quadrant come from the services' pure scoring functions. Accounts that
    already have opportunities are skipped (decided in one query), so a rerun creates nothing.
    """
    generated = [a for a in ctx.accounts if a.customer.reference.startswith("GEN-")]
    if not generated:
        return 0
    done = set(
        Opportunity.objects.filter(key_account__customer__reference__startswith="GEN-")
        .values_list("key_account_id", flat=True)
        .distinct()
    )
    todo = [a for a in generated if a.pk not in done]
    if not todo:
        return 0
    managers = dict(
        Membership.objects.filter(
            key_account__customer__reference__startswith="GEN-", role=Role.MANAGER
        ).values_list("key_account_id", "user_id")
    )
    people = defaultdict(list)
    for account_id, stakeholder_id in Stakeholder.objects.filter(
        key_account__customer__reference__startswith="GEN-"
    ).values_list("key_account_id", "pk"):
        people[account_id].append(stakeholder_id)
    rng = ctx.rng
    rows, links = [], []
    for account in todo:
        focus = SECTOR_FOCUS.get(account.customer.sector, "core range")
        templates = rng.sample(GENERATED_TEMPLATES, GENERATED_PER_ACCOUNT)
        for (title, lever), (status, decision, reason) in zip(
            templates, GENERATED_STATUSES, strict=True
        ):
            profit = rng.choice([12, 40, 60, 150, 300, 650]) * 1000
            opportunity = Opportunity(
                key_account=account,
                title=title.format(focus=focus),
                description=f"{account.name}: {title.format(focus=focus).lower()}.",
                lever=lever,
                beneficiary=rng.choice(B.values),
                annual_value=Decimal(profit * rng.randint(3, 8)),
                profit_potential=Decimal(profit),
                strategic_value_us=rng.randint(1, 5),
                strategic_value_customer=rng.randint(1, 5),
                effort=rng.randint(1, 5),
                risk=rng.randint(1, 5),
                status=status,
                decision=decision,
                decision_reason=reason,
                identified_on=ctx.today - timedelta(days=rng.randint(10, 400)),
                owner_id=managers.get(account.pk),
            )
            opportunity.priority = services.priority_for(opportunity)
            opportunity.quadrant = services.quadrant_for(opportunity)
            rows.append(opportunity)
    Opportunity.objects.bulk_create(rows, batch_size=BATCH)
    Link = Opportunity.stakeholders.through
    for opportunity in rows:
        candidates = people.get(opportunity.key_account_id)
        if candidates:
            links.append(Link(opportunity_id=opportunity.pk, stakeholder_id=rng.choice(candidates)))
    Link.objects.bulk_create(links, batch_size=BATCH)
    return len(rows)
