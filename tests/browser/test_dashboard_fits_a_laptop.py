"""The dashboard's plan health and performance tables fit a 1280 px laptop screen, in English
and in French: with 18 columns the health table was 200 px (English) and 413 px (French) wider
than its box, so "Confirmed value" and "Open high issues" were off screen until the reader
scrolled sideways; the French performance table was 109 px over. The portfolio planted here
is the size of the demo's, with its long names, both roles of every team filled and every
figure of a row set (the widest a cell gets)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Programme, Role
from outcomes.services import confirm_value_delivered, customer_issue_save, value_delivered_save
from planning.models import HealthRecord
from tests.browser.helpers import log_in
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    KeyAccountFactory,
    MembershipFactory,
    ObjectiveFactory,
    ProfitabilityYearFactory,
    StakeholderFactory,
    TargetFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
LAST = TODAY.year - 1  # the latest complete year: the one the performance table shows
# The demo's longest customer names and a few longer ones, as real portfolios have.
NAMES = [
    "Meridian Airlines Catering",
    "Nordic Pharma Logistics",
    "Atlas Office Supplies",
    "Baltic Marine Supply",
    "Helios Retail Group",
    "Compagnie Générale des Eaux Minérales",
    "Vereinigte Lebensmittelwerke Süd",
    "Gaia Organic Farms",
    "Rheinland Chemie",
    "Sunvale Beverages",
    "Iberia Packaging",
    "Lumen Electronics",
]


def _value(account, amount, *, confirmed_by=None):
    entry = value_delivered_save(
        account=account,
        entry=None,
        fields={
            "title": "Stock-outs halved",
            "delivered_on": date(TODAY.year, 1, 1),
            "measure": "money",
            "amount": Decimal(amount),
            "unit": "",
        },
        acting_user=None,
    )
    if confirmed_by:
        confirm_value_delivered(entry, stakeholder=confirmed_by, confirmed_on=TODAY)


def _issue(account, owner):
    customer_issue_save(
        account=account,
        issue=None,
        fields={
            "title": "Late deliveries",
            "severity": "high",
            "owner": owner,
            "raised_on": TODAY - timedelta(days=3),
            "due_on": TODAY + timedelta(days=7),
            "status": "open",
            "resolution": "",
            "customer_visible": False,
            "description": "",
        },
        acting_user=None,
    )


@pytest.fixture
def demo_portfolio(people):
    """Twelve accounts directed by Dana and managed by Max, each with a current plan (approved,
    reviewed), targets of each status, overdue actions, confirmed value, an open high issue, a
    health record a month old, two years of figures and revenue and profit targets."""
    Programme.ensure()
    people.director.first_name, people.director.last_name = "Margarethe", "Vandenberghe"
    people.director.save()
    people.manager.first_name, people.manager.last_name = "Maximilian", "Oberhuber-Santos"
    people.manager.save()
    now = timezone.now()
    money = {"measure": "amount", "currency": "EUR", "unit": "EUR"}
    for n, name in enumerate(NAMES):
        account = KeyAccountFactory(customer__name=name, customer__sector="Food manufacturing")
        MembershipFactory(user=people.director, key_account=account, role=Role.DIRECTOR)
        MembershipFactory(user=people.manager, key_account=account, role=Role.MANAGER)
        plan = AccountPlanFactory(
            key_account=account, period="FY2027", status="approved", approved_at=now
        )
        objective = ObjectiveFactory(plan=plan)
        TargetFactory(objective=objective, kpi="Share of wallet", measure="percent", unit="%")
        TargetFactory.create_batch(2, objective=objective, kpi="Service level")
        TargetFactory(
            objective=objective,
            kpi="Revenue",
            kind="revenue",
            target_value=Decimal("15500000"),
            due_on=date(LAST, 12, 31),
            baseline_on=date(LAST - 1, 1, 1),
            **money,
        )
        TargetFactory(
            objective=objective,
            kpi="Net profit",
            kind="net_profit",
            target_value=Decimal("2750000"),
            due_on=date(LAST, 12, 31),
            baseline_on=date(LAST - 1, 1, 1),
            **money,
        )
        ActionFactory.create_batch(
            n % 3 + 10, plan=plan, owner=people.manager, due_on=TODAY - timedelta(days=5)
        )
        EngagementActivityFactory(plan=plan, our_person=people.manager)
        HealthRecord.objects.create(plan=plan, recorded_on=TODAY - timedelta(days=30), score=99)
        buyer = StakeholderFactory(key_account=account)
        _value(account, "1250000", confirmed_by=buyer)
        _value(account, "1187500")
        _issue(account, people.manager)
        ProfitabilityYearFactory(
            key_account=account,
            year=LAST - 1,
            gross_sales=Decimal("13950000") + n,
            other_costs=Decimal("11800000"),
        )
        ProfitabilityYearFactory(
            key_account=account,
            year=LAST,
            gross_sales=Decimal("14838462") + n,
            other_costs=Decimal("12300000"),
        )


OVER = """sel => { const box = document.querySelector(sel);
  return box.scrollWidth - box.clientWidth; }"""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_dashboards_tables_fit_a_laptop_screen(page, people, demo_portfolio, language):
    """Nothing of either table is off screen at 1280 × 800 (their boxes do not scroll), nor once
    every row's "Why" is open. Measured with this portfolio before the columns were merged:
    health 231 px over in English, 423 in French; performance 148 and 35 (the targets' notes
    did not wrap)."""
    people.director.language = language
    people.director.save()
    log_in(page, people.director, width=1280, height=800)
    page.goto("/portfolio/")
    health = "[aria-labelledby=plan-health-caption]"
    performance = "[aria-labelledby=performance-caption]"
    assert page.locator(f"{health} tbody tr").count() == len(NAMES)
    assert page.locator(f"{performance} tbody tr").count() == len(NAMES)
    assert page.evaluate(OVER, health) == 0
    assert page.evaluate(OVER, performance) == 0
    # The last column's figure is on screen: an open high issue on every row.
    issues = page.locator(f"{health} tbody tr").first.locator("td").last
    box = issues.bounding_box()
    assert issues.inner_text().strip() == "1"
    assert box["x"] + box["width"] <= 1280
    page.evaluate("() => document.querySelectorAll('.portfolio-why').forEach(d => d.open = true)")
    assert page.evaluate(OVER, health) == 0
