"""A target measured once early stayed "On track" until it was due, and nothing said the
measurement was old, though the method measures at least quarterly. The status rule is kept;
beside it, a target still to reach whose latest measurement (or start, never measured) is
more than rules.MEASURE_EVERY_DAYS (92) days old by the reader's date says so: on the plan
page, in the plan PDF and in the director's "why" lists (home and dashboard). Days planted and
worked out by hand."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import user_today
from planning import rules
from tests.factories import AccountPlanFactory, ObjectiveFactory

from .factories import dated_target
from .test_pdf import pdf_text, pdf_url

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _plant(account, today):
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    first = ObjectiveFactory(plan=plan, title="Grow the chilled range")
    second = ObjectiveFactory(plan=plan, title="Keep the ambient range")
    third = ObjectiveFactory(plan=plan, title="Open the depots")
    # Measured 150 days ago, 50 days after its start (50 of 300 days: 17 % expected), 30 % of
    # the way: on track, and 150 > 92 days old: measure again.
    dated_target(first, "Old news", today, start=200, due=100, measured=150, actual="30")
    # Measured 92 days ago (a quarter to the day, 108 of 300 days: 36 %), 40 %: on track, and
    # not yet older than a quarter.
    dated_target(first, "Quarter old", today, start=200, due=100, measured=92, actual="40")
    # Measured 93 days ago (107 of 300 days: 36 %), 40 %: on track, one day too old.
    dated_target(first, "Day too old", today, start=200, due=100, measured=93, actual="40")
    # Reached 150 days ago: nothing left to measure.
    dated_target(second, "Reached early", today, start=200, due=100, measured=150, actual="100")
    # Due yesterday: off track by the due date; no "measure again".
    dated_target(second, "Past due", today, start=200, due=-1, measured=150, actual="30")
    # Never measured, started 120 days ago: no measurement yet, and 120 > 92 days.
    dated_target(second, "Never measured", today, start=120, due=100)
    # Measured 100 days ago, 100 days after its start (100 of 300 days: 33 % expected), 0 % of
    # the way: 33 points behind > 25, off track (named in the "why" lists), and 100 days old.
    dated_target(third, "Stalled", today, start=200, due=100, measured=100, actual="0")
    return plan


FLAGGED = {
    "Old news": ("On track", "Last measured 150 days ago: measure again"),
    "Day too old": ("On track", "Last measured 93 days ago: measure again"),
    "Never measured": (
        "No measurement yet",
        "Not measured in the 120 days since its start: measure it",
    ),
    "Stalled": ("Off track", "Last measured 100 days ago: measure again"),
}
NOT_FLAGGED = {
    "Quarter old": "On track",
    "Reached early": "On track",
    "Past due": "Off track",
}


def test_the_quarter_is_one_constant():
    assert rules.MEASURE_EVERY_DAYS == 92


def test_the_plan_page_flags_old_measurements_beside_an_unchanged_status(
    client_for, people, account
):
    today = user_today(people.manager)
    _plant(account, today)
    page = client_for(people.manager).get(reverse("planning:plan", args=[account.pk]))
    html = page.content.decode()
    rows = {
        kpi: _text(html[html.index(f"<td>{kpi}") :].split("</tr>", 1)[0])
        for kpi in [*FLAGGED, *NOT_FLAGGED]
    }
    for kpi, (status, flag) in FLAGGED.items():
        assert status in rows[kpi] and flag in rows[kpi], rows[kpi]
    for kpi, status in NOT_FLAGGED.items():
        assert status in rows[kpi], rows[kpi]
        assert "measure again" not in rows[kpi] and "measure it" not in rows[kpi], rows[kpi]


def test_the_plan_page_says_it_in_french(client_for, people, account):
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    today = user_today(people.manager)
    _plant(account, today)
    html = client_for(people.manager).get(reverse("planning:plan", args=[account.pk]))
    text = html.content.decode()
    assert "Dernière mesure il y a 150 jours\u00a0: à mesurer de nouveau" in text
    assert "Pas de mesure depuis le début, il y a 120 jours\u00a0: à mesurer" in text


def test_the_plan_pdf_flags_them_too(client_for, people, account):
    today = user_today(people.manager)
    plan = _plant(account, today)
    _pages, text = pdf_text(client_for(people.manager).get(pdf_url(plan)))
    assert "last measured 150 d ago" in text
    assert "last measured 93 d ago" in text
    assert "last measured 100 d ago" in text
    assert "unmeasured for 120 d" in text
    assert "last measured 92 d ago" not in text  # a quarter to the day: not yet
    assert text.count("last measured") == 3 and text.count("unmeasured for") == 1


def test_the_why_lists_flag_an_off_track_target_measured_long_ago(client_for, people, account):
    today = user_today(people.director)
    _plant(account, today)
    client = client_for(people.director)
    home = client.get("/").content.decode()
    section = home[home.index('id="off-track"') :]
    section = _text(section[: section.index("</section>")])
    assert "Stalled (Open the depots)" in section
    assert "Last measured 100 days ago: measure again" in section
    # Off track without the flag: due yesterday.
    assert "Past due" in section and section.count("measure again") == 1

    dashboard = _text(client.get(reverse("portfolio:dashboard")).content.decode())
    assert "Last measured 100 days ago: measure again" in dashboard
    assert dashboard.count("measure again") == 1


def _status_on(today):
    """Started 1 Jan 2027, due 31 Dec, measured 1 Feb at half the way (on track)."""
    return rules.target_status(
        baseline=Decimal("0"),
        target_value=Decimal("100"),
        baseline_on=date(2027, 1, 1),
        due_on=date(2027, 12, 31),
        actual=Decimal("50"),
        measured_on=date(2027, 2, 1),
        today=today,
    )


def test_the_flag_moves_with_the_date_and_the_status_does_not():
    quarter = _status_on(date(2027, 5, 4))  # 1 Feb + 92 days (27 + 31 + 30 + 4)
    older = _status_on(date(2027, 5, 5))  # 93 days
    assert (quarter.status, quarter.measure_again) == (rules.ON_TRACK, None)
    assert (older.status, older.measure_again) == (rules.ON_TRACK, 93)
    assert (older.progress, older.expected) == (quarter.progress, quarter.expected)


def test_the_plan_pdf_counts_the_days_by_the_reader_s_date(client_for, people, account):
    """A reader whose date is not the programme's (a day ahead in Kiritimati, UTC+14, or a day
    behind at UTC−12: at any hour one of them differs) reads the days by their own date."""
    server_today = timezone.localdate()
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        people.manager.time_zone = zone
        if user_today(people.manager) != server_today:
            break
    people.manager.save(update_fields=["time_zone"])
    today = user_today(people.manager)
    assert today != server_today
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    objective = ObjectiveFactory(plan=plan, title="Grow the chilled range")
    # 93 days before the reader's date: 92 or 94 by the programme's.
    dated_target(objective, "Old news", today, start=200, due=100, measured=93, actual="40")
    _pages, text = pdf_text(client_for(people.manager).get(pdf_url(plan)))
    assert "last measured 93 d ago" in text
