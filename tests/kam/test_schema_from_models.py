"""The test database's tables come from the models (tests/schema_from_models.py); production's
come from the migrations. These checks keep the two the same: the database the migrations make
(tests/old_heads.py: every migration from an empty database, once a run) has the same tables,
columns, indexes and constraints, and every data step of every migration is either done for the
test database too or listed as one that only changes rows that exist already."""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, migrations, transaction
from django.db.migrations.loader import MigrationLoader

from tests.old_heads import default_database
from tests.schema_from_models import REPLAYED, ROWS_ONLY, STARTING_ROWS, describe

# Django's own auth migrations made this id an integer before DEFAULT_AUTO_FIELD existed; the
# models make it a bigint. Nothing of ours reads it.
KNOWN = {("auth_group_permissions", "id")}


def _data_steps(operations):
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from _data_steps(operation.database_operations)
        elif isinstance(operation, migrations.RunPython | migrations.RunSQL):
            yield operation


def _project_data_steps() -> dict[tuple[str, str], list]:
    base = Path(settings.BASE_DIR).resolve()
    steps = {}
    for key, migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.items():
        module = Path(__import__(migration.__module__, fromlist=["x"]).__file__).resolve()
        if base in module.parents and ".venv" not in module.parts:
            found = list(_data_steps(migration.operations))
            if found:
                steps[key] = found
    return steps


def test_every_data_step_of_the_migrations_is_replayed_or_changes_existing_rows_only():
    steps = _project_data_steps()
    assert set(steps) == set(REPLAYED) | ROWS_ONLY, (
        "a migration's RunPython/RunSQL step is not in tests/schema_from_models.py: add it to "
        "REPLAYED if an empty database needs what it does, to ROWS_ONLY if not"
    )
    assert not set(REPLAYED) & ROWS_ONLY
    for key, function in REPLAYED.items():
        codes = [getattr(step, "code", None) for step in steps[key]]
        assert function in [code.__name__ for code in codes if code], key


def _without_known(tables):
    return {
        table: (
            [column for column in columns if (table, column[0]) not in KNOWN],
            constraints,
        )
        for table, (columns, constraints) in tables.items()
    }


def test_the_migrations_make_the_same_schema_as_the_models(old_heads, django_db_blocker):
    name, _planted = old_heads
    with django_db_blocker.unblock():
        from_models = _without_known(describe(connection))
        with default_database(name) as migrated_connection:
            migrated = _without_known(describe(migrated_connection))
    assert sorted(from_models) == sorted(migrated)
    differing = {
        table: {
            "models only": sorted(
                set(map(repr, from_models[table][0] + from_models[table][1]))
                - set(map(repr, migrated[table][0] + migrated[table][1]))
            ),
            "migrations only": sorted(
                set(map(repr, migrated[table][0] + migrated[table][1]))
                - set(map(repr, from_models[table][0] + from_models[table][1]))
            ),
        }
        for table in from_models
        if from_models[table] != migrated[table]
    }
    assert not differing


def _rows(connection) -> dict[str, set]:
    """Every table's rows, each as its columns by name, without the moments they were written;
    content types and permissions are left out (their ids follow the order in which each way
    of building made them)."""
    skipped = {"django_migrations", "django_content_type", "auth_permission"}
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names(cursor)) - skipped):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            names = [column[0] for column in cursor.description]
            rows[table] = {
                repr(
                    sorted(
                        (name, value)
                        for name, value in zip(names, row, strict=True)
                        if not isinstance(value, datetime)
                    )
                )
                for row in cursor
            }
    return rows


def _put_back_the_start(connection) -> None:
    """A transactional test (live server, real worker) ends with a flush and serialized rollback
    puts the start's rows back at the start of the next such test, not after the last one; this
    test needs no database of its own, so pytest-django runs it last, after that flush. Put back
    what the test database held when it was made, as serialized rollback does."""
    contents = getattr(connection, "_test_serialized_contents", None) or STARTING_ROWS.get(
        connection.alias
    )
    if contents:
        # From empty, as serialized rollback does: a flush that did not know of the copy ran
        # post_migrate, which made content types and permissions again under other ids.
        call_command(
            "flush", verbosity=0, interactive=False, database=connection.alias,
            inhibit_post_migrate=True,
        )  # fmt: skip
        with transaction.atomic(using=connection.alias):
            connection.creation.deserialize_db_from_string(contents)


def test_the_test_database_starts_with_rows_the_migrations_write(old_heads, django_db_blocker):
    """Its rows (groups, competences, job specifications) are rows the migrations wrote too; the
    migrations' database holds more (what the migration tests planted). Every test leaves the
    test database as it found it, so it holds what its set-up wrote."""
    name, _planted = old_heads
    with django_db_blocker.unblock():
        _put_back_the_start(connection)
        ours = _rows(connection)
        with default_database(name) as migrated_connection:
            migrated = _rows(migrated_connection)
    assert ours["auth_group"] and ours["organisation_competence"]
    extra = {table: rows - migrated[table] for table, rows in ours.items()}
    assert not {table: rows for table, rows in extra.items() if rows}
