"""Stage 5 pages: my work, action progress, meetings, calendar feeds, quotes, check-ins,
and the timeline, one module per topic. Access -> form -> service -> redirect, every time."""

from .feeds import calendar_create, calendar_feed, calendar_revoke, calendar_settings
from .meetings import (
    account_meetings,
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_follow_up,
    meeting_ics,
    meeting_notes,
)
from .progress import (
    check_in_apply,
    check_in_create,
    comment_create,
    measurement_create,
    progress,
    timeline,
)
from .quotes import (
    account_quotes,
    quote_approve,
    quote_create,
    quote_detail,
    quote_edit,
    quote_pdf,
    quote_refuse,
    quote_renew,
    quote_status,
)
from .work import action_detail, action_progress, index

__all__ = [
    "account_meetings",
    "account_quotes",
    "action_detail",
    "action_progress",
    "calendar_create",
    "calendar_feed",
    "calendar_revoke",
    "calendar_settings",
    "check_in_apply",
    "check_in_create",
    "comment_create",
    "index",
    "measurement_create",
    "meeting_cancel",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_follow_up",
    "meeting_ics",
    "meeting_notes",
    "progress",
    "quote_approve",
    "quote_create",
    "quote_detail",
    "quote_edit",
    "quote_pdf",
    "quote_refuse",
    "quote_renew",
    "quote_status",
    "timeline",
]
