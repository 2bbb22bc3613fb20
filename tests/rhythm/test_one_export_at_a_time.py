"""A director has one plan export waiting or being built at a time: asking again returns it.
The database holds the rule too, so two requests at the same moment make one export (the other
request is given that one), and an export whose task was lost no longer holds the place.
Databases that already held two were resolved by rhythm 0011 (the older marked failed)."""

from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from rhythm import services
from rhythm.models import PlanExport

pytestmark = pytest.mark.django_db

STEP = import_module("rhythm.migrations.0011_one_export_building_per_director")
LIMITS = settings.CELERY_VISIBILITY_TIMEOUT + settings.CELERY_TASK_TIME_LIMIT


def test_the_database_refuses_a_second_unfinished_export_but_keeps_finished_ones(people):
    PlanExport.objects.create(requested_by=people.director, total=1, status="ready")
    PlanExport.objects.create(requested_by=people.director, total=1, status="failed")
    PlanExport.objects.create(requested_by=people.director, total=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanExport.objects.create(requested_by=people.director, total=1, status="running")
    PlanExport.objects.create(requested_by=people.other_director, total=1)  # their own


def test_an_export_whose_task_was_lost_does_not_hold_the_place(people, plan):
    lost = PlanExport.objects.create(
        requested_by=people.director,
        total=1,
        status="running",
        created_at=timezone.now() - timedelta(seconds=LIMITS + 1),
    )
    new = services.plan_export_request(acting_user=people.director)
    assert new.pk != lost.pk and new.status == "pending"
    lost.refresh_from_db()
    assert lost.status == "failed" and lost.error == services.EXPORT_ABANDONED


def test_two_requests_at_once_give_both_the_same_export(people, plan, monkeypatch):
    """The race: between the service's look for an unfinished export and its INSERT, the other
    request's export commits (planted here as the service opens its savepoint for the INSERT)."""
    theirs = []

    def other_request_first():
        theirs.append(PlanExport.objects.create(requested_by=people.director, total=1))
        return transaction.atomic()

    module = SimpleNamespace(atomic=other_request_first, on_commit=transaction.on_commit)
    monkeypatch.setattr(services, "transaction", module)
    mine = services.plan_export_request(acting_user=people.director)
    assert mine.pk == theirs[0].pk
    assert PlanExport.objects.filter(requested_by=people.director).count() == 1


def test_a_lost_task_come_back_does_not_rebuild_beside_the_new_export(people, plan):
    lost = PlanExport.objects.create(
        requested_by=people.director, total=1, status="failed", error=services.EXPORT_ABANDONED
    )
    new = PlanExport.objects.create(requested_by=people.director, total=1)
    services.plan_export_build(export_id=lost.pk)
    lost.refresh_from_db()
    new.refresh_from_db()
    assert (lost.status, lost.error, new.status) == ("failed", services.EXPORT_ABANDONED, "pending")


def test_the_migration_keeps_each_directors_newest_unfinished_export(people):
    """Rows made before the rule (planted with the constraint's index dropped, inside the test's
    transaction: the rollback brings it back)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX one_export_building_per_director")
    now = timezone.now()

    def export(user, status, minutes_ago):
        return PlanExport.objects.create(
            requested_by=user,
            total=1,
            status=status,
            created_at=now - timedelta(minutes=minutes_ago),
        )

    older = export(people.director, "running", 30)
    newest = export(people.director, "pending", 5)
    ready = export(people.director, "ready", 60)
    theirs = export(people.other_director, "running", 40)

    STEP.fail_older(apps, None)

    for row in (older, newest, ready, theirs):
        row.refresh_from_db()
    assert (newest.status, ready.status, theirs.status) == ("pending", "ready", "running")
    assert older.status == "failed" and older.finished_at is not None
    assert older.error == services.EXPORT_ABANDONED  # the page shows the lost task's reason
    assert PlanExport.objects.count() == 4  # nothing deleted
