"""The customer's meetings in the workspace are at the meeting's own time, its zone named, as
the team's pages and the calendar invitation give them. The workspace wrote them in the
server's zone (Europe/London) with no zone: a 10:00 meeting at the Erfurt plant read 09:00."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

from .helpers import approved_plan, customer, invite, open_link

pytestmark = pytest.mark.django_db


def test_a_meeting_in_erfurt_reads_at_its_own_time(people, account, settings):
    settings.TIME_ZONE = "Europe/London"
    approved_plan(account, people)
    clara = customer(account)
    day = timezone.localdate() + timedelta(days=5)
    starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    meeting = f.MeetingFactory(
        key_account=account, title="Tasting in the pilot kitchen", starts_at=starts,
        ends_at=starts + timedelta(minutes=90), time_zone="Europe/Berlin", location="Erfurt",
    )  # fmt: skip
    meeting.stakeholders.add(clara)
    browser = Client()
    open_link(browser, invite(account, clara, people))
    html = browser.get(reverse("workspace:home")).content.decode()
    section = re.search(r'<section id="meetings".*?</section>', html, flags=re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    # 10:00 to 11:30 in Berlin (09:00 to 10:30 in London, which the page said with no zone).
    assert "10:00–11:30 (Europe/Berlin): Tasting in the pilot kitchen · Erfurt" in text
    assert "09:00" not in text


def test_the_teams_meeting_pages_say_the_same_time(client_for, people, account, settings):
    # The team's pages turned the meeting's local time back into the server's zone too, and
    # still named the meeting's zone: "09:00–10:30 (Europe/Berlin)" for 10:00 in Berlin.
    settings.TIME_ZONE = "Europe/London"
    day = timezone.localdate() + timedelta(days=5)
    starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    meeting = f.MeetingFactory(
        key_account=account, title="Tasting", starts_at=starts,
        ends_at=starts + timedelta(minutes=90), time_zone="Europe/Berlin",
    )  # fmt: skip
    meeting.attendees.add(people.manager)
    team = client_for(people.manager)
    record = " ".join(
        re.sub(r"<[^>]+>", " ", team.get(meeting.get_absolute_url()).content.decode()).split()
    )
    assert "10:00–11:30 (Europe/Berlin)" in record
    listing = team.get(reverse("delivery:account_meetings", args=[account.pk])).content.decode()
    assert "10:00" in re.sub(r"<[^>]+>", " ", listing.split("Tasting")[0])[-120:]
