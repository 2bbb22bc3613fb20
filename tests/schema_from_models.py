"""The test database is built from today's models (Django's `TEST: {"MIGRATE": False}`, the
tables as `migrate --run-syncdb` makes them) instead of by running every migration from an empty
database. Running them re-renders the model states of each of the ~100 migrations it passes,
~40 s of CPU (~90 s on a slow host) before the first test can start; building the tables from
the models takes ~3 s.

What the migrations do besides making tables is done here after the tables are made: the steps
in `REPLAYED` write rows every database starts with (the global groups, the default
competences and job specifications) or make what the models cannot declare (the pipeline's
PostgreSQL-only index). Every other data step of the migrations (`ROWS_ONLY`) moves or relabels
rows that already exist, so it has nothing to do on an empty database.

The migrations themselves are still run, once a run, by the migration tests' database
(tests/old_heads.py: from empty to the old heads, then on to the newest), and
tests/kam/test_schema_from_models.py checks that the database they make has the same tables,
columns, indexes and constraints as this one, and that every data step of every migration is
listed below.
"""

from __future__ import annotations

from contextlib import contextmanager
from importlib import import_module

# (app, migration): the function of its RunPython step that the test database needs.
REPLAYED = {
    ("accounts", "0002_global_groups"): "create_groups",
    ("organisation", "0002_default_competences_and_job_specs"): "create_defaults",
    ("opportunities", "0008_pipeline_order_index"): "create",
}
# (app, migration): RunPython steps that change existing rows only (nothing on an empty database).
ROWS_ONLY = {
    ("strategy", "0001_initial"),  # content types follow the models moved from accounts
    ("notifications", "0001_initial"),  # content types follow the model moved from delivery
    ("discovery", "0004_profitability_cost_of_goods"),
    ("opportunities", "0004_unscored_opportunities_and_list_prices"),
    ("opportunities", "0006_decision_agrees_with_status"),
    ("planning", "0007_classify_plan_versions"),
    ("planning", "0008_target_kind_and_unit"),
    ("accounts", "0014_customer_country_code"),
    ("planning", "0012_accountplan_action_counts"),
    ("workspace", "0002_revoke_links_of_deselected_accounts"),
    ("discovery", "0008_rename_duplicate_ratios_and_competitors"),  # rows stored twice renamed
    ("opportunities", "0009_unit_and_offering_names_unique_in_any_case"),
    ("accounts", "0017_team_rules_in_the_database"),
    ("workspace", "0004_one_live_link_and_one_recommend_question"),  # extra live rows resolved
    ("rhythm", "0011_one_export_building_per_director"),  # older unfinished exports failed
    ("planning", "0013_target_aim"),  # held levels get "stay at or above", their plans stale
}


# The test database's rows as its set-up left them, per alias, for serialized rollback: kept
# here too, because after a browser test (Playwright's greenlets) `django.db.connection` can
# be another wrapper of the same database, without the copy Django keeps on it.
STARTING_ROWS: dict[str, str] = {}


@contextmanager
def tables_from_models(connection):
    """While inside, creating the test database makes its tables from the models."""
    test = connection.settings_dict.setdefault("TEST", {})
    saved = test.get("MIGRATE", True)
    test["MIGRATE"] = False
    try:
        yield
    finally:
        test["MIGRATE"] = saved


def replay_data_steps(connection) -> None:
    """Run the REPLAYED steps on a database whose tables were made from the models, then keep its
    rows again for serialized rollback (create_test_db kept them before these were written).

    The steps get the models as the migrations leave them (~0.3 s to build), as a migration's
    step does: the app's own models would also run its signal handlers (history rows, audit
    events) that a migration never runs."""
    from django.db.migrations.loader import MigrationLoader

    apps = MigrationLoader(connection).project_state().apps
    with connection.schema_editor() as editor:
        for (app, name), function in REPLAYED.items():
            getattr(import_module(f"{app}.migrations.{name}"), function)(apps, editor)
    if hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        STARTING_ROWS[connection.alias] = connection._test_serialized_contents


def describe(connection) -> dict[str, tuple[list, list]]:
    """Each table's columns (name, type, sizes, null, collation) and its indexes and constraints
    (what they are, without the names the two ways of building give them), as Django reads
    them back from the database."""
    tables = {}
    with connection.cursor() as cursor:
        introspection = connection.introspection
        for table in sorted(set(introspection.table_names(cursor)) - {"django_migrations"}):
            columns = sorted(
                (c.name, c.type_code, c.display_size, c.internal_size, c.precision, c.scale)
                + (c.null_ok, getattr(c, "collation", None))
                for c in introspection.get_table_description(cursor, table)
            )
            constraints = sorted(
                repr(sorted(info.items()))
                for info in introspection.get_constraints(cursor, table).values()
            )
            tables[table] = (columns, constraints)
    return tables
