"""What the delivery services share: the de-selected account's stop and what counts as a
quick win. Edit conflicts are common.conflicts'."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from accounts.models import KeyAccount
from opportunities.models import Opportunity, Quadrant

# Who scheduled a meeting or prepared a quote may have left (SET_NULL); that must not block
# later edits of the row.
NULLABLE_AUTHORS = ["scheduled_by", "prepared_by"]


def _is_quick_win(opportunity: Opportunity | None) -> bool:
    """The opportunities stage's own rule (its matrix quadrant), so the timeline, the
    portfolio's "quick wins delivered" and the opportunity page agree; one not scored yet is
    no quick win."""
    return opportunity is not None and opportunity.quadrant == Quadrant.QUICK_WIN


DESELECTED = gettext_lazy(
    "This account has been de-selected from the programme: no new meetings or quotes."
)


def _ensure_active(account: KeyAccount) -> None:
    if not account.is_active:
        raise ValidationError(DESELECTED)
