"""Notification moved from delivery to its own app without moving data: a database at the old
head, with notifications in it, migrates to the new head and finds them as they were.

The database is tests/old_heads.py's: `plant` writes at the old head, the test reads after the
migration to the newest head."""

from datetime import datetime

from django.utils import timezone

# Not yet applied when `plant` runs: notifications still lived in delivery.
MIGRATIONS_UNDER_TEST = [("notifications", "0001_initial")]


def plant(old) -> dict:
    """Rows written by the code of the old head (delivery.Notification)."""
    user = old.get_model("accounts", "User").objects.create(username="max", email="max@example.com")
    old_notification = old.get_model("delivery", "Notification")
    read_at = timezone.now()
    unread = old_notification.objects.create(user=user, text="Plan submitted", link="/a/1/")
    read = old_notification.objects.create(user=user, text="Approved", read_at=read_at)
    return {"user": user.pk, "unread": unread.pk, "read": read.pk, "read_at": read_at.isoformat()}


def test_notifications_written_before_the_move_are_intact_after_it(migrated_old_heads):
    planted = migrated_old_heads[__name__]
    from notifications.models import Notification

    rows = {n.pk: n for n in Notification.objects.filter(user_id=planted["user"])}
    assert set(rows) == {planted["unread"], planted["read"]}
    unread, read = rows[planted["unread"]], rows[planted["read"]]
    assert (unread.text, unread.link, unread.read_at) == ("Plan submitted", "/a/1/", None)
    assert read.read_at == datetime.fromisoformat(planted["read_at"])
    # Written before the outbox: their e-mails went out then (or never); none is sent again.
    assert {n.email_status for n in rows.values()} == {"none"}
    assert Notification._meta.db_table == "delivery_notification"
