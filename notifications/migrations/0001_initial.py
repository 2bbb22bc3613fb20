"""Notification moves here from delivery. Only Django's picture of the models changes: the table
(`delivery_notification`), its rows and its index stay where they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor, *, old: str, new: str) -> None:
    """Keep the admin permissions granted on notifications: their content type moves too."""
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=new, model="notification").exists():
        content_type.objects.filter(app_label=old, model="notification").update(app_label=new)


def forwards(apps, schema_editor):
    content_type_follows(apps, schema_editor, old="delivery", new="notifications")


def backwards(apps, schema_editor):
    content_type_follows(apps, schema_editor, old="notifications", new="delivery")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table was created by delivery (0002) and last changed before this move.
        ("delivery", "0005_quote_discount_refusal"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("text", models.CharField(max_length=300)),
                        ("link", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "delivery_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["user", "read_at"], name="notification_unread")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
