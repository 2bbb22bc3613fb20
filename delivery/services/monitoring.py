"""Progress monitoring: check-ins on opportunities and measurements of targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.event_text import EventText, day, term
from accounts.models import Role
from accounts.selectors import team_with_role, user_today
from common.conflicts import EditConflict
from notifications.services import notify_account_team
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from planning.models import (
    Measurement,
    Target,
)
from planning.signals import measurement_recorded, send_after_commit

from ..models import CheckIn
from .shared import _is_quick_win


def _check_in_reason(check_in: CheckIn, reporter, applied_by=None) -> EventText:
    """Why the status moved: the check-in, what it said, and who applied it later."""
    said = " ".join(part for part in (check_in.next_step, check_in.blockers) if part)
    values = {"day": day(check_in.checked_on), "reporter": reporter}
    if said:
        text = EventText(
            gettext_noop("Check-in of %(day)s by %(reporter)s: %(said)s"), said=said, **values
        )
    else:
        text = EventText(gettext_noop("Check-in of %(day)s by %(reporter)s"), **values)
    if applied_by is None:
        return text
    return EventText(
        gettext_noop("%(check_in)s (applied by %(user)s)"), check_in=text, user=applied_by
    )


def _status_change_summary(opportunity: Opportunity, status: str) -> EventText | None:
    """The timeline's words for a status a check-in moved (None: the usual words)."""
    if status != Opportunity.Status.WON:
        return None
    if _is_quick_win(opportunity):
        return EventText(gettext_noop("Quick win delivered: %(title)s"), title=opportunity.title)
    return EventText(gettext_noop("Opportunity won: %(title)s"), title=opportunity.title)


def check_in_proposal(opportunity: Opportunity, latest: CheckIn | None) -> str | None:
    """The status the latest check-in reports when it differs from the opportunity's: a
    change waiting for someone who may decide it (see `check_in_record`)."""
    if latest is None or latest.status == opportunity.status:
        return None
    return latest.status


@dataclass
class CheckInResult:
    check_in: CheckIn
    opportunity: Opportunity
    applied: bool  # the opportunity's status now follows the check-in
    proposed: bool  # it differs and waits for the account's manager or director


@transaction.atomic
def check_in_record(
    *,
    opportunity: Opportunity,
    checked_on: date,
    status: str,
    next_step: str,
    blockers: str,
    may_decide: bool,
    acting_user,
    revision: int | None = None,
) -> CheckInResult:
    """A weekly or monthly check on an opportunity. What it reports is the opportunity's
    state, so a different status changes the opportunity (through the opportunities service:
    new revision, timeline entry with who and why):

    - an outcome the customer decided (won, lost) is applied for whoever may record
      check-ins, as an accepted quote marks its opportunity won;
    - any other change (dropped, back to qualified, ...) is the account team's decision:
      applied when the reporter may edit opportunities (`may_decide`), otherwise recorded as
      a proposal that the account's managers and directors are told about and apply in one
      click (`check_in_apply`).

    A win on a quick win shows on the timeline as "Quick win delivered".

    `revision`: the opportunity as the check-in form showed it (its status was the form's
    choice). When it has changed since and the check-in reports another status than the one
    it has now, nothing is recorded (`EditConflict`): the status chosen was picked against the
    old one, and would silently undo the change (a loss recorded meanwhile, back to pursuing).
    """
    # "Today" is the reporter's, in their time zone (the date their calendar shows).
    if checked_on > user_today(acting_user):
        raise ValidationError({"checked_on": _("A check-in cannot be dated in the future.")})
    opportunity = opportunity_services.opportunity_lock_for_decision(
        opportunity=opportunity, revision=None
    )
    if revision is not None and revision != opportunity.revision and status != opportunity.status:
        raise EditConflict(
            opportunity,
            revision=opportunity.revision,
            message=_(
                "Since your page was loaded, “%(title)s” became %(now)s, so this check-in "
                "(%(yours)s) was not recorded: choose the status it has now and record it "
                "again."
            )
            % {
                "title": opportunity.title,
                "now": opportunity.get_status_display().lower(),
                "yours": Opportunity.Status(status).label.lower()
                if status in Opportunity.Status.values
                else status,
            },
        )
    check_in = CheckIn(
        opportunity=opportunity,
        checked_on=checked_on,
        status=status,
        next_step=next_step.strip(),
        blockers=blockers.strip(),
        recorded_by=acting_user,
    )
    check_in.full_clean()
    check_in.save()
    if status == opportunity.status:
        return CheckInResult(check_in, opportunity, applied=False, proposed=False)
    if status in opportunity_services.OUTCOME_STATUSES or may_decide:
        updated = opportunity_services.opportunity_change_status(
            opportunity=opportunity,
            status=status,
            reason=_check_in_reason(check_in, acting_user),
            summary=_status_change_summary(opportunity, status),
            link=reverse("delivery:progress", args=[opportunity.key_account_id]),
            acting_user=acting_user,
        )
        return CheckInResult(check_in, updated, applied=True, proposed=False)
    _ask_to_apply(check_in, acting_user)
    return CheckInResult(check_in, opportunity, applied=False, proposed=True)


