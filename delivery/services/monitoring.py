"""Progress monitoring: check-ins on opportunities and measurements of targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from accounts.services import account_event_record
from opportunities.models import Opportunity
from planning.models import (
    Measurement,
    Target,
)

from ..models import CheckIn
from .shared import _is_quick_win


@transaction.atomic
def check_in_record(
    *,
    opportunity: Opportunity,
    checked_on: date,
    status: str,
    next_step: str,
    blockers: str,
    acting_user,
) -> CheckIn:
    """A weekly or monthly check on an opportunity. It reports; it does not edit the
    opportunity (that is the manager's, in Opportunities). A reported win goes on the timeline,
    as a quick win when the opportunity was low-effort."""
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "A check-in cannot be dated in the future."})
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
    if status == Opportunity.Status.WON:
        label = "Quick win delivered" if _is_quick_win(opportunity) else "Opportunity delivered"
        account_event_record(
            account=opportunity.key_account,
            kind=AccountEvent.Kind.OPPORTUNITY,
            summary=f"{label}: {opportunity.title}",
            reason=check_in.next_step,
            acting_user=acting_user,
            link=reverse("delivery:progress", args=[opportunity.key_account_id]),
        )
    return check_in


@transaction.atomic
def measurement_record(
    *, target: Target, measured_on: date, actual: Decimal, comment: str, acting_user
) -> Measurement:
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "A measurement cannot be dated in the future."})
    if measured_on < target.baseline_on:
        raise ValidationError(
            {
                "measured_on": f"The baseline was set on {target.baseline_on:%d %b %Y}; "
                "measure on or after it."
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
    return measurement
