"""The current plan's open and overdue actions, stored with its health score (the portfolio
dashboard's manager workload sums them). Filled here for every plan with a stored score, as of
the day that score is for, so a plan refreshed today needs no refresh to be right; a plan with
no stored score (stale) is counted when read until its next refresh."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

OPEN_STATUSES = ("open", "in_progress", "waiting")  # rules.ACTION_OPEN_STATUSES, frozen here


def fill_action_counts(apps, schema_editor):
    AccountPlan = apps.get_model("planning", "AccountPlan")
    Action = apps.get_model("planning", "Action")
    open_actions = Action.objects.filter(plan=OuterRef("pk"), status__in=OPEN_STATUSES)

    def counted(queryset):
        rows = queryset.order_by().values("plan").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    AccountPlan.objects.filter(health_on__isnull=False).update(
        open_actions=counted(open_actions),
        overdue_actions=counted(open_actions.filter(due_on__lt=OuterRef("health_on"))),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0011_accountplan_content_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountplan",
            name="open_actions",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="accountplan",
            name="overdue_actions",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill_action_counts, migrations.RunPython.noop, elidable=True),
    ]
