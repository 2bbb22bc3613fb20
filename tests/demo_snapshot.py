"""One `seed_demo` for the whole run: the seeded tables are copied once, and each test that needs
the demo gets them back in a fraction of a second instead of seeding again (~10 s of CPU).

`snapshot()` seeds inside a transaction, copies every table that holds rows (PostgreSQL:
`COPY … TO STDOUT`; SQLite: the rows) and rolls the seed back. `restore()` empties those tables
and copies the seeded rows in, then moves their id sequences past them, so the database holds
exactly what `seed_demo` had written on a fresh one. The first xdist process to need
it seeds and writes the snapshot to the run's shared temporary folder; the others read it
(every process's database is a clone of one template, so the ids match).

Used by the `demo` (in the test's transaction), `committed_demo` (committed, for the live server
and the browser) and `demo_at_scale_2` fixtures in tests/conftest.py.
"""

from __future__ import annotations

import fcntl
import pickle  # noqa: S403 - a file this run wrote itself
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings

SKIPPED_TABLES = {"django_migrations"}


def _tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - SKIPPED_TABLES)


def _generated(table: str) -> set[str]:
    """Columns the database computes (GeneratedField): they can be read but not written."""
    return {
        field.column
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table == table
        for field in model._meta.concrete_fields
        if field.generated
    }


def _columns(cursor, table: str) -> list[str]:
    """The columns copied: a generated one is computed again as the rows go back in."""
    skipped = _generated(table)
    return [
        c.name
        for c in connection.introspection.get_table_description(cursor, table)
        if c.name not in skipped
    ]


def capture() -> dict:
    """Every table that holds rows: its columns and its rows."""
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            columns = _columns(cursor, table)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({quoted}) TO STDOUT") as copy:
                    rows = b"".join(bytes(chunk) for chunk in copy)
            else:
                cursor.execute(f"SELECT {quoted} FROM {name}")  # noqa: S608 - table names
                rows = cursor.fetchall()
            if rows:
                tables[table] = (columns, rows)
    return tables


def snapshot(scale: int = 1) -> dict:
    """seed_demo on the (fresh) test database, copied, then rolled back. Passwords
    are hashed with the tests' fast hasher (tests/conftest.py), which a session fixture set up
    before the test's own fixtures would not have yet."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=hashers), transaction.atomic():
        call_command("seed_demo", "--force", "--scale", str(scale), stdout=StringIO())
        tables = capture()
        transaction.set_rollback(True)
    return tables


def restore(tables: dict) -> None:
    """The captured tables' rows in place of theirs (the other tables are left as they are:
    empty, on a fresh or flushed database)."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are checked when the transaction commits (Django makes them deferrable),
        # so the tables may be emptied and filled in any order.
        for table, (columns, rows) in tables.items():
            name = connection.ops.quote_name(table)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - table names
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                    copy.write(rows)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", rows)  # noqa: S608
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table in tables
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def shared_snapshot(shared_dir: Path, scale: int = 1) -> dict:
    """The snapshot, taken by the first process of the run that asks and read by the others."""
    path = shared_dir / f"demo-snapshot-{connection.vendor}-scale{scale}.pickle"
    with open(shared_dir / "demo-snapshot.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.exists():
                return pickle.loads(path.read_bytes())  # noqa: S301 - written by this run
            tables = snapshot(scale)
            path.write_bytes(pickle.dumps(tables))
            return tables
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
