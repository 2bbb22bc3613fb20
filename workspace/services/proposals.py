"""Value opportunities a customer proposes in the workspace, and the team's decision on them.

The customer (the link holder's `invitation`) submits a proposal or withdraws one that waits;
the account team (who edits its opportunities: accounts.permissions.DECIDE_CUSTOMER_PROPOSAL)
accepts it, which adds an opportunity to the pipeline (not scored yet) linked back to the
proposal, or declines it with a reason the customer reads. Each step is on the account's
timeline; what the customer does is told to the people who decide, and the team's answer is
e-mailed to the customer. A decision or a withdrawal is of the proposal as the page showed it
(`revision`): the other side's step in between is an `EditConflict`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.event_text import EventText
from accounts.models import AccountEvent, Membership
from accounts.permissions import (
    DECIDE_CUSTOMER_PROPOSAL,
    customer_owns_proposal,
    people_to_tell,
    roles_with,
)
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit
from notifications.services import (
    Mail,
    OutsideMail,
    email_outside,
    notify_account_team,
    subject_text,
)
from opportunities.models import Opportunity
from opportunities.services import detail_url, opportunity_create

from ..models import CustomerProposal, Invitation

ACCEPT, DECLINE = "accept", "decline"
# How much of the customer's need the team's notification quotes (cut after a word).
NOTIFIED_NEED = 160

PROPOSAL_CHANGED = gettext_lazy(
    "This proposal changed after your page was loaded (the customer withdrew it, or someone "
    "decided on it), so your decision was not recorded: look at it as it is now."
)
WITHDRAW_CHANGED = gettext_lazy(
    "Your account team has looked at this proposal since the page was loaded: see where it "
    "stands now."
)


def team_url(proposal: CustomerProposal) -> str:
    return reverse("workspace_team:proposal", args=[proposal.key_account_id, proposal.pk])


def _tell_deciders(invitation: Invitation, text, link: str) -> None:
    """The people who accept or decline a proposal (`text`: called in each one's language)."""
    account = invitation.key_account
    deciders = people_to_tell(account_ids=[account.pk], roles=roles_with(DECIDE_CUSTOMER_PROPOSAL))
    notify_account_team(
        account=account, users=deciders.get(account.pk, []), text=text, link=link, acting_user=None
    )


@transaction.atomic
def proposal_submit(
    *,
    invitation: Invitation,
    title: str,
    need: str,
    benefit: str,
    rough_size: str = "",
    timing: str = "",
) -> CustomerProposal:
    proposal = CustomerProposal(
        key_account=invitation.key_account,
        stakeholder=invitation.stakeholder,
        title=" ".join((title or "").split()),
        need=(need or "").strip(),
        benefit=(benefit or "").strip(),
        rough_size=" ".join((rough_size or "").split()),
        timing=timing or "",
        submitted_at=timezone.now(),
    )
    errors = {}
    if not proposal.title:
        errors["title"] = _("Give your proposal a short title.")
    if not proposal.need:
        errors["need"] = _("Say what you need, or the problem to solve.")
    if not proposal.benefit:
        errors["benefit"] = _("Say what you expect to gain from it.")
    if errors:
        raise ValidationError(errors)
    proposal.full_clean()
    proposal.save()
    name = invitation.stakeholder.name
    link = team_url(proposal)
    account_event_record(
        account=invitation.key_account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=EventText(
            gettext_noop("Customer %(name)s proposed an opportunity: %(title)s"),
            name=name,
            title=proposal.title,
        ),
        reason=proposal.need,
        new_value=proposal.status,
        link=link,
    )
    need = subject_text(proposal.need, NOTIFIED_NEED)
    account_name = invitation.key_account.name
    _tell_deciders(
        invitation,
        lambda: (
            _(
                "Customer %(name)s proposed an opportunity (%(account)s): “%(title)s”: %(need)s "
                "— accept or decline it."
            )
            % {"name": name, "account": account_name, "title": proposal.title, "need": need}
        ),
        link,
    )
    return proposal


@transaction.atomic
def proposal_withdraw(
    *, invitation: Invitation, proposal: CustomerProposal, revision: int | None
) -> CustomerProposal:
    """The customer takes back a proposal the team has not decided on yet."""
    if not customer_owns_proposal(invitation, proposal):
        raise ValidationError(_("This proposal is not yours to withdraw."))
    current = lock_for_edit(proposal, revision, message=WITHDRAW_CHANGED)
    if current.status != CustomerProposal.Status.RECEIVED:
        raise ValidationError(
            _(
                "Your account team has already decided on this proposal: it can no longer be "
                "withdrawn."
            )
        )
    current.status = CustomerProposal.Status.WITHDRAWN
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_at", bump_revision(current)])
    name = invitation.stakeholder.name
    account_event_record(
        account=invitation.key_account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=EventText(
            gettext_noop("Customer %(name)s withdrew their proposal: %(title)s"),
            name=name,
            title=current.title,
        ),
        old_value=CustomerProposal.Status.RECEIVED,
        new_value=current.status,
        link=team_url(current),
    )
    account_name = invitation.key_account.name
    _tell_deciders(
        invitation,
        lambda: (
            _("Customer %(name)s withdrew their proposal “%(title)s” (%(account)s)")
            % {"name": name, "title": current.title, "account": account_name}
        ),
        team_url(current),
    )
    return current


def _description(proposal: CustomerProposal) -> str:
    """The opportunity's description: the customer's words, labelled (in the decider's
    language; the team edits it from there)."""
    parts = [
        _("Proposed by %(name)s (customer) on %(date)s.")
        % {
            "name": proposal.stakeholder.name,
            "date": formats.date_format(
                timezone.localtime(proposal.submitted_at), "SHORT_DATE_FORMAT"
            ),
        },
        _("What they need: %(text)s") % {"text": proposal.need},
        _("Expected benefit for them: %(text)s") % {"text": proposal.benefit},
    ]
    if proposal.rough_size:
        parts.append(_("Rough size: %(text)s") % {"text": proposal.rough_size})
    if proposal.timing:
        parts.append(_("Timing: %(text)s") % {"text": proposal.get_timing_display()})
    return "\n\n".join(parts)


@transaction.atomic
def proposal_decide(
    *,
    proposal: CustomerProposal,
    decision: str,
    reply: str,
    acting_user,
    revision: int | None,
) -> CustomerProposal:
    """Accept (an opportunity in the pipeline, not scored yet, owned by the decider when they
    are on the team) or decline (`reply`, the reason the customer reads, is required) a
    proposal that waits, as the deciding page showed it (`revision`)."""
    reply = (reply or "").strip()
    if decision not in (ACCEPT, DECLINE):
        raise ValidationError({"decision": [_("Choose accept or decline.")]})
    if decision == DECLINE and not reply:
        raise ValidationError(
            {"reply": [_("Say why you decline it: the customer reads your reason.")]}
        )
    current = lock_for_edit(proposal, revision, message=PROPOSAL_CHANGED)
    if current.status != CustomerProposal.Status.RECEIVED:
        raise ValidationError(
            _("This proposal is %(status)s: there is nothing left to decide.")
            % {"status": current.get_status_display().lower()}
        )
    account = current.key_account
    current.decided_at = timezone.now()
    current.decided_by = acting_user
    current.team_reply = reply
    if decision == ACCEPT:
        on_team = Membership.objects.filter(key_account=account, user=acting_user).exists()
        opportunity = opportunity_create(
            account=account,
            values={
                "title": current.title,
                "description": _description(current),
                "beneficiary": Opportunity.Beneficiary.BOTH,
                "source": Opportunity.Source.CUSTOMER,
                "identified_on": timezone.localdate(current.submitted_at),
                "owner": acting_user if on_team else None,
            },
            stakeholders=[current.stakeholder] if current.stakeholder.archived_at is None else [],
            acting_user=acting_user,
        )
        current.opportunity = opportunity
        current.status = CustomerProposal.Status.ACCEPTED
        summary = gettext_noop("Customer proposal accepted as an opportunity: %(title)s (%(name)s)")
        link = detail_url(opportunity)
    else:
        current.status = CustomerProposal.Status.DECLINED
        summary = gettext_noop("Customer proposal declined: %(title)s (%(name)s)")
        link = team_url(current)
    bump_revision(current)
    current.full_clean()
    current.save()
    _tell_customer(current)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=EventText(summary, title=current.title, name=current.stakeholder.name),
        reason=reply,
        old_value=CustomerProposal.Status.RECEIVED,
        new_value=current.status,
        acting_user=acting_user,
        link=link,
    )
    return current


