"""One database written at the old heads of the data-moving migrations, then migrated forward to
the newest migrations, once for the whole run (tests/conftest.py: `old_heads`).

The migration tests (tests/strategy/test_migration_from_accounts.py,
tests/accounts/test_migration_country.py,
tests/notifications/test_migration.py, tests/planning/test_review_snapshots.py,
tests/discovery/test_migration_duplicate_names.py,
tests/opportunities/test_migration_duplicate_names.py, tests/accounts/test_migration_team_rules.py,
tests/planning/test_target_aims.py)
each give a
`plant(apps)` that writes rows through the models as they were at its old head and returns what
its checks need to find them again (JSON), and `MIGRATIONS_UNDER_TEST`, which must not have run
yet when it plants. Their old heads fit in one state (`OLD_HEADS`, reached from an empty
database), so one database is migrated there, planted by all of them, and migrated on to the
newest migrations: each test then checks its rows with today's models.

Before, each test migrated the whole test database back to its old head and forward again
(Django re-renders the model states of every migration it passes, ~40 s of CPU a test); now one
forward run from an empty database serves them all, in whichever xdist process gets there
first (the others wait for it and read the same database).
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

# Each old head as its test names it; together, the state they all plant in.
OLD_HEADS = [
    ("accounts", "0003_history"),
    ("delivery", "0005_quote_discount_refusal"),
    ("planning", "0005_health_records"),
    ("discovery", "0007_profitability_stored_net_profit"),
    ("opportunities", "0003_history"),
]
PLANTERS = [
    "tests.strategy.test_migration_from_accounts",
    "tests.notifications.test_migration",
    "tests.planning.test_review_snapshots",
    "tests.accounts.test_migration_country",
    "tests.discovery.test_migration_duplicate_names",
    "tests.opportunities.test_migration_duplicate_names",
    "tests.accounts.test_migration_team_rules",
    "tests.planning.test_target_aims",
]


@contextmanager
def default_database(name: str):
    """Point the default connection at database `name` for a while. The data migrations write
    through the default alias (`apps.get_model(...).objects`), so the database they move must
    be the default one. The test database's own connection is kept aside, not closed (an
    in-memory SQLite database would be lost with it) and put back after."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    saved = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()  # its ids are the test database's
    try:
        yield connection
    finally:
        connection.close()
        connection.connection, connection.settings_dict["NAME"] = saved
        ContentType.objects.clear_cache()


def _create_database(connection, name: str) -> None:
    if connection.vendor == "sqlite":
        Path(name).unlink(missing_ok=True)
        return
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")


def _drop_database(connection, name: str) -> None:
    if connection.vendor == "sqlite":
        Path(name).unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def build(name: str) -> dict:
    """Migrate an empty database `name` to OLD_HEADS, let each test plant its rows, migrate it to
    the newest migrations. Returns each planter's answer by module name."""
    from django.db.migrations.executor import MigrationExecutor

    planters = {module: import_module(module) for module in PLANTERS}
    with default_database(name) as connection:
        executor = MigrationExecutor(connection)
        plan = {(m.app_label, m.name) for m, _backwards in executor.migration_plan(OLD_HEADS)}
        for module in planters.values():
            early = plan & set(module.MIGRATIONS_UNDER_TEST)
            assert not early, f"{module.__name__}: {early} would run before its rows are planted"
        executor.migrate(OLD_HEADS)
        executor.loader.build_graph()  # reads which migrations are now applied
        old = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
        planted = {module_name: module.plant(old) for module_name, module in planters.items()}
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    return planted


def shared_old_heads(shared_dir: Path):
    """The database built above, once for all processes of a run: a generator for a session
    fixture that yields (database name, planted). The last process out drops it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        name = str(shared_dir / "old-heads.sqlite3")
    else:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        base = connection.settings_dict["NAME"].removesuffix(f"_{worker}" if worker else "")
        name = f"{base}_old_heads"
    lock_path, state_path = shared_dir / "old-heads.lock", shared_dir / "old-heads.json"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state = json.loads(state_path.read_text()) if state_path.exists() else {"users": 0}
            if state["users"] == 0:
                _create_database(connection, name)
                state["planted"] = build(name)
            state["users"] += 1
            state_path.write_text(json.dumps(state))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    yield name, state["planted"]
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state = json.loads(state_path.read_text())
            state["users"] -= 1
            if state["users"] == 0:
                _drop_database(connection, name)
            state_path.write_text(json.dumps(state))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
