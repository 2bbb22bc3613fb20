"""Selecting, de-selecting and reclassifying key accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.event_text import EventText, term
from accounts.models import (
    AccountEvent,
    Classification,
    Customer,
    KeyAccount,
    Membership,
    Role,
)
from accounts.services import account_event_record, directors_hand_over, team_members_leave
from common.conflicts import EditConflict, bump_revision, lock_for_edit

from ..signals import key_account_deselected, key_account_selected


def _set_role(*, account: KeyAccount, user, role: str) -> None:
    membership = Membership.objects.filter(key_account=account, user=user).first()
    if membership is None:
        membership = Membership(key_account=account, user=user, role=role)
    elif membership.role == role:
        return
    else:
        membership.role = role
        bump_revision(membership)  # an open team-entry form must not overwrite the new role
    membership.full_clean()
    membership.save()


def _hand_over_direction(*, account: KeyAccount, director, manager, acting_user) -> None:
    """An account has exactly one director (the team rules): selecting a de-selected account
    again with another director is a hand-over, as on the team page (accounts.services.
    directors_hand_over); a previous director named as the manager stays on, as manager."""
    previous = (
        account.memberships.filter(role=Role.DIRECTOR)
        .exclude(user__in=[director, manager])
        .select_related("user")
    )
    directors_hand_over(
        account=account, leaving=previous, successor=director, acting_user=acting_user
    )


SELECTION_CHANGED = gettext_lazy(
    "This changed after your page was loaded, so your decision was not applied: look at it "
    "as it is now and decide again."
)


@transaction.atomic
def key_account_select(
    *,
    customer: Customer,
    classification: str,
    rationale: str,
    director,
    manager,
    acting_user,
    revision: int | None = None,
    scored_class: str | None = None,
) -> KeyAccount:
    """Promote a customer to key account (or select a de-selected one again), with a written
    rationale and its director and manager. Records the event on the account's timeline. Of
    the customer as the selecting page showed it (`revision`: its scores; `scored_class`: the
    class its scores gave then), or nothing (`EditConflict`). New weights, criteria or splits
    re-classify customers without moving their revision (an open scoring form is not stale),
    so the class is compared on its own: a selection decided on a class the scores no longer
    give is not applied."""
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": _("Say why this customer should be a key account.")})
    if director == manager:
        raise ValidationError({"manager": _("The director and the manager must be two people.")})
    today = timezone.localdate()
    # The customer is the mutex (it may have no account row yet to lock): two selections at
    # the same moment must not both make one; the second also sees the revision moved on.
    customer = lock_for_edit(customer, revision, message=SELECTION_CHANGED)
    if scored_class is not None and scored_class != customer.classification:
        raise EditConflict(customer, revision=customer.revision, message=str(SELECTION_CHANGED))
    account = KeyAccount.objects.select_for_update().filter(customer=customer).first()
    if account is not None and account.is_active:
        raise ValidationError(_("%(name)s is already a key account.") % {"name": customer.name})
    reselected = account is not None
    if account is None:
        account = KeyAccount(customer=customer)
    account.status = KeyAccount.Status.ACTIVE
    account.classification = classification
    account.selection_rationale = rationale
    account.selected_on = today
    account.selected_by = acting_user
    if reselected:
        bump_revision(account)
    account.full_clean()
    account.save()
    if reselected:
        # The team is the one this selection names: whoever else served the account before
        # (a manager, coordinator, team member) leaves it and its access, shown on the team
        # page as a former member until someone adds them again. A previous director not
        # named hands over below.
        team_members_leave(
            account=account,
            leaving=account.memberships.exclude(user__in=[director, manager])
            .exclude(role=Role.DIRECTOR)
            .select_related("user"),
            acting_user=acting_user,
            summary=gettext_noop(
                "%(user)s left the team (%(role)s) when the account was selected again"
            ),
        )
    _hand_over_direction(
        account=account, director=director, manager=manager, acting_user=acting_user
    )
    # The manager first: a previous director named manager stops directing before the new
    # director starts (the database keeps one director per account at every statement).
    _set_role(account=account, user=manager, role=Role.MANAGER)
    _set_role(account=account, user=director, role=Role.DIRECTOR)
    label = term(Classification(classification).label)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.RESELECTED if reselected else AccountEvent.Kind.SELECTED,
        summary=EventText(
            gettext_noop("Selected again as key account (%(class)s)")
            if reselected
            else gettext_noop("Selected as key account (%(class)s)"),
            **{"class": label},
        ),
        acting_user=acting_user,
        reason=rationale,
        old_value=KeyAccount.Status.DESELECTED if reselected else "",
        new_value=classification,
    )
    transaction.on_commit(
        lambda: key_account_selected.send(
            sender=KeyAccount, account=account, acting_user=acting_user
        ),
        robust=True,
    )
    return account


@transaction.atomic
def key_account_deselect(
    *, account: KeyAccount, reason: str, acting_user, revision: int | None = None
) -> KeyAccount:
    """De-select a key account. The reason is required and kept; the team and history stay.
    Sends `strategy.signals.key_account_deselected` (planning archives the plan on it)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for de-selecting this account.")})
    account = lock_for_edit(account, revision, message=SELECTION_CHANGED)
    if not account.is_active:
        raise ValidationError(_("%(name)s is already de-selected.") % {"name": account.name})
    account.status = KeyAccount.Status.DESELECTED
    account.deselected_on = timezone.localdate()
    account.deselection_reason = reason
    bump_revision(account)
    account.full_clean()
    account.save(
        update_fields=["status", "deselected_on", "deselection_reason", "revision", "updated_at"]
    )
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.DESELECTED,
        summary=EventText(gettext_noop("De-selected as key account")),
        acting_user=acting_user,
        reason=reason,
        old_value=KeyAccount.Status.ACTIVE,
        new_value=KeyAccount.Status.DESELECTED,
    )
    key_account_deselected.send(
        sender=KeyAccount, account=account, acting_user=acting_user, reason=reason
    )
    return account


@transaction.atomic
def key_account_reclassify(
    *,
    account: KeyAccount,
    classification: str,
    reason: str,
    acting_user,
    revision: int | None = None,
    scored_class: str | None = None,
) -> KeyAccount:
    """Move a key account to another class, recording old -> new class and the reason. Of the
    account as its page showed it (`revision`) and of the class its scores gave then
    (`scored_class`, see key_account_select), or nothing (`EditConflict`)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the new classification.")})
    account = lock_for_edit(
        account,
        revision,
        queryset=KeyAccount.objects.select_related("customer"),
        message=SELECTION_CHANGED,
    )
    if scored_class is not None and scored_class != account.customer.classification:
        raise EditConflict(account, revision=account.revision, message=str(SELECTION_CHANGED))
    if classification == account.classification:
        raise ValidationError(
            {
                "classification": _("The account is already %(classification)s.")
                % {"classification": account.get_classification_display()}
            }
        )
    old = account.classification
    account.classification = classification
    bump_revision(account)
    account.full_clean()
    account.save(update_fields=["classification", "revision", "updated_at"])
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.CLASS_CHANGED,
        summary=EventText(
            gettext_noop("Classification changed from %(old)s to %(new)s"),
            old=term(Classification(old).label),
            new=term(Classification(classification).label),
        ),
        acting_user=acting_user,
        reason=reason,
        old_value=old,
        new_value=classification,
    )
    return account
