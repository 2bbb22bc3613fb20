"""Before the database keeps a profile's ratios (name and year) and competitors (name) unique,
the name in any case (0009): rows that already repeat one are told apart by a suffix, nothing
deleted. In each group the oldest row keeps its name; the others become "Name (2)", "Name (3)"…
(a number no row of the account uses yet, the name shortened to fit). Each renamed row moves its
revision (an edit form open on it is refused as stale, not saved over the new name) and gets a
history row saying why, so the audit history does not credit the next editor with the rename.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Renamed: the account had another with the same name"


def _unique_name(name: str, taken: set[str], max_length: int) -> str:
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: max_length - len(suffix)].rstrip() + suffix
        if candidate.lower() not in taken:
            return candidate
        number += 1


def _rename_duplicates(apps, model_name: str, same: tuple[str, ...]) -> None:
    model = apps.get_model("discovery", model_name)
    history = apps.get_model("discovery", f"Historical{model_name}")
    max_length = model._meta.get_field("name").max_length
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    now = timezone.now()
    seen: dict[tuple, int] = {}
    # Every name the account uses, in lower case: a suffixed name must not repeat one either.
    taken: dict[int, set[str]] = {}
    rows = list(model.objects.order_by("pk"))
    for row in rows:
        taken.setdefault(row.key_account_id, set()).add(row.name.lower())
    for row in rows:
        key = (row.key_account_id, row.name.lower(), *(getattr(row, f) for f in same))
        if key not in seen:
            seen[key] = row.pk
            continue
        row.name = _unique_name(row.name, taken[row.key_account_id], max_length)
        taken[row.key_account_id].add(row.name.lower())
        row.revision += 1
        row.save(update_fields=["name", "revision"])
        history.objects.create(
            id=row.pk,
            **{f: getattr(row, f) for f in fields},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
            history_user=None,
        )


def rename_duplicates(apps, schema_editor):
    _rename_duplicates(apps, "FinancialRatio", ("year",))
    _rename_duplicates(apps, "Competitor", ())


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0007_profitability_stored_net_profit"),
    ]

    operations = [
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop, elidable=False),
    ]
