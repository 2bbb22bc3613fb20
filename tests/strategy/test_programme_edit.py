"""Editing the programme: a mistyped next annual review date in the past is refused (it put
an 'annual review was due' banner on every user's home page), an overdue date already saved
does not block other changes."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme

URL = reverse("strategy:programme_edit")


def programme_post(programme, **over):
    data = {
        "name": programme.name,
        "trigger": programme.trigger,
        "rationale": "We serve our key customers as partners.",
        "business_strategy": "",
        "business_strategy_url": "",
        "objectives": "",
        "starts_on": "",
        "ends_on": "",
        "annual_review_on": "",
        "revision": "",
    }
    data.update(over)
    return data


def test_a_next_annual_review_in_the_past_is_refused_and_input_kept(client_for, people):
    programme = Programme.ensure()
    response = client_for(people.programme_admin).post(
        URL, programme_post(programme, annual_review_on="1999-01-01")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The next annual review cannot be in the past" in html
    assert 'value="1999-01-01"' in html
    programme.refresh_from_db()
    assert programme.annual_review_on != date(1999, 1, 1)


def test_an_overdue_review_date_already_saved_does_not_block_other_changes(client_for, people):
    programme = Programme.ensure()
    overdue = timezone.localdate() - timedelta(days=20)
    Programme.objects.filter(pk=programme.pk).update(annual_review_on=overdue)
    response = client_for(people.programme_admin).post(
        URL, programme_post(programme, annual_review_on=overdue.isoformat())
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.rationale == "We serve our key customers as partners."


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


def test_the_next_annual_review_is_at_most_a_year_away(client_for, people):
    """The programme is revisited at least once a year: a next review further away is refused
    (the date kept in the field), a year from today is the latest accepted."""
    programme = Programme.ensure()
    client = client_for(people.programme_admin)
    today = timezone.localdate()
    latest = _a_year_after(today)
    too_late = latest + timedelta(days=1)
    response = client.post(URL, programme_post(programme, annual_review_on=too_late.isoformat()))
    assert response.status_code == 200
    html = response.content.decode()
    shown = f"{latest.day} {latest:%b %Y}"  # SHORT_DATE_FORMAT: 6 Dec 2027
    assert (
        "The programme is revisited at least once a year: pick a date on or before "
        f"{shown}." in html
    )
    assert f'value="{too_late.isoformat()}"' in html
    response = client.post(URL, programme_post(programme, annual_review_on=latest.isoformat()))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.annual_review_on == latest


def test_a_programme_not_started_yet_is_first_reviewed_a_year_after_its_start(client_for, people):
    programme = Programme.ensure()
    starts = timezone.localdate() + timedelta(days=180)
    review = _a_year_after(starts)
    response = client_for(people.programme_admin).post(
        URL,
        programme_post(
            programme, starts_on=starts.isoformat(), annual_review_on=review.isoformat()
        ),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.annual_review_on == review
