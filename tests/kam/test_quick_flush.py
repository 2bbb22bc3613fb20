"""The flush that ends a transactional test (tests/quick_flush.py) leaves every table empty but
the content types and permissions, which stay as they were, and touches only the tables that
held rows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from accounts.models import KeyAccount
from planning.models import Action
from tests.demo_snapshot import capture
from tests.factories import ActionFactory, UserFactory
from tests.quick_flush import KEPT, flush_tables_with_rows


def _kept_rows():
    return {
        table: rows
        for table, rows in capture().items()
        if table in {model._meta.db_table for model in (ContentType, Permission)}
    }


@pytest.mark.django_db(transaction=True)
def test_the_closing_flush_empties_every_table_that_holds_rows():
    kept = _kept_rows()
    assert set(kept) == KEPT
    ActionFactory(owner=UserFactory())  # an action, its plan, account, customer, owner
    filled = set(capture())
    written = {model._meta.db_table for model in (get_user_model(), Action, KeyAccount)}
    assert written <= filled
    statements = flush_tables_with_rows(no_style(), connection, reset_sequences=False)
    if connection.vendor == "postgresql":
        assert sorted(statements) == sorted(
            f"DELETE FROM {connection.ops.quote_name(table)}"  # noqa: S608
            for table in filled - KEPT
        )
    # As a transactional test's teardown calls it (post_migrate left to the flush to decide).
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    assert set(capture()) == KEPT
    if connection.vendor == "postgresql":  # elsewhere: Django's flush, then post_migrate
        assert _kept_rows() == kept  # the same rows under the same ids: nothing written again
