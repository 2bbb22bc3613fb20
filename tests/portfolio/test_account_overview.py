"""The account overview (issue 19): the page a director opens before a call shows the plan's
status and health with its reasons, revenue and net profit by year, target status, overdue
actions, the open pipeline and the next meeting. Every figure is worked out here by hand from
the planted rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    KeyAccountFactory,
    MeetingFactory,
    MembershipFactory,
    ObjectiveFactory,
    OpportunityFactory,
    ProfitabilityYearFactory,
    TargetFactory,
)
from tests.html_checks import page_problems

pytestmark = pytest.mark.django_db


def _measure(target, actual):
    target.measurements.create(measured_on=timezone.localdate(), actual=Decimal(actual))


@pytest.fixture
def planted(account, people):
    today = timezone.localdate()
    plan = AccountPlanFactory(key_account=account, period="FY2027", status="submitted")
    objective = ObjectiveFactory(plan=plan, title="Grow the chilled range")
    # Half the time gone (180 of 360 days) and no progress: off track (gap 0.5 > 0.25).
    behind = TargetFactory(
        objective=objective,
        kpi="Chilled revenue",
        baseline_on=today - timedelta(days=180),
        due_on=today + timedelta(days=180),
    )
    _measure(behind, "100")
    reached = TargetFactory(objective=objective, kpi="New listings")  # 200 of 200: on track
    _measure(reached, "200")
    ActionFactory(plan=plan, title="Send the tray samples", due_on=today - timedelta(days=3))
    ActionFactory(plan=plan, title="Done late", due_on=today - timedelta(days=9), status="done")
    ActionFactory(plan=plan, title="Book the pilot line", due_on=today + timedelta(days=5))
    for year, sales, cogs, discounts, transport in (
        (2024, "1000000", "600000", "50000", "30000"),
        (2025, "1200000", "700000", "60000", "40000"),
    ):
        ProfitabilityYearFactory(
            key_account=account,
            year=year,
            gross_sales=Decimal(sales),
            cost_of_goods=Decimal(cogs),
            discounts=Decimal(discounts),
            transport=Decimal(transport),
        )
    OpportunityFactory(
        key_account=account, title="Cold-chain pilot", annual_value=Decimal("150000")
    )
    OpportunityFactory(
        key_account=account,
        title="Tray service",
        status="qualified",
        annual_value=Decimal("50000"),
        profit_potential=Decimal("5000"),
    )
    OpportunityFactory(key_account=account, title="Already won", status="won")
    now = timezone.now()
    MeetingFactory(
        key_account=account, title="Last quarter's review", starts_at=now - timedelta(days=9)
    )
    MeetingFactory(
        key_account=account,
        title="Cancelled visit",
        starts_at=now + timedelta(days=1),
        cancelled_at=now,
    )
    MeetingFactory(
        key_account=account, title="Steering committee", starts_at=now + timedelta(days=2)
    )
    MeetingFactory(key_account=account, title="Plant tour", starts_at=now + timedelta(days=6))
    return plan


def _overview(client_for, user, account):
    response = client_for(user).get(reverse("accounts:account_detail", args=[account.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_overview_shows_plan_health_and_why(client_for, people, account, planted):
    html = _overview(client_for, people.director, account)
    assert "Plan FY2027</a>: <strong>Submitted</strong>" in html
    # One overdue action: −5; one target off track, the other on track: −10.
    assert "<li>Overdue actions: 1 overdue (−5)</li>" in html
    assert "<li>Targets: 1 off track, 0 at risk, 0 not measured yet (−10)</li>" in html
    assert page_problems(html) == []


def test_overview_shows_revenue_and_net_profit_by_year(client_for, people, account, planted):
    html = _overview(client_for, people.director, account)
    # Net profit = gross margin − cost to serve: 2024: 400,000 − 80,000; 2025: 500,000 − 100,000.
    assert "EUR 1,000,000" in html and "EUR 320,000" in html
    assert "EUR 1,200,000" in html and "EUR 400,000" in html
    # 2025 on 2024: revenue +20.0 %, net profit 80,000 / 320,000 = +25.0 %.
    assert "+20.0 %" in html and "+25.0 %" in html


def test_overview_shows_targets_overdue_pipeline_and_next_meeting(
    client_for, people, account, planted
):
    html = _overview(client_for, people.director, account)
    assert "1 on track · 1 off track" in html
    plan_url = reverse("planning:plan", args=[account.pk])
    behind = planted.objectives.get().targets.get(kpi="Chilled revenue")
    assert (
        f'<a href="{plan_url}#target-{behind.pk}">Chilled revenue</a>: '
        '<span class="text-overdue">Off track</span> (0 % of the way, 50 %' in html
    )
    assert "Overdue actions: 1</h2>" in html
    assert "Send the tray samples" in html
    assert "Done late" not in html and "Book the pilot line" not in html
    # Open statuses only: 150,000 + 50,000 a year; profit 20,000 + 5,000.
    assert "2 open opportunities, EUR 200,000 a year, profit potential EUR 25,000" in html
    assert "Already won" not in html
    next_meeting = html[html.index('id="ov-meeting"') :]
    assert next_meeting.index("Steering committee") < next_meeting.index("</section>")
    assert "Cancelled visit" not in next_meeting[: next_meeting.index("</section>")]
    assert "Plant tour" not in html


def test_overview_of_an_account_without_plan_or_figures(client_for, people, account):
    html = _overview(client_for, people.manager, account)
    assert "No current plan." in html
    assert "No profitability year recorded." in html
    assert "0 open opportunities" in html
    assert "None booked." in html


def test_an_outsider_gets_404_and_an_executive_reads_it(client_for, people, account, planted):
    url = reverse("accounts:account_detail", args=[account.pk])
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.executive).get(url).status_code == 200


def _grow(account, n):
    plan = account.plans.get(is_current=True)
    objective = ObjectiveFactory(plan=plan)
    for i in range(n):
        _measure(TargetFactory(objective=objective, kpi=f"KPI {i}"), "150")
        ActionFactory(plan=plan, due_on=timezone.localdate() - timedelta(days=i + 1))
        OpportunityFactory(key_account=account)
        MeetingFactory(key_account=account)
        ProfitabilityYearFactory(key_account=account, year=2000 + i)
    # Another account's rows are never read.
    other = KeyAccountFactory()
    MembershipFactory(key_account=other, role=Role.DIRECTOR)
    ActionFactory(plan=AccountPlanFactory(key_account=other), due_on=timezone.localdate())


@pytest.mark.parametrize("n", [1, 15])
def test_overview_costs_a_fixed_number_of_queries(
    client_for, people, account, planted, django_assert_max_num_queries, n
):
    _grow(account, n)
    client = client_for(people.director)
    url = reverse("accounts:account_detail", args=[account.pk])
    # Session, user, account, roles, team, timeline, programme, unread badge; plan, health (six,
    # and outcomes' value and issue counts), targets, overdue (list and count), years, pipeline
    # (sum and first three), next meeting, value delivered this year, open customer issues;
    # the customer's joint-review answers and workspace visits (two customer health rules);
    # the overdue count when more are overdue than listed.
    with django_assert_max_num_queries(28):
        assert client.get(url).status_code == 200


def test_overview_lists_link_to_what_they_name(client_for, people, account, planted):
    """Each target, overdue action and opportunity the overview names opens in one click: the
    target's row on the plan page, the action's page (its progress), the opportunity's page."""
    client = client_for(people.director)
    html = _overview(client_for, people.director, account)
    target = planted.objectives.get().targets.get(kpi="Chilled revenue")
    action = planted.actions.get(title="Send the tray samples")
    pilot = account.opportunities.get(title="Cold-chain pilot")
    plan_url = reverse("planning:plan", args=[account.pk])
    links = {
        f"{plan_url}#target-{target.pk}": "Chilled revenue",
        reverse("delivery:action_detail", args=[account.pk, action.pk]): "Send the tray samples",
        reverse(
            "opportunities:opportunity_detail", args=[account.pk, pilot.pk]
        ): "Cold-chain pilot",
    }
    for href, text in links.items():
        assert f'<a href="{href}">{text}</a>' in html
        page = client.get(href.split("#")[0])
        assert page.status_code == 200
        assert text in page.content.decode()
    assert f'id="target-{target.pk}"' in client.get(plan_url).content.decode()


def test_the_pipeline_says_how_many_more_there_are_than_it_lists(client_for, people, account):
    """ "6 open opportunities" above three of them read as if they were all; the list says it
    shows the highest priority three and how many more the Opportunities tab has."""
    for i in range(5):
        OpportunityFactory(key_account=account, title=f"Idea {i}", status="idea")
    html = " ".join(_overview(client_for, people.director, account).split())
    assert "5 open opportunities" in html
    assert "The 3 with the highest priority; 2 more on the Opportunities tab:" in html
    assert html.count("(idea, EUR 100,000)") == 3
