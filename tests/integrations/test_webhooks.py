"""Webhooks: the stages' events reach a local receiver signed (the receiver verifies the
signature), once per event and subscription, retried with back-off, logged and re-sendable
from the page; receivers on private addresses are refused unless the setting allows them."""

import json
import socket
import threading
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Classification
from delivery.services import monitoring
from integrations import services, webhooks
from integrations.models import Event, WebhookDelivery, WebhookSubscription
from integrations.receivers import overdue_actions_announce
from opportunities.services import opportunity_decide
from planning import services as plan_services
from strategy.services import key_account_deselect, key_account_select
from tests import factories as f


class Receiver:
    """A tiny HTTP server on 127.0.0.1 in a thread: records each request, answers the next
    status of `answers` (200 once they run out)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/kam"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.KAM_WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscription(receiver, people):
    return WebhookSubscription.objects.create(
        url=receiver.url, events=list(Event.values), created_by=people.programme_admin
    )


def test_a_decision_reaches_the_receiver_signed(
    receiver, subscription, account, people, django_capture_on_commit_callbacks
):
    opportunity = f.OpportunityFactory(key_account=account, title="Cold-chain upgrade")
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_decide(
            opportunity=opportunity, decision="pursue", reason="Fits", acting_user=people.manager
        )
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers = request["headers"]
    assert webhooks.verify(subscription.secret, request["body"], headers["X-KAM-Signature"])
    assert not webhooks.verify("whsec_wrong", request["body"], headers["X-KAM-Signature"])
    tampered = request["body"].replace(b"Cold-chain", b"Warm-chain")
    assert not webhooks.verify(subscription.secret, tampered, headers["X-KAM-Signature"])
    payload = json.loads(request["body"])
    assert payload["event"] == headers["X-KAM-Event"] == "opportunity.decided"
    assert payload["data"]["opportunity"]["title"] == "Cold-chain upgrade"
    assert payload["data"]["opportunity"]["decision"] == "pursue"
    assert payload["data"]["account"]["name"] == "Northwind Foods"
    delivery = WebhookDelivery.objects.get()
    assert headers["X-KAM-Delivery"] == payload["id"] == str(delivery.pk)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)


def test_a_stale_signature_is_refused_by_the_receiver():
    body = b'{"a":1}'
    header = webhooks.sign("whsec_x", body, 1_000_000)
    assert webhooks.verify("whsec_x", body, header, now=1_000_000 + 60)
    assert not webhooks.verify("whsec_x", body, header, now=1_000_000 + 301)


def test_failures_are_retried_with_growing_back_off_then_given_up(receiver, subscription):
    receiver.answers = [500, 503]
    (delivery,) = services.event_emit(event=Event.ACCOUNT_SELECTED, key="a:1", data={"x": 1})
    start = timezone.now()
    services.delivery_attempt(delivery_id=delivery.pk, now=start)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 1, 500)
    assert delivery.next_attempt_at == start + timedelta(seconds=30)
    assert "HTTP 500" in delivery.last_error
    # Not due before its back-off has passed.
    assert services.deliveries_send_due(now=start + timedelta(seconds=29)) == {
        "delivered": 0,
        "failed": 0,
    }
    second = start + timedelta(seconds=30)
    services.deliveries_send_due(now=second)
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code) == (2, 503)
    assert delivery.next_attempt_at == second + timedelta(seconds=60)
    services.deliveries_send_due(now=second + timedelta(seconds=60))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    # Each attempt carried the same delivery id, so the receiver can drop repeats.
    assert {r["headers"]["X-KAM-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    assert [webhooks.backoff_seconds(n) for n in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]


def test_attempts_are_bounded(receiver, subscription):
    receiver.answers = [500] * 10
    (delivery,) = services.event_emit(event=Event.ACCOUNT_SELECTED, key="a:2", data={})
    now = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS + 2):
        services.deliveries_send_due(now=now)
        now += timedelta(hours=2)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS


def test_one_delivery_per_event_and_subscription(
    receiver, subscription, people, django_capture_on_commit_callbacks
):
    other = WebhookSubscription.objects.create(url=receiver.url, events=[Event.PLAN_APPROVED])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.event_emit(event=Event.ACCOUNT_SELECTED, key="account:9", data={})
        again = services.event_emit(event=Event.ACCOUNT_SELECTED, key="account:9", data={})
    assert len(first) == 1 and again == []
    assert WebhookDelivery.objects.filter(subscription=other).count() == 0
    assert len(receiver.requests) == 1


def test_the_stages_events_are_announced(
    receiver, subscription, account, people, django_capture_on_commit_callbacks
):
    customer = f.CustomerFactory(name="Contoso")
    plan = f.AccountPlanFactory(key_account=account)
    plan.value_proposition = "Fewer, larger deliveries."
    plan.save()
    f.add_required_parts(plan, owner=people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        new = key_account_select(
            customer=customer,
            classification=Classification.STAR,
            rationale="Grows fast",
            director=people.director,
            manager=people.manager,
            acting_user=people.programme_admin,
        )
    with django_capture_on_commit_callbacks(execute=True):
        key_account_deselect(account=new, reason="Price only", acting_user=people.director)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_submit(plan=plan, acting_user=people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_approve(plan=plan, acting_user=people.director)
    events = [json.loads(r["body"])["event"] for r in receiver.requests]
    assert events == ["account.selected", "account.deselected", "plan.submitted", "plan.approved"]
    deselected = json.loads(receiver.requests[1]["body"])
    assert deselected["data"]["account"]["name"] == "Contoso"
    assert deselected["data"]["reason"] == "Price only"


def test_a_rolled_back_step_announces_nothing(receiver, subscription, account, people):
    from django.db import transaction

    customer = f.CustomerFactory(name="Rolled back")
    with pytest.raises(RuntimeError), transaction.atomic():
        new = key_account_select(
            customer=customer,
            classification=Classification.STAR,
            rationale="Grows fast",
            director=people.director,
            manager=people.manager,
            acting_user=people.programme_admin,
        )
        key_account_deselect(account=new, reason="Oops", acting_user=people.director)
        raise RuntimeError
    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []


def test_overdue_actions_are_announced_once_per_due_date(
    receiver, subscription, account, people, django_capture_on_commit_callbacks
):
    plan = f.AccountPlanFactory(key_account=account)
    action = f.ActionFactory(
        plan=plan, owner=people.manager, due_on=timezone.localdate() - timedelta(days=2)
    )
    f.ActionFactory(
        plan=plan, owner=people.manager, due_on=timezone.localdate() + timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_actions_announce() == 1
        assert overdue_actions_announce() == 0
    payload = json.loads(receiver.requests[0]["body"])
    assert payload["event"] == "action.overdue"
    assert payload["data"]["action"]["id"] == action.pk
    action.due_on = timezone.localdate() - timedelta(days=1)
    action.save()
    assert overdue_actions_announce() == 1


def test_private_addresses_are_refused_when_subscribing(client_for, people, settings):
    settings.KAM_WEBHOOKS_ALLOW_PRIVATE = False
    client = client_for(people.programme_admin)
    for url in (
        "http://127.0.0.1:8080/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost/hook",
    ):
        response = client.post(
            reverse("integrations:webhook_add"),
            {"url": url, "description": "Mine", "events": ["plan.approved"], "is_active": "on"},
        )
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "private or reserved address" in page, url
        assert url.split("/")[2].strip("[]").split(":")[0] in page  # typed text kept
    assert WebhookSubscription.objects.count() == 0


def test_a_name_that_resolves_to_a_private_address_at_send_time_is_refused(
    receiver, subscription, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: the name was public when subscribed and points inside when sending."""
    subscription.url = "https://hooks.example.com/kam"
    subscription.save()
    settings.KAM_WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))],
    )
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = services.event_emit(event=Event.PLAN_APPROVED, key="p:1", data={})
    delivery.refresh_from_db()
    assert delivery.status == "retrying" and delivery.response_code is None
    assert "Refused" in delivery.last_error and "10.0.0.7" in delivery.last_error
    assert receiver.requests == []


