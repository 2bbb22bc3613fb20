"""Links of accounts de-selected before de-selection revoked them: revoked now, so the team's
page says so (the link check already refuses them)."""

from django.db import migrations
from django.utils import timezone


def revoke(apps, schema_editor):
    Invitation = apps.get_model("workspace", "Invitation")
    Invitation.objects.filter(revoked_at__isnull=True, key_account__status="deselected").update(
        revoked_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("workspace", "0001_customer_workspace")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
