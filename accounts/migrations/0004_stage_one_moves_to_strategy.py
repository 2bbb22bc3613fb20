"""Stage 1's models (selection criteria, their scores, the roadmap, and the history of the first
two) now belong to the `strategy` app. Only Django's record of them moves: their tables keep
their names (strategy.models sets `db_table`), so no row is copied or dropped. strategy's first
migration takes them over, again in the record only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # Models that point at another one go first.
            state_operations=[
                migrations.DeleteModel(name="HistoricalCriterionScore"),
                migrations.DeleteModel(name="HistoricalSelectionCriterion"),
                migrations.DeleteModel(name="CriterionScore"),
                migrations.DeleteModel(name="RoadmapItem"),
                migrations.DeleteModel(name="SelectionCriterion"),
            ],
            database_operations=[],
        ),
    ]
