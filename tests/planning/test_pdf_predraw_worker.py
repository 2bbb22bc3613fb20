"""The plan PDF drawn ahead on the real stack: a change committed by the web side, drawn by a
real Celery worker (Redis broker, PostgreSQL), and served to the request from the cache they
share without a drawing."""

import io
import time

import pytest
import redis
from pypdf import PdfReader

import common.pdf
from planning import services
from planning.models import Action

from .conftest import fill_plan

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def test_the_worker_draws_a_changed_plan_that_the_request_then_serves_kept(
    django_db_serialized_rollback,
    transactional_db,
    celery_worker,
    people,
    plan,
    client_for,
    settings,
    monkeypatch,
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": celery_worker.cache_url,
            "KEY_PREFIX": "kam",
        }
    }
    settings.PLAN_PDF_PREDRAW_SECONDS = 1
    settings.PLAN_PDF_KEEP_SECONDS = 600
    shared = redis.Redis.from_url(celery_worker.cache_url)
    for key in shared.scan_iter("kam:*:pdf:*"):  # no PDF kept by an earlier test
        shared.delete(key)
    fill_plan(plan, people, actions=1, stakeholders=1, objectives=1, opportunities=1)
    action = Action.objects.get(plan=plan)
    services.action_save(  # committed at once (transactional_db): queued after its commit
        plan=plan,
        action=action,
        data={"title": "Drawn ahead by the worker"},
        revision=action.revision,
        acting_user=people.manager,
    )
    deadline = time.monotonic() + 90
    while not list(shared.scan_iter("kam:*:pdf:*")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(list(shared.scan_iter("kam:*:pdf:*"))) == 1  # one language on this team

    def not_on_request(*args, **kwargs):
        raise AssertionError("the request drew the PDF the worker had drawn")

    monkeypatch.setattr(common.pdf, "print_document", not_on_request)
    response = client_for(people.director).get(f"/accounts/{plan.key_account_id}/plan.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Drawn ahead by the worker" in text
