"""Reads of notifications, for the user who reads them."""

from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Notification

# The attribute `with_unread_count` gives each user: the menu badge's number.
UNREAD_ATTRIBUTE = "kam_unread_notifications"


def notifications_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user) -> int:
    """The number in the menu badge and on the notifications page."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def with_unread_count(users: QuerySet) -> QuerySet:
    """The users, each with their unread count (UNREAD_ATTRIBUTE) read in the same query: the
    log-in check reads the user on every request (kam.sso's backends), so the menu badge then
    costs no query of its own (bench/README.md, Findings). Written as SQL: the same subquery
    built from ORM expressions costs more Python to compile (~0.6 ms a request) than the query
    it saves."""
    notification = Notification._meta
    user_table = users.model._meta.db_table
    user_column = notification.get_field("user").column
    # Only table and column names from the models go into the text; it takes no parameter.
    table = notification.db_table
    sql = (
        f'SELECT COUNT(*) FROM "{table}" WHERE "{table}"."{user_column}" = '  # noqa: S608
        f'"{user_table}"."id" AND "{table}"."read_at" IS NULL'
    )
    unread = RawSQL(sql, (), output_field=IntegerField())  # noqa: S611
    return users.annotate(**{UNREAD_ATTRIBUTE: unread})


OUTBOX_LIST_SIZE = 50


def email_outbox(*, limit: int = OUTBOX_LIST_SIZE) -> dict:
    """For programme admins (the /jobs/ page): how many e-mails wait to be sent and how many were
    given up, and the oldest of each with their last error. Two counts on the partial index and
    two short lists."""
    waiting = Notification.objects.filter(email_status=Notification.Email.PENDING)
    given_up = Notification.objects.filter(email_status=Notification.Email.FAILED)
    fields = ("user",)
    return {
        "pending_count": waiting.count(),
        "failed_count": given_up.count(),
        "pending": list(waiting.select_related(*fields).order_by("created_at", "pk")[:limit]),
        "failed": list(given_up.select_related(*fields).order_by("-created_at", "-pk")[:limit]),
        "limit": limit,
    }
