"""Relationship stage, buy-sell position and service level: history, timeline, warning."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import AccountEvent
from discovery.models import RelationshipChange


def _post(client, account, **overrides):
    data = {
        "relationship_stage": account.relationship_stage,
        "buy_sell_position": account.buy_sell_position,
        "service_level": account.service_level,
        "changed_on": timezone.localdate().isoformat(),
        "reason": "Joint planning started after the QBR.",
    }
    data.update(overrides)
    return client.post(reverse("discovery:relationship_update", args=[account.pk]), data)


def test_stage_and_position_changes_are_recorded_with_reason_and_timeline(
    client_for, people, account
):
    assert account.relationship_stage == "basic"
    response = _post(
        client_for(people.manager),
        account,
        relationship_stage="cooperative",
        buy_sell_position="collaborative",
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.relationship_stage, account.buy_sell_position) == (
        "cooperative",
        "collaborative",
    )
    changes = RelationshipChange.objects.filter(key_account=account)
    assert {(c.field, c.old_value, c.new_value) for c in changes} == {
        ("stage", "basic", "cooperative"),
        ("position", "enhanced", "collaborative"),
    }
    assert all(c.reason == "Joint planning started after the QBR." for c in changes)
    kinds = set(AccountEvent.objects.filter(key_account=account).values_list("kind", flat=True))
    assert kinds == {AccountEvent.Kind.STAGE_CHANGED, AccountEvent.Kind.POSITION_CHANGED}


def test_no_change_or_no_reason_is_refused(client_for, people, account):
    client = client_for(people.manager)
    response = _post(client, account)
    assert response.status_code == 200
    assert "Nothing changed" in response.content.decode()
    response = _post(client, account, relationship_stage="cooperative", reason="")
    assert response.status_code == 200
    assert not RelationshipChange.objects.exists()


def test_service_above_stage_shows_the_pure_cost_warning(client_for, people, account):
    url = reverse("discovery:relationship", args=[account.pk])
    client = client_for(people.team_member)
    assert "Service level above the relationship stage" not in client.get(url).content.decode()
    _post(
        client_for(people.director),
        account,
        relationship_stage="cooperative",
        service_level="integrated",
    )
    html = client_for(people.team_member).get(url).content.decode()
    assert "Service level above the relationship stage" in html
    assert "pure cost" in html


def test_coordinator_cannot_change_the_stage(client_for, people, account):
    response = _post(client_for(people.coordinator), account, relationship_stage="integrated")
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.relationship_stage == "basic"


def test_a_change_dated_before_the_latest_recorded_one_is_refused_with_what_was_typed(
    client_for, people, account
):
    """Backdating a change under the latest one broke the history's chain: the history ended
    on 'Cooperative → Interdependent' while the account stood at Integrated."""
    today = timezone.localdate()
    latest = today - timedelta(days=30)
    client = client_for(people.manager)
    _post(client, account, relationship_stage="cooperative", changed_on=latest.isoformat())
    account.refresh_from_db()
    response = _post(
        client,
        account,
        relationship_stage="interdependent",
        changed_on=(latest - timedelta(days=1)).isoformat(),
        reason="Shared forecasts since the spring.",
        revision=account.revision,
    )
    assert response.status_code == 200
    page = response.content.decode()
    shown = date_format(latest, "SHORT_DATE_FORMAT")
    assert f"The latest recorded change is dated {shown}; date this one on or after it." in page
    assert "Shared forecasts since the spring." in page  # nothing typed is lost
    account.refresh_from_db()
    assert account.relationship_stage == "cooperative"
    assert RelationshipChange.objects.filter(key_account=account).count() == 1

    # The same day as the latest change, or later, is fine.
    response = _post(
        client,
        account,
        relationship_stage="interdependent",
        changed_on=latest.isoformat(),
        revision=account.revision,
    )
    assert response.status_code == 302
    history = client.get(reverse("discovery:relationship", args=[account.pk])).content.decode()
    # Newest first: the history ends on the account's stage.
    assert history.index("Interdependent</td>") < history.index(">Basic</td>")


def test_another_things_older_history_does_not_hold_back_a_change(client_for, people, account):
    """Only the latest change of what is being changed counts: a buy–sell move may be dated
    before the latest stage change."""
    today = timezone.localdate()
    client = client_for(people.manager)
    _post(client, account, relationship_stage="cooperative", changed_on=today.isoformat())
    account.refresh_from_db()
    response = _post(
        client,
        account,
        buy_sell_position="collaborative",
        changed_on=(today - timedelta(days=10)).isoformat(),
        revision=account.revision,
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.buy_sell_position == "collaborative"
