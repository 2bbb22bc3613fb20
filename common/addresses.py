"""Addresses of one URL pattern for many objects: the pattern is reversed once per process
(for each URLconf and script prefix), then each object's address is its id put in place.
A dashboard drew ~175 addresses a request through `reverse()` (~30–100 µs each: the
resolver's candidates tried and the result quoted again; bench/README.md, finding 37)."""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Numbers that stand for the ids while the pattern is reversed: digits, so an `<int:…>`
# converter takes them, and long enough not to occur in a script prefix.
_MARKS = (987654321987654321, 123456789123456789)


@lru_cache(maxsize=64)
def _pieces(urlconf: str, prefix: str, name: str, count: int) -> tuple[str, ...]:
    """The pattern's address cut where its `count` ids go (count + 1 pieces)."""
    rest = reverse(name, args=list(_MARKS[:count]))
    pieces = []
    for mark in _MARKS[:count]:
        head, found, rest = rest.partition(str(mark))
        if not found:
            raise ValueError(f"{name}: the ids are not in its address")
        pieces.append(head)
    return (*pieces, rest)


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    # A test that overrides the URLconf gets addresses reversed from the new one.
    _pieces.cache_clear()


def address(name: str, *pks: int) -> str:
    """`reverse(name, args=[*pks])` for a pattern that takes one or two integer ids (an
    account's and one of its items', e.g. an action's page)."""
    pieces = _pieces(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, len(pks))
    ids = (str(int(pk)) for pk in pks)
    return "".join(piece + pk for piece, pk in zip(pieces, ids, strict=False)) + pieces[-1]
