"""A profile lists one value of a ratio per year and each competitor once, the name in any
case: the service says so at the name, and the database holds the same rule, so two people
saving the same new row at the same moment get the form's sentence, not a server error."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.constraints import refused_as
from discovery import services
from discovery.models import Competitor, FinancialRatio
from tests.common.in_place import htmx

from .factories import CompetitorFactory


@contextmanager
def someone_saves_first(monkeypatch, model, **rival):
    """The race: between the service's check and its INSERT, another person's save of the same
    thing commits (written here as a plain INSERT just before the service's own, in the same
    test transaction: the service's refusal rolls it back with the rest)."""

    @contextmanager
    def rival_first(error):
        if not model.objects.filter(**rival).exists():
            model.objects.bulk_create([model(**rival)])
        with refused_as(error):
            yield

    monkeypatch.setattr(services, "refused_as", rival_first)
    yield


def test_the_database_refuses_a_second_competitor_of_the_same_name_in_any_case(account):
    CompetitorFactory(key_account=account, name="Packwell")
    with pytest.raises(IntegrityError), transaction.atomic():
        Competitor.objects.create(key_account=account, name="PACKWELL")


def test_the_database_refuses_a_ratio_twice_for_one_year_but_not_another_year(account):
    FinancialRatio.objects.create(key_account=account, name="Current ratio", value=1, year=2025)
    FinancialRatio.objects.create(key_account=account, name="current ratio", value=1, year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancialRatio.objects.create(key_account=account, name="CURRENT RATIO", value=2, year=2025)


def test_other_accounts_keep_their_own_names(account, other_account):
    CompetitorFactory(key_account=account, name="Packwell")
    CompetitorFactory(key_account=other_account, name="Packwell")
    assert Competitor.objects.filter(name="Packwell").count() == 2


def test_a_competitor_saved_meanwhile_by_someone_else_gives_the_forms_message(
    client_for, people, account, monkeypatch
):
    with someone_saves_first(
        monkeypatch, Competitor, key_account=account, name="packwell", offering="Trays"
    ):
        response = client_for(people.manager).post(
            reverse("discovery:competitor_create", args=[account.pk]),
            {"name": "Packwell", "offering": "Lids", "strength": "high", "threat_level": "low"},
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Packwell is already listed; edit that competitor instead." in page
    assert 'value="Lids"' in page  # what was typed is kept
    assert not Competitor.objects.filter(offering="Lids").exists()  # nothing of theirs written


def test_a_ratio_saved_meanwhile_gives_the_forms_message_in_place(
    client_for, people, account, monkeypatch
):
    with someone_saves_first(
        monkeypatch, FinancialRatio, key_account=account, name="Current ratio", value=1, year=2025
    ):
        response = client_for(people.manager).post(
            reverse("discovery:ratio_create", args=[account.pk]),
            {"name": "current ratio", "value": "1.45", "year": "2025"},
            headers=htmx("ratios"),
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # the block alone, the editor still open
    assert "current ratio for 2025 is already recorded; edit that one instead." in page
    assert 'value="1.45"' in page
    assert not FinancialRatio.objects.filter(value="1.45").exists()


def test_renaming_a_competitor_onto_one_saved_meanwhile_is_refused_at_the_name(
    client_for, people, account, monkeypatch
):
    competitor = CompetitorFactory(key_account=account, name="Arctic")
    with someone_saves_first(monkeypatch, Competitor, key_account=account, name="HELIOS"):
        response = client_for(people.manager).post(
            reverse("discovery:competitor_edit", args=[account.pk, competitor.pk]),
            {
                "name": "Helios",
                "offering": "Trays",
                "strength": "medium",
                "threat_level": "medium",
                "revision": competitor.revision,
            },
        )
    assert response.status_code == 200
    assert "Helios is already listed; edit that competitor instead." in response.content.decode()
    competitor.refresh_from_db()
    assert (competitor.name, competitor.revision) == ("Arctic", 0)  # nothing written


def test_restoring_a_deleted_competitor_whose_name_is_taken_again_says_why(
    client_for, people, account
):
    gone = Competitor.objects.create(key_account=account, name="Arctic Logistics")
    gone_id = gone.pk
    gone.delete()
    Competitor.objects.create(key_account=account, name="ARCTIC LOGISTICS")
    response = client_for(people.director).post(
        reverse("audit:restore", args=[account.pk, "competitor", gone_id]), follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["This account already lists a competitor of this name."]
    assert not Competitor.objects.filter(pk=gone_id).exists()
