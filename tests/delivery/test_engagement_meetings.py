"""The engagement plan and the meetings that deliver it: a coordinator schedules a meeting from
a due item, and once the meeting is written up the item's next due date moves on, so the
reminders and the plan's health stop counting it as missed."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from planning.selectors import health_for_plans
from tests.factories import (
    AccountPlanFactory,
    EngagementActivityFactory,
    MeetingFactory,
    StakeholderFactory,
)

from .conftest import at, local_input


def _missed_points(plan) -> int:
    health = health_for_plans([plan])[plan.pk]
    return next(rule.points for rule in health.rules if rule.key == "engagement")


def _overdue_item(plan, people, stakeholder, **extra):
    return EngagementActivityFactory(
        plan=plan,
        our_person=people.manager,
        stakeholder=stakeholder,
        purpose="Monthly supply review",
        cadence="monthly",
        next_due_on=timezone.localdate() - timedelta(days=5),
        **extra,
    )


def test_coordinator_schedules_from_a_due_item_and_sees_it_booked(
    client_for, people, account, plan, stakeholder
):
    item = _overdue_item(plan, people, stakeholder)
    coordinator = client_for(people.coordinator)
    home = coordinator.get(reverse("home")).content.decode()
    link = reverse("delivery:meeting_create", args=[account.pk]) + f"?engagement={item.pk}"
    assert link in home
    form = coordinator.get(link).context["form"]
    assert form.initial["title"] == "Monthly supply review"
    assert form.initial["stakeholders"] == [stakeholder.pk]
    assert form.initial["attendees"] == [people.manager.pk]
    assert form.initial["engagement"] == item.pk
    response = coordinator.post(
        reverse("delivery:meeting_create", args=[account.pk]),
        {
            "kind": "customer",
            "title": "Monthly supply review",
            "starts_at": local_input(4, 10),
            "ends_at": local_input(4, 11),
            "time_zone": "Europe/London",
            "attendees": [people.manager.pk],
            "stakeholders": [stakeholder.pk],
            "engagement": item.pk,
        },
    )
    assert response.status_code == 302
    home = coordinator.get(reverse("home")).content.decode()
    booked = timezone.localdate() + timedelta(days=4)
    assert f"Booked for {booked.day} {booked:%b %Y}" in home
    assert link not in home


def test_writing_up_the_meeting_moves_the_item_on_and_clears_the_missed_cadence(
    client_for, people, account, plan, stakeholder
):
    item = _overdue_item(plan, people, stakeholder)
    assert _missed_points(plan) == 5  # one engagement missed
    meeting = MeetingFactory(
        key_account=account, engagement=item, starts_at=at(-1, 10), ends_at=at(-1, 11)
    )
    url = reverse("delivery:meeting_notes", args=[account.pk, meeting.pk])
    response = client_for(people.coordinator).post(
        url, {"notes": "Forecast agreed.", "decisions": "", "revision": 0}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    held = timezone.localdate() - timedelta(days=1)
    assert item.last_held_on == held
    assert item.next_due_on == held + timedelta(days=31)
    assert _missed_points(plan) == 0
    plan.refresh_from_db()
    assert plan.health_on is None  # the stored dashboard score is stale now
    page = client_for(people.coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "Monthly supply review (monthly; next due" in page


def test_a_meeting_both_people_attended_counts_without_a_link(
    client_for, people, account, plan, stakeholder
):
    item = _overdue_item(plan, people, stakeholder)
    other = _overdue_item(plan, people, StakeholderFactory(key_account=account))
    meeting = MeetingFactory(key_account=account, starts_at=at(-2, 10), ends_at=at(-2, 11))
    meeting.attendees.add(people.manager)
    meeting.stakeholders.add(stakeholder)
    client_for(people.coordinator).post(
        reverse("delivery:meeting_notes", args=[account.pk, meeting.pk]),
        {"notes": "Walked the line.", "revision": 0},
    )
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.last_held_on == timezone.localdate() - timedelta(days=2)
    assert other.last_held_on is None  # their stakeholder was not there


def test_an_item_held_later_already_keeps_its_dates(client_for, people, account, plan, stakeholder):
    later = timezone.localdate() - timedelta(days=1)
    item = _overdue_item(plan, people, stakeholder, last_held_on=later)
    due = item.next_due_on
    meeting = MeetingFactory(
        key_account=account, engagement=item, starts_at=at(-3, 10), ends_at=at(-3, 11)
    )
    client_for(people.coordinator).post(
        reverse("delivery:meeting_notes", args=[account.pk, meeting.pk]),
        {"notes": "Late write-up of an older meeting.", "revision": 0},
    )
    item.refresh_from_db()
    assert (item.last_held_on, item.next_due_on) == (later, due)


def test_another_accounts_item_is_neither_offered_nor_accepted(
    client_for, people, account, plan, other_account
):
    foreign = EngagementActivityFactory(plan=AccountPlanFactory(key_account=other_account))
    coordinator = client_for(people.coordinator)
    url = reverse("delivery:meeting_create", args=[account.pk])
    form = coordinator.get(url, {"engagement": foreign.pk}).context["form"]
    assert "engagement" not in form.initial and "title" not in form.initial
    response = coordinator.post(
        url,
        {
            "kind": "customer",
            "title": "Sneaky",
            "starts_at": local_input(4, 10),
            "ends_at": local_input(4, 11),
            "time_zone": "Europe/London",
            "engagement": foreign.pk,
        },
    )
    assert response.status_code == 400
    assert "Only an item of this account&#x27;s current engagement plan." in (
        response.content.decode()
    )


def test_the_booked_day_is_the_meetings_own_day_where_it_takes_place(
    client_for, people, account, plan, stakeholder
):
    """01:30 in Tokyo is the evening before in London, the server's zone: the coordinator's
    home says the meeting's own day, as the meeting's page does."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    item = _overdue_item(plan, people, stakeholder)
    tokyo = ZoneInfo("Asia/Tokyo")
    day = timezone.localdate() + timedelta(days=6)
    MeetingFactory(
        key_account=account,
        engagement=item,
        starts_at=datetime.combine(day, time(1, 30), tzinfo=tokyo),
        ends_at=datetime.combine(day, time(2, 30), tzinfo=tokyo),
        time_zone="Asia/Tokyo",
    )
    home = client_for(people.coordinator).get(reverse("home")).content.decode()
    assert f"Booked for {day.day} {day:%b %Y}" in home
    the_day_before = day - timedelta(days=1)
    assert f"Booked for {the_day_before.day} {the_day_before:%b %Y}" not in home
