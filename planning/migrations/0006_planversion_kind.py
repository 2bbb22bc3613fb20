"""PlanVersion's free-text `reason` becomes `kind` (approval / review snapshot), and version
numbers count within each kind. The data migration 0007 classifies and renumbers the rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0005_health_records"),
    ]

    operations = [
        migrations.RenameField(model_name="planversion", old_name="reason", new_name="kind"),
        migrations.AlterField(
            model_name="planversion",
            name="kind",
            field=models.CharField(
                choices=[("approval", "Approved version"), ("review", "Review snapshot")],
                max_length=20,
            ),
        ),
        migrations.AlterModelOptions(
            name="planversion",
            options={"ordering": ["plan", "-created_at", "-pk"]},
        ),
        migrations.RemoveConstraint(model_name="planversion", name="version_number_unique"),
        migrations.AddConstraint(
            model_name="planversion",
            constraint=models.UniqueConstraint(
                fields=("plan", "kind", "number"), name="version_number_unique_per_kind"
            ),
        ),
    ]
