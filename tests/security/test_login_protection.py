"""Login lock-out (django-axes): 5 failures for one username from one address lock that pair
for 30 minutes; a success resets the count; admins can unlock. Unknown usernames behave exactly
like real ones, so neither the message nor the lock-out reveals who has an account."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from kam.security import client_ip_address
from tests.factories import PASSWORD, UserFactory


def login(client, username, password, ip="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, username, times, ip="127.0.0.1"):
    return [login(client, username, "wrong-guess", ip).status_code for _ in range(times)]


def error_text(response) -> str:
    """The form's error message as a person reads it (no markup, no echoed username)."""
    html = response.content.decode()
    match = re.search(r'<div class="alert alert-block alert-danger">(.*?)</div>', html, re.S)
    assert match, html
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_settings_lock_after_five_failures_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_five_failures_lock_the_username_from_that_address(client, people):
    assert fail(client, "max", 4) == [200, 200, 200, 200]
    locked = login(client, "max", "wrong-guess")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(30 * 60)
    html = locked.content.decode()
    assert "<h1" in html and "Log-in paused" in html
    assert "paused for 30 minutes" in html
    assert 'class="navbar-brand"' in html  # the site's own layout, not a bare text response
    assert reverse("password_reset") in html
    # Even the right password is refused while locked, and no session is created.
    right = login(client, "max", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_out_is_per_username_and_address(client, people):
    fail(client, "max", 5)
    # The same person from another address, and another user from the same one, still log in.
    assert login(client, "max", PASSWORD, ip="10.0.0.7").status_code == 302
    client.logout()
    assert login(client, "dana", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, people):
    fail(client, "max", 4)
    assert login(client, "max", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "max", 4) == [200, 200, 200, 200]
    assert login(client, "max", PASSWORD).status_code == 302


def test_lock_out_ends_after_the_cool_off(client, people):
    fail(client, "max", 5)
    assert login(client, "max", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )
    assert login(client, "max", PASSWORD).status_code == 302


def test_unknown_username_is_locked_out_the_same_way(client, people):
    known = fail(client, "max", 5)
    unknown = fail(client, "nobody-here", 5)
    assert known == unknown == [200, 200, 200, 200, 429]
    a = login(client, "max", "x").content.decode()
    b = login(client, "nobody-here", "x").content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", a) == strip.sub("", b)


def test_failure_message_is_identical_for_unknown_user_and_wrong_password(client, people):
    wrong_password = login(client, "max", "not-my-password")
    unknown_user = login(client, "no-such-person", "not-my-password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert error_text(wrong_password) == error_text(unknown_user)
    assert "correct username and password" in error_text(unknown_user)


def test_inactive_user_with_right_password_gets_the_same_message(client, people):
    people.manager.is_active = False
    people.manager.save()
    inactive = login(client, "max", PASSWORD)
    unknown_user = login(client, "no-such-person", PASSWORD)
    assert error_text(inactive) == error_text(unknown_user)
    assert "inactive" not in inactive.content.decode().lower()


def test_reset_username_command_unlocks(client, people, capsys):
    fail(client, "max", 5)
    assert login(client, "max", PASSWORD).status_code == 429
    call_command("axes_reset_username", "max")
    assert "attempts removed" in capsys.readouterr().out
    assert login(client, "max", PASSWORD).status_code == 302


def test_admin_sees_the_lock_out_and_unlocks_by_deleting_it(client, people):
    fail(client, "max", 5)
    attempt = AccessAttempt.objects.get(username="max")
    assert attempt.failures_since_start == 5
    assert PASSWORD not in attempt.post_data and "wrong-guess" not in attempt.post_data

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    staff = client.__class__()
    staff.force_login(admin)
    listing = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "max" in listing.content.decode()
    deleted = staff.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert login(client, "max", PASSWORD).status_code == 302


def test_force_login_is_not_affected_by_a_lock_out(client, people):
    fail(client, "max", 5)
    client.force_login(people.manager)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged left-most entry is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: not through ours
    ],
)
def test_client_address_trusts_only_our_own_proxies(settings, proxies, forwarded, expected):
    settings.KAM_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == expected
