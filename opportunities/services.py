"""Writes for Stage 3 (Value opportunities) and the scoring rules they apply.

Scoring — the one place the prioritisation rule lives
======================================================
Every opportunity is scored on 1–5 scales:

* **Money score** (1–5) from the yearly *profit potential* in the programme currency:
  under 25,000 → 1; 25,000–99,999 → 2; 100,000–249,999 → 3; 250,000–499,999 → 4;
  500,000 and more → 5 (``PROFIT_BANDS``).
* **Value score** V = (money score + strategic value for us + strategic value for the
  customer) / 3, so 1 ≤ V ≤ 5.
* **Effort and risk score** ER = (effort + risk) / 2, so 1 ≤ ER ≤ 5.
* **Priority** P = V × (6 − ER) × 4: value against effort and risk, on 4–100.
  Example: money 3, strategic 4 and 2, effort 2, risk 3 → V = 3, ER = 2.5,
  P = 3 × 3.5 × 4 = 42.

**Matrix quadrants** split both axes at the scale's midpoint 3; a score *at* 3 counts as high:

| | ER < 3 (easy) | ER ≥ 3 (hard) |
|---|---|---|
| **V ≥ 3** (high value) | Quick win | Major project |
| **V < 3** (low value) | Fill-in | Drop without regret |

Priority and quadrant are stored on the opportunity by ``_apply_scores`` on every save through
this module, so lists sort and filter in the database.

**Not scored yet**: the four 1–5 scores are given together or not at all. An opportunity
without them (an idea converted from an interview, a white-space cell turned into an
opportunity, a new one whose scores were left blank) has no value score, effort and risk
score, priority or quadrant: it is shown as "Not scored yet", sorts after the scored ones,
stays off the matrix and out of every figure that depends on scores (quick wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccountEvent, KeyAccount, Membership, Programme
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision, lock_for_edit
from common.links import checked_elsewhere, prefetched
from common.locks import lock_rows
from discovery.models import OpportunityIdea, Stakeholder

from . import rules
from .models import (
    BusinessUnit,
    ListPrice,
    Offering,
    Opportunity,
    OpportunityDecision,
    Quadrant,
    WhiteSpaceCell,
    Workshop,
)
from .signals import opportunity_decided

# (profit potential below this, money score); anything at or above the last bound scores 5.
PROFIT_BANDS: list[tuple[Decimal, int]] = [
    (Decimal("25000"), 1),
    (Decimal("100000"), 2),
    (Decimal("250000"), 3),
    (Decimal("500000"), 4),
]
QUADRANT_SPLIT = 3  # on both 1–5 axes; a score equal to the split counts as high

# What each point of the 1–5 scales means (shown next to the inputs and on the detail page).
STRATEGIC_SCALE = {
    1: gettext_lazy("Negligible: no strategic effect"),
    2: gettext_lazy("Minor: helps one team a little"),
    3: gettext_lazy("Noticeable: supports a stated objective"),
    4: gettext_lazy("Significant: moves a key objective or opens a segment"),
    5: gettext_lazy("Transformational: new market, new capability or a changed relationship"),
}
EFFORT_SCALE = {
    1: gettext_lazy("A few days of one person"),
    2: gettext_lazy("Weeks of work within one team"),
    3: gettext_lazy("A cross-functional project over a quarter"),
    4: gettext_lazy("Several functions for most of a year, some investment"),
    5: gettext_lazy("Major investment and change on both sides"),
}
RISK_SCALE = {
    1: gettext_lazy("Almost certain to deliver"),
    2: gettext_lazy("Small, known risks"),
    3: gettext_lazy("Real uncertainty in demand, cost or timing"),
    4: gettext_lazy("Depends on things we do not control"),
    5: gettext_lazy("Unproven: likely to fail or be delayed"),
}
FORMULA_TEXT = gettext_lazy(
    "Value score V = (money score from profit potential + strategic value for us + strategic "
    "value for the customer) ÷ 3. Effort and risk score ER = (effort + risk) ÷ 2. "
    "Priority = V × (6 − ER) × 4, from 4 to 100. Quadrants split both scores at 3 "
    "(3 counts as high): quick win V ≥ 3 and ER < 3; major project V ≥ 3 and ER ≥ 3; "
    "fill-in V < 3 and ER < 3; drop without regret V < 3 and ER ≥ 3."
)
MONEY_BANDS_TEXT = gettext_lazy(
    "Money score from yearly profit potential: under 25,000 → 1; under 100,000 → 2; "
    "under 250,000 → 3; under 500,000 → 4; 500,000 or more → 5."
)

OPEN_STATUSES = (
    Opportunity.Status.IDEA,
    Opportunity.Status.QUALIFIED,
    Opportunity.Status.PURSUING,
)

# What a meeting, follow-up action, quote or plan action may still be linked to: dropped and
# lost opportunities are over (a won one is still being delivered).
LIVE_STATUSES = (*OPEN_STATUSES, Opportunity.Status.WON)

TWO_PLACES = Decimal("0.01")


# ---- scoring ------------------------------------------------------------------------------


def money_score(profit_potential: Decimal) -> int:
    for bound, score in PROFIT_BANDS:
        if profit_potential < bound:
            return score
    return 5


def value_score(opportunity: Opportunity) -> Decimal:
    total = (
        money_score(opportunity.profit_potential)
        + opportunity.strategic_value_us
        + opportunity.strategic_value_customer
    )
    return (Decimal(total) / 3).quantize(TWO_PLACES, ROUND_HALF_UP)


def effort_risk_score(opportunity: Opportunity) -> Decimal:
    return (Decimal(opportunity.effort + opportunity.risk) / 2).quantize(TWO_PLACES)


def priority_for(opportunity: Opportunity) -> Decimal:
    """P = V × (6 − ER) × 4, computed on whole numbers so it is exact before rounding."""
    value_total = (
        money_score(opportunity.profit_potential)
        + opportunity.strategic_value_us
        + opportunity.strategic_value_customer
    )  # = 3V
    ease_twice = 12 - (opportunity.effort + opportunity.risk)  # = 2 × (6 − ER)
    return (Decimal(value_total * ease_twice * 2) / 3).quantize(TWO_PLACES, ROUND_HALF_UP)


def quadrant_for(opportunity: Opportunity) -> str:
    """Compare on whole-number totals: V ≥ 3 ⇔ 3V ≥ 9, ER ≥ 3 ⇔ effort + risk ≥ 6."""
    value_total = (
        money_score(opportunity.profit_potential)
        + opportunity.strategic_value_us
        + opportunity.strategic_value_customer
    )
    high_value = value_total >= 3 * QUADRANT_SPLIT
    hard = opportunity.effort + opportunity.risk >= 2 * QUADRANT_SPLIT
    return {
        (True, False): Quadrant.QUICK_WIN,
        (True, True): Quadrant.MAJOR_PROJECT,
        (False, False): Quadrant.FILL_IN,
        (False, True): Quadrant.DROP,
    }[(high_value, hard)]


SCORE_FIELDS = ("strategic_value_us", "strategic_value_customer", "effort", "risk")
SCORES_ALL_OR_NONE = gettext_lazy(
    "Give all four scores (strategic value for us and for the customer, effort, risk), or "
    "leave all four empty to score it later."
)


def _apply_scores(opportunity: Opportunity) -> None:
    given = [getattr(opportunity, name) is not None for name in SCORE_FIELDS]
    if any(given) and not all(given):
        raise ValidationError(
            {
                name: [SCORES_ALL_OR_NONE]
                for name, ok in zip(SCORE_FIELDS, given, strict=True)
                if not ok
            }
        )
    if opportunity.is_scored:
        opportunity.priority = priority_for(opportunity)
        opportunity.quadrant = quadrant_for(opportunity)
    else:
        opportunity.priority = None
        opportunity.quadrant = ""


# ---- opportunities ------------------------------------------------------------------------

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
) -> None:
    """Rules that span rows: owner on the team, stakeholders and workshop of this account."""
    errors: dict[str, list[str]] = {}
    account_id = opportunity.key_account_id
    if (
        opportunity.owner_id
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
    _apply_scores(opportunity)
    opportunity.full_clean()
    opportunity.save()
    opportunity.stakeholders.set(stakeholders)
    account_event_record(
        account=account,
        kind=AccountEvent.Kind.OPPORTUNITY,
        summary=f"Opportunity added: {opportunity.title}",
        reason=f"Source: {opportunity.get_source_display()}",
        new_value=opportunity.status,
        acting_user=acting_user,
        link=detail_url(opportunity),
    )
    return opportunity


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
    was_scored = current.is_scored
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(current, name, values[name])
    if workshop is not None:
        current.workshop = workshop
    stakeholders = list(stakeholders) if stakeholders is not None else None
    _check_links(current, stakeholders or [], workshop)
    _apply_scores(current)
    # A status set by hand keeps the decision in step (dropped exactly when "drop").
    current.decision = rules.decision_for_status(current.status, current.decision)
    bump_revision(current)
    # The owner and the workshop came through the form's choices and were checked above
    # (_check_links); the account is the locked row's: their rows are not read again.
    written = tuple(f.name for f in current._meta.concrete_fields if f.name != "key_account")
    current.full_clean(exclude=["revision", *checked_elsewhere(current, written)])
    current.save()
    current.refresh_from_db()
    if stakeholders is not None:
        _set_stakeholders(current, before=linked, after=stakeholders)
    if current.is_scored and not was_scored:
        account_event_record(
            account=current.key_account,
            kind=AccountEvent.Kind.OPPORTUNITY,
            summary=(
                f"Opportunity {current.title} scored: priority {current.priority}, "
                f"{current.get_quadrant_display().lower()}"
            ),
            acting_user=acting_user,
            link=detail_url(current),
        )
    if current.status != old_status:
        account_event_record(
            account=current.key_account,
            kind=AccountEvent.Kind.OPPORTUNITY,
            summary=f"Opportunity {current.title}: now {current.get_status_display().lower()}",
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
        summary=f"Decision on {current.title}: {current.get_decision_display().lower()}",
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


@transaction.atomic
def opportunity_change_status(
    *,
    opportunity: Opportunity,
    status: str,
    reason: str,
    acting_user,
    summary: str = "",
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
    reason = (reason or "").strip()
    current = opportunity_lock_for_decision(opportunity=opportunity, revision=revision)
    if current.status == status:
        return current
    old_status = current.status
    current.status = status
    fields = ["status", "decision", "revision", "updated_at"]
    current.decision = rules.decision_for_status(status, current.decision)
    if status == Opportunity.Status.DROPPED:
        current.decision_reason = reason or "Dropped after a progress report."
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
        summary=summary
        or f"Opportunity {current.title}: now {current.get_status_display().lower()}",
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


# ---- workshops ----------------------------------------------------------------------------

WORKSHOP_FIELDS = ("held_on", "title", "agenda", "outcomes")


def _check_workshop_people(workshop: Workshop, participants, stakeholders) -> None:
    team = set(
        Membership.objects.filter(key_account_id=workshop.key_account_id).values_list(
            "user_id", flat=True
        )
    )
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
        summary=f"Joint value-creation workshop: {workshop.title}",
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


# ---- offering catalogue -------------------------------------------------------------------


def _check_offering_name(offering: Offering) -> None:
    clash = Offering.objects.filter(programme=offering.programme, name__iexact=offering.name)
    if offering.pk:
        clash = clash.exclude(pk=offering.pk)
    if clash.exists():
        raise ValidationError(
            {"name": [_("An offering with this name is already in the catalogue.")]}
        )


@transaction.atomic
def offering_create(*, name: str, description: str, acting_user) -> Offering:
    offering = Offering(programme=Programme.ensure(), name=name.strip(), description=description)
    lock_rows(offering.programme)  # the catalogue: two offerings of one name at once, one wins
    _check_offering_name(offering)
    offering.full_clean()
    offering.save()
    return offering


@transaction.atomic
def offering_update(
    *, offering: Offering, name: str, description: str, acting_user, revision: int | None = None
) -> Offering:
    lock_rows(offering.programme)
    offering = lock_for_edit(offering, revision)
    offering.name = name.strip()
    offering.description = description
    _check_offering_name(offering)
    offering.full_clean()
    offering.save(update_fields=["name", "description", bump_revision(offering)])
    return offering


@transaction.atomic
def offering_set_archived(*, offering: Offering, archived: bool, acting_user) -> Offering:
    """Archived offerings leave the white-space grid; their cells are kept for history."""
    offering.archived_at = timezone.now() if archived else None
    offering.save(update_fields=["archived_at"])
    return offering


# ---- price list ---------------------------------------------------------------------------


@transaction.atomic
def list_price_add(
    *,
    offering: Offering,
    currency: str,
    unit: str,
    unit_price: Decimal,
    valid_from,
    valid_until=None,
    acting_user,
) -> ListPrice:
    """Add a price to the offering's price list. Periods of one currency never overlap: a
    price still open-ended when the new one starts ends the day before; any other overlap is
    refused, naming the price it clashes with."""
    currency = currency.strip().upper()
    price = ListPrice(
        offering=offering,
        currency=currency,
        unit=unit.strip(),
        unit_price=unit_price,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=acting_user,
    )
    price.full_clean()
    same = ListPrice.objects.select_for_update().filter(offering=offering, currency=currency)
    running = same.filter(valid_from__lt=valid_from, valid_until__isnull=True).first()
    if running is not None:
        running.valid_until = valid_from - timedelta(days=1)
        running.save(update_fields=["valid_until"])
    clash = same.filter(valid_from__lte=valid_until or date.max).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    )
    clash = clash.exclude(pk=running.pk) if running is not None else clash
    if clash.exists():
        other = clash.first()
        ends = date_format(other.valid_until, "d M Y") if other.valid_until else _("open-ended")
        raise ValidationError(
            {
                "valid_from": [
                    _(
                        "It overlaps the %(currency)s %(price)s price valid from %(start)s "
                        "(%(end)s). Start after it or end this one before."
                    )
                    % {
                        "currency": currency,
                        "price": other.unit_price,
                        "start": date_format(other.valid_from, "d M Y"),
                        "end": ends,
                    }
                ]
            }
        )
    price.save()
    return price


# ---- white space --------------------------------------------------------------------------


def _check_unit_name(unit: BusinessUnit) -> None:
    clash = BusinessUnit.objects.filter(key_account=unit.key_account, name__iexact=unit.name)
    if unit.pk:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise ValidationError({"name": [_("This account already has a unit with this name.")]})


@transaction.atomic
def business_unit_create(*, account: KeyAccount, name: str, acting_user) -> BusinessUnit:
    unit = BusinessUnit(key_account=account, name=name.strip())
    lock_rows(account)  # the account's units: two units of one name at once, one wins
    _check_unit_name(unit)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def business_unit_rename(
    *, unit: BusinessUnit, name: str, acting_user, revision: int | None = None
) -> BusinessUnit:
    lock_rows(unit.key_account)
    unit = lock_for_edit(unit, revision)
    unit.name = name.strip()
    _check_unit_name(unit)
    unit.full_clean()
    unit.save(update_fields=["name", bump_revision(unit)])
    return unit


@transaction.atomic
def business_unit_delete(*, unit: BusinessUnit, acting_user) -> None:
    """Removes the unit's cells too; opportunities made from them stay."""
    unit.delete()


