"""A meeting is shown at its own wall-clock time, with its zone, on every page: a template's
`date` filter turns other aware date-times into the server's zone (Europe/London here), so a
meeting at 10:00 in Tokyo read "01:00 (Asia/Tokyo)"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from delivery.models import Meeting
from tests.factories import MeetingFactory

from .conftest import at, local_input

TOKYO = ZoneInfo("Asia/Tokyo")  # UTC+9 all year: 10:00 there is 01:00 or 02:00 in London


def schedule_in_tokyo(client, account, people, **over):
    data = {
        "kind": "customer",
        "title": "Tokyo distributor review",
        "starts_at": local_input(5, 10),
        "ends_at": local_input(5, 11, 30),
        "time_zone": "Asia/Tokyo",
        "location": "Marunouchi office",
        "attendees": [people.manager.pk, people.coordinator.pk],
        "agenda": "Volumes for 2027",
        **over,
    }
    return client.post(reverse("delivery:meeting_create", args=[account.pk]), data)


def test_a_meeting_reads_at_the_time_typed_in_its_zone_on_every_page(client_for, people, account):
    client = client_for(people.coordinator)
    assert schedule_in_tokyo(client, account, people).status_code == 302
    meeting = Meeting.objects.get()
    # Stored as the instant: 10:00 in Tokyo is 01:00 UTC.
    assert meeting.starts_at == at(5, 10, zone=TOKYO)
    assert meeting.starts_at.astimezone(ZoneInfo("UTC")).hour == 1
    london = timezone.localtime(meeting.starts_at).strftime("%H:%M")
    assert london in ("01:00", "02:00")

    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "10:00–11:30 (Asia/Tokyo)" in detail
    # The coordinator's own clock (London) is given apart, named as theirs.
    detail, yours = detail.split("Your time: ")
    assert f"{london}–" not in detail and yours.split("</small>")[0].endswith("(Europe/London)")

    listing = client.get(reverse("delivery:account_meetings", args=[account.pk]))
    row = listing.content.decode().split("Tokyo distributor review")[0].rsplit("<tr", 1)[1]
    assert ", 10:00" in row and london not in row

    my_work = client.get(reverse("delivery:index")).content.decode()
    mine = my_work[my_work.index("Tokyo distributor review") :][:400]
    assert ", 10:00 (Asia/Tokyo)" in mine and london not in mine.split("; your time")[0]

    home = client.get("/").content.decode()
    line = home[: home.index("Tokyo distributor review")].rsplit("<li", 1)[1]
    assert ", 10:00 (Asia/Tokyo)" in line and london not in line

    overview = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    box = overview[overview.index('id="ov-meeting"') :][:600]
    assert ", 10:00 (Asia/Tokyo)" in box and london not in box

    # Editing shows the typed time back, and saving it unchanged leaves the meeting where it is.
    edit_url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    assert f'value="{local_input(5, 10)}"' in client.get(edit_url).content.decode()


def test_a_double_booking_warning_names_the_other_meeting_at_its_own_time(
    client_for, people, account
):
    busy = MeetingFactory(
        key_account=account,
        title="Osaka plant call",
        starts_at=at(5, 10, 30, zone=TOKYO),
        ends_at=at(5, 11, 30, zone=TOKYO),
        time_zone="Asia/Tokyo",
    )
    busy.attendees.add(people.manager)
    response = schedule_in_tokyo(client_for(people.coordinator), account, people)
    html = response.content.decode()
    assert "Osaka plant call" in html
    assert "10:30–11:30 (Asia/Tokyo)" in html
    assert Meeting.objects.count() == 1


def test_the_wall_clock_keeps_its_zone_through_arithmetic_and_comparison():
    meeting = MeetingFactory.build(
        starts_at=at(5, 10, zone=TOKYO),
        ends_at=at(5, 11, zone=TOKYO),
        time_zone="Asia/Tokyo",
    )
    local = meeting.local_starts_at
    assert local.hour == 10 and local == meeting.starts_at
    assert (local + timedelta(hours=1)) == meeting.local_ends_at
    assert local.date() == (timezone.localdate() + timedelta(days=5))


def test_a_time_is_read_in_the_meetings_zone_not_the_servers(client_for, people, account):
    """01:30 on the night the London clocks go forward exists in Tokyo: it was refused,
    "couldn't be interpreted in time zone Europe/London", a zone nobody chose."""
    client = client_for(people.coordinator)
    response = schedule_in_tokyo(
        client, account, people, starts_at="2027-03-28T01:30", ends_at="2027-03-28T02:30"
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2027, 3, 28, 1, 30, tzinfo=TOKYO)
    assert "01:30–02:30 (Asia/Tokyo)" in client.get(meeting.get_absolute_url()).content.decode()


def test_a_time_the_clocks_skip_in_the_chosen_zone_is_refused_and_the_form_kept(
    client_for, people, account
):
    response = schedule_in_tokyo(
        client_for(people.coordinator),
        account,
        people,
        title="Boston kick-off",
        starts_at="2027-03-14T02:30",
        ends_at="2027-03-14T04:00",
        time_zone="America/New_York",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "There is no 02:30 on 14 Mar 2027 in America/New_York: the clocks go forward then." in html
    )
    assert 'value="Boston kick-off"' in html and 'value="2027-03-14T02:30"' in html
    assert not Meeting.objects.exists()


def test_editing_a_meeting_in_the_repeated_hour_keeps_it_where_it_is(
    client_for, people, account, django_capture_on_commit_callbacks
):
    """London's clocks go back at 02:00 BST on 31 Oct 2027: 01:30 happens twice. A meeting at
    the second 01:30 (GMT, 01:30 UTC) was moved to the first (BST, 00:30 UTC) by an edit of its
    title alone, its form showing '01:30' for both, and its attendees were told it had moved."""
    london = ZoneInfo("Europe/London")
    second = datetime(2027, 10, 31, 1, 30, tzinfo=london, fold=1)
    assert second.utcoffset() == timedelta(0)
    meeting = MeetingFactory(
        key_account=account,
        title="Night shift handover",
        starts_at=second,
        ends_at=second + timedelta(hours=1),
        time_zone="Europe/London",
    )
    meeting.attendees.add(people.manager, people.coordinator)
    client = client_for(people.coordinator)
    url = reverse("delivery:meeting_edit", args=[account.pk, meeting.pk])
    form = client.get(url).content.decode()
    assert 'value="2027-10-31T01:30"' in form and 'value="2027-10-31T02:30"' in form
    data = {
        "kind": meeting.kind,
        "title": "Night shift handover (line 3)",
        "starts_at": "2027-10-31T01:30",
        "ends_at": "2027-10-31T02:30",
        "time_zone": "Europe/London",
        "attendees": [people.manager.pk, people.coordinator.pk],
        "revision": meeting.revision,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Night shift handover (line 3)"
    utc = ZoneInfo("UTC")
    assert meeting.starts_at.astimezone(utc) == datetime(2027, 10, 31, 1, 30, tzinfo=utc)
    assert not people.manager.notifications.filter(text__contains="changed").exists()
    # A new meeting typed at 01:30 that night is the first one (BST), as before.
    new = {**data, "title": "Early handover", "revision": "", "attendees": []}
    assert (
        client.post(reverse("delivery:meeting_create", args=[account.pk]), new).status_code == 302
    )
    early = Meeting.objects.get(title="Early handover")
    assert early.starts_at.astimezone(utc) == datetime(2027, 10, 31, 0, 30, tzinfo=utc)


def test_an_attendee_in_another_zone_also_reads_the_meeting_at_their_own_time(
    client_for, people, account
):
    """Scheduled by a coordinator in London at 10:00 in Tokyo (01:00 UTC, 01:00 in London in
    winter), read by a manager in New York: their page and My work also give 20:00 the evening
    before, their time; a reader whose clock says the meeting's time sees nothing more."""
    client = client_for(people.coordinator)
    assert schedule_in_tokyo(client, account, people).status_code == 302
    meeting = Meeting.objects.get()
    people.manager.time_zone = "America/New_York"
    people.manager.save(update_fields=["time_zone"])
    new_york = ZoneInfo("America/New_York")
    theirs = meeting.starts_at.astimezone(new_york)
    theirs_end = meeting.ends_at.astimezone(new_york)
    assert (theirs.hour, theirs_end.hour, theirs_end.minute) in ((20, 21, 30), (19, 20, 30))
    manager = client_for(people.manager)
    page = manager.get(meeting.get_absolute_url()).content.decode()
    day = f"{theirs:%A} {theirs.day} {theirs:%B %Y}"
    assert f"Your time: {day}, {theirs:%H:%M}–{theirs_end:%H:%M} (America/New_York)" in page
    work = manager.get(reverse("delivery:index")).content.decode()
    assert f"(Asia/Tokyo); your time {theirs:%a} {theirs.day} {theirs:%b}, {theirs:%H:%M}" in work
    # The coordinator's clock (London) reads another time too; a reader in Tokyo reads none.
    people.manager.time_zone = "Asia/Tokyo"
    people.manager.save(update_fields=["time_zone"])
    assert "Your time" not in manager.get(meeting.get_absolute_url()).content.decode()
    assert "; your time" not in manager.get(reverse("delivery:index")).content.decode()


