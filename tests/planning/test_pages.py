import pytest
from django.urls import reverse

from accounts.models import Role
from planning.models import AccountPlan

from ..factories import AccountPlanFactory, KeyAccountFactory, MembershipFactory
from .conftest import fill_plan


def plan_url(account):
    return reverse("planning:plan", args=[account.pk])


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("director", 200),
        ("manager", 200),
        ("coordinator", 200),
        ("team_member", 200),
        ("executive", 200),
        ("outsider", 404),
        ("other_manager", 404),
    ],
)
def test_plan_page_access_per_role(client_for, people, full_plan, who, code):
    response = client_for(getattr(people, who)).get(plan_url(full_plan.key_account))
    assert response.status_code == code
    if code == 200:
        page = response.content.decode()
        assert "Objective number 0" in page
        assert "Plan health" in page
        assert "Stakeholder map" in page


def test_editors_see_edit_controls_and_readers_do_not(client_for, people, full_plan):
    url = plan_url(full_plan.key_account)
    assert "Edit value proposition" in client_for(people.manager).get(url).content.decode()
    for reader in (people.coordinator, people.team_member, people.executive):
        page = client_for(reader).get(url).content.decode()
        assert "Edit value proposition" not in page
        assert "Add action" not in page


def test_plan_page_shows_action_progress_read_only_and_health_rules(client_for, people, full_plan):
    action = full_plan.actions.first()
    action.progress_percent = 40
    action.save()
    page = client_for(people.team_member).get(plan_url(full_plan.key_account)).content.decode()
    assert "40 %" in page
    assert "Overdue actions" in page  # health rule shown with its contribution
    assert "How target status is decided" in page


def test_director_sees_approve_and_return_on_a_submitted_plan(client_for, people, plan):
    AccountPlan.objects.filter(pk=plan.pk).update(status="submitted")
    page = client_for(people.director).get(plan_url(plan.key_account)).content.decode()
    assert "Approve and freeze a version" in page and "Return with comments" in page
    page = client_for(people.manager).get(plan_url(plan.key_account)).content.decode()
    assert "Approve and freeze a version" not in page
    assert "Waiting for the account" in page


def test_plan_page_queries_do_not_grow_with_plan_size(
    client_for, people, plan, django_assert_max_num_queries
):
    client = client_for(people.manager)
    url = plan_url(plan.key_account)
    fill_plan(plan, people, actions=3, stakeholders=2, objectives=1, opportunities=1)
    # Session, user (with the menu badge's unread count), account, roles; the plan with its
    # last completed review, latest approval number and the programme's currency (one query:
    # selectors.current_plan_for_page); nine for the plan's parts; three for the later stages'
    # health facts (value and issues; the customer's joint-review answers and workspace
    # visits); the health trend; the groups (the manager's tabs ask whether they may see the
    # history); +1 here: no programme is saved yet, so its defaults are read again.
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    fill_plan(plan, people, actions=40, stakeholders=25, objectives=6, opportunities=6)
    with django_assert_max_num_queries(20):  # the change made the cached document stale
        assert client.get(url).status_code == 200
    # Served again: the document from the cache (planning/page_cache.py): session, user,
    # account, roles, the plan with its content version, the groups; nothing of its parts.
    for _size in range(2):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200
        fill_plan(plan, people, actions=2, stakeholders=1, objectives=1, opportunities=1)
        client.get(url)  # a miss fills it again


def make_plans(director, count, start):
    for i in range(count):
        account = KeyAccountFactory(customer__name=f"Account {start + i:03d}")
        MembershipFactory(user=director, key_account=account, role=Role.DIRECTOR)
        fill_plan(
            AccountPlanFactory(key_account=account, period="FY2027"),
            type("P", (), {"manager": director, "coordinator": director,
                           "team_member": director, "director": director})(),
            actions=2, stakeholders=2, objectives=1, opportunities=1,
        )  # fmt: skip


def test_index_lists_visible_plans_with_bounded_queries(
    client_for, people, full_plan, other_account, django_assert_max_num_queries
):
    AccountPlanFactory(key_account=other_account, period="FY2027")
    client = client_for(people.director)
    make_plans(people.director, 2, 0)
    # +3: the later stages' health facts for the listed plans (value delivered and customer
    # issues: one; workspace: two). The menu badge's unread count comes with the user.
    with django_assert_max_num_queries(15):
        page = client.get(reverse("planning:index")).content.decode()
    assert "Northwind Foods" in page and "Account 000" in page
    assert "Helios Retail" not in page
    make_plans(people.director, 20, 100)
    # +3: the later stages' health facts for the listed plans (value delivered and customer
    # issues: one; workspace: two). The menu badge's unread count comes with the user.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("planning:index"))
    assert response.context["page"].paginator.count == 23


