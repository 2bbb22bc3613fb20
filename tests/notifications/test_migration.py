"""Notification moved from delivery to its own app without moving data: a database at the old
head, with notifications in it, migrates to the new head and finds them as they were."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OLD_HEAD = [("delivery", "0005_quote_discount_refusal"), ("notifications", None)]


@pytest.mark.django_db(transaction=True)
def test_notifications_written_before_the_move_are_intact_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(OLD_HEAD)
    executor.loader.build_graph()
    old = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    user = old.get_model("accounts", "User").objects.create(username="max", email="max@example.com")
    old_notification = old.get_model("delivery", "Notification")
    read_at = timezone.now()
    unread = old_notification.objects.create(user=user, text="Plan submitted", link="/a/1/")
    read = old_notification.objects.create(user=user, text="Approved", read_at=read_at)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from notifications.models import Notification

    rows = {n.pk: n for n in Notification.objects.filter(user_id=user.pk)}
    assert set(rows) == {unread.pk, read.pk}
    assert (rows[unread.pk].text, rows[unread.pk].link, rows[unread.pk].read_at) == (
        "Plan submitted",
        "/a/1/",
        None,
    )
    assert rows[read.pk].read_at == read_at
    # Written before the outbox: their e-mails went out then (or never); none is sent again.
    assert {n.email_status for n in rows.values()} == {"none"}
    assert Notification._meta.db_table == "delivery_notification"
