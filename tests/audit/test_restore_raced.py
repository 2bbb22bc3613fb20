"""A restore that races another write: a second click that restored the item first, or a row
that took its unique place meanwhile. The database refuses the restore's INSERT; the director
reads why, as the restore's own checks say it, not a server error (tests/concurrency too)."""

from contextlib import contextmanager

import pytest
from django.urls import reverse

from audit import services
from common.constraints import refused_as
from opportunities.models import BusinessUnit

pytestmark = pytest.mark.django_db


@contextmanager
def saved_first(monkeypatch, **rival):
    """The race: between the restore's checks and its INSERT, another write commits (written
    here as a plain INSERT just before the restore's own, in the same test transaction)."""

    @contextmanager
    def rival_first(error):
        BusinessUnit.objects.bulk_create([BusinessUnit(**rival)])
        with refused_as(error):
            yield

    monkeypatch.setattr(services, "refused_as", rival_first)
    yield


def _deleted_unit(account) -> int:
    unit = BusinessUnit.objects.create(key_account=account, name="Frozen foods")
    unit_id = unit.pk
    unit.delete()
    return unit_id


def _restore(client_for, people, account, unit_id):
    response = client_for(people.director).post(
        reverse("audit:restore", args=[account.pk, "business_unit", unit_id]), follow=True
    )
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_a_restore_clicked_twice_says_the_second_time_there_is_nothing_to_restore(
    client_for, people, account, monkeypatch
):
    unit_id = _deleted_unit(account)
    with saved_first(monkeypatch, pk=unit_id, key_account=account, name="Frozen foods"):
        messages = _restore(client_for, people, account, unit_id)
    assert messages == ["Business unit “Frozen foods” is not deleted: there is nothing to restore."]


def test_a_restore_onto_a_name_taken_meanwhile_gives_the_rule(
    client_for, people, account, monkeypatch
):
    unit_id = _deleted_unit(account)
    with saved_first(monkeypatch, key_account=account, name="FROZEN FOODS"):
        messages = _restore(client_for, people, account, unit_id)
    assert messages == ["This account already has a unit with this name."]
    assert not BusinessUnit.objects.filter(pk=unit_id).exists()
