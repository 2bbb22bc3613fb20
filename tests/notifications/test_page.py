"""The notifications page: each user's own notifications, marked read one by one or all at
once; the unread count is the same in the menu badge and on the page."""

import re

from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification

from .factories import NotificationFactory


def test_notifications_page_and_mark_read(client_for, people):
    mine = NotificationFactory(user=people.manager, text="You were mentioned")
    NotificationFactory(user=people.director, text="Someone else's")
    client = client_for(people.manager)
    html = client.get(reverse("notifications:index")).content.decode()
    assert "You were mentioned" in html and "Someone else" not in html
    assert "1 unread" in html
    others = Notification.objects.get(user=people.director)
    url = reverse("notifications:read", args=[others.pk])
    assert client.post(url).status_code == 404
    client.post(reverse("notifications:read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None
    NotificationFactory.create_batch(3, user=people.manager)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=people.manager, read_at__isnull=True).exists()
    assert Notification.objects.get(user=people.director).read_at is None


def test_unread_badge_in_the_navbar(client_for, people):
    Notification.objects.create(user=people.manager, text="One")
    Notification.objects.create(user=people.manager, text="Two", read_at=timezone.now())
    page = client_for(people.manager).get(reverse("rhythm:digest")).content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in page
    page = client_for(people.director).get(reverse("rhythm:digest")).content.decode()
    assert "unread</span>" not in page


def _badge(page: str) -> int:
    match = re.search(r'(\d+)<span class="visually-hidden"> unread</span>', page)
    return int(match.group(1)) if match else 0


def test_the_menu_and_the_page_count_the_same_unread_notifications(client_for, people):
    NotificationFactory.create_batch(3, user=people.manager)
    NotificationFactory(user=people.manager, read_at=timezone.now())
    NotificationFactory.create_batch(2, user=people.director)
    client = client_for(people.manager)
    page = client.get(reverse("notifications:index")).content.decode()
    assert _badge(page) == 3 and "3 unread." in page
    my_work = client.get(reverse("delivery:index")).content.decode()
    assert _badge(my_work) == 3 and "3 unread</span>" in my_work
    client.post(reverse("notifications:read_all"))
    page = client.get(reverse("notifications:index")).content.decode()
    assert _badge(page) == 0 and "All read." in page


def test_the_badge_costs_one_query_per_request(people, django_assert_num_queries):
    from notifications.context_processors import unread_notifications

    NotificationFactory.create_batch(2, user=people.manager)
    request = type("Request", (), {"user": people.manager})()
    context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert str(context["nav_unread_notifications"]) == "2"
        assert str(unread_notifications(request)["nav_unread_notifications"]) == "2"


def test_the_badge_is_read_with_the_signed_in_user(client_for, people):
    """The log-in check reads the user on every request; the badge's count comes in that same
    query (kam.sso's backends), so drawing the menu costs no query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    NotificationFactory.create_batch(2, user=people.manager)
    NotificationFactory(user=people.manager, read_at=timezone.now())
    NotificationFactory(user=people.director)
    client = client_for(people.manager)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("rhythm:digest")).content.decode()
    assert _badge(page) == 2
    table = Notification._meta.db_table
    on_notifications = [q["sql"] for q in queries if table in q["sql"]]
    assert len(on_notifications) == 1 and "accounts_user" in on_notifications[0]
    NotificationFactory(user=people.manager)  # arrives between two requests
    assert _badge(client.get(reverse("rhythm:digest")).content.decode()) == 3
