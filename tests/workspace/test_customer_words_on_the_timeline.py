"""What a customer writes in the workspace reaches the team on the account timeline saying who
wrote it and on what, not as an unsigned comment (it has no author among the team's users)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .helpers import approved_plan, customer, invite, joint_action, open_link

pytestmark = pytest.mark.django_db


def _timeline_entries(team: Client, account) -> list[str]:
    page = team.get(reverse("delivery:timeline", args=[account.pk])).content.decode()
    entries = re.findall(r'<li class="border-start[^>]*>(.*?)</li>', page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in entries]


def test_the_customers_comment_on_the_plan_names_them_on_the_timeline(client, people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    action = joint_action(plan, clara)
    open_link(client, invite(account, clara, people))
    client.post(reverse("workspace:comment"), {"text": "Please add the Q1 promotions."})
    client.post(
        reverse("workspace:comment"), {"action": action.pk, "text": "Data comes on Mondays."}
    )
    team = Client()
    team.force_login(people.manager)
    entries = _timeline_entries(team, account)
    on_plan = next(e for e in entries if "Please add the Q1 promotions." in e)
    on_action = next(e for e in entries if "Data comes on Mondays." in e)
    # Who wrote it and about what, then their words (it was the words alone, unsigned).
    assert "Customer Clara Customer commented on the plan (Approved version 1)" in on_plan
    assert "Customer Clara Customer commented on “Share the shelf data”" in on_action


def test_a_team_comment_is_still_shown_as_typed(client_for, people, account):
    long_text = "Worth raising at the steering committee. " * 10  # over 300: kept as the reason
    team = client_for(people.manager)
    team.post(reverse("delivery:comment_create", args=[account.pk]), {"text": long_text})
    (entry,) = [e for e in _timeline_entries(team, account) if "steering committee" in e]
    assert entry.count("Worth raising at the steering committee.") == 10


def test_workspace_entries_link_to_no_page_the_reader_cannot_open(client_for, people, account):
    # "Clara Customer invited to the customer workspace" keeps a link to the invitations page,
    # which only the account's director and manager open: a team member got a 403 there.
    clara = customer(account)
    invite(account, clara, people)
    team = client_for(people.team_member)
    page = team.get(reverse("delivery:timeline", args=[account.pk])).content.decode()
    assert "Clara Customer invited to the customer workspace" in page
    assert reverse("workspace_team:invitations", args=[account.pk]) not in page
