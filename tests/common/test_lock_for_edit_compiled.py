"""common.conflicts.lock_for_edit sends its plain row lock precompiled (bench/README.md,
finding 43): the same statement the ORM's `.select_for_update(of=("self",)).get(pk=)` sends,
the same row, the same conflict and DoesNotExist; built once per process per model."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from common import conflicts
from planning.models import Action

from ..factories import ActionFactory

pytestmark = pytest.mark.django_db


def sent(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, [query["sql"] for query in queries.captured_queries]


def test_the_lock_is_the_orms_statement_and_row():
    first, second = ActionFactory(), ActionFactory()
    with transaction.atomic():
        for action in (first, second, first):
            got, statements = sent(lambda a=action: conflicts.lock_for_edit(a, a.revision))
            orm, expected = sent(
                lambda a=action: Action.objects.select_for_update(of=("self",)).get(pk=a.pk)
            )
            assert statements == expected
            fields = [field.attname for field in Action._meta.concrete_fields]
            assert [getattr(got, f) for f in fields] == [getattr(orm, f) for f in fields]
            assert not got._state.adding and got._state.db == "default"


def test_a_stale_revision_is_a_conflict_and_a_deleted_row_does_not_exist():
    action = ActionFactory()
    with transaction.atomic():
        with pytest.raises(conflicts.EditConflict):
            conflicts.lock_for_edit(action, action.revision + 1)
    gone = ActionFactory()
    Action.objects.filter(pk=gone.pk).delete()
    with transaction.atomic(), pytest.raises(Action.DoesNotExist):
        conflicts.lock_for_edit(gone, gone.revision)


def test_the_statement_is_built_once_per_process(monkeypatch):
    action = ActionFactory()
    with transaction.atomic():
        conflicts.lock_for_edit(action, action.revision)  # compiled (now or before)
        built = []
        original = Action._default_manager.select_for_update
        monkeypatch.setattr(
            Action._default_manager,
            "select_for_update",
            lambda *a, **k: built.append(a) or original(*a, **k),
        )
        assert conflicts.lock_for_edit(action, action.revision).pk == action.pk
    assert built == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_orm_answers_as_before():
    action = ActionFactory()
    if connection.features.has_select_for_update:
        with pytest.raises(transaction.TransactionManagementError):
            conflicts.lock_for_edit(action, action.revision)
    else:  # SQLite: no row locks, the row as read
        assert conflicts.lock_for_edit(action, action.revision).pk == action.pk
