"""Status and decision agree: an opportunity is dropped exactly when its decision is "drop"
(opportunities/rules.py). Before the decision became a state machine, two decisions from
stale pages (or pursuing a dropped one) could leave "dropped" with "pursue", and a status
edited by hand could leave "drop" on an opportunity no longer dropped. The status is what
lists, the pipeline and the plan show, so it wins."""

from django.db import migrations


def decision_follows_status(apps, schema_editor):
    Opportunity = apps.get_model("opportunities", "Opportunity")
    dropped = Opportunity.objects.filter(status="dropped").exclude(decision="drop")
    dropped.update(decision="drop")
    reopened = Opportunity.objects.filter(decision="drop").exclude(status="dropped")
    reopened.update(decision="")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0005_edit_revisions")]

    operations = [migrations.RunPython(decision_follows_status, migrations.RunPython.noop)]
