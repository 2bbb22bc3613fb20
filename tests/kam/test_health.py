from unittest import mock

import pytest
from celery.result import allow_join_result
from django.db import connection

from kam.celery import app as celery_app


def test_health_ok_on_embedded_default(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_health_reports_503_when_database_unreachable(client, db):
    with mock.patch.object(connection, "cursor", side_effect=OSError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_health_reports_503_when_broker_unreachable(client, db, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unreachable"}


@pytest.mark.celery_worker
def test_health_ok_with_real_broker_and_worker_round_trip(client, transactional_db, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    with allow_join_result():  # see the worker fixture (tests/conftest.py)
        assert celery_app.send_task("kam.ping").get(timeout=10) == "pong"
