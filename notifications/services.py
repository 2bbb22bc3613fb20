"""Writes of notifications: the one way any app tells a user something.

Rules kept here:
- `notify` / `notify_many` write the in-app notifications and, for users with an e-mail address,
  the e-mail that goes with each: subject "KAM Programme: <text>", the text and the link made
  absolute (`links.absolute_url`; the subject on one line, cut after a whole word), or a
  prepared `Mail` (the digest). The e-mail waits in its notification row (`email_status`
  "pending") and is handed to the mail server after the commit, by a Celery task (queued in
  answer to `signals.emails_waiting`): a rolled back step sends nothing.
- `notify_account_team`: a workflow step (a plan submitted, an action assigned, a discount to
  approve) is told to the people given, never to the person who took the step, only to those
  `accounts.permissions.may_be_told_about` the account, and each of them once.
- Sending (`emails_send_pending`): an e-mail is sent and marked sent in one transaction of its
  own, under a row lock that a concurrent sender skips, so it goes out once. One that fails
  stays pending with the error; the sweep (rhythm's "send e-mails still waiting" job) tries
  again, up to MAX_EMAIL_ATTEMPTS times in all, then marks it failed (listed on /jobs/).
- Language: each notification and its e-mail are written in the recipient's language
  (`accounts.selectors.user_language`: their choice, else LANGUAGE_CODE), whoever's request
  wrote them. `_row` evaluates the text and the mail inside `translation.override` of that
  language, so a caller passes a text that is translated then: a lazy translation
  (`gettext_lazy`), `for_recipient(gettext_lazy("… %(plan)s …"), plan=name)` for one with
  placeholders, or a callable (`mail=lambda: render_mail(...)` for a prepared mail). A plain
  `str` is written as it is.
- Time zone: the same override activates the recipient's time zone
  (`accounts.selectors.user_time_zone`), so a text that says a time on their clock
  (`timezone.get_current_timezone()`; a meeting's attendees read "your time: …") says it in
  theirs. A time written in a zone of its own (a meeting's) names that zone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from email.mime.text import MIMEText
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext

from accounts import permissions
from accounts.selectors import user_language, user_time_zone
from common.faults import checkpoint

from .links import absolute_url, site_address
from .models import Notification
from .signals import emails_waiting

log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_EMAIL_ATTEMPTS = 5


class Attachment(NamedTuple):
    """A text file sent with an e-mail (a meeting's .ics invitation)."""

    filename: str
    content: str
    content_type: str  # with its parameters, e.g. "text/calendar; method=REQUEST"


class Mail(NamedTuple):
    """An e-mail prepared by the caller (links already absolute)."""

    subject: str
    body: str
    html: str = ""
    attachment: Attachment | None = None


class OutsideMail(NamedTuple):
    """An e-mail to someone without an account in the app (a customer stakeholder). `mail` is a
    Mail or a callable that returns one, called in `language` (default: LANGUAGE_CODE)."""

    address: str
    name: str
    mail: Any
    language: str = ""


class Message(NamedTuple):
    """One notification to write: `mail` replaces the plain e-mail; `email=False` sends none;
    `attachment` goes with the plain e-mail. `text` (str, lazy or callable), `mail` (Mail or
    callable) and `attachment` (Attachment or callable: a meeting's invitation carries words
    too) are evaluated in the recipient's language (see the module's docstring)."""

    user: object
    text: Any
    link: str = ""
    mail: Any = None
    email: bool = True
    attachment: Attachment | None = None


def _for_recipient(text, params: dict) -> str:
    # `text % params`, not `str(text) % params`: an `ngettext_lazy(..., "days")` chooses its
    # form from the values only when they are applied to it.
    return str(text % params) if params else str(text)


_lazy_text = lazy(_for_recipient, str)


def for_recipient(text, /, **params):
    """A text with placeholders translated when it is written for each recipient:
    `for_recipient(gettext_lazy("%(plan)s was approved"), plan=plan.name)`, or with a count
    `for_recipient(ngettext_lazy("%(n)s day", "%(n)s days", "n"), n=days)`."""
    return _lazy_text(text, params)


def _resolve(value):
    """A callable is called, a lazy text made a str, anything else kept (in the caller's
    `translation.override`)."""
    if callable(value) and not isinstance(value, Promise):
        value = value()
    return str(value) if isinstance(value, Promise) else value


SUBJECT_TEXT_CHARS = 80
# Runs of ordinary white space (line breaks, tabs, spaces), not the no-break space U+00A0.
_BREAKS = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x85]+")


