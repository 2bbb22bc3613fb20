"""ICS invitations and private calendar feeds."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from accounts.models import Membership
from delivery.models import CalendarFeed
from tests.factories import MeetingFactory

from .conftest import at


@pytest.fixture
def meeting(people, account, stakeholder):
    meeting = MeetingFactory(
        key_account=account,
        title="Clean-label pilot review",
        starts_at=at(4, 14),
        ends_at=at(4, 15, 30),
        time_zone="Europe/London",
        location="https://video.example.com/pilot",
        agenda="Results of the first run",
        scheduled_by=people.coordinator,
    )
    meeting.attendees.add(people.manager, people.team_member)
    meeting.stakeholders.add(stakeholder)
    return meeting


def _events(body: bytes):
    calendar = Calendar.from_ical(body)
    return [c for c in calendar.walk("VEVENT")]


def test_ics_invitation_parses_back_with_times_attendees_and_summary(
    client_for, people, account, meeting
):
    url = reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])
    response = client_for(people.team_member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = _events(response.content)
    assert str(event["SUMMARY"]) == "Clean-label pilot review — Northwind Foods"
    assert event.decoded("DTSTART") == at(4, 14)
    assert event.decoded("DTEND") == at(4, 15, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert attendees == {
        "mailto:max@example.com",
        "mailto:sven@example.com",
        "mailto:greta.hansen@northwind.example",
    }
    assert str(event["ORGANIZER"]) == "mailto:chloe@example.com"
    assert str(event["LOCATION"]) == "https://video.example.com/pilot"
    assert "Results of the first run" in str(event["DESCRIPTION"])
    assert Calendar.from_ical(response.content).walk("VTIMEZONE")


def test_ics_keeps_the_meetings_own_time_zone(client_for, people, account):
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    meeting = MeetingFactory(
        key_account=account,
        starts_at=at(3, 9, zone=tokyo),
        ends_at=at(3, 10, zone=tokyo),
        time_zone="Asia/Tokyo",
    )
    url = reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])
    (event,) = _events(client_for(people.manager).get(url).content)
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event.decoded("DTSTART").hour == 9
    assert event.decoded("DTSTART") == at(3, 9, zone=tokyo)


def test_ics_download_is_404_for_outsiders(client_for, people, account, meeting):
    url = reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])
    assert client_for(people.outsider).get(url).status_code == 404


def _feed_url(client):
    client.post(reverse("delivery:calendar_create"))
    return reverse("delivery:calendar_feed", args=[CalendarFeed.objects.get().token])


def test_feed_works_without_login_and_lists_my_meetings(
    client_for, client, people, meeting, other_account
):
    elsewhere = MeetingFactory(key_account=other_account, title="Not mine")
    elsewhere.attendees.add(people.other_manager)
    url = _feed_url(client_for(people.manager))
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in _events(response.content)]
    assert summaries == ["Clean-label pilot review — Northwind Foods"]


def test_feed_token_is_long_and_random(client_for, people):
    _feed_url(client_for(people.manager))
    assert len(CalendarFeed.objects.get().token) >= 40


def test_revoking_replaces_the_token_and_the_old_url_is_404(client_for, client, people, meeting):
    manager = client_for(people.manager)
    old_url = _feed_url(manager)
    assert manager.post(reverse("delivery:calendar_revoke")).status_code == 302
    new_url = reverse("delivery:calendar_feed", args=[CalendarFeed.objects.get().token])
    assert new_url != old_url
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200
    assert client.get(reverse("delivery:calendar_feed", args=["guess"])).status_code == 404


def test_feed_drops_meetings_of_accounts_the_user_can_no_longer_see(
    client_for, client, people, account, meeting
):
    url = _feed_url(client_for(people.team_member))
    Membership.objects.filter(user=people.team_member, key_account=account).delete()
    client.logout()
    assert _events(client.get(url).content) == []


def test_feed_marks_cancelled_meetings_and_skips_old_ones(client_for, client, people, meeting):
    from django.utils import timezone

    meeting.cancelled_at = timezone.now()
    meeting.save()
    old = MeetingFactory(
        key_account=meeting.key_account,
        title="Ancient",
        starts_at=at(-200, 10),
        ends_at=at(-200, 11),
    )
    old.attendees.add(people.manager)
    url = _feed_url(client_for(people.manager))
    (event,) = _events(client.get(url).content)
    assert str(event["STATUS"]) == "CANCELLED"


def test_calendar_settings_page_needs_login_and_shows_the_url(client, client_for, people):
    settings_url = reverse("delivery:calendar_settings")
    assert client.get(settings_url).status_code == 302
    manager = client_for(people.manager)
    assert "Create my private feed address" in manager.get(settings_url).content.decode()
    _feed_url(manager)
    html = manager.get(settings_url).content.decode()
    assert CalendarFeed.objects.get().token in html


def test_the_feed_is_written_in_the_language_its_owner_chose(client, people, account):
    """A calendar program signs in as nobody and asks for no language (or its own): the feed of
    someone who reads French was English ("Customer meeting with …", "Agenda:")."""
    from delivery.services.calendar import calendar_feed_get_or_create

    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    meeting = MeetingFactory(
        key_account=account,
        kind="customer",
        title="Bilan d'hiver",
        agenda="Prix",
        starts_at=at(3, 10),
        ends_at=at(3, 11),
    )
    meeting.attendees.add(people.manager)
    feed = calendar_feed_get_or_create(user=people.manager)
    url = reverse("delivery:calendar_feed", args=[feed.token])
    for asked in ({}, {"HTTP_ACCEPT_LANGUAGE": "en-GB"}):
        calendar = Calendar.from_ical(client.get(url, **asked).content)
        assert str(calendar["x-wr-calname"]) == f"Réunions KAM — {people.manager}"
        (event,) = calendar.walk("VEVENT")
        assert (
            str(event["description"])
            == f"Réunion client avec {account.name}.\n\nOrdre du jour\u00a0:\nPrix"
        )
    # Someone who chose no language and never browsed gets the site's (their e-mails' language,
    # accounts.selectors.user_language), whatever the program asks for.
    people.manager.language = ""
    people.manager.save(update_fields=["language"])
    calendar = Calendar.from_ical(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content)
    assert str(calendar["x-wr-calname"]) == f"KAM meetings — {people.manager}"


def test_an_invitation_carries_its_zone_s_rules_for_the_meeting_s_day(client_for, people, account):
    """The VTIMEZONE that tells a calendar what 10:00 in Paris is covered 1970 to 2037 only, so
    a meeting in July 2045 fell outside it (its summer offset unknown), and every invitation
    carried 60 years of clock changes. It covers the meeting's days now."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    meeting = MeetingFactory(
        key_account=account,
        starts_at=datetime(2045, 7, 3, 10, 0, tzinfo=paris),
        ends_at=datetime(2045, 7, 3, 11, 0, tzinfo=paris),
        time_zone="Europe/Paris",
    )
    body = client_for(people.coordinator).get(
        reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])
    )
    calendar = Calendar.from_ical(body.content)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Paris"
    # The rule in force on the meeting's day: the last observance starting on or before it.
    starts = [
        (sub["dtstart"].dt, sub["tzoffsetto"].td)
        for sub in zone.subcomponents
        if sub["dtstart"].dt <= datetime(2045, 7, 3, 10, 0)
    ]
    assert starts and max(starts)[1] == timedelta(hours=2)  # CEST, UTC+2
    assert len(body.content) < 2000
