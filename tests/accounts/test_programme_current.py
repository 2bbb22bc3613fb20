"""`Programme.current()` reads; it never creates the programme. On an empty database the pages
show the defaults and write nothing; the first write (the programme edit page, a new
offering, a roadmap step, seeding) creates the one programme."""

import pytest
from django.urls import reverse

from accounts.models import Programme
from opportunities.models import Offering
from tests.factories import UserFactory

# Stage 1 pages by path: their URL names move with the Stage 1 app, their paths do not.
READ_PAGES = [
    "/",
    "/strategy/",
    "/strategy/edit/",
    "/strategy/criteria/",
    "/strategy/customers/",
    "/strategy/matrix/",
    "/strategy/history/",
    reverse("opportunities:index"),
    reverse("opportunities:offering_list"),
    reverse("organisation:index"),
    reverse("organisation:handbook"),
    reverse("portfolio:dashboard"),
    reverse("rhythm:annual_review"),
]


@pytest.fixture
def boss(db):
    return UserFactory(username="root", is_superuser=True)


def test_current_on_an_empty_database_creates_nothing(db):
    programme = Programme.current()
    assert programme.pk is None
    assert programme.currency == "EUR"
    assert programme.key_account_limit_percent == 20
    # Shown as a saved programme's would be (messages quote the limit).
    assert str(programme.quote_discount_limit_percent) == "10.00"
    assert str(programme.attractiveness_threshold) == "50.00"
    assert not Programme.objects.exists()


def test_current_returns_the_saved_programme_once_there_is_one(db):
    saved = Programme.ensure()
    assert Programme.ensure() == saved
    assert Programme.current() == saved
    assert Programme.objects.count() == 1


@pytest.mark.parametrize("path", READ_PAGES)
def test_reading_pages_on_an_empty_database_writes_no_programme(client_for, boss, path):
    response = client_for(boss).get(path)
    assert response.status_code == 200, path
    assert not Programme.objects.exists()


def test_an_offering_of_an_unsaved_programme_is_a_404(client_for, boss):
    client = client_for(boss)
    assert client.get(reverse("opportunities:offering_edit", args=[1])).status_code == 404
    assert not Programme.objects.exists()


def test_saving_the_programme_page_on_an_empty_database_creates_the_programme(client_for, boss):
    response = client_for(boss).post(
        "/strategy/edit/",
        {
            "name": "Northstar programme",
            "trigger": "growth",
            "rationale": "We serve our key customers as partners.",
            "business_strategy": "",
            "business_strategy_url": "",
            "objectives": "",
            "starts_on": "",
            "ends_on": "",
            "annual_review_on": "",
            "revision": "",
        },
    )
    assert response.status_code == 302
    assert list(Programme.objects.values_list("name", flat=True)) == ["Northstar programme"]


def test_a_new_offering_on_an_empty_database_creates_the_programme(client_for, boss):
    response = client_for(boss).post(
        reverse("opportunities:offering_create"), {"name": "Cold-chain audit", "description": ""}
    )
    assert response.status_code == 302
    offering = Offering.objects.get()
    assert offering.programme == Programme.current()
    assert Programme.objects.count() == 1


def test_seed_demo_on_an_empty_database_creates_the_one_programme(demo):
    # `demo`: seed_demo run on a freshly migrated database (tests/demo_snapshot.py).
    assert Programme.objects.count() == 1
    assert Programme.current().rationale
