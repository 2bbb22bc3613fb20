"""Joint actions: a plan action is ours (a team member) or theirs (a customer stakeholder)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import Action
from planning.snapshot import customer_version, load_plan, plan_to_dict
from tests import factories as f

pytestmark = pytest.mark.django_db


def _add(client, account, **data):
    due = (timezone.localdate() + timezone.timedelta(days=9)).isoformat()
    return client.post(
        reverse("planning:item_add", args=[account.pk, "action"]),
        {"title": "Share the shelf data", "due_on": due, **data},
    )


def test_an_action_owned_by_the_customer(client, people, account):
    plan = f.AccountPlanFactory(key_account=account)
    clara = f.StakeholderFactory(key_account=account, name="Clara Customer")
    client.force_login(people.manager)
    response = _add(client, account, side="theirs", customer_owner=clara.pk,
                    owner=people.manager.pk)  # fmt: skip
    assert response.status_code in (200, 302), response.content.decode()[-1500:]
    action = Action.objects.get(plan=plan)
    # "Theirs": the team member picked before switching is dropped.
    assert (action.owner, action.customer_owner) == (None, clara)
    page = client.get(reverse("planning:plan", args=[account.pk])).content.decode()
    assert "Clara Customer (customer)" in page and "Theirs" in page
    snapshot = plan_to_dict(load_plan(plan))
    row = snapshot["actions"][0]
    assert (row["owner"], row["side"]) == ("Clara Customer (customer)", "theirs")
    assert customer_version(snapshot)["actions"][0]["owner"] == "Clara Customer (customer)"
    event = account.events.filter(kind="action").first()
    assert "added to Clara Customer (customer)" in event.summary


def test_theirs_without_a_stakeholder_is_refused_at_the_field(client, people, account):
    f.AccountPlanFactory(key_account=account)
    client.force_login(people.manager)
    response = _add(client, account, side="theirs")
    assert "Pick the customer stakeholder who owns it." in response.content.decode()
    assert 'value="Share the shelf data"' in response.content.decode()
    assert not Action.objects.exists()


def test_another_accounts_stakeholder_cannot_own_it(client, people, account, other_account):
    f.AccountPlanFactory(key_account=account)
    stranger = f.StakeholderFactory(key_account=other_account)
    client.force_login(people.manager)
    response = _add(client, account, side="theirs", customer_owner=stranger.pk)
    assert "Select a valid choice" in response.content.decode()
    assert not Action.objects.exists()


def test_both_owners_are_refused_by_the_database(account, people):
    from django.db import IntegrityError

    plan = f.AccountPlanFactory(key_account=account)
    with pytest.raises(IntegrityError):
        Action.objects.create(
            plan=plan, title="x", due_on=timezone.localdate(), owner=people.manager,
            customer_owner=f.StakeholderFactory(key_account=account),
        )  # fmt: skip
