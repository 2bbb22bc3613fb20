"""Before the database keeps one live workspace link per stakeholder and one asked recommend
question per programme (0005): rows that already break either rule are resolved, nothing
deleted.

- A stakeholder with more than one invitation not revoked keeps the newest (the one inviting
  them again would renew); the older ones are revoked now, by no one (the migration), so the
  list shows them as revoked and their links stop opening the workspace.
- A programme asking more than one recommend question keeps the first in the form's order
  (position, then the oldest); the others are no longer asked (their answers stay), and their
  revision moves so an edit form open on one is refused as stale, not saved over the change.
"""

from django.db import migrations
from django.utils import timezone


def resolve(apps, schema_editor):
    Invitation = apps.get_model("workspace", "Invitation")
    now = timezone.now()
    kept: set[tuple[int, int]] = set()
    older = []
    live = Invitation.objects.filter(revoked_at__isnull=True).order_by("-created_at", "-pk")
    for invitation in live.only("pk", "key_account_id", "stakeholder_id"):
        key = (invitation.key_account_id, invitation.stakeholder_id)
        if key in kept:
            older.append(invitation.pk)
        else:
            kept.add(key)
    Invitation.objects.filter(pk__in=older).update(revoked_at=now, revoked_by=None)

    Question = apps.get_model("workspace", "AlignmentQuestion")
    asked: set[int] = set()
    for question in Question.objects.filter(kind="recommend", is_active=True).order_by(
        "position", "pk"
    ):
        if question.programme_id not in asked:
            asked.add(question.programme_id)
            continue
        question.is_active = False
        question.revision += 1
        question.save(update_fields=["is_active", "revision"])


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0003_customer_proposals"),
    ]

    operations = [
        migrations.RunPython(resolve, migrations.RunPython.noop, elidable=False),
    ]
