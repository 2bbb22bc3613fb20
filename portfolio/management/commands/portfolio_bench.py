"""Time the portfolio dashboard on a programme of the size the issue names.

    createdb -h 127.0.0.1 -U postgres portfolio_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portfolio_bench python manage.py migrate
    DATABASE_URL=... python manage.py portfolio_bench --build

`--build` bulk-creates 2,000 key accounts (customers BENCH-…), 20,000 opportunities and
100,000 actions with plans, targets, measurements, engagement, profitability and class
changes — into the configured database, so point it at a throwaway one. Without `--build` it
only measures (median of --runs requests per URL, after two warm-up requests).
"""

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import (
    EXECUTIVE_GROUP,
    AccountEvent,
    Classification,
    Customer,
    KeyAccount,
    Membership,
    RelationshipStage,
    Role,
    User,
)
from discovery.models import ProfitabilityYear, Stakeholder
from opportunities.models import Opportunity
from planning.models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    Review,
    Target,
)

PREFIX = "BENCH-"


class Command(BaseCommand):
    help = "Build a large programme (--build) and time the portfolio dashboard, CSV and PDF."

    def add_arguments(self, parser):
        parser.add_argument("--build", action="store_true")
        parser.add_argument("--accounts", type=int, default=2000)
        parser.add_argument("--opportunities", type=int, default=20000)
        parser.add_argument("--actions", type=int, default=100000)
        parser.add_argument("--runs", type=int, default=15)

    def handle(self, *args, build, accounts, opportunities, actions, runs, **options):
        if build:
            if Customer.objects.filter(reference__startswith=PREFIX).exists():
                raise CommandError("Bench data exists already; measure without --build.")
            started = time.perf_counter()
            self._build(accounts, opportunities, actions)
            self.stdout.write(f"Built in {time.perf_counter() - started:.0f} s.")
        self._measure(runs)

    @transaction.atomic
    def _build(self, n_accounts, n_opportunities, n_actions):
        rng = random.Random(9)  # noqa: S311 - test data
        today = timezone.localdate()
        now = timezone.now()
        users = User.objects.bulk_create(
            [
                User(username=f"bench-dir-{i}", first_name="Director", last_name=f"{i}")
                for i in range(40)
            ]
            + [
                User(username=f"bench-mgr-{i}", first_name="Manager", last_name=f"{i}")
                for i in range(100)
            ]
            + [User(username="bench-exec", first_name="Bench", last_name="Executive")]
        )
        directors, managers, executive = users[:40], users[40:140], users[140]
        executive.groups.add(Group.objects.get(name=EXECUTIVE_GROUP))
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    reference=f"{PREFIX}{i:05d}",
                    name=f"Bench customer {i:05d}",
                    sector=rng.choice(["Food", "Retail", "Chemicals", "Logistics", "Pharma"]),
                    annual_revenue=Decimal(rng.randint(100, 9000) * 1000),
                    attractiveness_score=Decimal(rng.randint(1, 99)),
                    strength_score=Decimal(rng.randint(1, 99)),
                )
                for i in range(n_accounts)
            ],
            batch_size=1000,
        )
        accounts = KeyAccount.objects.bulk_create(
            [
                KeyAccount(
                    customer=c,
                    classification=rng.choice(Classification.values),
                    relationship_stage=rng.choice(RelationshipStage.values),
                    selection_rationale="Bench.",
                    selected_on=today - timedelta(days=400),
                )
                for c in customers
            ],
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            [
                Membership(user=directors[i % 40], key_account=a, role=Role.DIRECTOR)
                for i, a in enumerate(accounts)
            ]
            + [
                Membership(user=managers[i % 100], key_account=a, role=Role.MANAGER)
                for i, a in enumerate(accounts)
            ],
            batch_size=2000,
        )
        plans = AccountPlan.objects.bulk_create(
            [
                AccountPlan(
                    key_account=a,
                    period="FY2027",
                    status=rng.choice(["draft", "submitted", "approved", "returned"]),
                    approved_at=now - timedelta(days=rng.randint(0, 300)),
                    value_proposition_refreshed_on=today - timedelta(days=rng.randint(0, 500)),
                    submitted_at=now - timedelta(days=rng.randint(0, 30)),
                )
                for a in accounts
            ],
            batch_size=1000,
        )
        objectives = Objective.objects.bulk_create(
            [Objective(plan=p, title="Grow") for p in plans], batch_size=1000
        )
        targets = Target.objects.bulk_create(
            [
                Target(
                    objective=o,
                    kpi=kpi,
                    unit=unit,
                    baseline=Decimal(100),
                    baseline_on=today - timedelta(days=200),
                    target_value=Decimal(rng.randint(150, 300)),
                    due_on=today + timedelta(days=rng.randint(-30, 300)),
                )
                for o in objectives
                for kpi, unit in (("Revenue", "EUR"), ("Net profit", "EUR"), ("Share", "%"))
            ],
            batch_size=2000,
        )
        Measurement.objects.bulk_create(
            [
                Measurement(
                    target=t,
                    measured_on=today - timedelta(days=10),
                    actual=Decimal(rng.randint(90, 250)),
                )
                for t in targets
            ],
            batch_size=2000,
        )
        stakeholders = Stakeholder.objects.bulk_create(
            [
                Stakeholder(key_account=a, name=f"Contact {j}", influence="high")
                for a in accounts
                for j in range(2)
            ],
            batch_size=2000,
        )
        EngagementActivity.objects.bulk_create(
            [
                EngagementActivity(
                    plan=plans[i // 2],
                    our_person=managers[(i // 2) % 100],
                    stakeholder=s,
                    purpose="Review",
                    cadence="quarterly",
                    next_due_on=today + timedelta(days=rng.randint(-40, 60)),
                )
                for i, s in enumerate(stakeholders)
            ],
            batch_size=2000,
        )
        Review.objects.bulk_create(
            [
                Review(
                    plan=p,
                    quarter="2026-Q3",
                    opened_on=today - timedelta(days=60),
                    due_on=today - timedelta(days=30),
                    completed_at=now - timedelta(days=rng.randint(20, 200)),
                )
                for p in plans
            ],
            batch_size=2000,
        )
        Action.objects.bulk_create(
            [
                Action(
                    plan=plans[i % len(plans)],
                    title=f"Action {i}",
                    due_on=today + timedelta(days=rng.randint(-60, 90)),
                    status=rng.choice(["open", "in_progress", "waiting", "done"]),
                )
                for i in range(n_actions)
            ],
            batch_size=5000,
        )
        Opportunity.objects.bulk_create(
            [
                Opportunity(
                    key_account=accounts[i % len(accounts)],
                    title=f"Opportunity {i}",
                    lever=rng.choice(Opportunity.Lever.values),
                    status=rng.choice(Opportunity.Status.values),
                    quadrant=rng.choice(["quick_win", "major_project", "fill_in", "drop"]),
                    annual_value=Decimal(rng.randint(10, 900) * 1000),
                    identified_on=today - timedelta(days=100),
                    expected_start_on=today + timedelta(days=rng.randint(-300, 600)),
                )
                for i in range(n_opportunities)
            ],
            batch_size=5000,
        )
        ProfitabilityYear.objects.bulk_create(
            [
                ProfitabilityYear(
                    key_account=a,
                    year=today.year - back,
                    gross_sales=Decimal(rng.randint(100, 9000) * 1000),
                    other_costs=Decimal(rng.randint(50, 8000) * 1000),
                )
                for a in accounts
                for back in (0, 1)
            ],
            batch_size=2000,
        )
        AccountEvent.objects.bulk_create(
            [
                AccountEvent(
                    key_account=a,
                    kind=AccountEvent.Kind.CLASS_CHANGED,
                    summary="Class changed",
                    old_value=rng.choice(Classification.values),
                    new_value=a.classification,
                    occurred_at=now - timedelta(days=rng.randint(1, 300)),
                )
                for a in accounts[::10]
            ],
            batch_size=2000,
        )

    def _measure(self, runs):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        who = {
            "executive (all accounts)": User.objects.filter(username="bench-exec").first(),
            "director (50 accounts)": User.objects.filter(username="bench-dir-0").first(),
        }
        if not all(who.values()):
            raise CommandError("No bench users: run with --build first.")
        self.stdout.write(
            f"{connection.vendor}: {KeyAccount.objects.count()} key accounts, "
            f"{Opportunity.objects.count()} opportunities, {Action.objects.count()} actions"
        )
        for label, user in who.items():
            client = Client()
            client.force_login(user)
            for url in ("/portfolio/", "/portfolio/?sort=-overdue&bubble=profit",
                        "/portfolio/health.csv", "/portfolio/portfolio.pdf"):  # fmt: skip
                for _ in range(2):
                    client.get(url)
                times = []
                for _ in range(runs):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.status_code
                self.stdout.write(
                    f"{label:26} {url:42} median {statistics.median(times):6.0f} ms  "
                    f"max {max(times):6.0f} ms  {len(queries.captured_queries)} queries"
                )
