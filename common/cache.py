"""The cache as an optional speed-up: when it does not answer, callers compute without it.

The cache (CACHE_URL: Redis shared by every worker; otherwise each process's memory) only ever
holds values that can be recomputed, so a cache server that is down, restarting or refusing
connections must cost time, never a page. `cache_get` answers None (a miss) and `cache_set`
does nothing when the backend raises; both log a warning naming the error once per call, so an
operator sees it in the logs. The settings give the Redis client short socket timeouts, so a
cache host that does not answer at all costs at most about a second per request.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def cache_get(key: str):
    """The cached value, or None when it is missing or the cache does not answer."""
    try:
        return cache.get(key)
    except Exception as error:  # noqa: BLE001 - any backend failure is a miss
        logger.warning("cache unavailable, computing without it: %s", error)
        return None


def cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception as error:  # noqa: BLE001 - a value that cannot be kept is recomputed
        logger.warning("cache unavailable, value not kept: %s", error)


def cache_incr(key: str, seconds: int) -> int | None:
    """Adds one to a counter that lives `seconds` from its first increment and returns the new
    count; None when the cache does not answer (callers decide whether that allows or refuses).
    """
    try:
        if cache.add(key, 1, seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            # Expired between add() and incr(): start again.
            cache.add(key, 1, seconds)
            return 1
    except Exception as error:  # noqa: BLE001
        logger.warning("cache unavailable, counter %s not kept: %s", key, error)
        return None
