"""Cost of goods gets its own line, apart from the cost to serve (domain.md: gross margin =
gross sales − cost of goods; net account profit = gross margin − cost to serve).

Until now the form's last line was "Other costs (incl. cost of goods, if tracked)", and that is
where teams (and the demo data) put the cost of the goods. So every existing amount in
`other_costs` moves to `cost_of_goods`, and `other_costs` (now "other cost to serve") starts at
0: each year's net profit stays the same, its cost to serve no longer counts the product cost.
The recorded history rows are moved the same way, so that a year restored from history, and
the history's old -> new values, follow the new meaning. Reversing adds the cost of goods back
into other costs.
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import F


def move_cost_of_goods_out_of_other_costs(apps, schema_editor):
    for name in ("ProfitabilityYear", "HistoricalProfitabilityYear"):
        apps.get_model("discovery", name).objects.update(
            cost_of_goods=F("other_costs"), other_costs=Decimal("0")
        )


def put_cost_of_goods_back_into_other_costs(apps, schema_editor):
    for name in ("ProfitabilityYear", "HistoricalProfitabilityYear"):
        apps.get_model("discovery", name).objects.update(
            other_costs=F("other_costs") + F("cost_of_goods"), cost_of_goods=Decimal("0")
        )


class Migration(migrations.Migration):

    dependencies = [
        ('discovery', '0003_history'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprofitabilityyear',
            name='cost_of_goods',
            field=models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='cost of goods'),
        ),
        migrations.AddField(
            model_name='profitabilityyear',
            name='cost_of_goods',
            field=models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='cost of goods'),
        ),
        migrations.AlterField(
            model_name='historicalprofitabilityyear',
            name='other_costs',
            field=models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='other cost to serve'),
        ),
        migrations.AlterField(
            model_name='profitabilityyear',
            name='other_costs',
            field=models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='other cost to serve'),
        ),
        migrations.RunPython(
            move_cost_of_goods_out_of_other_costs, put_cost_of_goods_back_into_other_costs
        ),
    ]
