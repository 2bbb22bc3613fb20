"""The team rules that hold row by row are kept by the database too (the team services kept them
alone, behind the account's lock; the admin, or a write that skipped the lock, could break them):
one director per account (a unique index on the account where the role is director), and a time
share of at most 100 % (a check). One role per person per account already was; it now says so
in words.

Rows that already break them are put right first, deterministically, nothing deleted, each with
a history row saying why and its revision moved (an open team-entry form is refused as stale):
- An account with several directors keeps the first named (the oldest entry) as director; the
  others stay on the team as managers (as a selection again does with a previous director named
  manager), each on the account's timeline too (every team change is).
- A time share above 100 % is lowered to 100 %.
"""

from django.db import migrations, models
from django.utils import timezone
from django.utils.translation import gettext_noop

# Stored in English (the history rows' change reason, the timeline's message and values); the
# pages translate them.
DIRECTOR_REASON = gettext_noop(
    "Made manager: the account had two directors; the first named stays director"
)
SHARE_REASON = gettext_noop("Time share lowered to the most one account can take: 100 percent")
NOW_ROLE = "%(user)s is now %(role)s"  # organisation.services.teams' own message
MANAGER_LABEL = "Key account manager"  # accounts.Role.MANAGER's label


def _name(user) -> str:
    return f"{user.first_name} {user.last_name}".strip() or user.username


def _record(history, row, fields, now, reason) -> None:
    history.objects.create(
        id=row.pk,
        **{f: getattr(row, f) for f in fields},
        history_date=now,
        history_type="~",
        history_change_reason=reason,
        history_user=None,
    )


def put_right(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    history = apps.get_model("accounts", "HistoricalMembership")
    AccountEvent = apps.get_model("accounts", "AccountEvent")
    fields = [f.attname for f in Membership._meta.concrete_fields if f.attname != "id"]
    now = timezone.now()
    directors = Membership.objects.filter(role="director").select_related("user")
    first: set[int] = set()
    for row in directors.order_by("key_account_id", "pk"):
        if row.key_account_id not in first:
            first.add(row.key_account_id)
            continue
        row.role = "manager"
        row.revision += 1
        row.save(update_fields=["role", "revision"])
        _record(history, row, fields, now, DIRECTOR_REASON)
        name = _name(row.user)
        AccountEvent.objects.create(
            key_account_id=row.key_account_id,
            kind="team_changed",
            summary=f"{name} is now key account manager",
            summary_message=NOW_ROLE,
            summary_args={"user": name, "role": {"t": MANAGER_LABEL, "lower": True}},
            reason=DIRECTOR_REASON,
            reason_text={"m": DIRECTOR_REASON, "a": {}},
            old_value="director",
            new_value="manager",
            occurred_at=now,
        )
    for row in Membership.objects.filter(time_share_percent__gt=100).order_by("pk"):
        row.time_share_percent = 100
        row.revision += 1
        row.save(update_fields=["time_share_percent", "revision"])
        _record(history, row, fields, now, SHARE_REASON)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0016_history_notes_in_every_language"),
    ]

    operations = [
        migrations.RunPython(put_right, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "director")),
                fields=("key_account",),
                name="one_director_per_account",
                violation_error_message=(
                    "This account already has a director; an account has exactly one director."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(("time_share_percent__lte", 100)),
                name="time_share_at_most_100",
                violation_error_message="A time share is at most 100 %%.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="membership",
            name="one_role_per_account",
            constraint=models.UniqueConstraint(
                fields=("user", "key_account"),
                name="one_role_per_account",
                violation_error_message="This person is already on the account team.",
            ),
        ),
    ]