def _answer_mail(proposal: CustomerProposal) -> Mail:
    """The e-mail that tells the customer their proposal was answered. It carries no link: a
    new one would replace the link they hold; theirs opens the answer."""
    values = {
        "name": proposal.stakeholder.name,
        "title": proposal.title,
        "account": proposal.key_account.name,
    }
    if proposal.status == CustomerProposal.Status.ACCEPTED:
        subject = _("Your proposal “%(title)s” is accepted (%(account)s)") % values
        body = (
            _(
                "Dear %(name)s,\n\nThank you for your proposal “%(title)s”: your account team "
                "accepted it and will work on it with you."
            )
            % values
        )
    else:
        subject = _("Your proposal “%(title)s” is declined (%(account)s)") % values
        body = (
            _(
                "Dear %(name)s,\n\nThank you for your proposal “%(title)s”: your account team "
                "declined it."
            )
            % values
        )
    if proposal.team_reply:
        body += "\n\n" + _("Their answer: %(text)s") % {"text": proposal.team_reply}
    body += "\n\n" + _(
        "You can read it in the shared account plan with your personal link; if it no longer "
        "works, ask your account manager for a new one."
    )
    return Mail(subject=subject[:150], body=body + "\n")


def _tell_customer(proposal: CustomerProposal) -> None:
    stakeholder = proposal.stakeholder
    if not stakeholder.email or stakeholder.archived_at is not None:
        return
    email_outside(
        mails=[
            OutsideMail(
                stakeholder.email,
                stakeholder.name,
                lambda: _answer_mail(proposal),
                stakeholder.mail_language(),
            )
        ]
    )
