"""The director's decision inbox and the health table's "why" (issue 19): everything waiting for
one director's decision, on their home and the dashboard, and the off-track targets and
overdue actions behind each account's counts."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.models import AccountEvent
from planning.models import Review
from portfolio.selectors.decisions import decisions_waiting
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    ObjectiveFactory,
    QuoteFactory,
    QuoteLineFactory,
    TargetFactory,
)
from tests.html_checks import page_problems

pytestmark = pytest.mark.django_db


def _review(plan, quarter, *, days_open=10, **fields):
    today = timezone.localdate()
    return Review.objects.create(
        plan=plan,
        quarter=quarter,
        opened_on=today - timedelta(days=days_open),
        due_on=today - timedelta(days=days_open - 30),
        **fields,
    )


@pytest.fixture
def inbox(people, account, other_account):
    now = timezone.now()
    plan = AccountPlanFactory(key_account=account, status="submitted", submitted_at=now)
    AccountPlanFactory(key_account=other_account, status="submitted")  # Otto's, not Dana's
    _review(plan, "2026-Q3", days_open=40, escalated_at=now - timedelta(days=9))
    _review(plan, "2026-Q4")  # open, not escalated: nothing to decide yet
    proposal = _review(
        plan,
        "2026-Q2",
        days_open=120,
        completed_at=now - timedelta(days=80),
        decision=Review.Decision.CHANGE_CLASS,
        proposed_class="star",
        comments="The relationship has cooled.",
        completed_by=people.manager,
    )
    quote = QuoteFactory(key_account=account, overall_discount_percent=Decimal("20"))
    QuoteLineFactory(quote=quote)
    return {"plan": plan, "proposal": proposal, "quote": quote}


def test_only_directors_decide_and_only_on_accounts_they_direct(people, account, other_account):
    assert permissions.decision_account_ids(people.director) == {account.pk}
    for person in (people.manager, people.executive, people.programme_admin, people.coordinator):
        assert permissions.decision_account_ids(person) == set()


def test_the_inbox_gathers_each_kind_of_decision(people, inbox):
    decisions = decisions_waiting(user=people.director)
    assert [k.count for k in decisions.kinds] == [1, 1, 1, 1]
    assert decisions.count == 4
    assert decisions.kind("plans").items == [inbox["plan"]]
    assert decisions.kind("quotes").items == [inbox["quote"]]
    assert [r.quarter for r in decisions.kind("reviews").items] == ["2026-Q3"]
    assert decisions.kind("proposals").items == [inbox["proposal"]]
    assert decisions_waiting(user=people.other_director).kind("plans").count == 1
    assert decisions_waiting(user=people.manager).count == 0
    assert decisions_waiting(user=people.executive).count == 0


def test_a_proposal_leaves_the_inbox_once_answered(people, account, inbox):
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.CLASS_CHANGED,
        summary="Re-classified",
        occurred_at=timezone.now(),
    )
    assert decisions_waiting(user=people.director).kind("proposals").count == 0


def test_a_later_review_replaces_the_proposal(people, inbox):
    _review(
        inbox["plan"],
        "2026-Q1",
        completed_at=timezone.now() - timedelta(days=1),
        decision=Review.Decision.KEEP,
    )
    assert decisions_waiting(user=people.director).kind("proposals").count == 0


def test_home_lists_each_decision_with_the_link_where_it_is_made(
    client_for, people, account, inbox
):
    html = client_for(people.director).get("/").content.decode()
    assert "Waiting for your decision: 4" in html
    plan_link = reverse("planning:plan", args=[account.pk]) + "#workflow"
    assert f'<a href="{plan_link}">Northwind Foods — plan {inbox["plan"].period}' in html
    assert f'href="{inbox["quote"].get_absolute_url()}"' in html
    review_link = reverse("rhythm:review", args=[account.pk, inbox["proposal"].pk])
    assert f'<a href="{review_link}">Northwind Foods — change to Star proposed' in html
    reclassify = reverse("strategy:account_reclassify", args=[account.pk])
    assert f'href="{reclassify}?to=star">re-classify</a>' in html
    assert "Quarterly reviews escalated to you: 1" in html
    assert "Helios Retail" not in html
    assert page_problems(html) == []
    # The plan link opens the plan with its Approve button.
    plan_page = client_for(people.director).get(plan_link.split("#")[0]).content.decode()
    assert "Approve and freeze a version" in plan_page


def test_dashboard_shows_the_inbox_to_a_director_not_to_an_executive(client_for, people, inbox):
    url = reverse("portfolio:dashboard")
    assert "Waiting for your decision: 4" in client_for(people.director).get(url).content.decode()
    assert "Waiting for your decision" not in client_for(people.executive).get(url).content.decode()


@pytest.fixture
def off_track(account):
    today = timezone.localdate()
    plan = AccountPlanFactory(key_account=account)
    target = TargetFactory(
        objective=ObjectiveFactory(plan=plan, title="Win the chilled range"),
        kpi="Chilled revenue",
        baseline_on=today - timedelta(days=100),
        due_on=today + timedelta(days=100),
    )
    # Half the time gone, no progress: off track.
    target.measurements.create(measured_on=today, actual=Decimal("100"))
    TargetFactory(objective=target.objective, kpi="Listings on track")
    ActionFactory(plan=plan, title="Send the tray samples", due_on=today - timedelta(days=2))
    ActionFactory(
        plan=plan, title="Waiting but late", due_on=today - timedelta(days=1), status="waiting"
    )
    ActionFactory(plan=plan, title="Finished late", due_on=today - timedelta(days=5), status="done")
    return plan


def _why_of(html, name):
    row = html[html.index(f">{name}</a>") :]
    return row[: row.index("</tr>")]


def test_dashboard_row_expands_to_name_the_off_track_targets_and_overdue_actions(
    client_for, people, account, off_track
):
    html = client_for(people.director).get(reverse("portfolio:dashboard")).content.decode()
    why = _why_of(html, "Northwind Foods")
    assert "<details" in why and "<summary>Why" in why
    text = " ".join(re.sub(r"<[^>]+>", "", why).split())
    assert "Chilled revenue (Win the chilled range): 0 % of the way, 50 % expected" in text
    assert "Send the tray samples" in why and "Waiting but late" in why
    assert "Finished late" not in why and "Listings on track" not in why


def test_home_names_each_off_track_account_and_why(client_for, people, account, off_track):
    html = client_for(people.director).get("/").content.decode()
    section = html[html.index('id="off-track"') :]
    section = section[: section.index("</section>")]
    assert "Off track and why: 1 of 1 account" in section
    assert "Chilled revenue" in section and "Send the tray samples" in section
    assert "Finished late" not in section
