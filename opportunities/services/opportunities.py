"""An opportunity's life: created, edited, decided, won or lost; an interview idea converted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.event_text import EventText, term
from accounts.models import AccountEvent, KeyAccount, Membership
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit
from common.links import checked_elsewhere, prefetched
from discovery.models import OpportunityIdea, Stakeholder

from .. import rules
from ..models import Opportunity, OpportunityDecision, Quadrant, Workshop
from ..signals import opportunity_decided
from .scoring import apply_scores

OPEN_STATUSES = (
    Opportunity.Status.IDEA,
    Opportunity.Status.QUALIFIED,
    Opportunity.Status.PURSUING,
)

# What a meeting, follow-up action, quote or plan action may still be linked to: dropped and
# lost opportunities are over (a won one is still being delivered).
LIVE_STATUSES = (*OPEN_STATUSES, Opportunity.Status.WON)

EDITABLE_FIELDS = (
    "title",
    "description",
    "beneficiary",
    "lever",
    "annual_value",
    "profit_potential",
    "strategic_value_us",
    "strategic_value_customer",
    "effort",
    "risk",
    "identified_on",
    "expected_start_on",
    "owner",
    "source",
    "status",
    "is_internal",
)


def detail_url(opportunity: Opportunity) -> str:
    return reverse(
        "opportunities:opportunity_detail", args=[opportunity.key_account_id, opportunity.pk]
    )


def _check_links(
    opportunity: Opportunity,
    stakeholders: list[Stakeholder],
    workshop: Workshop | None,
    kept_owner_id: int | None = None,
) -> None:
    """Rules that span rows: owner on the team (or the owner it had, kept after they left
    the team: an edit of something else does not clear it), stakeholders and workshop of
    this account."""
    errors: dict[str, list[str]] = {}
    account_id = opportunity.key_account_id
    if (
        opportunity.owner_id
        and opportunity.owner_id != kept_owner_id
        and not Membership.objects.filter(
            key_account_id=account_id, user_id=opportunity.owner_id
        ).exists()
    ):
        errors["owner"] = [_("The owner must be on this account's team.")]
    if any(s.key_account_id != account_id for s in stakeholders):
        errors["stakeholders"] = [_("Only stakeholders of this account can be linked.")]
    if workshop is not None and workshop.key_account_id != account_id:
        errors["workshop"] = [_("That workshop belongs to another account.")]
    if (
        opportunity.expected_start_on
        and opportunity.identified_on
        and opportunity.expected_start_on < opportunity.identified_on
    ):
        errors["expected_start_on"] = [
            _("The expected close/start date cannot be before the date the idea was identified.")
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def opportunity_create(
    *,
    account: KeyAccount,
    values: dict[str, Any],
    acting_user,
    stakeholders: list[Stakeholder] | None = None,
    workshop: Workshop | None = None,
    source_idea: OpportunityIdea | None = None,
) -> Opportunity:
    """Add an opportunity. Created in a workshop → source workshop and linked to it."""
    stakeholders = list(stakeholders or [])
    opportunity = Opportunity(key_account=account)
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(opportunity, name, values[name])
    if opportunity.identified_on is None:
        opportunity.identified_on = timezone.localdate()
    if workshop is not None:
        opportunity.workshop = workshop
        opportunity.source = Opportunity.Source.WORKSHOP
    if source_idea is not None:
        opportunity.source_idea = source_idea
        opportunity.source = Opportunity.Source.INTERVIEW
    _check_links(opportunity, stakeholders, workshop)
    apply_scores(opportunity)
    opportunity.full_clean()
    opportunity.save()
    opportunity.stakeholders.set(stakeholders)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=EventText(gettext_noop("Opportunity added: %(title)s"), title=opportunity.title),
        reason=EventText(
            gettext_noop("Source: %(source)s"),
            source=term(Opportunity.Source(opportunity.source).label),
        ),
        new_value=opportunity.status,
        acting_user=acting_user,
        link=detail_url(opportunity),
    )
    return opportunity


# The reason a drop made by setting the status by hand is logged with (the decision form asks
# for one; the edit form has no box for it).
DROPPED_BY_STATUS = gettext_noop(
    "Status set to dropped in the opportunity's edit form; no reason given."
)


@transaction.atomic
def opportunity_update(
    *,
    opportunity: Opportunity,
    values: dict[str, Any],
    revision: int | None,
    acting_user,
    stakeholders: list[Stakeholder] | None = None,
    workshop: Workshop | None = None,
) -> Opportunity:
    """Save an edit. Re-scored in workshop W → linked to W. A stale `revision` is an
    `EditConflict`."""
    current = lock_for_edit(
        opportunity,
        revision,
        message=_("Someone else saved this opportunity while you were editing."),
    )
    # The workshop kept is the one the caller read with the opportunity (not checked again);
    # so are the stakeholders linked, if it read them (prefetched) and the locked row has the
    # same revision (every edit bumps it); otherwise they are read under the lock.
    if current.workshop_id == opportunity.workshop_id and Opportunity.workshop.is_cached(
        opportunity
    ):
        current.workshop = opportunity.workshop
    linked = prefetched(opportunity, "stakeholders")
    if linked is None or current.revision != opportunity.revision:
        linked = current.stakeholders.all()
    old_status = current.status
    old_owner_id = current.owner_id
    was_scored = current.is_scored
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(current, name, values[name])
    if workshop is not None:
        current.workshop = workshop
    stakeholders = list(stakeholders) if stakeholders is not None else None
    _check_links(current, stakeholders or [], workshop, kept_owner_id=old_owner_id)
    apply_scores(current)
    # A status set by hand keeps the decision in step (dropped exactly when "drop"), and its
    # reason with it: dropped here is a drop in the decision log (else the page read "Drop —"
    # with the reason of the pursue before it); reopened here, the drop's reason goes too.
    current.decision = rules.decision_for_status(current.status, current.decision)
    dropped_here = current.status != old_status and current.status == Opportunity.Status.DROPPED
    if dropped_here:
        current.decision_reason = _(DROPPED_BY_STATUS)
    elif old_status == Opportunity.Status.DROPPED and current.status != old_status:
        current.decision_reason = ""
    bump_revision(current)
    # The owner and the workshop came through the form's choices and were checked above
    # (_check_links); the account is the locked row's: their rows are not read again.
    written = tuple(f.name for f in current._meta.concrete_fields if f.name != "key_account")
    current.full_clean(exclude=["revision", *checked_elsewhere(current, written)])
    current.save()
    current.refresh_from_db()
    if stakeholders is not None:
        _set_stakeholders(current, before=linked, after=stakeholders)
    if dropped_here:
        OpportunityDecision.objects.create(
            opportunity=current,
            decision=Opportunity.Decision.DROP,
            reason=current.decision_reason,
            decided_by=acting_user,
        )
    if current.is_scored and not was_scored:
        account_event_record(
            account=current.key_account,
            kind=AccountEvent.Kind.OPPORTUNITY,
            summary=EventText(
                gettext_noop("Opportunity %(title)s scored: priority %(priority)s, %(quadrant)s"),
                title=current.title,
                priority=current.priority,
                quadrant=term(Quadrant(current.quadrant).label, lower=True),
            ),
            acting_user=acting_user,
            link=detail_url(current),
        )
    if current.status != old_status:
        account_event_record(
            account=current.key_account,
            kind=AccountEvent.Kind.OPPORTUNITY,
            summary=status_text(current),
            old_value=old_status,
            new_value=current.status,
            acting_user=acting_user,
            link=detail_url(current),
        )
    return current


def _set_stakeholders(current: Opportunity, *, before, after: list) -> None:
    """Only the links that changed are written (`.set()` would read them all first)."""
    old, new = {s.pk for s in before}, {s.pk for s in after}
    if old - new:
        current.stakeholders.remove(*(old - new))
    if new - old:
        current.stakeholders.add(*(new - old))


DECISION_CHANGED = gettext_lazy(
    "This opportunity changed after your page was loaded, so your decision was not recorded: "
    "look at it as it is now and decide again."
)


def opportunity_lock_for_decision(*, opportunity: Opportunity, revision: int | None):
    """The opportunity re-read under a row lock, if it is still at `revision` (what the
    deciding page showed); otherwise `EditConflict`. Call inside a transaction."""
    return lock_for_edit(opportunity, revision, message=DECISION_CHANGED)


@transaction.atomic
def opportunity_decide(
    *,
    opportunity: Opportunity,
    decision: str,
    reason: str,
    acting_user,
    revision: int | None = None,
) -> Opportunity:
    """Record pursue / hold / drop with a reason: logged, on the timeline, status follows
    `rules.DECISIONS` (a decision it does not allow is refused with its sentence). Of the
    opportunity as the deciding page showed it (`revision`), or nothing (`EditConflict`).
    """
    reason = (reason or "").strip()
    if decision not in Opportunity.Decision.values:
        raise ValidationError({"decision": [_("Choose pursue, hold or drop.")]})
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for the decision.")]})
    current = opportunity_lock_for_decision(opportunity=opportunity, revision=revision)
    old_status = current.status
    if not rules.decision_allowed(old_status, decision):
        raise ValidationError({"decision": [rules.decision_refusal(old_status, decision)]})
    current.status = rules.status_after(old_status, decision)
    current.decision = rules.decision_for_status(current.status, decision)
    current.decision_reason = reason
    bump_revision(current)
    current.save(update_fields=["decision", "decision_reason", "status", "revision", "updated_at"])
    current.refresh_from_db()
    OpportunityDecision.objects.create(
        opportunity=current, decision=decision, reason=reason, decided_by=acting_user
    )
    account_event_record(
        account=current.key_account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=EventText(
            gettext_noop("Decision on %(title)s: %(decision)s"),
            title=current.title,
            decision=term(Opportunity.Decision(current.decision).label, lower=True),
        ),
        reason=reason,
        old_value=old_status,
        new_value=current.status,
        acting_user=acting_user,
        link=detail_url(current),
    )
    transaction.on_commit(
        lambda: opportunity_decided.send(
            sender=Opportunity,
            opportunity=current,
            decision=decision,
            reason=reason,
            acting_user=acting_user,
        ),
        robust=True,
    )
    return current


# Outcomes the customer decides: whoever may report progress (a check-in, an accepted quote)
# records them. Every other change of status is the account team's decision (EDIT).
OUTCOME_STATUSES = (Opportunity.Status.WON, Opportunity.Status.LOST)


def status_text(opportunity: Opportunity) -> EventText:
    """The timeline's words for an opportunity's new status."""
    return EventText(
        gettext_noop("Opportunity %(title)s: now %(status)s"),
        title=opportunity.title,
        status=term(Opportunity.Status(opportunity.status).label, lower=True),
    )


@transaction.atomic
def opportunity_change_status(
    *,
    opportunity: Opportunity,
    status: str,
    reason: str | EventText,
    acting_user,
    summary: EventText | None = None,
    link: str = "",
    revision: int | None = None,
) -> Opportunity:
    """Progress reported elsewhere (a check-in, an accepted quote) moves the opportunity's
    status: one row lock, a new revision (an edit form open meanwhile gets the conflict), and
    the change on the account timeline with who and why. Dropped is a drop decision, logged
    with its reason like one taken on the opportunity page. Same status: nothing happens.

    The caller checks who may do it (outcomes: whoever may report progress; anything else:
    EDIT)."""
    if status not in Opportunity.Status.values:
        raise ValidationError({"status": [_("Choose one of the listed statuses.")]})
    if not isinstance(reason, EventText):
        reason = (reason or "").strip()
    current = opportunity_lock_for_decision(opportunity=opportunity, revision=revision)
    if current.status == status:
        return current
    old_status = current.status
    current.status = status
    fields = ["status", "decision", "revision", "updated_at"]
    current.decision = rules.decision_for_status(status, current.decision)
    if status == Opportunity.Status.DROPPED:
        # The opportunity's own record, in the words of whoever reported it.
        current.decision_reason = (reason.text() if isinstance(reason, EventText) else reason) or _(
            "Dropped after a progress report."
        )
        fields += ["decision_reason"]
    bump_revision(current)
    current.save(update_fields=fields)
    current.refresh_from_db()
    if status == Opportunity.Status.DROPPED:
        OpportunityDecision.objects.create(
            opportunity=current,
            decision=Opportunity.Decision.DROP,
            reason=current.decision_reason,
            decided_by=acting_user,
        )
    account_event_record(
        account=current.key_account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=summary or status_text(current),
        reason=reason,
        old_value=old_status,
        new_value=current.status,
        acting_user=acting_user,
        link=link or detail_url(current),
    )
    return current


@dataclass
class ConversionResult:
    opportunity: Opportunity
    created: bool


@transaction.atomic
def idea_convert(*, idea: OpportunityIdea, acting_user) -> ConversionResult:
    """Turn an interview idea into an opportunity (source interview, linked to the idea).

    An idea converts once: a second call returns the existing opportunity.
    """
    existing = Opportunity.objects.filter(source_idea=idea).first()
    if existing is not None:
        return ConversionResult(existing, False)
    account = idea.interview.key_account
    owner = acting_user
    if not Membership.objects.filter(key_account=account, user=acting_user).exists():
        owner = None  # e.g. a superuser converting; the owner must be on the team
    stakeholders = list(idea.interview.stakeholders.filter(archived_at__isnull=True))
    try:
        with transaction.atomic():
            opportunity = opportunity_create(
                account=account,
                values={
                    "title": idea.title[:200],
                    "description": idea.description,
                    "identified_on": idea.interview.held_on,
                    "owner": owner,
                },
                stakeholders=stakeholders,
                source_idea=idea,
                acting_user=acting_user,
            )
    except IntegrityError:
        # Two clicks at once: the other one won the one-to-one link.
        return ConversionResult(Opportunity.objects.get(source_idea=idea), False)
    return ConversionResult(opportunity, True)
