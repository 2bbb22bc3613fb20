"""What an integrator reads back: an address it mistyped, the figures the pages show (plan
health after a change, the currency of money), every field it may write, and a webhook's
payload beside the API's own representation of the same objects."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Customer, Programme
from integrations.models import Event, WebhookSubscription
from opportunities.services import detail_url
from planning.models import Action
from tests import factories as f
from tests.integrations.test_webhooks import Receiver

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


# ---- addresses that are not endpoints ---------------------------------------------------------


def test_a_post_without_the_trailing_slash_is_a_json_404_that_names_the_address(api, people):
    """Django's slash redirect would answer a 301 that clients follow with a GET: the new
    customer would be lost behind a 200 of the list. The API says where to send it instead."""
    client = api(people.programme_admin)
    before = Customer.objects.count()
    response = post(client, "/api/v1/customers", {"reference": "C-9", "name": "Nordlicht"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/customers/" in response.json()["detail"]
    assert Customer.objects.count() == before
    made = post(client, "/api/v1/customers/", {"reference": "C-9", "name": "Nordlicht"})
    assert made.status_code == 201, made.json()
    # A read is still redirected, as everywhere on the site, its query kept.
    read = client.get("/api/v1/customers", {"limit": 5})
    assert (read.status_code, read["Location"]) == (301, "/api/v1/customers/?limit=5")


@pytest.mark.parametrize(
    "path", ["/api/v1/key-accounts/abc/", "/api/v1/key-accounts/1/stakeholder/", "/api/v1/x"]
)
def test_an_unknown_address_is_a_json_404(api, people, path):
    for client in (api(people.manager), api(people.manager).__class__()):  # with and without
        response = client.get(path)
        assert response.status_code == 404
        body = response.json()
        assert body["detail"].startswith(f"There is no such endpoint: {path}")
    patched = api(people.manager).patch(path, "{}", content_type="application/json")
    assert patched.status_code == 404 and patched.json()["code"] == "not_found"  # not CSRF's 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.manager)
    posted = strict.post(path, "{}", content_type="application/json")
    assert posted.status_code == 404 and posted.json()["code"] == "not_found"


# ---- figures as the pages show them -----------------------------------------------------------


def _health_on_page(client, account) -> int:
    page = client.get(f"/accounts/{account.pk}/").content.decode()
    text = re.sub(r"<[^>]+>", "", page)
    return int(re.search(r"Health:\s*(\d+) / 100", text).group(1))


def test_the_plans_health_after_an_action_is_done_is_the_one_the_account_page_shows(
    api, client_for, people, account
):
    plan = f.AccountPlanFactory(key_account=account)
    yesterday = timezone.localdate() - timedelta(days=1)
    late = [
        f.ActionFactory(plan=plan, owner=people.manager, due_on=yesterday - timedelta(days=n))
        for n in range(2)
    ]
    client = api(people.manager)
    url = f"/api/v1/key-accounts/{account.pk}/plan/"
    before = client.get(url).json()["health_score"]
    # One overdue action fewer: 5 points back (planning's rule, -5 each).
    done = post(
        client,
        f"/api/v1/key-accounts/{account.pk}/actions/{late[0].pk}/progress/",
        {"status": Action.Status.DONE, "progress_percent": 100, "note": "Signed"},
        HTTP_IF_MATCH='"0"',
    )
    assert done.status_code == 200, done.json()
    after = client.get(url).json()["health_score"]
    assert after == before + 5
    assert _health_on_page(client_for(people.manager), account) == after
    assert client.get(f"/api/v1/key-accounts/{account.pk}/").json()["health"] == after


def test_each_target_carries_the_status_and_measure_again_the_plan_page_shows(
    api, client_for, people, account
):
    today = timezone.localdate()
    plan = f.AccountPlanFactory(key_account=account)
    objective = f.ObjectiveFactory(plan=plan)
    # 100 -> 200 over 400 days; measured 140 on day 180 of them (120 days ago).
    stale = f.TargetFactory(
        objective=objective,
        kpi="Chilled volume",
        baseline_on=today - timedelta(days=300),
        due_on=today + timedelta(days=100),
    )
    stale.measurements.create(measured_on=today - timedelta(days=120), actual=140)
    fresh = f.TargetFactory(
        objective=objective,
        kpi="Ambient volume",
        baseline_on=today - timedelta(days=30),
        due_on=today + timedelta(days=300),
    )
    body = api(people.manager).get(f"/api/v1/key-accounts/{account.pk}/plan/").json()
    status = {t["id"]: t["status"] for t in body["objectives"][0]["targets"]}
    # Progress (140 - 100) / (200 - 100) = 40 %; expected 180 / 400 days = 45 %; 5 points
    # behind is within the 10 of "on track". Last measured 120 days ago: more than 92.
    assert status[stale.pk] == {
        "code": "on_track",
        "progress_percent": 40,
        "expected_percent": 45,
        "measure_again_days": 120,
    }
    # Started 30 days ago and never measured: no status yet, not due a measurement.
    assert status[fresh.pk] == {
        "code": "no_data",
        "progress_percent": None,
        "expected_percent": None,
        "measure_again_days": None,
    }
    page = client_for(people.manager).get(f"/accounts/{account.pk}/plan/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "Last measured 120 days ago: measure again" in text


def test_money_carries_the_programmes_currency_as_the_pages_write_it(
    api, client_for, people, account
):
    programme = Programme.ensure()
    programme.currency = "CHF"
    programme.save()
    opportunity = f.OpportunityFactory(key_account=account, title="Cold chain", annual_value=1500)
    client = api(people.executive)
    row = client.get(f"/api/v1/key-accounts/{account.pk}/opportunities/").json()["results"][0]
    assert (row["currency"], row["annual_value"]) == ("CHF", "1500.00")
    one = client.get(f"/api/v1/key-accounts/{account.pk}/opportunities/{opportunity.pk}/")
    assert one.json()["currency"] == "CHF"
    page = client_for(people.manager).get(detail_url(opportunity)).content.decode()
    assert "CHF 1,500" in page
    customer = client.get(f"/api/v1/customers/{account.customer_id}/").json()
    assert customer["currency"] == "CHF"


# ---- what a client writes, it reads back; what the schema says it must send ------------------


def test_a_stakeholders_language_is_written_and_read_back(api, people, account):
    client = api(people.manager)
    url = f"/api/v1/key-accounts/{account.pk}/stakeholders/"
    made = post(client, url, {"name": "Aline Roux", "buying_role": "decision_maker",
                              "language": "fr"})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["language"] == "fr"
    listed = client.get(url).json()["results"]
    assert [row["language"] for row in listed if row["name"] == "Aline Roux"] == ["fr"]


def test_the_schema_requires_what_the_forms_refuse_without(client, people, account):
    """A field the page's form requires and a new object has no value for is `required` in
    the schema, and a POST without it is refused by name."""
    from api.v1.binding import _as_saved
    from delivery.forms import ActionProgressForm, MeasurementForm
    from discovery.forms import StakeholderForm
    from opportunities.forms import OpportunityForm
    from strategy.forms import CustomerForm

    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for form_class, name, kwargs in (
        (StakeholderForm, "StakeholderInput", {"account": account}),
        (OpportunityForm, "OpportunityInput", {"account": account}),
        (CustomerForm, "CustomerInput", {}),
        (MeasurementForm, "MeasurementInput", {}),
        (ActionProgressForm, "ActionProgressInput", {}),
    ):
        opened = form_class(**kwargs)
        defaults = _as_saved(opened)
        needed = {
            field_name
            for field_name, field in opened.fields.items()
            if field.required and defaults.get(field_name) in ("", None, [])
        }
        assert set(schemas[f"{name}Request"].get("required", [])) == needed, name


def test_a_post_missing_the_buying_role_names_it(api, people, account):
    response = post(
        api(people.manager), f"/api/v1/key-accounts/{account.pk}/stakeholders/", {"name": "A"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["buying_role"]


# ---- a webhook's payload and the API's representation ------------------------------------------


@pytest.fixture
def receiver(settings):
    settings.KAM_WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


def test_a_measurement_webhook_writes_what_the_api_reads(
    api, receiver, people, account, django_capture_on_commit_callbacks
):
    WebhookSubscription.objects.create(
        url=receiver.url, events=[Event.MEASUREMENT_RECORDED], created_by=people.programme_admin
    )
    plan = f.AccountPlanFactory(key_account=account)
    target = f.TargetFactory(
        objective=f.ObjectiveFactory(plan=plan), measure="amount", currency="EUR"
    )
    client = api(people.coordinator)
    url = f"/api/v1/key-accounts/{account.pk}/targets/{target.pk}/measurements/"
    with django_capture_on_commit_callbacks(execute=True):
        made = post(client, url, {"measured_on": timezone.localdate().isoformat(),
                                  "actual": "9.5", "comment": "From the CRM"})  # fmt: skip
    assert made.status_code == 201, made.json()
    (request,) = receiver.requests
    sent = json.loads(request["body"])["data"]
    read = client.get(url).json()["results"][0]
    assert sent["measurement"] == {
        key: read[key] for key in ("id", "measured_on", "actual", "comment")
    }
    assert sent["measurement"]["actual"] == "9.50"
    (objective,) = client.get(f"/api/v1/key-accounts/{account.pk}/plan/").json()["objectives"]
    api_target = objective["targets"][0]
    for key in ("id", "kpi", "kind", "measure", "currency", "unit", "baseline", "target_value"):
        assert sent["target"][key] == api_target[key], key
    assert sent["target"]["currency"] == "EUR"
    # 9.50 against a way from 100 to 200: progress below zero, so off track, as the API says.
    assert sent["target"]["status"] == api_target["status"]
    assert api_target["status"]["code"] == "off_track"


def test_a_decision_webhook_names_the_currency_and_writes_the_value_as_the_api(
    api, receiver, people, account, django_capture_on_commit_callbacks
):
    from opportunities.services import opportunity_decide

    WebhookSubscription.objects.create(
        url=receiver.url, events=[Event.OPPORTUNITY_DECIDED], created_by=people.programme_admin
    )
    opportunity = f.OpportunityFactory(key_account=account, annual_value=250)
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_decide(
            opportunity=opportunity, decision="pursue", reason="Fits", acting_user=people.manager
        )
    (request,) = receiver.requests
    sent = json.loads(request["body"])["data"]["opportunity"]
    read = api(people.manager).get(
        f"/api/v1/key-accounts/{account.pk}/opportunities/{opportunity.pk}/"
    )
    for key in ("id", "title", "status", "currency", "annual_value"):
        assert sent[key] == read.json()[key], key
    assert (sent["currency"], sent["annual_value"]) == ("EUR", "250.00")


def test_a_customer_without_a_country_is_listed_and_created(api, people, account):
    """The country is optional on the form and in imports; a blank one was written by DRF as
    django-countries' object: every customer list holding one answered 500, and a POST
    without a country saved the customer, then answered 500 (a client retrying it made a
    second one, refused as a duplicate reference)."""
    f.CustomerFactory(name="Nowhere Ltd", country="")
    client = api(people.programme_admin)
    listed = client.get("/api/v1/customers/", {"limit": 200})
    assert listed.status_code == 200
    countries = {row["name"]: row["country"] for row in listed.json()["results"]}
    assert countries["Nowhere Ltd"] == ""
    assert countries["Northwind Foods"] == account.customer.country.code
    made = post(client, "/api/v1/customers/", {"reference": "C-10", "name": "Blank Land"})
    assert made.status_code == 201, made.content
    assert made.json()["country"] == ""
    alpen = post(
        client, "/api/v1/customers/", {"reference": "C-11", "name": "Alpen", "country": "AT"}
    )
    assert alpen.json()["country"] == "AT"


def test_a_negative_amount_is_refused_at_its_field_on_the_page_and_through_the_api(
    api, client_for, people
):
    """The customer form's `min_value` was set after its validators were built: a negative
    revenue met the database constraint ('Constraint “customer_revenue_not_negative” is
    violated.') above the form, and under `non_field_errors` through the API."""
    client = api(people.programme_admin)
    refused = post(client, "/api/v1/customers/", {"reference": "C-12", "name": "Minus",
                                                  "annual_revenue": "-5"})  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"annual_revenue": ["Money amounts cannot be negative."]}
    page = client_for(people.programme_admin).post(
        "/strategy/customers/add/",
        {"reference": "C-12", "name": "Minus Co", "potential_spend": "-7", "annual_revenue": "1"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Money amounts cannot be negative." in html and "Constraint" not in html
    assert 'value="Minus Co"' in html and 'value="-7"' in html
    assert not Customer.objects.filter(reference="C-12").exists()


def test_a_renamed_customer_or_a_submitted_plan_is_in_the_accounts_changed_since(
    api, people, account
):
    """A CRM syncing with `updated_since` missed an account whose name (its customer's) or
    plan status changed: only the account's own row was compared."""
    from datetime import datetime

    from django.db.models import F

    from accounts.models import KeyAccount
    from planning.models import AccountPlan

    plan = f.AccountPlanFactory(key_account=account)
    quiet = f.KeyAccountFactory(customer__name="Quiet Co")
    f.MembershipFactory(user=people.manager, key_account=quiet, role="manager")
    since = datetime(2026, 1, 1, tzinfo=timezone.get_current_timezone())
    earlier = since - timedelta(days=30)
    KeyAccount.objects.update(updated_at=earlier)
    Customer.objects.update(updated_at=earlier)
    AccountPlan.objects.update(updated_at=earlier)
    client = api(people.manager)

    def changed():
        body = client.get("/api/v1/key-accounts/", {"updated_since": since.isoformat()}).json()
        return [row["name"] for row in body["results"]]

    assert changed() == []
    Customer.objects.filter(pk=account.customer_id).update(
        name="Northwind Foods AG", updated_at=since + timedelta(hours=1)
    )
    assert changed() == ["Northwind Foods AG"]
    Customer.objects.update(updated_at=earlier)
    AccountPlan.objects.filter(pk=plan.pk).update(updated_at=since, status=F("status"))
    assert changed() == ["Northwind Foods AG"]  # at or after
