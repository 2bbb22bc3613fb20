"""The notification row becomes the outbox of its e-mail. Rows written before have their
e-mail behind them (or none): they start as "none" and are never sent again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_status",
            field=models.CharField(
                choices=[
                    ("none", "No e-mail"),
                    ("pending", "Waiting to be sent"),
                    ("sent", "Sent"),
                    ("failed", "Given up"),
                ],
                default="none",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_subject",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_body",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_html",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_error",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="notification",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("email_status", "pending")),
                fields=["created_at"],
                name="notification_email_pending",
            ),
        ),
    ]
