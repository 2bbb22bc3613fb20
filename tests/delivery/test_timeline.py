"""The account timeline: a paginated feed, comments and @mentions that notify."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from delivery.services.comments import mentioned_usernames
from notifications.models import Notification


def timeline_url(account):
    return reverse("delivery:timeline", args=[account.pk])


def comment_url(account):
    return reverse("delivery:comment_create", args=[account.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("coordinator", 200),
        ("team_member", 200),
        ("executive", 200),
        ("outsider", 404),
        ("other_manager", 404),
    ],
)
def test_timeline_is_visible_to_roles_on_the_account(client_for, people, account, persona, status):
    AccountEvent.objects.create(
        key_account=account, kind="plan", summary="Plan FY2027 approved", occurred_at=timezone.now()
    )
    response = client_for(getattr(people, persona)).get(timeline_url(account))
    assert response.status_code == status
    if status == 200:
        assert "Plan FY2027 approved" in response.content.decode()


def test_mention_of_a_team_member_notifies_in_app_and_by_email(
    client_for, people, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(
            comment_url(account),
            {"text": "@max can you confirm the plant visit? Also @oscar and @sven."},
            follow=True,
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Notified: Max Manager, Sven Team." in html
    assert "@oscar" in html and "not notified" in html
    event = AccountEvent.objects.get(kind="comment")
    assert event.actor == people.coordinator
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"max", "sven"}
    note = Notification.objects.get(user=people.manager)
    assert "Chloé Coordinator mentioned you on Northwind Foods" in note.text
    assert note.link.endswith(f"#event-{event.pk}")
    assert sorted(m.to[0] for m in mail.outbox) == ["max@example.com", "sven@example.com"]
    assert not Notification.objects.filter(user=people.outsider).exists()


def test_mentioning_yourself_does_not_notify(client_for, people, account):
    client_for(people.manager).post(comment_url(account), {"text": "Note to self @max"})
    assert not Notification.objects.exists()


def test_executives_read_but_do_not_comment(client_for, people, account):
    client = client_for(people.executive)
    assert "Add a comment" not in client.get(timeline_url(account)).content.decode()
    assert client.post(comment_url(account), {"text": "Hello"}).status_code == 403
    assert client_for(people.outsider).post(comment_url(account), {"text": "x"}).status_code == 404
    assert not AccountEvent.objects.filter(kind="comment").exists()


def test_empty_comment_is_refused(client_for, people, account):
    response = client_for(people.team_member).post(comment_url(account), {"text": "   "})
    assert response.status_code == 400
    assert not AccountEvent.objects.filter(kind="comment").exists()


def test_mention_parsing():
    assert mentioned_usernames("@max, @dana. and mail@example.com @Max") == ["max", "dana"]


def test_comment_text_is_escaped(client_for, people, account):
    client_for(people.team_member).post(comment_url(account), {"text": "<script>x</script>"})
    html = client_for(people.team_member).get(timeline_url(account)).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html


def _events(account, n):
    AccountEvent.objects.bulk_create(
        AccountEvent(
            key_account=account,
            kind="meeting",
            summary=f"Event {i}",
            occurred_at=timezone.now(),
            actor_id=None,
        )
        for i in range(n)
    )


def test_timeline_paginates_with_bounded_queries(
    client_for, people, account, django_assert_max_num_queries
):
    client = client_for(people.team_member)
    _events(account, 5)
    with django_assert_max_num_queries(10):
        client.get(timeline_url(account))
    _events(account, 60)
    with django_assert_max_num_queries(10):
        response = client.get(timeline_url(account))
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 3" in response.content.decode()


def test_a_long_mention_is_cut_after_a_word_in_the_app_and_whole_in_the_email(
    client_for, people, account, django_capture_on_commit_callbacks
):
    words = [f"note{i:04d}x" for i in range(60)]  # 9 characters each
    comment = "@max " + " ".join(words)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.coordinator).post(comment_url(account), {"text": comment})
    prefix = "Chloé Coordinator mentioned you on Northwind Foods: "  # 52 characters
    # The page holds 300 characters: 52 + "@max " (5) leaves 243, 24 words and their spaces
    # (239) and "…"; the 25th word would not fit whole.
    note = Notification.objects.get(user=people.manager)
    assert note.text == prefix + "@max " + " ".join(words[:24]) + "…"
    assert len(note.text) == 297
    page = client_for(people.manager).get(reverse("notifications:index")).content.decode()
    assert " ".join(words[20:24]) + "…</a>" in page
    # The e-mail carries the whole comment; its subject holds 80 characters of the text:
    # 57 + two words and a space (19) = 76, a third would not fit whole.
    message = mail.outbox[0]
    assert message.body.startswith(prefix + comment + "\n\n")
    assert message.subject == (
        "KAM Programme: Chloé Coordinator mentioned you on Northwind Foods: @max note0000x "
        "note0001x…"
    )
