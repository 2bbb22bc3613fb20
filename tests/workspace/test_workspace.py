"""The customer workspace: invitations and their links, what the customer sees and does, and
how it reaches the team (timeline, notifications)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AccountEvent
from notifications.models import Notification
from planning.models import Action
from tests import factories as f
from workspace.models import Invitation, PlanAcceptance, WorkspaceComment
from workspace.services import token_hash
from workspace.services.mails import invitation_mail

from .helpers import (
    INTERNAL,
    approved_plan,
    customer,
    invite,
    joint_action,
    link_in_last_mail,
    open_link,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(account, people):
    return approved_plan(account, people)


@pytest.fixture
def clara(account):
    return customer(account)


# ---- inviting ---------------------------------------------------------------------------------


def test_manager_invites_a_stakeholder_and_the_link_is_emailed(
    client, people, account, clara, django_capture_on_commit_callbacks
):
    client.force_login(people.manager)
    url = reverse("workspace_team:invitations", args=[account.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"stakeholder": clara.pk})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["clara@customer.example"]
    link = link_in_last_mail()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get()
    # Stored hashed, with a short prefix to find it; never the token itself.
    assert invitation.token_hash == token_hash(token)
    assert invitation.token_prefix == token[:10]
    assert token not in str(Invitation.objects.values().get())
    expected = timezone.now() + timedelta(days=90)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60
    page = client.get(url).content.decode()
    assert "Clara Customer" in page and "Active" in page


def test_the_invitation_says_how_many_days_the_link_works(
    client, people, account, clara, settings, django_capture_on_commit_callbacks
):
    # The link works for WORKSPACE_LINK_DAYS from now; the e-mail, written a moment later,
    # said one day less ("89 days" for a 90-day link).
    settings.WORKSPACE_LINK_DAYS = 90
    client.force_login(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workspace_team:invitations", args=[account.pk]), {"stakeholder": clara.pk}
        )
    assert "(do not forward it; it works for 90 days):" in mail.outbox[-1].body


def test_a_stakeholder_without_email_is_refused_at_the_field(client, people, account):
    nobody = f.StakeholderFactory(key_account=account, email="")
    client.force_login(people.manager)
    response = client.post(
        reverse("workspace_team:invitations", args=[account.pk]), {"stakeholder": nobody.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_coordinator_may_not_invite(client, people, account, clara):
    client.force_login(people.coordinator)
    url = reverse("workspace_team:invitations", args=[account.pk])
    assert client.post(url, {"stakeholder": clara.pk}).status_code == 403
    assert not Invitation.objects.exists()


# ---- opening the link -------------------------------------------------------------------------


def test_the_link_opens_a_workspace_session_without_a_login(client, people, account, plan, clara):
    token = invite(account, clara, people)
    response = open_link(client, token)
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Welcome, Clara Customer" in page
    assert "We keep your shelves full through the winter peak." in page
    assert "Keep the winter range on shelf" in page
    # An internal page answers 404 to the link holder.
    assert client.get(reverse("planning:plan", args=[account.pk])).status_code == 404
    assert client.get(reverse("home")).status_code == 404


def test_nothing_internal_reaches_the_workspace(client, people, account, plan, clara):
    other = customer(account, name="Otto Other", email="otto@customer.example")
    action = joint_action(plan, clara)
    theirs = joint_action(plan, other, title="Otto's own action")
    WorkspaceComment.objects.create(
        key_account=account, stakeholder=other, action=theirs, text=f"{INTERNAL} by Otto"
    )
    token = invite(account, clara, people)
    from planning.models import Review
    from workspace.services import joint_review_open

    today = timezone.localdate()
    review = Review.objects.create(plan=plan, quarter="2026-Q4", opened_on=today, due_on=today)
    joint = joint_review_open(
        review=review, participants=[clara], acting_user=people.manager, send=False
    )
    open_link(client, token)
    pages = [
        client.get(reverse("workspace:home")).content.decode(),
        client.get(reverse("workspace:review_answer", args=[joint.pk])).content.decode(),
        # Pages that answer refused input.
        client.post(reverse("workspace:comment"), {"text": ""}).content.decode(),
        client.post(reverse("workspace:action_tick", args=[action.pk]), {}).content.decode(),
        client.post(reverse("workspace:review_answer", args=[joint.pk]), {}).content.decode(),
    ]
    for text in pages:
        assert INTERNAL not in text
        assert "Otto's own action" not in text
        assert "Blocker" not in text and "blocker" not in text
        assert "Profitability" not in text
    assert action.title in pages[0]


def test_an_expired_or_revoked_link_shows_a_clear_page_and_no_data(
    client, people, account, plan, clara
):
    token = invite(account, clara, people)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = open_link(client, token)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page and "winter" not in page

    token = invite(account, clara, people)
    open_link(client, token)
    assert client.get(reverse("workspace:home")).status_code == 200
    Invitation.objects.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    # The open session ends with the link.
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 404
    assert "This link does not open a workspace" in response.content.decode()
    response = open_link(client, token)
    assert response.status_code == 410 and "no longer works" in response.content.decode()


def test_an_unknown_token_is_404_with_no_data(client):
    response = open_link(client, "x" * 43)
    assert response.status_code == 404
    assert "This link does not open a workspace" in response.content.decode()


def test_a_resent_link_replaces_the_old_one(client, people, account, plan, clara):
    old = invite(account, clara, people)
    open_link(client, old)
    invitation = Invitation.objects.get()
    from workspace.services import invitation_resend

    new = invitation_resend(invitation=invitation, acting_user=people.manager)
    assert client.get(reverse("workspace:home")).status_code == 404
    assert open_link(client, old).status_code == 404
    assert open_link(client, new).status_code == 302


def test_links_are_rate_limited_per_token_and_per_address(client, people, account, settings):
    settings.WORKSPACE_RATE_PER_TOKEN = 3
    settings.WORKSPACE_RATE_PER_IP = 5
    for _ in range(3):
        assert open_link(client, "y" * 43).status_code == 404
    response = open_link(client, "y" * 43)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert response["Retry-After"]
    # Other tokens from the same address: the address's own limit.
    assert open_link(client, "z" * 43).status_code == 404
    assert open_link(client, "w" * 43).status_code == 429


# ---- what the customer does -------------------------------------------------------------------


def test_customer_ticks_an_action_and_the_team_hears_of_it(
    client, people, account, plan, clara, django_capture_on_commit_callbacks
):
    action = joint_action(plan, clara)
    open_link(client, invite(account, clara, people))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:action_tick", args=[action.pk]),
            {"done": "1", "note": "Sent on Monday"},
        )
    assert response.status_code == 302, response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.progress_percent == 100
    # One entry on the timeline for one tick (the progress service's "Action done" and the
    # workspace's own used to be two), naming the customer; the action's history names them.
    (event,) = AccountEvent.objects.filter(key_account=account, kind="action")
    assert event.summary == "Customer Clara Customer marked “Share the shelf data” done"
    assert event.reason == "Sent on Monday"
    assert action.updates.get().note == "Clara Customer: Sent on Monday"
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {people.manager.username, people.director.username} <= told
    # Not done again.
    client.post(reverse("workspace:action_tick", args=[action.pk]), {"done": "0", "note": ""})
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    latest = AccountEvent.objects.filter(key_account=account, kind="action").first()
    assert latest.summary == "Customer Clara Customer marked “Share the shelf data” not done yet"


def test_a_quick_win_the_customer_marks_done_says_both(client, people, account, plan, clara):
    opportunity = f.OpportunityFactory(
        key_account=account, strategic_value_us=5, strategic_value_customer=5, effort=2, risk=2
    )
    assert opportunity.quadrant == "quick_win"  # value (1 + 5 + 5) / 3 ≥ 3, effort and risk 2
    action = joint_action(plan, clara)
    Action.objects.filter(pk=action.pk).update(opportunity=opportunity)
    open_link(client, invite(account, clara, people))
    client.post(reverse("workspace:action_tick", args=[action.pk]), {"done": "1", "note": ""})
    (event,) = AccountEvent.objects.filter(key_account=account, kind="action")
    assert event.summary == (
        "Quick win delivered: Share the shelf data (marked done by customer Clara Customer)"
    )


def test_customer_cannot_touch_another_stakeholders_action(client, people, account, plan, clara):
    other = customer(account, name="Otto Other", email="otto@customer.example")
    theirs = joint_action(plan, other)
    ours = Action.objects.filter(plan=plan, owner=people.manager).first()
    open_link(client, invite(account, clara, people))
    for action in (theirs, ours):
        url = reverse("workspace:action_tick", args=[action.pk])
        assert client.post(url, {"done": "1"}).status_code == 404
        comment = client.post(reverse("workspace:comment"), {"action": action.pk, "text": "x"})
        assert comment.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Action.Status.OPEN


def test_customer_comments_and_accepts_the_plan(client, people, account, plan, clara):
    open_link(client, invite(account, clara, people))
    version = plan.versions.approvals().get()
    response = client.post(reverse("workspace:comment"), {"text": "Looks right to us."})
    assert response.status_code == 302
    assert WorkspaceComment.objects.get().plan_version == version
    empty = client.post(reverse("workspace:comment"), {"text": ""})
    assert empty.status_code == 400 and "Write your comment first." in empty.content.decode()
    client.post(reverse("workspace:accept", args=[version.pk]))
    client.post(reverse("workspace:accept", args=[version.pk]))  # twice: once recorded
    acceptance = PlanAcceptance.objects.get()
    assert (acceptance.stakeholder, acceptance.plan_version) == (clara, version)
    summaries = list(AccountEvent.objects.values_list("summary", flat=True))
    assert "Customer Clara Customer accepted the plan (Approved version 1)" in summaries
    assert "Customer Clara Customer commented on the plan (Approved version 1)" in summaries
    page = client.get(reverse("workspace:home")).content.decode()
    assert "You accepted this version." in page and "Looks right to us." in page
    # The timeline's link opens the accepted version for the team (by its number, not its id).
    accepted = AccountEvent.objects.get(summary__contains="accepted the plan")
    team = Client()
    team.force_login(people.manager)
    assert accepted.link.endswith(f"/plan/versions/{version.number}/")
    assert team.get(accepted.link).status_code == 200


def test_another_accounts_plan_cannot_be_accepted(
    client, people, account, other_account, plan, clara
):
    theirs = approved_plan(other_account, people)
    open_link(client, invite(account, clara, people))
    version = theirs.versions.approvals().get()
    assert client.post(reverse("workspace:accept", args=[version.pk])).status_code == 404
    assert not PlanAcceptance.objects.exists()


def test_meetings_the_stakeholder_attends_are_listed(client, people, account, plan, clara):
    mine = f.MeetingFactory(key_account=account, title="Winter planning with Clara")
    mine.stakeholders.add(clara)
    f.MeetingFactory(key_account=account, title="Internal pricing huddle")
    open_link(client, invite(account, clara, people))
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Winter planning with Clara" in page
    assert "Internal pricing huddle" not in page


def test_the_customer_reads_a_meeting_at_its_own_time_and_zone(
    client, people, account, plan, clara
):
    tokyo = ZoneInfo("Asia/Tokyo")
    day = timezone.localdate() + timedelta(days=4)
    meeting = f.MeetingFactory(
        key_account=account,
        title="Tokyo line trial",
        starts_at=datetime.combine(day, time(10, 0), tzinfo=tokyo),
        ends_at=datetime.combine(day, time(11, 0), tzinfo=tokyo),
        time_zone="Asia/Tokyo",
    )
    meeting.stakeholders.add(clara)
    open_link(client, invite(account, clara, people))
    page = client.get(reverse("workspace:home")).content.decode()
    line = page[: page.index("Tokyo line trial")].rsplit("<li>", 1)[1]
    # 10:00 in Tokyo is 01:00 or 02:00 in London, the server's zone.
    assert ", 10:00–11:00 (Asia/Tokyo)" in line and "01:00" not in line and "02:00" not in line


def test_the_workspace_page_costs_a_fixed_number_of_queries(
    client, people, account, plan, clara, django_assert_max_num_queries
):
    open_link(client, invite(account, clara, people))
    joint_action(plan, clara)
    with django_assert_max_num_queries(20):
        client.get(reverse("workspace:home"))
    for n in range(10):
        joint_action(plan, clara, title=f"More {n}")
        f.MeetingFactory(key_account=account).stakeholders.add(clara)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("workspace:home"))
    assert "More 9" in response.content.decode()


def test_the_invitation_names_who_invites_in_the_singular(
    client, people, account, clara, django_capture_on_commit_callbacks
):
    """One manager invites by name; with two, "Max Manager, Omar Other invites you" did not
    agree: the account team (named) invites instead, in English and in French."""
    url = reverse("workspace_team:invitations", args=[account.pk])
    client.force_login(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"stakeholder": clara.pk})
    assert "\nMax Manager invites you to the shared account plan of Northwind Foods" in (
        mail.outbox[-1].body
    )
    f.MembershipFactory(user=people.other_manager, key_account=account, role="manager")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"stakeholder": clara.pk})
    names = sorted(
        [people.manager.get_full_name(), people.other_manager.get_full_name()],
    )
    body = mail.outbox[-1].body
    assert "Your account team (" in body and " invites you to the shared account plan" in body
    assert all(name in body.split("invites you")[0] for name in names)
    with translation.override("fr"):
        invitation = Invitation.objects.filter(revoked_at__isnull=True).get()
        french = invitation_mail(invitation, "token").body
    assert "Votre équipe de compte (" in french and ") vous invite" in french