OPEN = ""  # a cell without a row: white space


@transaction.atomic
def white_space_cell_set(
    *,
    unit: BusinessUnit,
    offering: Offering,
    state: str,
    note: str = "",
    acting_user,
    revision: int | None = None,
) -> WhiteSpaceCell | None:
    """Set a cell's state. OPEN ("") clears it back to white space.

    A cell that is linked to an opportunity keeps the link only while its state is
    "opportunity"; setting another state unlinks it (the opportunity itself stays).
    `revision` is the cell's revision the form showed (0 for an open cell, which has no row);
    EditConflict if the cell moved on since.
    """
    if state != OPEN and state not in WhiteSpaceCell.State.values:
        raise ValidationError({"state": [_("Choose one of the listed cell states.")]})
    # An open cell has no row to lock: its unit is the mutex, so that two people setting it at
    # once take turns (the second gets the conflict) instead of both inserting it.
    lock_rows(unit)
    cell = (
        WhiteSpaceCell.objects.select_for_update(of=("self",))
        .filter(business_unit=unit, offering=offering)
        .first()
    )
    check_revision(
        cell or WhiteSpaceCell(business_unit=unit, offering=offering, revision=0),
        revision,
        message=_("Someone else set this cell while you were looking at the grid."),
    )
    if state == OPEN:
        if cell is not None:
            cell.delete()
        return None
    if cell is None:
        cell = WhiteSpaceCell(business_unit=unit, offering=offering)
    cell.state = state
    cell.note = note[:200]
    if state != WhiteSpaceCell.State.OPPORTUNITY:
        cell.opportunity = None
    # A new row starts at 1: 0 is the open cell that has none.
    bump_revision(cell)
    cell.full_clean()
    cell.save()
    return cell


