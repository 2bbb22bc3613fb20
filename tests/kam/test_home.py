from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    KeyAccountFactory,
    MembershipFactory,
    QuoteFactory,
    QuoteLineFactory,
)
from tests.html_checks import page_problems


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
    programme = Programme.ensure()
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


def test_programme_admin_home_shows_the_roadmap_items_coming_due(client_for, people):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Programme
    from strategy.models import RoadmapItem

    programme = Programme.ensure()
    today = timezone.localdate()
    for title, days, done in (
        ("Train the managers", -3, False),
        ("Steering committee Q1", 20, False),
        ("Kick-off workshop", -30, True),
        ("Second wave", 200, False),
    ):
        RoadmapItem.objects.create(
            programme=programme,
            kind="other",
            title=title,
            due_on=today + timedelta(days=days),
            owner=people.director,
            done=done,
        )
    html = client_for(people.programme_admin).get("/").content.decode()
    assert "Train the managers" in html and "(overdue)" in html
    assert "Steering committee Q1" in html
    assert "Kick-off workshop" not in html and "Second wave" not in html
    assert html.index("Train the managers") < html.index("Steering committee Q1")


# ---- quotes waiting for a director's discount approval --------------------------------------


def deep_quote(account, *, overall="15", line_discount="0", **fields):
    quote = QuoteFactory(key_account=account, overall_discount_percent=Decimal(overall), **fields)
    QuoteLineFactory(quote=quote, discount_percent=Decimal(line_discount))
    return quote


def test_director_home_lists_quotes_waiting_for_discount_approval(
    client_for, people, account, other_account
):
    waiting = deep_quote(account, title="Cold-chain pilot", prepared_by=people.coordinator)
    line_only = deep_quote(account, overall="0", line_discount="40", title="Sample pallets")
    deep_quote(account, overall="5", title="Within the limit")
    deep_quote(account, title="Already approved", discount_approved_at=timezone.now())
    deep_quote(account, title="Already sent", status="sent")
    deep_quote(other_account, title="Someone else's account")
    client = client_for(people.director)
    html = client.get("/").content.decode()
    assert "Quote discounts waiting for your approval: 2" in html
    assert f'href="{waiting.get_absolute_url()}"' in html
    assert "Cold-chain pilot</a> for Northwind Foods: 15.00 % off list" in html
    assert "drafted by Chloé Coordinator" in html
    assert f'href="{line_only.get_absolute_url()}"' in html and "one line at 40.00 %" in html
    for title in ("Within the limit", "Already approved", "Already sent", "Someone else's"):
        assert title not in html
    assert page_problems(html) == []
    assert client.get(waiting.get_absolute_url()).status_code == 200


def test_director_home_shows_the_oldest_waiting_quotes_and_counts_them_all(
    client_for, people, account
):
    quotes = [deep_quote(account, title=f"Quote number {n:02d}") for n in range(7)]
    html = client_for(people.director).get("/").content.decode()
    assert "Quote discounts waiting for your approval: 7" in html
    assert "The oldest 5 are listed." in html
    assert all(quote.title in html for quote in quotes[:5])
    assert not any(quote.title in html for quote in quotes[5:])


def test_director_home_says_nothing_when_no_quote_waits(client_for, people, account):
    deep_quote(account, overall="5")
    assert "Quote discounts waiting" not in client_for(people.director).get("/").content.decode()


def test_a_manager_does_not_see_quotes_waiting_for_the_director(client_for, people, account):
    deep_quote(account)
    assert "Quote discounts waiting" not in client_for(people.manager).get("/").content.decode()


@pytest.mark.parametrize("accounts", [2, 12])
def test_director_home_query_count_does_not_grow_with_accounts_or_quotes(
    client_for, people, django_assert_max_num_queries, accounts
):
    from accounts.models import Role

    for _ in range(accounts):
        account = KeyAccountFactory()
        MembershipFactory(user=people.director, key_account=account, role=Role.DIRECTOR)
        plan = AccountPlanFactory(key_account=account, status="submitted")
        ActionFactory(plan=plan, owner=people.director)
        deep_quote(account)
        deep_quote(account, overall="0", line_discount="40")
    Programme.ensure()  # exists in every real database (its limit is read on this page)
    client = client_for(people.director)
    # The decision inbox (programme, plans, 2 for quotes, reviews, proposals) and the off-track
    # reasons (targets, overdue actions).
    with django_assert_max_num_queries(19):
        html = client.get("/").content.decode()
    assert f"Quote discounts waiting for your approval: {2 * accounts}" in html


def test_programme_admin_home_leads_to_what_they_run_and_every_link_opens(client_for, people):
    # The page used to be a paragraph and nothing to click.
    client = client_for(people.programme_admin)
    html = client.get("/").content.decode()
    content = html[html.index("<h1") :]
    wanted = [
        reverse("strategy:strategy"),
        reverse("strategy:criteria"),
        reverse("strategy:customer_list"),
        reverse("strategy:matrix"),
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
    item = EngagementActivityFactory(plan=plan, purpose="Quarterly buyer review")
    meeting = MeetingFactory(key_account=account, title="Line trial in Erfurt")
    client = client_for(people.coordinator)
    html = client.get("/").content.decode()
    # The scheduled meeting opens; the engagement due leads to scheduling one, and both work.
    assert f'<a href="{meeting.get_absolute_url()}">Line trial in Erfurt</a>' in html
    schedule = reverse("delivery:meeting_create", args=[account.pk]) + f"?engagement={item.pk}"
    assert f'href="{schedule}"' in html
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(schedule).status_code == 200


def test_the_menu_shows_admin_entries_from_the_login_flag_without_a_groups_query(
    client_for, people
):
    """The user menu's programme admin entries come from a flag set at login (kam.apps), so
    drawing the menu on every page reads no groups; a session without the flag still asks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kam.context_processors import PROGRAMME_ADMIN_SESSION_KEY

    for user, shown in ((people.programme_admin, True), (people.manager, False)):
        client = client_for(user)
        assert client.session[PROGRAMME_ADMIN_SESSION_KEY] is shown
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("notifications:index")).content.decode()
        assert ("Job runs" in html) is shown
        assert not [q for q in queries if "auth_group" in q["sql"]]
        session = client.session
        del session[PROGRAMME_ADMIN_SESSION_KEY]
        session.save()
        assert ("Job runs" in client.get(reverse("notifications:index")).content.decode()) is shown
