"""Meetings edited in place (issue #19), beyond the generated table of
tests/common/test_in_place_editors.py: the meeting defaults, a stakeholder typed in the form, a
double booking answered in place, and follow-ups typed in a row."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from delivery.models import Meeting
from discovery.models import Stakeholder
from tests.common.in_place import block_only, field_tag, htmx
from tests.factories import AccountPlanFactory, MeetingFactory

from .conftest import at
from .in_place_cases import follow_up_data, meeting_data


def _schedule(client, account, data):
    url = reverse("delivery:meeting_create", args=[account.pk])
    return client.post(url, data, headers=htmx("meeting-list"))


def test_a_meeting_scheduled_in_place_ends_an_hour_later_and_invites_a_typed_stakeholder(
    client_for, people, account
):
    data = meeting_data(
        people,
        new_stakeholder_name="Nora Blum",
        new_stakeholder_title="Head of buying",
        new_stakeholder_email="nora.blum@northwind.example",
    )
    response = _schedule(client_for(people.coordinator), account, data)
    html = response.content.decode()
    assert response.status_code == 200
    block_only(html, "meeting-list")
    meeting = Meeting.objects.get()
    # Typed: 10:00 in London five days on, no end: it ends at 11:00.
    assert meeting.starts_at == at(5, 10)
    assert meeting.ends_at == at(5, 11)
    nora = Stakeholder.objects.get(name="Nora Blum")
    assert nora.key_account == account and nora.email == "nora.blum@northwind.example"
    assert list(meeting.stakeholders.all()) == [nora]
    # What the coordinator sees next: when, who is invited, and the invitation.
    assert "10:00–11:00 (Europe/London)" in html
    assert "Nora Blum" in html and "Max Manager" in html
    ics = reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])
    assert f'href="{ics}"' in html


def test_a_double_booking_is_answered_in_place_and_can_be_confirmed(
    client_for, people, account, other_account
):
    busy = MeetingFactory(key_account=other_account, starts_at=at(5, 10, 30))
    busy.attendees.add(people.manager)
    client = client_for(people.coordinator)
    response = _schedule(client, account, meeting_data(people, title="Pilot review"))
    html = response.content.decode()
    assert response.status_code == 200  # a question, not an error
    block_only(html, "meeting-list")
    assert "Double booking" in html and "a meeting on another account" in html
    assert 'type="checkbox"' in field_tag(html, "confirm_double_booking")
    assert 'value="Pilot review"' in html  # the typed title is kept
    assert not Meeting.objects.filter(key_account=account).exists()
    data = meeting_data(people, title="Pilot review", confirm_double_booking="on")
    response = _schedule(client, account, data)
    assert response.status_code == 200
    assert "Double booking" not in response.content.decode()
    assert Meeting.objects.filter(key_account=account, title="Pilot review").count() == 1


def test_follow_ups_are_typed_in_a_row(client_for, people, account):
    AccountPlanFactory(key_account=account, is_current=True)
    meeting = MeetingFactory(key_account=account, starts_at=timezone.now() - timedelta(days=1))
    url = reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk])
    client = client_for(people.coordinator)
    for title in ("Send the pilot offer", "Book the plant visit"):
        response = client.post(
            url, follow_up_data(people, title=title), headers=htmx("meeting-follow-ups")
        )
        html = response.content.decode()
        assert response.status_code == 200
        block_only(html, "meeting-follow-ups")
    # Both are listed, and the form is there again, empty, its first field focused.
    assert html.count('class="list-group-item"') == 2
    assert "Send the pilot offer" in html and "Book the plant visit" in html
    title = field_tag(html, "title")
    assert "autofocus" in title and "value=" not in title
    assert meeting.follow_ups.count() == 2


def test_without_javascript_editing_a_meeting_opens_its_page_with_the_form_in_place(
    client_for, people, account
):
    meeting = MeetingFactory(key_account=account, title="Quarterly review")
    url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    html = client_for(people.coordinator).get(url).content.decode()
    assert re.search(r'<h1[^>]*id="meeting-title"[^>]*>Quarterly review', html)
    assert f'action="{url}#meeting-record"' in html
    assert 'value="Quarterly review"' in html
    # The notes and follow-ups of the page are still there beside the open form.
    assert 'id="meeting-follow-ups"' in html


def _choices_read(queries, table):
    """The reads of a table's rows, not those of the meeting's own links (prefetched)."""
    return [
        q["sql"]
        for q in queries
        if f'FROM "{table}"' in q["sql"] and "_prefetch_related_val" not in q["sql"]
    ]


def test_opening_the_meeting_editor_reads_each_choice_list_once(client_for, people, account):
    """The form looked at its lists before drawing them (which customer attendees have no
    e-mail address, which lists are empty): each was read again to be drawn, and the three
    emptiness checks were queries of their own (bench/README.md, finding 58)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ObjectiveFactory, OpportunityFactory, StakeholderFactory

    plan = AccountPlanFactory(key_account=account, is_current=True)
    ObjectiveFactory(plan=plan, title="Grow chilled desserts")
    linked = OpportunityFactory(key_account=account, title="Cold-chain pilot")
    StakeholderFactory(key_account=account, name="Ada Quinn", email="")
    StakeholderFactory(key_account=account, name="Ben Ortiz", email="ben@northwind.example")
    meeting = MeetingFactory(key_account=account, title="Quarterly review")
    meeting.opportunities.add(linked)
    url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    client = client_for(people.coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url, headers=htmx("meeting-record")).content.decode()
    assert "Ada Quinn" in html and "Ben Ortiz" in html and "Cold-chain pilot" in html
    assert "Grow chilled desserts" in html and 'name="email_for_' in html
    assert not [q for q in queries if q["sql"].startswith('SELECT 1 AS "a"')]  # no exists()
    for table in ("discovery_stakeholder", "opportunities_opportunity", "planning_objective"):
        assert len(_choices_read(queries, table)) == 1, table
    assert len(queries) <= 13


def test_an_empty_choice_list_still_says_so(client_for, people, account):
    meeting = MeetingFactory(key_account=account, title="Quarterly review")
    url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    html = client_for(people.coordinator).get(url, headers=htmx("meeting-record")).content
    html = html.decode()
    assert "No stakeholders recorded for this account yet (Stakeholders tab)." in html
    assert "No opportunities recorded for this account yet." in html
    assert "The account has no current plan objectives yet." in html