def test_index_filters_by_status_and_paginates(client_for, people, full_plan):
    make_plans(people.director, 26, 0)
    AccountPlan.objects.filter(pk=full_plan.pk).update(status="submitted")
    client = client_for(people.director)
    first = client.get(reverse("planning:index"))
    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    submitted = client.get(reverse("planning:index"), {"status": "submitted"}).content.decode()
    assert "Northwind Foods" in submitted and "Account 000" not in submitted


def test_index_for_executive_shows_all_and_for_outsider_none(
    client_for, people, full_plan, other_account
):
    AccountPlanFactory(key_account=other_account, period="FY2027")
    page = client_for(people.executive).get(reverse("planning:index")).content.decode()
    assert "Northwind Foods" in page and "Helios Retail" in page
    page = client_for(people.outsider).get(reverse("planning:index")).content.decode()
    assert "No plans match." in page


def test_index_needs_login(client_for, db):
    response = client_for(None).get(reverse("planning:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_plan_page_draws_the_recorded_health_trend(client_for, people, plan):
    from datetime import timedelta

    from django.utils import timezone

    from planning.models import HealthRecord

    client = client_for(people.manager)
    assert "Plan health since" not in client.get(plan_url(plan.key_account)).content.decode()
    today = timezone.localdate()
    for days, score in ((120, 10), (60, 90), (30, 70)):  # the first is older than 90 days
        HealthRecord.objects.create(
            plan=plan, recorded_on=today - timedelta(days=days), score=score
        )
    response = client.get(plan_url(plan.key_account))
    now = response.context["health"].score
    page = response.content.decode()
    assert f"Since {(today - timedelta(days=60)):%-d %b}: 90 → {now} today" in page
    assert f"lowest {min(70, now)}, highest {max(90, now)}" in page
    assert page.count("<polyline") == 1 and '<title id="health-trend-title">' in page


def test_index_shows_the_last_approval_not_the_last_review_snapshot(client_for, people, plan):
    from datetime import UTC, datetime

    from planning.models import PlanVersion

    plan.status = "approved"
    plan.approved_at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    plan.save()
    PlanVersion.objects.create(plan=plan, kind="approval", number=1, snapshot={})
    # A quarterly review freezes a version too; the plan was not approved again.
    PlanVersion.objects.create(plan=plan, kind="review", number=1, snapshot={})
    page = client_for(people.director).get(reverse("planning:index")).content.decode()
    assert ">2 Mar 2026</td>" in page  # the last approval, not the snapshot


@pytest.mark.parametrize(
    ("review_days_ago", "approved_days_ago"),
    [(None, None), (10, None), (None, 10), (10, 40), (40, 10), (None, 5)],
)
def test_last_review_read_with_the_plan_means_what_the_dashboard_means(
    plan, review_days_ago, approved_days_ago
):
    """The plan page computes "last review" from what it read with the plan
    (current_plan_for_page, last_review_of); it is the SQL rule's answer (last_review_at)."""
    from datetime import timedelta

    from django.utils import timezone

    from planning import selectors
    from tests.rhythm.factories import ReviewFactory

    now = timezone.now()
    if review_days_ago is not None:
        ReviewFactory(plan=plan, completed_at=now - timedelta(days=review_days_ago))
        ReviewFactory(plan=plan, completed_at=now - timedelta(days=review_days_ago + 90))
    ReviewFactory(plan=plan)  # open: not a review yet
    if approved_days_ago is not None:
        plan.approved_at = now - timedelta(days=approved_days_ago)
    plan.save(update_fields=["approved_at"])
    read = selectors.current_plan_for_page(account=plan.key_account)
    completed, _number = selectors.plan_page_facts(plan=read)
    shown = selectors.last_review_of(plan=read, completed_review_at=completed)
    assert shown == selectors.last_review_at(plan=plan)
    expected = [d for d in (review_days_ago, approved_days_ago) if d is not None]
    assert shown == (now - timedelta(days=min(expected)) if expected else None)
