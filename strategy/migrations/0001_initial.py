"""Stage 1's models, taken over from `accounts` (see accounts 0004) without touching the
database: the tables exist already under their old names (`db_table`), with their rows.

Content types follow the models, so that admin permissions and log entries that point at them
keep working.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = (
    "roadmapitem",
    "selectioncriterion",
    "historicalselectioncriterion",
    "criterionscore",
    "historicalcriterionscore",
)


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(
        content_type.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    content_type.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def content_types_to_strategy(apps, schema_editor):
    _relabel(apps, "accounts", "strategy")


def content_types_to_accounts(apps, schema_editor):
    _relabel(apps, "strategy", "accounts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_stage_one_moves_to_strategy"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalSelectionCriterion',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('axis', models.CharField(choices=[('attractiveness', 'Account attractiveness'), ('strength', 'Our business strength')], max_length=20)),
                        ('name', models.CharField(max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('weight', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)])),
                        ('scale_1', models.CharField(max_length=240, verbose_name='What a 1 means')),
                        ('scale_3', models.CharField(max_length=240, verbose_name='What a 3 means')),
                        ('scale_5', models.CharField(max_length=240, verbose_name='What a 5 means')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('archived_at', models.DateTimeField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.programme')),
                    ],
                    options={
                        'verbose_name': 'historical selection criterion',
                        'verbose_name_plural': 'historical selection criterions',
                        'db_table': 'accounts_historicalselectioncriterion',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RoadmapItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('workshop', 'Workshop'), ('training', 'Training'), ('steering', 'Steering committee'), ('sales_activity', 'Regular sales activity'), ('other', 'Other')], max_length=20)),
                        ('title', models.CharField(max_length=200)),
                        ('due_on', models.DateField()),
                        ('done', models.BooleanField(default=False)),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roadmap', to='accounts.programme')),
                    ],
                    options={
                        'db_table': 'accounts_roadmapitem',
                        'ordering': ['due_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SelectionCriterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('axis', models.CharField(choices=[('attractiveness', 'Account attractiveness'), ('strength', 'Our business strength')], max_length=20)),
                        ('name', models.CharField(max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('weight', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)])),
                        ('scale_1', models.CharField(max_length=240, verbose_name='What a 1 means')),
                        ('scale_3', models.CharField(max_length=240, verbose_name='What a 3 means')),
                        ('scale_5', models.CharField(max_length=240, verbose_name='What a 5 means')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('archived_at', models.DateTimeField(blank=True, null=True)),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='accounts.programme')),
                    ],
                    options={
                        'db_table': 'accounts_selectioncriterion',
                        'ordering': ['axis', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCriterionScore',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('score', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)])),
                        ('scored_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('customer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.customer')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('scored_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('criterion', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='strategy.selectioncriterion')),
                    ],
                    options={
                        'verbose_name': 'historical criterion score',
                        'verbose_name_plural': 'historical criterion scores',
                        'db_table': 'accounts_historicalcriterionscore',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='CriterionScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)])),
                        ('scored_at', models.DateTimeField(auto_now=True)),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='accounts.customer')),
                        ('scored_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                        ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='strategy.selectioncriterion')),
                    ],
                    options={
                        'db_table': 'accounts_criterionscore',
                    },
                ),
                migrations.AddConstraint(
                    model_name='selectioncriterion',
                    constraint=models.CheckConstraint(condition=models.Q(('weight__gte', 1)), name='criterion_weight_positive'),
                ),
                migrations.AddConstraint(
                    model_name='criterionscore',
                    constraint=models.UniqueConstraint(fields=('customer', 'criterion'), name='one_score_per_customer_criterion'),
                ),
                migrations.AddConstraint(
                    model_name='criterionscore',
                    constraint=models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 5)), name='score_within_scale'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_strategy, content_types_to_accounts),
    ]
