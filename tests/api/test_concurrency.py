"""Two writers through the API: the second, sending the revision it read, gets 412 with the
version saved now, and nothing of the first is lost. Without a revision: 428."""

import json

import pytest

from discovery.models import Stakeholder
from planning.models import Action
from tests.factories import AccountPlanFactory, ActionFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_stale_stakeholder_change_gets_412_with_the_saved_version(api, people, account):
    stakeholder = StakeholderFactory(key_account=account, name="Ada Buyer", title="Buyer")
    url = f"/api/v1/key-accounts/{account.pk}/stakeholders/{stakeholder.pk}/"
    first, second = api(people.manager), api(people.director)

    read = first.get(url)
    assert read.status_code == 200
    etag = read["ETag"]
    assert etag == f'"{stakeholder.revision}"' and read.json()["revision"] == stakeholder.revision
    assert second.get(url)["ETag"] == etag

    saved = patch(first, url, {"title": "Head of buying"}, HTTP_IF_MATCH=etag)
    assert saved.status_code == 200, saved.json()
    assert saved.json()["title"] == "Head of buying"
    assert saved["ETag"] == f'"{stakeholder.revision + 1}"'

    stale = patch(second, url, {"title": "Chief buyer"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "stale_revision"
    assert body["current"]["title"] == "Head of buying"
    assert body["current_revision"] == stakeholder.revision + 1
    assert stale["ETag"] == f'"{stakeholder.revision + 1}"'
    assert Stakeholder.objects.get(pk=stakeholder.pk).title == "Head of buying"

    # Merged and sent again with the current revision (here as a field): saved.
    again = patch(second, url, {"title": "Chief buyer", "revision": body["current_revision"]})
    assert again.status_code == 200
    assert Stakeholder.objects.get(pk=stakeholder.pk).title == "Chief buyer"
    # Fields not sent kept their values.
    assert Stakeholder.objects.get(pk=stakeholder.pk).name == "Ada Buyer"


def test_a_change_without_a_revision_is_refused_with_428(api, people, account):
    stakeholder = StakeholderFactory(key_account=account, title="Buyer")
    url = f"/api/v1/key-accounts/{account.pk}/stakeholders/{stakeholder.pk}/"
    response = patch(api(people.manager), url, {"title": "Overwritten blindly"})
    assert response.status_code == 428
    assert Stakeholder.objects.get(pk=stakeholder.pk).title == "Buyer"


def test_stale_action_progress_gets_412_and_keeps_the_first_update(api, people, account):
    plan = AccountPlanFactory(key_account=account)
    action = ActionFactory(plan=plan, owner=people.team_member, title="Send the forecast")
    url = f"/api/v1/key-accounts/{account.pk}/actions/{action.pk}/progress/"
    etag = api(people.coordinator).get(f"/api/v1/key-accounts/{account.pk}/actions/{action.pk}/")[
        "ETag"
    ]
    first = post(
        api(people.team_member), url, {"status": "in_progress", "progress_percent": 40},
        HTTP_IF_MATCH=etag,
    )  # fmt: skip
    assert first.status_code == 200, first.json()
    assert first.json()["progress_percent"] == 40
    second = post(
        api(people.coordinator), url, {"status": "done", "progress_percent": 100},
        HTTP_IF_MATCH=etag,
    )  # fmt: skip
    assert second.status_code == 412
    assert second.json()["current"]["progress_percent"] == 40
    action.refresh_from_db()
    assert (action.status, action.progress_percent) == (Action.Status.IN_PROGRESS, 40)
    assert action.updates.count() == 1


def test_bad_input_is_json_naming_the_field_and_saves_nothing(api, people, account):
    stakeholder = StakeholderFactory(key_account=account, title="Buyer")
    url = f"/api/v1/key-accounts/{account.pk}/stakeholders/{stakeholder.pk}/"
    response = patch(
        api(people.manager), url,
        {"title": "x" * 201, "last_contact_on": "9999-12-31", "shoe_size": 44},
        HTTP_IF_MATCH=f'"{stakeholder.revision}"',
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"title", "last_contact_on", "shoe_size"}
    assert "200" in errors["title"][0]
    assert Stakeholder.objects.get(pk=stakeholder.pk).title == "Buyer"
