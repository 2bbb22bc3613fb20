"""Value delivered is what the customer has had: an entry dated after today was accepted and
counted as "delivered this year" (the account's Value tab and overview, the dashboard's
Confirmed value column and total, and plan health's Confirmed value rule, which deducts
nothing once value is recorded this year)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from outcomes.models import ValueDelivered

pytestmark = pytest.mark.django_db


def test_value_dated_after_today_is_refused(client_for, people, account):
    Programme.ensure()
    today = timezone.localdate()
    manager = client_for(people.manager)
    response = manager.post(
        reverse("outcomes:value_create", args=[account.pk]),
        {
            "title": "Year-end rebate we expect to deliver",
            "delivered_on": (today + timedelta(days=1)).isoformat(),
            "measure": "money",
            "amount": "50000",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Value cannot be recorded as delivered on a date still to come." in page
    assert 'value="Year-end rebate we expect to deliver"' in page
    assert not ValueDelivered.objects.exists()
    # What the account shows for this year: nothing (it read EUR 50,000 before the fix).
    overview = manager.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert "Value delivered this year: none recorded" in overview

    # Today is fine.
    response = manager.post(
        reverse("outcomes:value_create", args=[account.pk]),
        {
            "title": "Rebate delivered",
            "delivered_on": today.isoformat(),
            "measure": "money",
            "amount": "50000",
        },
    )
    assert response.status_code == 302
    overview = manager.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert "Value delivered this year: EUR 50,000 (1 entry), of which confirmed EUR 0 (0)" in (
        overview
    )
