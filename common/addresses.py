"""Addresses of one URL pattern for many objects: the pattern is reversed once per process
(for each URLconf and script prefix), then each object's address is its id put in place.
A dashboard drew ~175 addresses a request through `reverse()` (~30–100 µs each: the
resolver's candidates tried and the result quoted again; bench/README.md, finding 37)."""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# A number that stands for the id while the pattern is reversed: digits, so an `<int:…>`
# converter takes it, and long enough not to occur in a script prefix.
_MARK = 987654321987654321
_SECOND_MARK = 123456789123456789


@lru_cache(maxsize=64)
def _around(urlconf: str, prefix: str, name: str) -> tuple[str, str]:
    head, mark, tail = reverse(name, args=[_MARK]).rpartition(str(_MARK))
    if not mark:
        raise ValueError(f"{name}: the id is not in its address")
    return head, tail


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    # A test that overrides the URLconf gets addresses reversed from the new one.
    _around.cache_clear()
    _between.cache_clear()


def address(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a pattern that takes one integer id."""
    head, tail = _around(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
    return f"{head}{int(pk)}{tail}"


@lru_cache(maxsize=16)
def _between(urlconf: str, prefix: str, name: str) -> tuple[str, str, str]:
    path = reverse(name, args=[_MARK, _SECOND_MARK])
    head, mark, rest = path.partition(str(_MARK))
    middle, second, tail = rest.partition(str(_SECOND_MARK))
    if not mark or not second:
        raise ValueError(f"{name}: the two ids are not in its address")
    return head, middle, tail


def address_of_two(name: str, first: int, second: int) -> str:
    """`reverse(name, args=[first, second])` for a pattern that takes two integer ids (an
    account's and one of its items', e.g. an action's page)."""
    head, middle, tail = _between(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
    return f"{head}{int(first)}{middle}{int(second)}{tail}"
