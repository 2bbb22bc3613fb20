"""A business unit's name is unique in its account, an offering's in the catalogue, the name in
any case: the services say so at the name, and the database holds the same rule, so a save that
races past the service's check gets the form's sentence, not a server error."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Programme
from common.constraints import refused_as
from opportunities.models import BusinessUnit, Offering
from opportunities.services import catalogue, white_space

from .factories import BusinessUnitFactory, OfferingFactory

pytestmark = pytest.mark.django_db


@contextmanager
def someone_saves_first(monkeypatch, module, model, **rival):
    """The race: between the service's check and its write, another person's save of the same
    name commits (written here as a plain INSERT just before the service's own, in the same
    test transaction: the service's refusal rolls it back with the rest)."""

    @contextmanager
    def rival_first(error):
        if not model.objects.filter(**rival).exists():
            model.objects.bulk_create([model(**rival)])
        with refused_as(error):
            yield

    monkeypatch.setattr(module, "refused_as", rival_first)
    yield


def test_the_database_refuses_a_second_unit_of_the_same_name_in_any_case(account, other_account):
    BusinessUnitFactory(key_account=account, name="Bakery")
    BusinessUnitFactory(key_account=other_account, name="BAKERY")  # another account's: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessUnit.objects.create(key_account=account, name="BAKERY")


def test_the_database_refuses_a_second_offering_of_the_same_name_in_any_case():
    OfferingFactory(name="Cold-chain logistics")
    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.create(programme=Programme.ensure(), name="COLD-CHAIN LOGISTICS")


def test_a_unit_saved_meanwhile_by_someone_else_gives_the_forms_message(
    client_for, people, account, monkeypatch
):
    with someone_saves_first(
        monkeypatch, white_space, BusinessUnit, key_account=account, name="bakery"
    ):
        response = client_for(people.manager).post(
            reverse("opportunities:unit_create", args=[account.pk]), {"name": "Bakery"}
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This account already has a unit with this name." in page
    assert 'value="Bakery"' in page  # what was typed is kept
    assert not BusinessUnit.objects.exists()  # nothing written (the rival rolled back too)


def test_renaming_a_unit_onto_one_saved_meanwhile_is_refused_at_the_name(
    client_for, people, account, monkeypatch
):
    unit = BusinessUnitFactory(key_account=account, name="Dairy")
    with someone_saves_first(
        monkeypatch, white_space, BusinessUnit, key_account=account, name="SNACKS"
    ):
        response = client_for(people.manager).post(
            reverse("opportunities:unit_edit", args=[account.pk, unit.pk]),
            {"name": "Snacks", "revision": unit.revision},
        )
    assert response.status_code < 500
    assert "This account already has a unit with this name." in response.content.decode()
    unit.refresh_from_db()
    assert (unit.name, unit.revision) == ("Dairy", 0)


def test_an_offering_saved_meanwhile_gives_the_forms_message(client_for, people, monkeypatch):
    programme = Programme.ensure()
    with someone_saves_first(
        monkeypatch, catalogue, Offering, programme=programme, name="demand planning"
    ):
        response = client_for(people.programme_admin).post(
            reverse("opportunities:offering_create"),
            {"name": "Demand planning", "description": "Shared forecasts."},
        )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "An offering with this name is already in the catalogue." in page
    assert "Shared forecasts." in page
    assert not Offering.objects.exists()


def test_restoring_a_deleted_unit_whose_name_is_taken_again_in_another_case_says_why(
    client_for, people, account
):
    gone = BusinessUnit.objects.create(key_account=account, name="Frozen foods")
    gone_id = gone.pk
    gone.delete()
    BusinessUnit.objects.create(key_account=account, name="FROZEN FOODS")
    response = client_for(people.director).post(
        reverse("audit:restore", args=[account.pk, "business_unit", gone_id]), follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["This account already has a unit with this name."]
    assert not BusinessUnit.objects.filter(pk=gone_id).exists()
