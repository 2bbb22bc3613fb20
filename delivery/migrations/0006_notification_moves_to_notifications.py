"""Notification now lives in the notifications app (its 0001): delivery forgets it, and the
table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0005_quote_discount_refusal"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