def subject_text(text: str, limit: int = SUBJECT_TEXT_CHARS) -> str:
    """The notification's text as a subject line: on one line (a mail header cannot hold a line
    break: the mail server would refuse the e-mail every time, e.g. a plan returned with a
    comment of several lines) and, when longer than `limit`, cut after a whole word with "…"
    (a cut inside a word or a number, "quote Q-2026-000", names the wrong thing). A no-break
    space stays one: French puts it before ":" and between a number and its unit ("31 jours"),
    which a cut must not separate either."""
    text = _BREAKS.sub(" ", text).strip(" ")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # Back to the last space, unless the cut already falls at one (its last word is whole).
    if text[limit - 1] != " " and space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:\u00a0") + "…"


NOTIFICATION_TEXT_CHARS = 300  # Notification.text's max_length


def notification_text(text: str) -> str:
    """The text as the notifications page and the menu show it: when longer than the column
    holds, cut after a whole word with "…" (the e-mail keeps the whole text)."""
    if len(text) <= NOTIFICATION_TEXT_CHARS:
        return text
    return subject_text(text, NOTIFICATION_TEXT_CHARS)


def plain_mail(text: str, link: str = "") -> Mail:
    """The e-mail of an ordinary notification: its text and its link, absolute."""
    text = _resolve(text)
    body = f"{text}\n\n{absolute_url(link)}\n" if link else f"{text}\n"
    subject = gettext("KAM Programme: %(text)s") % {"text": subject_text(text)}
    return Mail(subject=subject[:150], body=body)


def _row(message: Message) -> Notification:
    with (
        translation.override(user_language(message.user)),
        timezone.override(user_time_zone(message.user)),
    ):
        text = _resolve(message.text)
        row = Notification(user=message.user, text=notification_text(text), link=message.link[:300])
        if message.email and message.user.email:
            mail = _resolve(message.mail) or plain_mail(text, message.link)
            row.email_status = Notification.Email.PENDING
            row.email_subject = mail.subject[:150]
            row.email_body = mail.body
            row.email_html = mail.html
            _attach(row, mail.attachment or _resolve(message.attachment))
    return row


def _attach(row: Notification, attachment: Attachment | None) -> None:
    if attachment is not None:
        row.email_attachment_name = attachment.filename[:100]
        row.email_attachment_type = attachment.content_type[:100]
        row.email_attachment = attachment.content


def notify_many(*, messages: Iterable[Message]) -> list[Notification]:
    """Write the notifications (one bulk insert per 500) and send their e-mails after commit."""
    rows = Notification.objects.bulk_create(
        [_row(Message(*m)) for m in messages], batch_size=BATCH_SIZE
    )
    _send_after_commit([row.pk for row in rows if row.email_status == Notification.Email.PENDING])
    return rows


def notify(
    *, user, text: str, link: str = "", email: bool = True, mail: Mail | None = None
) -> Notification:
    """One notification, plus its e-mail (after commit) when the user has an address."""
    return notify_many(messages=[Message(user, text, link, mail, email)])[0]


def notify_account_team(
    *, account, users, text: str, link: str, acting_user, attachment: Any = None
) -> list[Notification]:
    """Tell people on the account's team about a workflow step: never the person who took the
    step, never anyone the permission rules do not count as on the team, each person once.
    `attachment` goes with each e-mail (a meeting's invitation): an Attachment, or a callable
    that makes it in each recipient's language."""
    acting_id = getattr(acting_user, "pk", None)
    told: dict[int, object] = {}
    for user in users:
        if user is None or user.pk == acting_id or user.pk in told:
            continue
        if permissions.may_be_told_about(user, account):
            told[user.pk] = user
    return notify_many(
        messages=[Message(user, text, link, attachment=attachment) for user in told.values()]
    )


def email_outside(*, mails: Iterable[OutsideMail]) -> list[Notification]:
    """E-mails to people outside the app, through the same outbox (one row each, no in-app
    notification), sent after the commit like every other e-mail."""
    rows = []
    for outside in mails:
        with translation.override(outside.language or settings.LANGUAGE_CODE):
            mail = _resolve(outside.mail)
        row = Notification(
            user=None,
            email_to=outside.address,
            email_to_name=outside.name[:200],
            text=mail.subject[:300],
            email_status=Notification.Email.PENDING,
            email_subject=mail.subject[:150],
            email_body=mail.body,
            email_html=mail.html,
        )
        _attach(row, mail.attachment)
        rows.append(row)
    rows = Notification.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    _send_after_commit([row.pk for row in rows])
    return rows


