"""An account has one current plan and one plan per period; the database holds both rules.
A start that races past the service's check (someone else started the plan a moment before)
gets the check's own sentence, the typed period kept, not a server error."""

from contextlib import contextmanager

import pytest
from django.urls import reverse

from common.constraints import refused_as
from planning.models import AccountPlan
from planning.services import plans

pytestmark = pytest.mark.django_db


@contextmanager
def someone_starts_first(monkeypatch, **rival):
    """The race: between the service's check and its INSERT, another person's plan commits
    (written here just before the service's own, in the same test transaction)."""

    @contextmanager
    def rival_first(error):
        AccountPlan.objects.bulk_create([AccountPlan(**rival)])
        with refused_as(error):
            yield

    monkeypatch.setattr(plans, "refused_as", rival_first)
    yield


def _start(client, account, period):
    return client.post(reverse("planning:plan_start", args=[account.pk]), {"period": period})


def test_a_plan_started_meanwhile_gives_the_current_plan_sentence(
    client_for, people, account, monkeypatch
):
    with someone_starts_first(monkeypatch, key_account=account, period="FY2027"):
        response = _start(client_for(people.manager), account, "FY2028")
    page = response.content.decode()
    assert "This account already has a current plan." in page
    assert 'value="FY2028"' in page  # what was typed is kept
    assert not AccountPlan.objects.filter(period="FY2028").exists()


def test_a_period_archived_meanwhile_gives_the_periods_sentence(
    client_for, people, account, monkeypatch
):
    with someone_starts_first(
        monkeypatch, key_account=account, period="FY2028", is_current=False, status="archived"
    ):
        response = _start(client_for(people.manager), account, "FY2028")
    assert "A plan for FY2028 already exists (archived)." in response.content.decode()


def test_a_start_sent_after_someone_elses_shows_their_plan_and_says_why(
    client_for, people, account
):
    """The start form was open on two screens; the second sent it after the first had started
    the plan: the page shows that plan, and says why the second start did nothing."""
    AccountPlan.objects.create(key_account=account, period="FY2027")
    response = _start(client_for(people.manager), account, "FY2028")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This account already has a current plan." in page
    assert "account plan FY2027" in page
    assert not AccountPlan.objects.filter(period="FY2028").exists()
