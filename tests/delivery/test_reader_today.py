"""The dates people type in the delivery stage are checked against the day it is for them, in
their own time zone (as My work counts "overdue" and "due this week"), not the programme's:
in the evening in Los Angeles, when it is already tomorrow in London, a follow-up due today
was refused as "in the past"; in the morning on Kiritimati a check-in dated today was refused
as "in the future"."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import Action
from tests.factories import MeetingFactory, OpportunityFactory

# 01:00 on 7 Dec in London (and UTC): 17:00 on 6 Dec in Los Angeles.
NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
# 12:00 on 6 Dec in London: 02:00 on 7 Dec on Kiritimati (UTC+14), 04:00 on 6 Dec in LA.
NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def at_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _zone(user, name):
    user.time_zone = name
    user.save(update_fields=["time_zone"])


def _follow_up(client, account, meeting, owner, due):
    return client.post(
        reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk]),
        {"title": "Send the trial report", "owner": owner.pk, "due_on": due.isoformat()},
    )


def test_a_follow_up_due_today_in_los_angeles_is_taken_and_yesterday_is_refused(
    client_for, people, account, plan, at_now
):
    _zone(people.coordinator, "America/Los_Angeles")
    meeting = MeetingFactory(
        key_account=account,
        starts_at=NOW - timedelta(hours=3),
        ends_at=NOW - timedelta(hours=2),
    )
    client = client_for(people.coordinator)
    # 6 Dec is today for the coordinator (London is on 7 Dec already).
    assert (
        _follow_up(client, account, meeting, people.manager, date(2026, 12, 6)).status_code == 302
    )
    assert Action.objects.get().due_on == date(2026, 12, 6)
    response = _follow_up(client, account, meeting, people.team_member, date(2026, 12, 5))
    assert response.status_code == 400
    assert "A follow-up cannot be due in the past." in response.content.decode()


def test_a_check_in_dated_today_on_kiritimati_is_taken_and_its_form_starts_on_that_day(
    client_for, people, account, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: NOON)
    _zone(people.manager, "Pacific/Kiritimati")
    opportunity = OpportunityFactory(key_account=account, title="Pilot", status="pursuing")
    client = client_for(people.manager)
    prefix = f"opp{opportunity.pk}-"
    page = client.get(reverse("delivery:progress", args=[account.pk])).content.decode()
    # 7 Dec on Kiritimati, while London is on 6 Dec.
    assert f'name="{prefix}checked_on" value="2026-12-07"' in page
    url = reverse("delivery:check_in_create", args=[account.pk, opportunity.pk])
    data = {prefix + "status": "pursuing", prefix + "next_step": "Samples out"}
    assert client.post(url, {**data, prefix + "checked_on": "2026-12-07"}).status_code == 302
    refused = client.post(url, {**data, prefix + "checked_on": "2026-12-08"})
    assert refused.status_code == 400
    assert "A check-in cannot be dated in the future." in refused.content.decode()
    # In Los Angeles it is 6 Dec, as in London: the form starts there, and 7 Dec is tomorrow.
    _zone(people.manager, "America/Los_Angeles")
    page = client.get(reverse("delivery:progress", args=[account.pk])).content.decode()
    assert f'name="{prefix}checked_on" value="2026-12-06"' in page
    refused = client.post(url, {**data, prefix + "checked_on": "2026-12-07"})
    assert refused.status_code == 400
