"""The database keeps a business unit's name unique in its account, and an offering's in the
catalogue, the name in any case (as the services check it): before, it held the exact spelling
only, so "Bakery" and "BAKERY" could both be stored (a race, the admin). Rows that already
repeat a name are first told apart by a suffix, nothing deleted: in each group the oldest row
keeps its name, the others become "Name (2)", "Name (3)"… (a number no other row of the account,
or of the catalogue, uses yet; the name shortened to fit). Each renamed row moves its revision
(an edit form open on it is refused as stale, not saved over the new name); a business unit also
gets a history row saying why, so the audit history does not credit the next editor with it.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.utils import timezone
from django.utils.translation import gettext_noop

# Stored in English (the history row's change reason, as discovery 0008 words it); the history
# page translates it.
REASON = gettext_noop("Renamed: the account had another with the same name")


def _unique_name(name: str, taken: set[str], max_length: int) -> str:
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: max_length - len(suffix)].rstrip() + suffix
        if candidate.lower() not in taken:
            return candidate
        number += 1


def _rename_duplicates(apps, model_name: str, scope: str, history_name: str | None) -> None:
    model = apps.get_model("opportunities", model_name)
    history = apps.get_model("opportunities", history_name) if history_name else None
    max_length = model._meta.get_field("name").max_length
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    now = timezone.now()
    rows = list(model.objects.order_by("pk"))
    # Every name the scope uses, in lower case: a suffixed name must not repeat one either.
    taken: dict[int, set[str]] = {}
    for row in rows:
        taken.setdefault(getattr(row, scope), set()).add(row.name.lower())
    seen: set[tuple] = set()
    for row in rows:
        key = (getattr(row, scope), row.name.lower())
        if key not in seen:
            seen.add(key)
            continue
        row.name = _unique_name(row.name, taken[getattr(row, scope)], max_length)
        taken[getattr(row, scope)].add(row.name.lower())
        row.revision += 1
        row.save(update_fields=["name", "revision"])
        if history is not None:
            history.objects.create(
                id=row.pk,
                **{f: getattr(row, f) for f in fields},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
                history_user=None,
            )


def rename_duplicates(apps, schema_editor):
    _rename_duplicates(apps, "BusinessUnit", "key_account_id", "HistoricalBusinessUnit")
    _rename_duplicates(apps, "Offering", "programme_id", None)  # the catalogue keeps no history


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0016_history_notes_in_every_language"),
        ("opportunities", "0008_pipeline_order_index"),
    ]

    operations = [
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(
            model_name="businessunit",
            name="business_unit_name_unique",
        ),
        migrations.RemoveConstraint(
            model_name="offering",
            name="offering_name_unique",
        ),
        migrations.AddConstraint(
            model_name="businessunit",
            constraint=models.UniqueConstraint(
                models.F("key_account"),
                django.db.models.functions.text.Lower("name"),
                name="business_unit_name_unique",
                violation_error_message="This account already has a unit with this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="offering",
            constraint=models.UniqueConstraint(
                models.F("programme"),
                django.db.models.functions.text.Lower("name"),
                name="offering_name_unique",
                violation_error_message="An offering with this name is already in the catalogue.",
            ),
        ),
    ]