def _send_after_commit(ids: list[int]) -> None:
    if not ids:
        return
    # robust: a broker that is down must not fail the step; the e-mails stay pending for the
    # sweep. The task that sends them answers the signal (notifications.tasks).
    transaction.on_commit(lambda: emails_waiting.send(sender=Notification, ids=ids), robust=True)


# ---- sending ------------------------------------------------------------------------------


def emails_send_pending(*, ids: list[int] | None = None, untried_only: bool = False) -> dict:
    """Send the pending e-mails (of the notifications `ids`, or all of them), each once.

    One e-mail at a time: its row is claimed with a lock that concurrent senders skip, handed to
    the mail server and marked sent in the same transaction, which commits before the next one
    is claimed. A sender killed at any point leaves every e-mail either sent and marked, or
    pending for the next sender; only a kill inside the mail server's own exchange (after it
    accepted the message, before the commit) can send one twice, and the copy carries the same
    Message-ID. `untried_only`: leave e-mails the mail server already refused to the hourly
    sweep (jobs use it to send what a killed predecessor wrote but never handed over)."""
    counts = {"sent": 0, "failed": 0}
    sender = _Sender()
    after = 0
    try:
        while True:
            with transaction.atomic():
                row = _claim_next(ids, after, untried_only)
                if row is None:
                    break
                after = row.pk
                counts["sent" if sender.send(row) else "failed"] += 1
            checkpoint("emails:sent-one")
    finally:
        sender.close()
    return counts


def _claim_next(ids, after: int, untried_only: bool) -> Notification | None:
    pending = Notification.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        email_status=Notification.Email.PENDING, pk__gt=after
    )
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    if untried_only:
        pending = pending.filter(email_attempts=0)
    return pending.select_related("user").order_by("pk").first()


def message_id(row: Notification) -> str:
    """The same Message-ID every time this notification's e-mail is sent, so that a copy sent
    twice (see emails_send_pending) is recognisable as the same message. Keyed, so that it does
    not tell a recipient how many notifications the site has written."""
    domain = urlsplit(site_address()).hostname or "localhost"
    token = salted_hmac("kam.notification.message-id", str(row.pk)).hexdigest()[:24]
    return f"<kam-{token}@{domain}>"


def _email_of(row: Notification) -> EmailMessage:
    address = row.recipient_email
    if not address:
        raise ValueError("the user has no e-mail address any more")
    headers = {"Message-ID": message_id(row)}
    message = EmailMultiAlternatives(
        row.email_subject, row.email_body, to=[address], headers=headers
    )
    if row.email_html:
        message.attach_alternative(row.email_html, "text/html")
    if row.email_attachment_name:
        message.attach(_attachment_part(row))
    return message


def _attachment_part(row: Notification) -> MIMEText:
    """The attachment as its own MIME part, with the type's parameters (an invitation's
    "method=REQUEST" is what calendar programs read)."""
    main, _, rest = row.email_attachment_type.partition(";")
    subtype = main.strip().split("/", 1)[-1] or "plain"
    part = MIMEText(row.email_attachment, subtype, "utf-8")
    for parameter in rest.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name and value:
            part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=row.email_attachment_name)
    return part


class _Sender:
    """One mail server connection for a whole run, opened at the first e-mail. When it cannot be
    opened, every e-mail of the run fails with that error (and stays pending)."""

    def __init__(self):
        self.connection = None
        self.error: Exception | None = None

    def send(self, row: Notification) -> bool:
        row.email_attempts += 1
        try:
            if self.connection is None and self.error is None:
                try:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                    self.connection = connection
                except Exception as error:  # the mail server is down
                    self.error = error
            if self.error is not None:
                raise self.error
            if self.connection.send_messages([_email_of(row)]) != 1:
                raise RuntimeError("the mail server accepted nothing")
        except Exception as error:
            log.warning("E-mail of notification %s not sent: %s", row.pk, error)
            row.email_error = f"{type(error).__name__}: {error}"[:300]
            if row.email_attempts >= MAX_EMAIL_ATTEMPTS:
                row.email_status = Notification.Email.FAILED
            sent = False
        else:
            row.email_status = Notification.Email.SENT
            row.emailed_at = timezone.now()
            row.email_error = ""
            sent = True
        row.save(update_fields=["email_status", "email_attempts", "email_error", "emailed_at"])
        return sent

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


# ---- reading ------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification, acting_user) -> Notification:
    if notification.user_id != acting_user.pk:
        raise ValidationError(gettext("You can only mark your own notifications as read."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, acting_user) -> int:
    return Notification.objects.filter(user=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
