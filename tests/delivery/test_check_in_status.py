"""A check-in's reported status is the opportunity's: a win or a loss changes it at once (so
the pipeline and dashboard follow), other changes are applied by the account team or wait for
them to apply it in one click."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from notifications.models import Notification
from opportunities.models import Opportunity, OpportunityDecision
from tests.factories import OpportunityFactory


def check_in_url(opportunity):
    return reverse("delivery:check_in_create", args=[opportunity.key_account_id, opportunity.pk])


def apply_url(opportunity):
    return reverse("delivery:check_in_apply", args=[opportunity.key_account_id, opportunity.pk])


def check_in_data(opportunity, status, next_step="Signed the supply agreement"):
    prefix = f"opp{opportunity.pk}-"
    return {
        prefix + "checked_on": timezone.localdate().isoformat(),
        prefix + "status": status,
        prefix + "next_step": next_step,
        prefix + "blockers": "",
    }


@pytest.fixture
def pursued(account):
    return [
        OpportunityFactory(
            key_account=account,
            title="Cold-chain pilot",
            status="pursuing",
            annual_value=Decimal("120000"),
            profit_potential=Decimal("30000"),
        ),
        OpportunityFactory(
            key_account=account,
            title="Label reprint",
            status="pursuing",
            annual_value=Decimal("45000"),
            profit_potential=Decimal("9000"),
        ),
    ]


def _money(amount) -> str:
    return f"EUR {round(amount):,}"


def test_a_won_check_in_marks_the_opportunity_won_and_the_pipeline_follows(
    client_for, people, account, pursued
):
    pilot, reprint = pursued
    director = client_for(people.director)
    dashboard = reverse("portfolio:dashboard")
    before = director.get(dashboard).content.decode()
    # Before: both open -> open pipeline 120,000 + 45,000 = 165,000; nothing won.
    assert _money(Decimal("120000") + Decimal("45000")) in before
    assert "0 won · EUR 0" in before

    response = client_for(people.coordinator).post(check_in_url(pilot), check_in_data(pilot, "won"))
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == Opportunity.Status.WON

    director = client_for(people.director)  # one test client: log the director in again
    page = director.get(
        reverse("opportunities:opportunity_detail", args=[account.pk, pilot.pk])
    ).content.decode()
    assert '<span class="badge text-bg-secondary">Won</span>' in page
    after = director.get(dashboard).content.decode()
    # After: won 1 · 120,000; open pipeline only the reprint, 45,000; win rate 1 / 1 = 100 %.
    assert f"1 won · {_money(Decimal('120000'))}" in after
    pipeline = after.split('id="pipeline"', 1)[1]
    assert _money(Decimal("45000")) in pipeline.split("Open pipeline", 1)[0]
    assert "win rate 100 %" in after
    event = AccountEvent.objects.get(key_account=account, new_value="won")
    assert event.actor == people.coordinator and event.old_value == "pursuing"
    assert event.summary == "Opportunity won: Cold-chain pilot"
    assert "Signed the supply agreement" in event.reason


def test_a_lost_check_in_marks_it_lost_and_takes_it_out_of_the_open_pipeline(
    client_for, people, account, pursued
):
    pilot, reprint = pursued
    client_for(people.manager).post(check_in_url(reprint), check_in_data(reprint, "lost"))
    reprint.refresh_from_db()
    assert reprint.status == Opportunity.Status.LOST
    html = client_for(people.director).get(reverse("portfolio:dashboard")).content.decode()
    # Lost 1 · 45,000; open pipeline only the pilot, 120,000; win rate 0 / 1 = 0 %.
    assert f"1 lost · {_money(Decimal('45000'))}" in html and "win rate 0 %" in html


def test_the_status_change_bumps_the_revision_so_an_open_edit_form_conflicts(
    client_for, people, pursued
):
    pilot = pursued[0]
    before = pilot.revision
    client_for(people.manager).post(check_in_url(pilot), check_in_data(pilot, "won"))
    pilot.refresh_from_db()
    assert pilot.revision == before + 1


def test_a_manager_dropping_in_a_check_in_is_a_logged_drop_decision(client_for, people, pursued):
    pilot = pursued[0]
    client_for(people.manager).post(
        check_in_url(pilot), check_in_data(pilot, "dropped", "Customer moved the lane in-house")
    )
    pilot.refresh_from_db()
    assert pilot.status == "dropped" and pilot.decision == "drop"
    decision = OpportunityDecision.objects.get(opportunity=pilot)
    assert decision.decided_by == people.manager
    assert "Customer moved the lane in-house" in decision.reason


def test_a_coordinator_proposing_a_drop_asks_the_manager_who_applies_it_in_one_click(
    client_for, people, account, pursued, django_capture_on_commit_callbacks
):
    pilot = pursued[0]
    coordinator = client_for(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            check_in_url(pilot), check_in_data(pilot, "dropped", "Budget frozen"), follow=True
        )
    assert "stays pursuing until its manager or director applies" in response.content.decode()
    pilot.refresh_from_db()
    assert pilot.status == "pursuing"
    told = set(
        Notification.objects.filter(text__contains="Cold-chain pilot").values_list(
            "user__username", flat=True
        )
    )
    assert told == {people.manager.username, people.director.username}

    progress = reverse("delivery:progress", args=[account.pk])
    assert "Mark it dropped" not in coordinator.get(progress).content.decode()
    assert coordinator.post(apply_url(pilot)).status_code == 403
    manager = client_for(people.manager)
    html = manager.get(progress).content.decode()
    assert "The latest check-in reports <strong>Dropped</strong>" in html
    assert "Mark it dropped" in html
    manager.post(apply_url(pilot))
    pilot.refresh_from_db()
    assert pilot.status == "dropped"
    event = AccountEvent.objects.get(key_account=account, new_value="dropped")
    assert event.actor == people.manager
    assert "Budget frozen" in event.reason and "Chloé" in event.reason
    # Nothing left to apply: a second click changes nothing and says so.
    response = manager.post(apply_url(pilot), follow=True)
    assert "already has the status" in response.content.decode()


def test_a_check_in_with_the_same_status_changes_nothing(client_for, people, pursued):
    pilot = pursued[0]
    revision = pilot.revision
    client_for(people.coordinator).post(check_in_url(pilot), check_in_data(pilot, "pursuing"))
    pilot.refresh_from_db()
    assert pilot.status == "pursuing" and pilot.revision == revision
    assert not AccountEvent.objects.filter(kind="opportunity").exists()


def test_a_check_in_drawn_before_someone_closed_the_opportunity_does_not_reopen_it(
    client_for, people, account, pursued
):
    """The form preselects the status the page showed. A manager who opened the progress page
    while the director marked the opportunity lost, then recorded a check-in with the status
    left as it was (pursuing), put it back to pursuing without a word."""
    opportunity = pursued[0]
    manager = client_for(people.manager)
    page = manager.get(reverse("delivery:progress", args=[account.pk])).content.decode()
    prefix = f"opp{opportunity.pk}-"
    shown = f'name="{prefix}revision" value="{opportunity.revision}"'
    assert shown in page
    # Meanwhile the director records the loss.
    lost = client_for(people.director).post(
        check_in_url(opportunity), check_in_data(opportunity, "lost", "They chose Polarkette")
    )
    assert lost.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == "lost"
    saved_revision = opportunity.revision
    # The manager's check-in, from the page drawn before: pursuing, with their words.
    data = {
        **check_in_data(opportunity, "pursuing", "Samples sent to the Linz plant"),
        prefix + "revision": shown.split('value="')[1].rstrip('"'),
    }
    response = manager.post(check_in_url(opportunity), data)
    assert response.status_code == 409
    opportunity.refresh_from_db()
    assert opportunity.status == "lost"
    assert opportunity.check_ins.count() == 1  # the director's alone
    text = response.content.decode()
    assert (
        "Since your page was loaded, “Cold-chain pilot” became lost, so this check-in "
        "(pursuing) was not recorded: choose the status it has now and record it again."
    ) in text
    assert 'value="Samples sent to the Linz plant"' in text  # what was typed stays
    assert f'name="{prefix}revision" value="{saved_revision}"' in text
    # Sent again knowingly, it is recorded (and, the manager deciding, applied).
    data[prefix + "revision"] = str(saved_revision)
    assert manager.post(check_in_url(opportunity), data).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == "pursuing"
    assert opportunity.check_ins.count() == 2


def test_a_check_in_on_a_changed_opportunity_that_keeps_its_status_is_recorded(
    client_for, people, account, pursued
):
    """Only a status change against a changed opportunity is refused: a check-in that reports
    the status the opportunity has now goes in whatever changed meanwhile."""
    opportunity = pursued[0]
    prefix = f"opp{opportunity.pk}-"
    seen = opportunity.revision
    Opportunity.objects.filter(pk=opportunity.pk).update(revision=seen + 1, title="Renamed")
    data = {**check_in_data(opportunity, "pursuing"), prefix + "revision": str(seen)}
    assert client_for(people.manager).post(check_in_url(opportunity), data).status_code == 302
    assert opportunity.check_ins.count() == 1
