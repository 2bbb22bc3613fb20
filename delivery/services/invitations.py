"""E-mailed calendar invitations of meetings (iCalendar, RFC 5546).

Scheduling, moving (time or place) or cancelling a meeting e-mails each attendee an invitation
their calendar program understands, through the notification outbox (`notifications`), after
the step commits:
- our attendees get it attached to the notification e-mail that tells them about the step
  (never the person who took it: they made the change; the meeting page has its .ics);
- customer attendees (stakeholders with an e-mail address) get their own e-mail with it, in
  the customer's wording (no link into the app, which they cannot open), in the stakeholder's
  language, else the one of the person who took the step.
METHOD:REQUEST for a new or changed meeting, METHOD:CANCEL for a cancelled one or for someone
taken off it. The UID never changes; the SEQUENCE is the meeting's revision, which rises with
every change (delivery.ics).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from notifications.services import Attachment, Mail, OutsideMail, email_outside

from ..ics import CANCEL, REQUEST, invitation
from ..models import Meeting
from .shared import meeting_when

FILENAME = "invite.ics"


def invitation_attachment(meeting: Meeting, method: str, *, for_customer: bool = False):
    return Attachment(
        FILENAME,
        invitation(meeting, method, for_customer=for_customer),
        f"text/calendar; method={method}",
    )


def _customer_mail(meeting: Meeting, method: str, *, changed: bool, removed: bool) -> Mail:
    when = meeting_when(meeting)
    where = meeting.location or _("place to be confirmed")
    names = {"title": meeting.title, "when": when, "where": where}
    if method == CANCEL and removed:
        # The meeting takes place, without them: said so, not "cancelled".
        subject = _("No longer expected: %(title)s (%(when)s)") % names
        body = (
            _(
                "The meeting %(title)s on %(when)s takes place as planned, but you are no "
                "longer on its list of attendees."
            )
            % names
            + "\n\n"
            + _("The attached calendar file removes it from your calendar.")
            + "\n"
        )
    elif method == CANCEL:
        subject = _("Cancelled: %(title)s (%(when)s)") % names
        body = (
            _("The meeting %(title)s on %(when)s is cancelled.") % names
            + "\n\n"
            + _("The attached calendar file removes it from your calendar.")
            + "\n"
        )
    else:
        if changed:
            subject = _("Updated invitation: %(title)s (%(when)s)") % names
            opening = _("The meeting has changed: %(title)s") % names
        else:
            subject = _("Invitation: %(title)s (%(when)s)") % names
            opening = _("You are invited: %(title)s") % names
        body = (
            opening
            + "\n"
            + _("When: %(when)s") % names
            + "\n"
            + _("Where: %(where)s") % names
            + "\n"
        )
        if meeting.agenda.strip():
            body += "\n" + _("Agenda:") + f"\n{meeting.agenda.strip()}\n"
        body += (
            "\n" + _("The attached calendar file adds it to your calendar (or updates it).") + "\n"
        )
    organiser = meeting.scheduled_by
    if organiser is not None:
        body += f"\n{organiser.get_full_name() or organiser.username}\n"
    return Mail(
        subject=subject[:150],
        body=body,
        attachment=invitation_attachment(meeting, method, for_customer=True),
    )


def invite_customer_attendees(
    meeting: Meeting, stakeholders, method: str, *, changed=False, removed=False
):
    """After the commit: one e-mail with the invitation to each stakeholder with an address.
    `removed`: a CANCEL to those taken off a meeting that still takes place."""
    addressed = [s for s in stakeholders if s.email]
    if not addressed:
        return
    # Each in the stakeholder's language, else the one of the person whose step sends it (the
    # request's); the outbox writes the mail in it.
    mail = partial(_customer_mail, meeting, method, changed=changed, removed=removed)
    mails = [OutsideMail(s.email, s.name, mail, s.mail_language()) for s in addressed]
    transaction.on_commit(lambda: email_outside(mails=mails), robust=True)


__all__ = ["CANCEL", "REQUEST", "invitation_attachment", "invite_customer_attendees"]
