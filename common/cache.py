"""The cache as an optional speed-up: when it does not answer, callers compute without it.

The cache (CACHE_URL: Redis shared by every worker; otherwise each process's memory) only ever
holds values that can be recomputed, so a cache server that is down, restarting or refusing
connections must cost time, never a page. `cache_get` answers None (a miss) and `cache_set`
does nothing when the backend raises; both log a warning naming the error once per call, so an
operator sees it in the logs. The settings give the Redis client short socket timeouts, so a
cache host that does not answer at all costs at most about a second per request.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def cache_is_shared() -> bool:
    """True when every process reads the same cache (CACHE_URL: Redis), so that what a worker
    keeps is found by the web servers; False with each process's own memory (the default)."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


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


# What a deploy changes that shapes a cached value: the code, its templates, its messages.
CODE_SUFFIXES = (".py", ".html", ".txt", ".po")
NOT_CODE = {
    ".git",
    ".venv",
    "node_modules",
    "staticfiles",
    "media",
    "tests",
    "bench",
    "__pycache__",
}


def code_digest(root=None) -> str:
    """A digest of the project's code (`CODE_SUFFIXES` under `root`, the project by default,
    leaving out `NOT_CODE`), for the keys of cached values the code shapes — rendered markup,
    computed figures. The cache outlives the processes: without it, the code after a deploy
    could serve what the code before it cached (markup without the ids an in-place save
    swaps, a figure computed another way). Worked out once per process for the project."""
    if root is None:
        global _PROJECT_DIGEST
        if _PROJECT_DIGEST is None:
            _PROJECT_DIGEST = code_digest(settings.BASE_DIR)
        return _PROJECT_DIGEST
    root = Path(root)
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in NOT_CODE)
        found += [Path(directory, name) for name in files if name.endswith(CODE_SUFFIXES)]
    digest = hashlib.sha256()
    for path in sorted(found):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


_PROJECT_DIGEST: str | None = None
