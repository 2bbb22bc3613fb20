"""With the cache down (CACHE_URL pointing at a port where nothing listens) the portfolio and
its PDF are computed without it: the same figures, no 500."""

import socket

import pytest
from django.core.cache import caches

from common.cache import cache_get, cache_incr, cache_set

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    # Bind and release: nothing listens there afterwards.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PORTFOLIO_CACHE_SECONDS = 60
    yield
    caches["default"].close()


def test_the_helpers_treat_a_cache_that_does_not_answer_as_a_miss(cache_down):
    cache_set("k", "v", 60)
    assert cache_get("k") is None
    assert cache_incr("counter", 60) is None


def test_dashboard_and_pdf_are_computed_without_the_cache(
    cache_down, client_for, people, portfolio
):
    client = client_for(people.director)
    page = client.get("/portfolio/")
    assert page.status_code == 200
    text = page.content.decode()
    # Dana's four accounts are listed although no aggregate could be cached.
    for name in ("Northwind Foods", "Baltic Marine", "Castello Hotels", "Dover Tools"):
        assert name in text
    assert "Helios Retail" not in text
    pdf = client.get("/portfolio/portfolio.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
