"""The pipeline's default order as an index (bench/README.md, Findings 11): a person who sees
every account (an executive) reads the first page of the pipeline from it instead of sorting
every opportunity of the programme, 418 ms -> under 1 ms at 100,000 opportunities.

PostgreSQL only: the order puts unscored opportunities (no priority) last when descending,
and SQLite (the embedded default, small data) has no NULLS LAST in an index. So the index is
created by SQL here rather than declared in Meta.indexes."""

from django.db import migrations

NAME = "opportunity_pipeline_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "opportunities_opportunity" '
            '("priority" DESC NULLS LAST, "title", "id")'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0007_text_and_date_limits")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
