"""A de-selected account winds down: its coming meetings are cancelled, its sent quotes expire."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import KeyAccount

from ..models import Meeting, Quote
from .meetings import meeting_cancel
from .quotes import quote_change_status


@transaction.atomic
def account_deselected_wind_down(*, account: KeyAccount, acting_user, reason: str = "") -> dict:
    """A de-selected account keeps its history, but nothing goes on in its name: meetings
    that have not started are cancelled (they leave everyone's calendar feed) and quotes sent
    and not yet decided expire. Drafts stay as they are and can no longer be sent."""
    # Stored on each meeting and sent to its attendees: in the words of whoever de-selected.
    why = " ".join(part for part in (_("The account was de-selected."), reason.strip()) if part)
    meetings = Meeting.objects.filter(
        key_account=account, cancelled_at__isnull=True, starts_at__gt=timezone.now()
    )
    cancelled = [
        meeting_cancel(meeting=meeting, reason=why, acting_user=acting_user) for meeting in meetings
    ]
    quotes = Quote.objects.filter(key_account=account, status=Quote.Status.SENT)
    expired = [
        quote_change_status(quote=quote, status=Quote.Status.EXPIRED, acting_user=acting_user)
        for quote in quotes
    ]
    return {"meetings_cancelled": len(cancelled), "quotes_expired": len(expired)}
