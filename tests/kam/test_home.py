from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from tests.factories import AccountPlanFactory, ActionFactory, EngagementActivityFactory


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("manager", "My accounts"),
        ("director", "My portfolio"),
        ("coordinator", "Meetings to arrange"),
        ("executive", "Programme portfolio"),
        ("team_member", "My actions"),
        ("programme_admin", "Programme administration"),
        ("outsider", "Welcome"),
    ],
)
def test_each_role_lands_on_its_own_home(client_for, people, account, persona, heading):
    response = client_for(getattr(people, persona)).get("/")
    assert response.status_code == 200
    assert "<h1" in response.content.decode()
    assert heading in response.content.decode()


def test_manager_home_lists_own_accounts_not_others(client_for, people, account, other_account):
    html = client_for(people.manager).get("/").content.decode()
    assert "Northwind Foods" in html
    assert "Helios Retail" not in html


def test_executive_home_shows_every_account(client_for, people, account, other_account):
    html = client_for(people.executive).get("/").content.decode()
    assert "Northwind Foods" in html and "Helios Retail" in html


def test_manager_home_shows_due_and_overdue_actions(client_for, people, account):
    plan = AccountPlanFactory(key_account=account)
    today = timezone.localdate()
    ActionFactory(plan=plan, owner=people.manager, title="Send pilot proposal", due_on=today)
    ActionFactory(
        plan=plan, owner=people.manager, title="Book plant visit", due_on=today - timedelta(3)
    )
    ActionFactory(plan=plan, owner=people.manager, title="Far future", due_on=today + timedelta(90))
    html = client_for(people.manager).get("/").content.decode()
    assert "Send pilot proposal" in html
    assert "Book plant visit" in html and "Overdue" in html
    assert "Far future" not in html


def test_coordinator_home_lists_engagements_to_arrange(client_for, people, account):
    plan = AccountPlanFactory(key_account=account)
    EngagementActivityFactory(plan=plan, purpose="Supply chain steering call")
    html = client_for(people.coordinator).get("/").content.decode()
    assert "Supply chain steering call" in html


def test_director_home_flags_plans_waiting_for_approval(client_for, people, account):
    AccountPlanFactory(key_account=account, status="submitted")
    html = client_for(people.director).get("/").content.decode()
    assert "waiting for your approval" in html


def test_annual_review_date_shows_when_due(client_for, people, account):
    programme = Programme.current()
    programme.annual_review_on = timezone.localdate() + timedelta(days=10)
    programme.save()
    html = client_for(people.manager).get("/").content.decode()
    assert "Annual programme review" in html


@pytest.mark.parametrize("accounts", [2, 12])
def test_home_query_count_does_not_grow_with_accounts(
    client_for, people, django_assert_max_num_queries, accounts
):
    from accounts.models import Role
    from tests.factories import KeyAccountFactory, MembershipFactory

    for _ in range(accounts):
        account = KeyAccountFactory()
        MembershipFactory(user=people.manager, key_account=account, role=Role.MANAGER)
        plan = AccountPlanFactory(key_account=account)
        ActionFactory(plan=plan, owner=people.manager)
    client = client_for(people.manager)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_programme_admin_home_leads_to_what_they_run_and_every_link_opens(client_for, people):
    # The page used to be a paragraph and nothing to click.
    client = client_for(people.programme_admin)
    html = client.get("/").content.decode()
    content = html[html.index("<h1") :]
    wanted = [
        reverse("accounts:strategy"),
        reverse("accounts:criteria"),
        reverse("accounts:customer_list"),
        reverse("accounts:matrix"),
        reverse("audit:programme_history"),
        reverse("rhythm:annual_review"),
        reverse("rhythm:job_runs"),
    ]
    for url in wanted:
        assert f'href="{url}"' in content
        assert client.get(url).status_code == 200


def test_coordinator_home_links_each_meeting_and_offers_to_schedule_engagements(
    client_for, people, account
):
    from tests.factories import MeetingFactory

    plan = AccountPlanFactory(key_account=account)
    EngagementActivityFactory(plan=plan, purpose="Quarterly buyer review")
    meeting = MeetingFactory(key_account=account, title="Line trial in Erfurt")
    client = client_for(people.coordinator)
    html = client.get("/").content.decode()
    # The scheduled meeting opens; the engagement due leads to scheduling one, and both work.
    assert f'<a href="{meeting.get_absolute_url()}">Line trial in Erfurt</a>' in html
    schedule = reverse("delivery:meeting_create", args=[account.pk])
    assert f'href="{schedule}"' in html
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(schedule).status_code == 200
