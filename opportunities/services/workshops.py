"""Joint value workshops: when, what, who took part."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.event_text import EventText
from accounts.models import AccountEvent, KeyAccount, Membership
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit

from ..models import Workshop

WORKSHOP_FIELDS = ("held_on", "title", "agenda", "outcomes")


def _check_workshop_people(workshop: Workshop, participants, stakeholders) -> None:
    """Participants are on the team, or took part already (and left the team since: who
    attended stays on the record); stakeholders are the account's."""
    team = set(
        Membership.objects.filter(key_account_id=workshop.key_account_id).values_list(
            "user_id", flat=True
        )
    )
    if workshop.pk:
        team |= set(workshop.participants.values_list("pk", flat=True))
    errors = {}
    if any(user.pk not in team for user in participants):
        errors["participants"] = [_("Our participants must be on this account's team.")]
    if any(s.key_account_id != workshop.key_account_id for s in stakeholders):
        errors["stakeholders"] = [_("Only stakeholders of this account can take part.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def workshop_create(
    *, account: KeyAccount, values: dict[str, Any], participants, stakeholders, acting_user
) -> Workshop:
    workshop = Workshop(key_account=account, **{k: values[k] for k in WORKSHOP_FIELDS})
    participants, stakeholders = list(participants), list(stakeholders)
    _check_workshop_people(workshop, participants, stakeholders)
    workshop.full_clean()
    workshop.save()
    workshop.participants.set(participants)
    workshop.stakeholders.set(stakeholders)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=EventText(
            gettext_noop("Joint value-creation workshop: %(title)s"), title=workshop.title
        ),
        reason=workshop.outcomes,
        acting_user=acting_user,
        link=reverse("opportunities:workshop_detail", args=[account.pk, workshop.pk]),
    )
    return workshop


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    values: dict[str, Any],
    participants,
    stakeholders,
    acting_user,
    revision: int | None = None,
) -> Workshop:
    """EditConflict if the workshop moved on since `revision`."""
    workshop = lock_for_edit(workshop, revision)
    bump_revision(workshop)
    for name in WORKSHOP_FIELDS:
        setattr(workshop, name, values[name])
    participants, stakeholders = list(participants), list(stakeholders)
    _check_workshop_people(workshop, participants, stakeholders)
    workshop.full_clean()
    workshop.save()
    workshop.participants.set(participants)
    workshop.stakeholders.set(stakeholders)
    return workshop
