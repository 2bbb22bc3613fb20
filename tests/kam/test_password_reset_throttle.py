"""Password reset is throttled per address and per client, with a clear page that reads the same
whether or not the address belongs to anyone (10 requests used to send 10 e-mails)."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("password_reset")


def _ask(client, email, ip="203.0.113.7"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def test_ten_requests_for_one_address_send_three_emails(client, people, settings):
    assert settings.KAM_PASSWORD_RESET_PER_EMAIL == 3
    answers = [_ask(client, "max@example.com") for _ in range(10)]
    assert [a.status_code for a in answers] == [302] * 3 + [429] * 7
    assert len(mail.outbox) == 3
    page = answers[-1].content.decode()
    assert "Too many reset requests" in page
    assert "Try again in 60 minutes" in page
    assert "its link still works" in page
    assert answers[-1]["Retry-After"] == "3600"


def test_the_answer_is_the_same_for_an_unknown_address(client, people):
    known = [_ask(client, "max@example.com", ip="198.51.100.1") for _ in range(4)]
    unknown = [_ask(client, "nobody@example.com", ip="198.51.100.2") for _ in range(4)]
    assert [a.status_code for a in known] == [a.status_code for a in unknown]
    assert known[-1].content == unknown[-1].content
    assert known[0].url == unknown[0].url


def test_the_address_is_counted_whatever_its_case_and_client(client, people):
    for ip, email in (("192.0.2.1", "max@example.com"), ("192.0.2.2", "MAX@example.com ")):
        _ask(client, email, ip=ip)
    _ask(client, "Max@Example.com", ip="192.0.2.3")
    assert _ask(client, "max@example.com", ip="192.0.2.4").status_code == 429
    assert len(mail.outbox) == 3


def test_one_client_asking_for_many_addresses_is_throttled(client, people, settings):
    settings.KAM_PASSWORD_RESET_PER_CLIENT = 5
    answers = [_ask(client, f"person{n}@example.com", ip="203.0.113.99") for n in range(8)]
    assert [a.status_code for a in answers] == [302] * 5 + [429] * 3
    # Another client is not affected.
    assert _ask(client, "max@example.com", ip="203.0.113.100").status_code == 302
    assert len(mail.outbox) == 1


def test_with_the_cache_down_resets_still_work(client, people, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    assert _ask(client, "max@example.com").status_code == 302
    assert len(mail.outbox) == 1