def _ask_to_apply(check_in: CheckIn, acting_user) -> None:
    opportunity = check_in.opportunity
    account = opportunity.key_account

    def text():  # called by the outbox in each recipient's language
        return _(
            "%(user)s reports “%(reported)s” on %(opportunity)s (%(account)s), which is still "
            "%(status)s: apply it in one click on the progress page."
        ) % {
            "user": acting_user,
            "reported": check_in.get_status_display(),
            "opportunity": opportunity.title,
            "account": account.name,
            "status": opportunity.get_status_display().lower(),
        }

    transaction.on_commit(
        lambda: notify_account_team(
            account=account,
            users=team_with_role(account=account, role=Role.MANAGER)
            + team_with_role(account=account, role=Role.DIRECTOR),
            text=text,
            link=reverse("delivery:progress", args=[account.pk]),
            acting_user=acting_user,
        ),
        robust=True,
    )


@transaction.atomic
def check_in_apply(
    *,
    opportunity: Opportunity,
    acting_user,
    revision: int | None = None,
    proposal: str | None = None,
) -> Opportunity:
    """One click by someone who may edit the opportunity (the view checks EDIT): its status
    follows what its latest check-in reports, recorded with the reporter and the reason. Only
    as the page showed it: the opportunity at `revision`, its check-ins proposing `proposal`;
    otherwise `EditConflict` and nothing changes."""
    opportunity = opportunity_services.opportunity_lock_for_decision(
        opportunity=opportunity, revision=revision
    )
    latest = opportunity.check_ins.select_related("recorded_by").order_by("-checked_on", "-pk")
    latest = latest.first()
    status = check_in_proposal(opportunity, latest)
    if proposal is not None and status != proposal:
        raise EditConflict(
            opportunity,
            revision=opportunity.revision,
            message=_(
                "A newer check-in changed what this opportunity's check-ins report, so "
                "nothing was applied: look at the latest check-in and decide again."
            ),
        )
    if status is None:
        raise ValidationError(
            _("The opportunity already has the status its latest check-in reports.")
        )
    reporter = latest.recorded_by or term(gettext_lazy("someone who has left"))
    return opportunity_services.opportunity_change_status(
        opportunity=opportunity,
        status=status,
        reason=_check_in_reason(latest, reporter, applied_by=acting_user),
        summary=_status_change_summary(opportunity, status),
        link=reverse("delivery:progress", args=[opportunity.key_account_id]),
        acting_user=acting_user,
    )


@transaction.atomic
def measurement_record(
    *, target: Target, measured_on: date, actual: Decimal, comment: str, acting_user
) -> Measurement:
    if measured_on > user_today(acting_user):
        raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})
    if measured_on < target.baseline_on:
        raise ValidationError(
            {
                "measured_on": _("The baseline was set on %(date)s; measure on or after it.")
                % {"date": date_format(target.baseline_on, "PADDED_DATE_FORMAT")}
            }
        )
    measurement = Measurement(
        target=target,
        measured_on=measured_on,
        actual=actual,
        comment=comment.strip(),
        recorded_by=acting_user,
    )
    measurement.full_clean()
    measurement.save()
    # Announced like the plan editor's measurements (webhooks: measurement.recorded).
    send_after_commit(
        measurement_recorded, sender=Measurement, measurement=measurement, acting_user=acting_user
    )
    return measurement
