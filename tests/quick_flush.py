"""A transactional test (live server, browser, real worker) ends with Django's `flush`, which on
PostgreSQL is one TRUNCATE of all ~125 tables: ~0.35 s each time, mostly for the tables that are
empty anyway. Here the flush deletes the rows of the tables that hold any (one query finds
them; Django's foreign keys are deferred to the commit, so the order does not matter): the
database ends as empty, in a tenth of the time for a test that wrote a few tables.

Used for the test database only (tests/conftest.py: `quick_flush`), and only where Django's
flush would keep the id sequences as they are, as a transactional test's does."""

from django.core.management.sql import sql_flush


def flush_tables_with_rows(style, connection, reset_sequences=True, allow_cascade=False):
    if connection.vendor != "postgresql" or reset_sequences:
        return sql_flush(
            style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
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
