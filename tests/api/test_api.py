"""The API as an integration uses it: tokens (shown once, stored hashed, scoped, revoked,
expired, last use), lists with their filters and bounded queries, writes through the pages'
services, the rate limit, the schema and the offline docs."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Classification, Membership, Role
from api.models import ApiToken
from api.services import digest_of
from planning.models import Measurement
from tests.factories import (
    AccountPlanFactory,
    KeyAccountFactory,
    ObjectiveFactory,
    StakeholderFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


# ---- tokens ----------------------------------------------------------------------------------


def test_a_token_is_shown_once_stored_hashed_and_revoked_on_the_settings_page(client, people):
    client.force_login(people.manager)
    page = client.get(reverse("api:tokens"))
    assert page.status_code == 200 and "You have no API tokens" in page.content.decode()
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    made = client.post(
        reverse("api:token_create"),
        {"name": "CRM sync", "scope": "read_write", "expires_on": expires},
    )
    assert made.status_code == 302
    shown = client.get(reverse("api:tokens")).content.decode()
    token = ApiToken.objects.get(user=people.manager)
    secret = shown.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith(f"kam_{token.prefix}_")
    assert token.digest == digest_of(secret) and secret not in token.digest
    assert secret not in client.get(reverse("api:tokens")).content.decode()  # once only

    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    answer = api.get("/api/v1/")
    assert answer.status_code == 401 and "revoked" in answer.json()["detail"]
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_the_token_form_refuses_a_long_name_and_a_far_expiry_keeping_the_input(client, people):
    client.force_login(people.manager)
    response = client.post(
        reverse("api:token_create"),
        {"name": "n" * 101, "scope": "read", "expires_on": "2199-12-31"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"name", "expires_on"}
    assert "n" * 101 in response.content.decode()
    assert not ApiToken.objects.exists()


def test_expired_wrong_and_someone_elses_tokens(client, people, token_for):
    secret = token_for(people.manager)
    ApiToken.objects.update(expires_on=timezone.localdate() - timedelta(days=1))
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}x").get("/api/v1/").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nonsense").get("/api/v1/").status_code == 401
    # Revoking another person's token: 404, as if it did not exist.
    client.force_login(people.director)
    token = ApiToken.objects.get()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_session_cookies_do_not_open_the_api(client, people):
    client.force_login(people.manager)
    assert client.get("/api/v1/key-accounts/").status_code == 401


# ---- reads -----------------------------------------------------------------------------------


def _accounts_for(user, n, **fields):
    made = []
    for _ in range(n):
        account = KeyAccountFactory(**fields)
        Membership.objects.create(user=user, key_account=account, role=Role.MANAGER)
        AccountPlanFactory(key_account=account)
        made.append(account)
    return made


def test_key_accounts_list_filters_pages_and_shows_class_stage_and_health(api, people, account):
    strategic = _accounts_for(people.manager, 3, classification=Classification.STRATEGIC)
    _accounts_for(people.manager, 2, classification=Classification.STREAMLINE)
    client = api(people.manager)
    everything = client.get("/api/v1/key-accounts/").json()
    assert everything["count"] == 6  # five here and the personas' account
    first = client.get("/api/v1/key-accounts/?classification=strategic&limit=2").json()
    mine = account.classification == Classification.STRATEGIC
    assert first["count"] == 3 + mine
    expected = sorted([a.pk for a in strategic] + ([account.pk] if mine else []))[:2]
    assert [row["id"] for row in first["results"]] == expected
    assert first["next"] and "offset=2" in first["next"]
    row = first["results"][-1]
    assert row["classification"] == "strategic"
    assert row["relationship_stage"] == strategic[0].relationship_stage
    assert isinstance(row["health"], int) and 0 <= row["health"] <= 100
    assert row["plan_status"] == "draft"
    bad = client.get("/api/v1/key-accounts/?classification=gold")
    assert bad.status_code == 400 and "classification" in bad.json()["errors"]
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert client.get("/api/v1/key-accounts/", {"updated_since": future}).json()["count"] == 0
    # Someone with no role sees none.
    assert api(people.outsider).get("/api/v1/key-accounts/").json()["count"] == 0


def test_customers_name_the_key_account_they_were_selected_as(api, people, account):
    """A CRM reads which candidates are key accounts from `key_account_id` (the list and one
    customer): the selected one's account id, the de-selected one's, null for the others."""
    from accounts.models import KeyAccount
    from tests.factories import CustomerFactory

    candidate = CustomerFactory(name="Candidate Co")
    dropped = KeyAccountFactory(
        customer__name="Dropped Co",
        status=KeyAccount.Status.DESELECTED,
        deselection_reason="Buys on price alone.",
    )
    client = api(people.executive)
    listed = {
        row["name"]: row["key_account_id"]
        for row in client.get("/api/v1/customers/", {"limit": 50}).json()["results"]
    }
    assert listed == {
        "Northwind Foods": account.pk,
        "Dropped Co": dropped.pk,
        "Candidate Co": None,
    }
    one = client.get(f"/api/v1/customers/{account.customer_id}/").json()
    assert one["key_account_id"] == account.pk
    assert client.get(f"/api/v1/customers/{candidate.pk}/").json()["key_account_id"] is None


def _count_queries(client, url):
    client.get(url)  # tokens' last use and the health scores are written on the first call
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()


@pytest.mark.parametrize(
    ("url", "build"),
    [
        ("/api/v1/key-accounts/?limit=50", None),
        ("/api/v1/actions/?limit=50", "actions"),
        ("/api/v1/customers/?limit=50", None),
    ],
)
def test_list_queries_do_not_grow_with_the_data(api, people, url, build):
    client = api(people.executive)
    counts = []
    for size in (5, 60):
        accounts = _accounts_for(people.manager, size - len(counts and [0] * 5 or []))
        if build == "actions":
            from tests.factories import ActionFactory

            for account in accounts:
                ActionFactory(plan=account.plans.get())
        count, body = _count_queries(client, url)
        assert len(body["results"]) == min(body["count"], 50)
        counts.append(count)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8


def test_plan_lists_objectives_targets_and_latest_actuals(api, people, account):
    plan = AccountPlanFactory(key_account=account)
    target = TargetFactory(objective=ObjectiveFactory(plan=plan, title="Grow chilled"))
    for days, actual in ((30, "120"), (10, "150")):
        Measurement.objects.create(
            target=target,
            measured_on=timezone.localdate() - timedelta(days=days),
            actual=Decimal(actual),
        )
    body = api(people.team_member).get(f"/api/v1/key-accounts/{account.pk}/plan/").json()
    (objective,) = body["objectives"]
    assert objective["title"] == "Grow chilled"
    assert objective["targets"][0]["latest_measurement"]["actual"] == "150.00"


# ---- writes through the pages' services ------------------------------------------------------


def test_a_crm_pushes_an_actual_and_the_delivery_rules_apply(api, people, account):
    plan = AccountPlanFactory(key_account=account)
    target = TargetFactory(objective=ObjectiveFactory(plan=plan))
    url = f"/api/v1/key-accounts/{account.pk}/targets/{target.pk}/measurements/"
    client = api(people.coordinator)
    today = timezone.localdate()
    made = post(client, url, {"measured_on": today.isoformat(), "actual": "180.50"})
    assert made.status_code == 201, made.json()
    assert target.measurements.get().actual == Decimal("180.50")
    future = post(client, url, {"measured_on": (today + timedelta(days=2)).isoformat(),
                                "actual": "1"})  # fmt: skip
    assert future.status_code == 400 and "measured_on" in future.json()["errors"]
    window = post(client, url, {"measured_on": "0999-12-31", "actual": "1"})
    assert window.status_code == 400 and "measured_on" in window.json()["errors"]
    listed = client.get(url).json()
    assert [row["actual"] for row in listed["results"]] == ["180.50"]


def test_a_stakeholder_with_a_reporting_line_and_the_loop_check(api, people, account):
    boss = StakeholderFactory(key_account=account, name="Chief Buyer")
    client = api(people.manager)
    url = f"/api/v1/key-accounts/{account.pk}/stakeholders/"
    made = post(client, url, {"name": "Category Lead", "buying_role": "influencer",
                              "influence": "medium", "attitude": "neutral",
                              "reports_to": boss.pk})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["reports_to_id"] == boss.pk
    loop = client.patch(
        f"{url}{boss.pk}/",
        json.dumps({"reports_to": made.json()["id"]}),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{boss.revision}"',
    )
    assert loop.status_code == 400 and "reports_to" in loop.json()["errors"]
    elsewhere = StakeholderFactory()  # another account's person
    wrong = post(client, url, {"name": "X", "buying_role": "user", "influence": "low",
                               "attitude": "neutral", "reports_to": elsewhere.pk})  # fmt: skip
    assert wrong.status_code == 400 and "reports_to" in wrong.json()["errors"]


def test_an_opportunity_is_created_and_changed_with_its_revision(api, people, account):
    client = api(people.manager)
    url = f"/api/v1/key-accounts/{account.pk}/opportunities/"
    made = post(client, url, {"title": "Shared forecasting", "lever": "volume",
                              "beneficiary": "both", "source": "manager"})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["owner_id"] == people.manager.pk
    detail = f"{url}{made.json()['id']}/"
    changed = client.patch(
        detail, json.dumps({"title": "Joint forecasting"}), content_type="application/json",
        HTTP_IF_MATCH=made["ETag"],
    )  # fmt: skip
    assert changed.status_code == 200, changed.json()
    assert changed.json()["title"] == "Joint forecasting"


# ---- the rate limit, the schema and the docs -------------------------------------------------


def test_the_rate_limit_answers_429_per_token(api, people, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    # DRF reads the rates once into the class; set them there for this test only.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    first, second = api(people.manager), api(people.director)
    codes = [first.get("/api/v1/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = first.get("/api/v1/")
    assert limited.status_code == 429 and "Retry-After" in limited
    assert "detail" in limited.json()
    assert second.get("/api/v1/").status_code == 200  # another token has its own budget


def test_the_schema_is_openapi_3_and_the_docs_load_offline(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    assert "/api/v1/key-accounts/" in body["paths"]
    opportunity_input = body["components"]["schemas"]["OpportunityInputRequest"]
    assert opportunity_input["properties"]["title"]["maxLength"] == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html and "<script>" not in html  # the site's CSP holds
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
