"""What every Stage 1 write shares: the scoring scale and the history note."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import Truncator

SCALE_MIN = 1
SCALE_MAX = 5
TWO_PLACES = Decimal("0.01")

HISTORY_NOTE_LENGTH = 100  # simple_history's history_change_reason column


def history_note(text: str) -> str:
    """A change reason that fits the history's column (shown as the entry's note)."""
    return Truncator(text).chars(HISTORY_NOTE_LENGTH)
