"""Comments on the account timeline: "@username" of a team member notifies them (in-app and
by e-mail)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.event_text import EventText
from accounts.models import AccountEvent, KeyAccount
from accounts.services import account_event_record
from common.limits import TEXT_MAX_CHARS
from notifications.services import notify


def _mention_text(acting_user, account_name: str, summary: str) -> str:
    """Called by the outbox in the recipient's language."""
    return _("%(user)s mentioned you on %(account)s: %(comment)s") % {
        "user": acting_user,
        "account": account_name,
        "comment": summary,
    }


MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


def mentioned_usernames(text: str) -> list[str]:
    """ "@max, @dana." -> ["max", "dana"] (trailing dots are punctuation)."""
    seen: list[str] = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name and name.lower() not in (s.lower() for s in seen):
            seen.append(name)
    return seen


@dataclass
class CommentResult:
    event: AccountEvent
    notified: list
    not_on_team: list[str]


@transaction.atomic
def comment_post(
    *, account: KeyAccount, text: str, acting_user, notify_by_email: bool = True
) -> CommentResult:
    """A comment on the account's timeline. "@username" of someone on the account team
    notifies them (in-app and by e-mail); other @names are reported back, not notified."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(
            {
                "text": _("Keep a comment under %(limit)s characters.")
                % {"limit": f"{TEXT_MAX_CHARS:,}"}
            }
        )
    names = mentioned_usernames(text)
    team = {m.user.username.lower(): m.user for m in account.memberships.select_related("user")}
    mentioned = [team[n.lower()] for n in names if n.lower() in team]
    not_on_team = [n for n in names if n.lower() not in team]
    event = account_event_record(
        account=account,
        kind=AccountEvent.Kind.COMMENT,
        summary=EventText.verbatim(text),
        reason=text if len(text) > 300 else "",
        acting_user=acting_user,
    )
    link = reverse("delivery:timeline", args=[account.pk]) + f"#event-{event.pk}"
    notified = []
    for user in mentioned:
        if user.pk == acting_user.pk:
            continue
        # The notifications page shows the comment cut after a whole word; the e-mail, the
        # whole of it (notifications.services.notification_text).
        notify(
            user=user,
            text=partial(_mention_text, acting_user, account.name, text),
            link=link,
            email=notify_by_email,
        )
        notified.append(user)
    return CommentResult(event=event, notified=notified, not_on_team=not_on_team)
