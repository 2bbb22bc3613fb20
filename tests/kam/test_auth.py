import re

from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_renders_accessible_form(client, db):
    html = client.get(reverse("login")).content.decode()
    # The page says its language: the site's (LANGUAGE_CODE) when the browser asks for none.
    assert '<html lang="en-gb">' in html
    assert re.search(r'<label\s+for="id_username"', html)
    assert re.search(r'<label\s+for="id_password"', html)
    assert html.count("<h1") == 1


def test_user_logs_in_and_out(client, people):
    response = client.post(reverse("login"), {"username": "max", "password": PASSWORD}, follow=True)
    assert response.context["user"] == people.manager
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_wrong_password_keeps_username_and_says_so(client, people):
    response = client.post(reverse("login"), {"username": "max", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="max"' in html
    assert "correct username and password" in html


def test_password_change(client_for, people):
    client = client_for(people.manager)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-phrase-42",
            "new_password2": "a-much-longer-phrase-42",
        },
    )
    assert response.status_code == 302
    people.manager.refresh_from_db()
    assert people.manager.check_password("a-much-longer-phrase-42")


def test_password_reset_sends_mail_and_does_not_reveal_unknown_addresses(client, people):
    known = client.post(reverse("password_reset"), {"email": "max@example.com"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["max@example.com"]
    assert "/password/reset/" in mail.outbox[0].body