def test_the_page_logs_deliveries_and_sends_one_again(
    receiver, subscription, client_for, people, django_capture_on_commit_callbacks
):
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = services.event_emit(event=Event.PLAN_APPROVED, key="p:2", data={})
    client = client_for(people.programme_admin)
    page = client.get(reverse("integrations:webhook_detail", args=[subscription.pk]))
    text = page.content.decode()
    assert "Plan approved" in text and "Failed, will retry" in text and "HTTP 500" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("integrations:delivery_resend", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    assert [r["headers"]["X-KAM-Delivery"] for r in receiver.requests] == [str(delivery.pk)] * 2
    text = client.get(reverse("integrations:webhook_detail", args=[subscription.pk])).content
    assert "Delivered" in text.decode()


def test_an_admin_subscribes_and_rotates_the_secret(receiver, client_for, people):
    client = client_for(people.programme_admin)
    response = client.post(
        reverse("integrations:webhook_add"),
        {
            "url": receiver.url,
            "description": "Salesforce bridge",
            "events": ["plan.submitted", "measurement.recorded"],
            "is_active": "on",
        },
    )
    subscription = WebhookSubscription.objects.get()
    assert response["Location"] == reverse("integrations:webhook_detail", args=[subscription.pk])
    assert subscription.events == ["plan.submitted", "measurement.recorded"]
    old = subscription.secret
    client.post(reverse("integrations:webhook_rotate", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret.startswith("whsec_")
    page = client.get(reverse("integrations:index")).content.decode()
    assert "Salesforce bridge" in page and "Measurement recorded against a target" in page


# The plan editor records measurements through planning; the monitoring page and the REST API
# through delivery's monitoring service: both announce them.
RECORDERS = {
    "plan editor": plan_services.measurement_record,
    "monitoring and API": monitoring.measurement_record,
}


@pytest.mark.parametrize("recorder", RECORDERS)
def test_a_measurement_is_announced_with_its_target(
    recorder, receiver, subscription, account, people, django_capture_on_commit_callbacks
):
    plan = f.AccountPlanFactory(key_account=account)
    target = f.TargetFactory(objective=f.ObjectiveFactory(plan=plan), kpi="Volume shipped")
    with django_capture_on_commit_callbacks(execute=True):
        measurement = RECORDERS[recorder](
            target=target,
            measured_on=timezone.localdate(),
            actual=Decimal("180"),
            comment="",
            acting_user=people.manager,
        )
    (request,) = receiver.requests
    payload = json.loads(request["body"])
    assert payload["event"] == "measurement.recorded"
    assert payload["data"]["target"]["kpi"] == "Volume shipped"
    assert payload["data"]["measurement"] == {
        "id": measurement.pk,
        "measured_on": timezone.localdate().isoformat(),
        "actual": "180.00",  # as the API writes it, with the field's two places
        "comment": "",
    }
    assert payload["data"]["by"]["username"] == people.manager.username


@pytest.mark.parametrize("size", [2, 12])
def test_the_pages_cost_a_fixed_number_of_queries(
    size, client_for, people, django_assert_max_num_queries
):
    for n in range(size):
        subscription = WebhookSubscription.objects.create(
            url=f"https://hooks{n}.example.com/", events=[Event.PLAN_APPROVED]
        )
        for k in range(size):
            WebhookDelivery.objects.create(
                subscription=subscription, event=Event.PLAN_APPROVED, event_key=f"{k}", payload={}
            )
    client = client_for(people.programme_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("integrations:index")).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(reverse("integrations:webhook_detail", args=[subscription.pk]))
        assert page.status_code == 200
    for kind in ("account", "contact", "opportunity"):
        f.StakeholderFactory.create_batch(size, key_account=f.KeyAccountFactory())
        with django_assert_max_num_queries(12):
            url = reverse("integrations:export", args=["salesforce", kind])
            assert client.get(url).status_code == 200
