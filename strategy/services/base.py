"""What every Stage 1 write shares: the scoring scale and the history note."""

from __future__ import annotations

from decimal import Decimal

from accounts.event_text import EventText, note

SCALE_MIN = 1
SCALE_MAX = 5
TWO_PLACES = Decimal("0.01")


def history_note(text: EventText) -> str:
    """A history row's change reason (shown as the entry's note) that each reader reads in
    their language. The customers', criteria's and programme's history keep it in a text
    column (accounts 0014, strategy 0004): a long criterion name is never cut."""
    return note(text)