@transaction.atomic
def white_space_cell_to_opportunity(
    *, unit: BusinessUnit, offering: Offering, acting_user
) -> ConversionResult:
    """One click on a grid cell: a cross-sell opportunity (source white space), cell linked.
    A second click meanwhile waits (the unit is the mutex) and finds the opportunity made."""
    lock_rows(unit)
    cell = (
        WhiteSpaceCell.objects.select_for_update(of=("self",))
        .filter(business_unit=unit, offering=offering)
        .select_related("opportunity")
        .first()
    )
    if cell is not None and cell.opportunity is not None:
        return ConversionResult(cell.opportunity, False)
    account = unit.key_account
    owner = acting_user
    if not Membership.objects.filter(key_account=account, user=acting_user).exists():
        owner = None
    opportunity = opportunity_create(
        account=account,
        values={
            "title": f"{offering.name} for {unit.name}"[:200],
            "description": (
                f"White space: {unit.name} does not buy {offering.name} from us yet."
                + (f" {cell.note}" if cell is not None and cell.note else "")
            ),
            "lever": Opportunity.Lever.CROSS_SELL,
            "source": Opportunity.Source.WHITE_SPACE,
            "owner": owner,
        },
        acting_user=acting_user,
    )
    if cell is None:
        cell = WhiteSpaceCell(business_unit=unit, offering=offering)
    cell.state = WhiteSpaceCell.State.OPPORTUNITY
    cell.opportunity = opportunity
    bump_revision(cell)  # a cell form open meanwhile must not overwrite the link
    cell.full_clean()
    cell.save()
    return ConversionResult(opportunity, True)
