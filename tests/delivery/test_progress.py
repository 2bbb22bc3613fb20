"""Progress monitoring: check-ins per opportunity and measurements for targets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from delivery.models import CheckIn
from planning.models import Measurement
from tests.factories import ObjectiveFactory, OpportunityFactory, TargetFactory

from .factories import CheckInFactory


def check_in_url(opportunity):
    return reverse("delivery:check_in_create", args=[opportunity.key_account_id, opportunity.pk])


def check_in_data(opportunity, **over):
    prefix = f"opp{opportunity.pk}-"
    data = {
        "checked_on": timezone.localdate().isoformat(),
        "status": "pursuing",
        "next_step": "Send the pilot cost estimate",
        "blockers": "",
    }
    data.update(over)
    return {prefix + k: v for k, v in data.items()}


@pytest.fixture
def opportunity(account):
    return OpportunityFactory(
        key_account=account, title="Shelf-life trials", status="pursuing", effort=4
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 302),
        ("manager", 302),
        ("coordinator", 302),
        ("team_member", 403),
        ("executive", 403),
        ("outsider", 404),
    ],
)
def test_check_ins_are_recorded_by_edit_or_schedule_roles(
    client_for, people, opportunity, persona, status
):
    response = client_for(getattr(people, persona)).post(
        check_in_url(opportunity), check_in_data(opportunity)
    )
    assert response.status_code == status
    assert CheckIn.objects.exists() == (status == 302)


def test_progress_page_shows_latest_check_ins_for_everyone_on_the_account(
    client_for, people, account, opportunity
):
    CheckInFactory(opportunity=opportunity, next_step="Book the lab")
    url = reverse("delivery:progress", args=[account.pk])
    html = client_for(people.team_member).get(url).content.decode()
    assert "Shelf-life trials" in html and "Book the lab" in html
    assert "Record a check-in" not in html
    assert "Record a check-in" in client_for(people.coordinator).get(url).content.decode()


def test_future_check_in_is_refused_keeping_input(client_for, people, opportunity):
    data = check_in_data(
        opportunity,
        checked_on=(timezone.localdate() + timedelta(3)).isoformat(),
        next_step="Keep this text",
    )
    response = client_for(people.coordinator).post(check_in_url(opportunity), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be dated in the future" in html and "Keep this text" in html


def test_a_won_quick_win_is_a_quick_win_on_the_timeline(client_for, people, account):
    # Quick win by the opportunities' own rule: V = (1 + 5 + 4) / 3 = 3.33 ≥ 3, ER = 1.5 < 3.
    quick = OpportunityFactory(
        key_account=account,
        title="Label reprint",
        strategic_value_us=5,
        strategic_value_customer=4,
        effort=1,
        risk=2,
    )
    assert quick.quadrant == "quick_win"
    client_for(people.coordinator).post(check_in_url(quick), check_in_data(quick, status="won"))
    assert AccountEvent.objects.filter(
        key_account=account, summary="Quick win delivered: Label reprint"
    ).exists()
    html = (
        client_for(people.executive)
        .get(reverse("delivery:timeline", args=[account.pk]))
        .content.decode()
    )
    assert "Quick win delivered: Label reprint" in html


def test_another_accounts_opportunity_is_404(client_for, people, account, other_account):
    foreign = OpportunityFactory(key_account=other_account)
    url = reverse("delivery:check_in_create", args=[account.pk, foreign.pk])
    assert client_for(people.director).post(url, check_in_data(foreign)).status_code == 404


def test_measurements_for_targets_of_the_current_plan(client_for, people, account, plan):
    target = TargetFactory(objective=ObjectiveFactory(plan=plan), kpi="On-time delivery")
    url = reverse("delivery:measurement_create", args=[account.pk, target.pk])
    prefix = f"target{target.pk}-"
    data = {
        prefix + "measured_on": timezone.localdate().isoformat(),
        prefix + "actual": "96.10",
        prefix + "comment": "Best month yet",
    }
    assert client_for(people.team_member).post(url, data).status_code == 403
    assert client_for(people.coordinator).post(url, data).status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.actual == Decimal("96.10")
    assert measurement.recorded_by == people.coordinator
    page = client_for(people.manager).get(reverse("delivery:progress", args=[account.pk]))
    assert "96.10" in page.content.decode()


def test_measurement_before_the_baseline_is_refused(client_for, people, account, plan):
    target = TargetFactory(objective=ObjectiveFactory(plan=plan))
    url = reverse("delivery:measurement_create", args=[account.pk, target.pk])
    prefix = f"target{target.pk}-"
    early = (target.baseline_on - timedelta(days=5)).isoformat()
    response = client_for(people.manager).post(
        url, {prefix + "measured_on": early, prefix + "actual": "1"}
    )
    assert response.status_code == 400
    assert "measure on or after it" in response.content.decode()
    assert not Measurement.objects.exists()
