"""The jobs on a real Celery worker (Redis broker, PostgreSQL test database)."""

import io
import time
import zipfile
from pathlib import Path

import pytest
from celery.result import allow_join_result
from django.conf import settings
from pypdf import PdfReader

from notifications.models import Notification
from planning.models import Review
from rhythm import services, tasks
from rhythm.models import JobRun, PlanExport

pytestmark = [pytest.mark.celery_worker]


def test_reviews_are_opened_once_per_quarter_across_two_worker_runs(
    django_db_serialized_rollback, transactional_db, celery_worker, people, plan
):
    with allow_join_result():  # see the worker fixture (tests/conftest.py)
        first = tasks.open_quarterly_reviews.delay().get(timeout=60)
        second = tasks.open_quarterly_reviews.delay().get(timeout=60)
    assert (first["opened"], second["opened"]) == (1, 0)
    assert Review.objects.filter(plan=plan).count() == 1
    assert Notification.objects.filter(user__in=[people.manager, people.director]).count() == 2
    assert list(JobRun.objects.values_list("outcome", flat=True)) == ["ok", "ok"]


def test_the_worker_builds_the_export_zip(
    django_db_serialized_rollback, transactional_db, celery_worker, people, plan
):
    export = services.plan_export_request(acting_user=people.director)  # queued on commit
    deadline = time.monotonic() + 90
    while export.status not in ("ready", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)
        export.refresh_from_db()
    assert export.status == "ready", export.error
    path = Path(settings.MEDIA_ROOT) / export.file_name
    try:
        archive = zipfile.ZipFile(path)
        assert archive.namelist() == ["northwind-foods.pdf"]
        reader = PdfReader(io.BytesIO(archive.read("northwind-foods.pdf")))
        assert "Northwind Foods" in reader.pages[0].extract_text()
        assert PlanExport.objects.get().done == 1
    finally:
        path.unlink(missing_ok=True)