def test_the_invitation_of_a_meeting_in_the_repeated_hour_names_the_right_one(
    client_for, people, account
):
    """A calendar reads a local time that happens twice as the first (RFC 5545): the .ics of a
    meeting at the second 01:30 (GMT) on 31 Oct 2027 in London put it an hour early. Its times
    are written in UTC then; any other meeting keeps its zone (TZID)."""
    from icalendar import Calendar

    london = ZoneInfo("Europe/London")
    utc = ZoneInfo("UTC")
    second = datetime(2027, 10, 31, 1, 30, tzinfo=london, fold=1)
    night = MeetingFactory(
        key_account=account,
        starts_at=second,
        ends_at=second + timedelta(hours=1),
        time_zone="Europe/London",
    )
    day = MeetingFactory(
        key_account=account,
        starts_at=datetime(2027, 10, 31, 10, 0, tzinfo=london),
        ends_at=datetime(2027, 10, 31, 11, 0, tzinfo=london),
        time_zone="Europe/London",
    )
    client = client_for(people.coordinator)
    for meeting, starts, ends, text in (
        (night, (2027, 10, 31, 1, 30), (2027, 10, 31, 2, 30), "DTSTART:20271031T013000Z"),
        (day, (2027, 10, 31, 10, 0), (2027, 10, 31, 11, 0), "DTSTART;TZID=Europe/London:"),
    ):
        url = reverse("delivery:meeting_ics", args=[account.pk, meeting.pk])
        body = client.get(url).content
        assert text in body.decode()
        (event,) = Calendar.from_ical(body).walk("VEVENT")
        assert event["dtstart"].dt.astimezone(utc) == datetime(*starts, tzinfo=utc)
        assert event["dtend"].dt.astimezone(utc) == datetime(*ends, tzinfo=utc)
