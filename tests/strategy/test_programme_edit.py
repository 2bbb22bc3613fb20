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
