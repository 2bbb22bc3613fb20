"""Before the database keeps one unfinished plan export per director (0012): a director with
more than one export waiting or building keeps the newest; the older ones are marked failed
with the reason the export page shows for a lost task (nothing deleted, their rows stay in the
list). A build still running on one of them finishes as before and makes it ready."""

from django.db import migrations
from django.utils import timezone

# rhythm.services.EXPORT_ABANDONED as stored (English; the page shows it through gettext).
ABANDONED = (
    "The export stopped: the worker building it died and its task was lost. Ask for a new one."
)


def fail_older(apps, schema_editor):
    PlanExport = apps.get_model("rhythm", "PlanExport")
    seen: set[int] = set()
    older = []
    unfinished = PlanExport.objects.filter(status__in=["pending", "running"])
    for export in unfinished.order_by("-created_at", "-pk").only("pk", "requested_by_id"):
        if export.requested_by_id in seen:
            older.append(export.pk)
        seen.add(export.requested_by_id)
    PlanExport.objects.filter(pk__in=older).update(
        status="failed", error=ABANDONED, finished_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("rhythm", "0010_expire_quotes_job_and_digest"),
    ]

    operations = [
        migrations.RunPython(fail_older, migrations.RunPython.noop, elidable=False),
    ]
