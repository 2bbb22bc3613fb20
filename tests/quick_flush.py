"""A transactional test (live server, browser, real worker) ends with Django's `flush`, which on
PostgreSQL is one TRUNCATE of all ~125 tables: ~0.35 s each time, mostly for the tables that are
empty anyway. Here the flush deletes the rows of the tables that hold any (one query finds
them; Django's foreign keys are deferred to the commit, so the order does not matter): the
database ends as empty, in a tenth of the time for a test that wrote a few tables.

Content types and permissions are kept: Django's flush deletes them and its post_migrate
signal writes them again (under new ids), ~0.15 s each time, ~100 times a run; no test writes
either table. The flush's post_migrate is left out where the rows stay (`flush_handle`).

Used for the test database only (tests/conftest.py: `quick_flush`), and only where Django's
flush would keep the id sequences as they are, as a transactional test's does."""

from django.core.management.sql import sql_flush
from django.db import connections

# What post_migrate writes (django.contrib.contenttypes, django.contrib.auth): kept as they are.
KEPT = frozenset({"django_content_type", "auth_permission"})


def _quick(connection, reset_sequences: bool) -> bool:
    return connection.vendor == "postgresql" and not reset_sequences


def flush_tables_with_rows(style, connection, reset_sequences=True, allow_cascade=False):
    if not _quick(connection, reset_sequences):
        return sql_flush(
            style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    quote = connection.ops.quote_name
    tables = sorted(
        set(connection.introspection.django_table_names(only_existing=True, include_views=False))
        - KEPT
    )
    if not tables:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
                for table in tables
            ),
            tables,
        )
        filled = [row[0] for row in cursor.fetchall()]
    return [f"DELETE FROM {quote(table)}" for table in filled]  # noqa: S608


def flush_handle(handle):
    """Django's flush command, without post_migrate where the flush above kept its rows."""

    def flush(self, **options):
        connection = connections[options["database"]]
        if _quick(connection, options.get("reset_sequences", True)):
            options["inhibit_post_migrate"] = True
        return handle(self, **options)

    return flush
