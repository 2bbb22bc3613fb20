"""Recorded moments (the timeline's events, the history's changes, a plan's "last changed")
are shown on the reader's clock, in their own time zone, and named when that zone is not the
programme's (Europe/London): a reader in Auckland read London's time, unnamed, and took a
comment posted at half past midnight their time for one of the morning before."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.models import AccountEvent
from discovery.models import Competitor
from notifications.models import Notification
from tests.factories import AccountPlanFactory, MeetingFactory

# 11:30 on 6 Dec in London (UTC in winter); in Auckland (NZDT, UTC+13) 00:30 on 7 Dec.
MOMENT = datetime(2026, 12, 6, 11, 30, tzinfo=UTC)
LONDON = "6 Dec 2026, 11:30"
AUCKLAND = "7 Dec 2026, 00:30"
NOTE = "Times are in your time zone (Pacific/Auckland)."


def _zone(user, name):
    user.time_zone = name
    user.save(update_fields=["time_zone"])


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def event(account, people):
    return AccountEvent.objects.create(
        key_account=account, kind="comment", summary="Plant visit agreed", occurred_at=MOMENT
    )


def test_the_timeline_shows_an_auckland_reader_their_time_and_names_their_zone(
    client_for, people, account, event
):
    _zone(people.coordinator, "Pacific/Auckland")
    page = _text(
        client_for(people.coordinator).get(reverse("delivery:timeline", args=[account.pk]))
    )
    assert f"{AUCKLAND} · Comment" in page
    assert LONDON not in page
    assert NOTE in page


def test_the_timeline_of_a_london_reader_is_unchanged_and_names_no_zone(
    client_for, people, account, event
):
    page = _text(
        client_for(people.coordinator).get(reverse("delivery:timeline", args=[account.pk]))
    )
    assert f"{LONDON} · Comment" in page
    assert "Times are in your time zone" not in page


def test_the_overview_dates_the_event_by_the_readers_calendar(client_for, people, account, event):
    _zone(people.manager, "Pacific/Auckland")
    page = _text(
        client_for(people.manager).get(reverse("accounts:account_detail", args=[account.pk]))
    )
    assert "7 Dec 2026</span> — Plant visit agreed" in page


def test_the_history_shows_when_on_the_readers_clock_and_names_the_zone_above_it(
    client_for, people, account
):
    Competitor.objects.create(key_account=account, name="Arctic", strength="medium")
    Competitor.history.update(history_date=MOMENT)
    url = reverse("audit:account_history", args=[account.pk])
    london = _text(client_for(people.director).get(url))
    assert f'<td class="text-nowrap">{LONDON}</td>' in london
    assert "Times are in your time zone" not in london

    _zone(people.director, "Pacific/Auckland")
    auckland = _text(client_for(people.director).get(url))
    assert f'<td class="text-nowrap">{AUCKLAND}</td>' in auckland
    assert f'<p class="small text-body-secondary">{NOTE}</p>' in auckland


def test_the_plans_last_changed_stamp_is_the_readers_and_follows_a_change_of_zone(
    client_for, people, account, settings
):
    settings.PLAN_PAGE_CACHE_SECONDS = 600  # the cached document must not keep London's time
    plan = AccountPlanFactory(key_account=account, period="FY2027", updated_by=people.manager)
    type(plan).objects.filter(pk=plan.pk).update(updated_at=MOMENT)
    url = reverse("planning:plan", args=[account.pk])
    client = client_for(people.manager)
    assert "last changed 6 Dec 2026 11:30 by Max Manager" in _text(client.get(url))
    _zone(people.manager, "Pacific/Auckland")
    page = _text(client.get(url))
    assert "last changed 7 Dec 2026 00:30 (Pacific/Auckland) by Max Manager" in page


def test_notifications_are_listed_at_the_readers_time(client_for, people, account):
    Notification.objects.create(user=people.manager, text="Plan approved", link="/")
    Notification.objects.update(created_at=MOMENT)
    _zone(people.manager, "Pacific/Auckland")
    page = _text(client_for(people.manager).get(reverse("notifications:index")))
    assert AUCKLAND in page
    assert LONDON not in page


def test_a_meetings_moved_start_reads_old_and_new_on_the_readers_clock_in_the_history(
    client_for, people, account
):
    meeting = MeetingFactory(
        key_account=account, starts_at=MOMENT, ends_at=MOMENT + timedelta(hours=1)
    )
    meeting.starts_at = MOMENT + timedelta(hours=1)
    meeting.ends_at = MOMENT + timedelta(hours=2)
    meeting.save()
    _zone(people.director, "Pacific/Auckland")
    url = reverse("audit:account_history", args=[account.pk])
    page = _text(client_for(people.director).get(url))
    # 11:30 and 12:30 UTC on 6 Dec: 00:30 and 01:30 on 7 Dec in Auckland.
    assert "<del>07 Dec 2026, 00:30</del> → <ins>07 Dec 2026, 01:30</ins>" in page
    assert "<del>07 Dec 2026, 01:30</del> → <ins>07 Dec 2026, 02:30</ins>" in page
