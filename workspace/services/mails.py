"""The e-mails that give a customer stakeholder their personal link: the invitation to the
shared plan and the request to answer a joint review."""

from __future__ import annotations

import math
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import KeyAccount, Role
from accounts.permissions import people_to_tell
from notifications.links import absolute_url
from notifications.services import Mail
from planning.models import Review

from ..models import Invitation

# The personal link's query parameter that opens a joint review's questions (`views.enter`).
REVIEW_PARAM = "review"


def workspace_link(token: str) -> str:
    return absolute_url(reverse("workspace:enter", args=[token]))


def _who_asks(account: KeyAccount) -> str:
    """Who invites or asks the customer, as the subject of a verb in the singular: the manager
    by name, or with several "Your account team (A, B)" (a list read "A, B invites you")."""
    names = [
        u.get_full_name() or u.username
        for u in people_to_tell(account_ids=[account.pk], roles=[Role.MANAGER]).get(account.pk, [])
    ]
    if not names:
        return _("Your account manager")
    if len(names) == 1:
        return names[0]
    return _("Your account team (%(names)s)") % {"names": ", ".join(names)}


def _days_left(invitation: Invitation) -> int:
    # Whole days left, counted up: the e-mail is written a moment after the link's expiry was
    # set, and a plain `.days` of "90 days less a few milliseconds" said 89.
    return math.ceil((invitation.expires_at - timezone.now()) / timedelta(days=1))


def invitation_mail(invitation: Invitation, token: str) -> Mail:
    account = invitation.key_account
    manager = _who_asks(account)
    days = _days_left(invitation)
    body = ngettext(
        "Dear %(name)s,\n\n"
        "%(manager)s invites you to the shared account plan of %(account)s: the plan we agreed "
        "with you, the actions on your side and the meetings you attend. You can tick off your "
        "actions, comment and accept the plan.\n\n"
        "Your personal link (do not forward it; it works for %(days)s day):\n"
        "%(link)s\n",
        "Dear %(name)s,\n\n"
        "%(manager)s invites you to the shared account plan of %(account)s: the plan we agreed "
        "with you, the actions on your side and the meetings you attend. You can tick off your "
        "actions, comment and accept the plan.\n\n"
        "Your personal link (do not forward it; it works for %(days)s days):\n"
        "%(link)s\n",
        days,
    ) % {
        "name": invitation.stakeholder.name,
        "manager": manager,
        "account": account.name,
        "days": days,
        "link": workspace_link(token),
    }
    subject = _("Our shared account plan: %(account)s") % {"account": account.name}
    return Mail(subject=subject[:150], body=body)


def review_mail(invitation: Invitation, token: str, review: Review, joint_id: int) -> Mail:
    """The e-mail that asks a participant to answer a joint review: a fresh personal link that
    opens the review's questions (their previous link may have expired since they were
    invited; a quarter is about as long as a link works)."""
    account = invitation.key_account
    days = _days_left(invitation)
    body = ngettext(
        "Dear %(name)s,\n\n"
        "%(manager)s asks for your view in our quarterly review %(quarter)s of the work we do "
        "with %(account)s: a few questions on how we are doing, a few minutes of your time.\n\n"
        "Answer with your personal link (do not forward it; it works for %(days)s day and "
        "replaces any link we sent you before):\n"
        "%(link)s\n",
        "Dear %(name)s,\n\n"
        "%(manager)s asks for your view in our quarterly review %(quarter)s of the work we do "
        "with %(account)s: a few questions on how we are doing, a few minutes of your time.\n\n"
        "Answer with your personal link (do not forward it; it works for %(days)s days and "
        "replaces any link we sent you before):\n"
        "%(link)s\n",
        days,
    ) % {
        "name": invitation.stakeholder.name,
        "manager": _who_asks(account),
        "quarter": review.quarter,
        "account": account.name,
        "days": days,
        "link": workspace_link(token) + f"?{REVIEW_PARAM}={joint_id}",
    }
    subject = _("Our review %(quarter)s: how are we doing? (%(account)s)") % {
        "quarter": review.quarter,
        "account": account.name,
    }
    return Mail(subject=subject[:150], body=body)
