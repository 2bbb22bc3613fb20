"""Every Stage 2 (Discovery) write, and the rules Discovery computes.

Rules shown to users live here so that pages, the plan PDF and tests share one definition:

- a profile section is **stale** when it was last updated more than `STALE_AFTER_DAYS` ago;
- a stakeholder has a **coverage gap** when they have high influence and no owner on our side,
  or when nobody has been in contact for `CONTACT_GAP_DAYS` (or ever);
- the **service level offered** should not run ahead of the relationship stage (integrated
  service to a cooperative account is pure cost);
- **net account profit** = gross margin (gross sales − cost of goods) − cost to serve
  (discounts, rebates, transport, returns, customer service, the KAM team's own cost, other
  cost to serve) (`ProfitabilityYear.net_profit`);
- **customer lifetime value** = net present value of the expected yearly profits
  (see `lifetime_value`);
- a **profitability year** records a year's actual results, so it is a year that has begun:
  never later than the writer's current year (`profitability_year_refusal`). The lifetime
  value projects the years ahead from its assumptions; it stores no future year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.event_text import EventText, term
from accounts.models import (
    RELATIONSHIP_ORDER,
    AccountEvent,
    BuySellPosition,
    KeyAccount,
    Membership,
    RelationshipStage,
)
from accounts.selectors import user_today
from accounts.services import account_event_record
from common.conflicts import bump_revision, lock_for_edit
from common.constraints import refused_as
from common.links import checked_elsewhere
from common.locks import lock_rows

from .models import (
    Competitor,
    FinancialRatio,
    Interview,
    Level,
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfileSection,
    ProfitabilityYear,
    RelationshipChange,
    Stakeholder,
)

STALE_AFTER_DAYS = 365
CONTACT_GAP_DAYS = 90
MAX_HORIZON_YEARS = 30
CENT = Decimal("0.01")


# ---- freshness and gaps ---------------------------------------------------------------------


def stale_cutoff(today: date | None = None):
    """Sections last updated before this moment are stale."""
    today = today or timezone.localdate()
    return timezone.make_aware(
        timezone.datetime.combine(
            today - timedelta(days=STALE_AFTER_DAYS), timezone.datetime.min.time()
        )
    )


def is_stale(updated_at, today: date | None = None) -> bool:
    """A section never written is 'empty', not stale; one not touched for a year is stale."""
    return updated_at is not None and updated_at < stale_cutoff(today)


def contact_cutoff(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=CONTACT_GAP_DAYS)


def stakeholder_gaps(stakeholder: Stakeholder, today: date | None = None) -> list[str]:
    """Why this stakeholder is a gap in our coverage (empty list: covered)."""
    gaps = []
    if stakeholder.influence == Level.HIGH and stakeholder.owner_id is None:
        gaps.append(_("High influence and nobody on our side owns the relationship"))
    if stakeholder.last_contact_on is None:
        gaps.append(_("Never contacted"))
    elif stakeholder.last_contact_on < contact_cutoff(today):
        days = ((today or timezone.localdate()) - stakeholder.last_contact_on).days
        gaps.append(
            ngettext("Not contacted for %(days)s day", "Not contacted for %(days)s days", days)
            % {"days": days}
        )
    return gaps


def gap_q(today: date | None = None, prefix: str = "") -> Q:
    """The same rule as `stakeholder_gaps`, as a database filter (for counts on lists)."""
    p = prefix
    return (
        Q(**{f"{p}influence": Level.HIGH, f"{p}owner__isnull": True})
        | Q(**{f"{p}last_contact_on__isnull": True})
        | Q(**{f"{p}last_contact_on__lt": contact_cutoff(today)})
    )


def service_exceeds_stage(account: KeyAccount) -> bool:
    """True when we offer service built for a later relationship stage than the account is at."""
    return RELATIONSHIP_ORDER.get(account.service_level, 0) > RELATIONSHIP_ORDER.get(
        account.relationship_stage, 0
    )


# ---- profile ----------------------------------------------------------------------------------


@transaction.atomic
def profile_section_save(
    *, account: KeyAccount, key: str, content: str, expected_revision: int | None, acting_user
) -> ProfileSection:
    """Save one section if nobody saved it since `expected_revision`; else `EditConflict`.

    The row is locked while it is compared and written, so two people saving at the same
    moment cannot both win: the second gets the conflict and keeps their text.
    """
    if key not in ProfileSection.Key.values:
        raise ValidationError({"key": _("Unknown profile section.")})
    section, _created = ProfileSection.objects.get_or_create(key_account=account, key=key)
    section = lock_for_edit(
        section,
        expected_revision,
        queryset=ProfileSection.objects.select_related("updated_by"),
        message=_("Someone else saved this section while you were editing."),
    )
    section.content = content.strip()
    section.full_clean(exclude=["revision", "updated_by"])
    section.updated_at = timezone.now()
    section.updated_by = acting_user
    section._history_user = acting_user  # the audit history names the editor
    section.save(update_fields=["content", bump_revision(section), "updated_at", "updated_by"])
    return section


def _save_account_row(
    row, *, account: KeyAccount, fields: dict, acting_user, revision, foreign, same, duplicate
):
    """Save a small record of the account's profile (a financial ratio, a competitor): refused
    with `foreign` when it belongs to another account; an existing row is locked and checked
    against the `revision` the editor saw (a stale save is refused) before `fields` are set.
    Another row of the account with the same `same` fields (the name in any case) is refused
    with `duplicate`, at the name: one profile does not show two values of one thing. The
    database holds the same rule (a unique constraint), so a row saved meanwhile by someone else
    is refused with the same sentence, not a server error."""
    if row.key_account_id != account.pk:
        raise ValidationError(foreign)
    if row.pk is not None:
        row = lock_for_edit(row, revision)
        bump_revision(row)
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_by = acting_user
    # The model's one constraint is the uniqueness checked below, with its message at the name.
    row.full_clean(validate_constraints=False)
    lookups = {f"{name}__iexact" if name == "name" else name: getattr(row, name) for name in same}
    others = type(row).objects.filter(key_account=account, **lookups).exclude(pk=row.pk)
    refusal = {"name": duplicate % {name: getattr(row, name) for name in same}}
    if others.exists():
        raise ValidationError(refusal)
    with refused_as(refusal):  # one saved meanwhile (the database's constraint)
        row.save()
    return row


@transaction.atomic
def financial_ratio_save(
    *,
    account: KeyAccount,
    ratio: FinancialRatio | None,
    fields: dict,
    acting_user,
    revision: int | None = None,
) -> FinancialRatio:
    return _save_account_row(
        ratio or FinancialRatio(key_account=account),
        account=account,
        fields={name: fields[name] for name in ("name", "value", "year")},
        acting_user=acting_user,
        revision=revision,
        foreign=_("That ratio belongs to another account."),
        same=("name", "year"),
        duplicate=_("%(name)s for %(year)s is already recorded; edit that one instead."),
    )


@transaction.atomic
def financial_ratio_delete(*, ratio: FinancialRatio, acting_user) -> None:
    ratio.delete()


@transaction.atomic
def competitor_save(
    *,
    account: KeyAccount,
    competitor: Competitor | None,
    fields: dict,
    acting_user,
    revision: int | None = None,
) -> Competitor:
    return _save_account_row(
        competitor or Competitor(key_account=account),
        account=account,
        fields={name: fields[name] for name in ("name", "offering", "strength", "threat_level")},
        acting_user=acting_user,
        revision=revision,
        foreign=_("That competitor belongs to another account."),
        same=("name",),
        duplicate=_("%(name)s is already listed; edit that competitor instead."),
    )


@transaction.atomic
def competitor_delete(*, competitor: Competitor, acting_user) -> None:
    competitor.delete()


# ---- stakeholders ---------------------------------------------------------------------------


def reports_to_creates_cycle(*, stakeholder: Stakeholder, manager: Stakeholder | None) -> bool:
    """Would `stakeholder` reporting to `manager` make someone their own (indirect) manager?"""
    if manager is None:
        return False
    if stakeholder.pk is None:
        return False  # a new person has nobody reporting to them yet
    if manager.pk == stakeholder.pk:
        return True
    chain = dict(
        Stakeholder.objects.filter(key_account_id=stakeholder.key_account_id).values_list(
            "pk", "reports_to_id"
        )
    )
    seen = set()
    current = manager.pk
    while current is not None and current not in seen:
        if current == stakeholder.pk:
            return True
        seen.add(current)
        current = chain.get(current)
    return False


STAKEHOLDER_FIELDS = (
    "name",
    "title",
    "department",
    "email",
    "language",
    "buying_role",
    "influence",
    "attitude",
    "owner",
    "last_contact_on",
    "reports_to",
    "notes",
)


@transaction.atomic
def stakeholder_save(
    *,
    account: KeyAccount,
    stakeholder: Stakeholder | None,
    fields: dict,
    acting_user,
    revision: int | None = None,
) -> Stakeholder:
    """Create or update a stakeholder.

    The owner must be on the account team (hold a Membership on the account); the reports-to
    person must be a stakeholder of the same account, and the chain may not loop back.

    The loop check reads the whole chart, so a save that sets a reports-to line first locks the
    account (its org chart's mutex): two such saves at the same moment take turns, and the
    second sees the first's line (two people each made the other's manager would be a loop).
    """
    if fields.get("reports_to") is not None:
        lock_rows(account)
    stakeholder = stakeholder or Stakeholder(key_account=account)
    if stakeholder.key_account_id != account.pk:
        raise ValidationError(_("That stakeholder belongs to another account."))
    if stakeholder.pk is not None:
        stakeholder = lock_for_edit(stakeholder, revision)
        bump_revision(stakeholder)
    for name in STAKEHOLDER_FIELDS:
        if name in fields:
            setattr(stakeholder, name, fields[name])
    errors = {}
    owner = stakeholder.owner
    if (
        owner is not None
        and not Membership.objects.filter(user=owner, key_account=account).exists()
    ):
        errors["owner"] = _(
            "%(owner)s is not on this account's team; add them to the team first."
        ) % {"owner": owner}
    manager = stakeholder.reports_to
    if manager is not None and manager.key_account_id != account.pk:
        errors["reports_to"] = _("The person they report to must be a stakeholder of this account.")
    elif manager is not None and stakeholder.pk is not None and manager.pk == stakeholder.pk:
        errors["reports_to"] = _("A stakeholder cannot report to themself.")
    elif reports_to_creates_cycle(stakeholder=stakeholder, manager=manager):
        errors["reports_to"] = _(
            "%(manager)s already reports (directly or indirectly) to %(name)s; "
            "this would make a reporting loop."
        ) % {"manager": manager, "name": stakeholder.name}
    if errors:
        raise ValidationError(errors)
    # The links were checked above (owner, reports-to) or are the locked row's: not read again.
    stakeholder.full_clean(exclude=checked_elsewhere(stakeholder, STAKEHOLDER_FIELDS))
    stakeholder.save()
    return stakeholder


# A stakeholder typed in where they are first needed (an engagement activity, a meeting, the
# plan's quick start): name, job title and e-mail; the rest takes these defaults until someone
# completes the record on the Stakeholders tab.
QUICK_STAKEHOLDER_DEFAULTS = {
    "buying_role": Stakeholder.BuyingRole.INFLUENCER,
    "influence": Level.MEDIUM,
    "attitude": Stakeholder.Attitude.NEUTRAL,
}


@transaction.atomic
def stakeholder_quick_add(
    *, account: KeyAccount, name: str, title: str = "", email: str = "", acting_user
) -> Stakeholder:
    """Create a stakeholder from a form that needs one now (see QUICK_STAKEHOLDER_DEFAULTS)."""
    return stakeholder_save(
        account=account,
        stakeholder=None,
        fields={
            **QUICK_STAKEHOLDER_DEFAULTS,
            "name": name.strip(),
            "title": title.strip(),
            "email": email.strip(),
        },
        acting_user=acting_user,
    )


@transaction.atomic
def stakeholder_email_add(*, stakeholder: Stakeholder, email: str, acting_user) -> Stakeholder:
    """Record the e-mail address of a stakeholder who has none (asked for where a meeting is
    scheduled, so that the invitation can include them). An address someone saved meanwhile
    is kept: this only fills a gap."""
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    email = email.strip()
    if stakeholder.email or not email:
        return stakeholder
    stakeholder.email = email
    stakeholder.full_clean()
    stakeholder.save(update_fields=["email", "updated_at"])
    return stakeholder


@transaction.atomic
def stakeholder_archive(*, stakeholder: Stakeholder, acting_user) -> Stakeholder:
    """Archive rather than delete: interviews, meetings and plans still point at them. The
    revision moves, so an edit form open on them is told instead of saving onto an archived
    stakeholder unaware."""
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if stakeholder.archived_at is None:
        stakeholder.archived_at = timezone.now()
        stakeholder.save(update_fields=["archived_at", bump_revision(stakeholder), "updated_at"])
    return stakeholder


@transaction.atomic
def stakeholder_restore(*, stakeholder: Stakeholder, acting_user) -> Stakeholder:
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if stakeholder.archived_at is not None:
        stakeholder.archived_at = None
        stakeholder.save(update_fields=["archived_at", bump_revision(stakeholder), "updated_at"])
    return stakeholder


# ---- interviews -----------------------------------------------------------------------------

INTERVIEW_FIELDS = ("held_on", "interviewer", "notes", "needs_learned", "validated", "contradicted")


@transaction.atomic
def interview_save(
    *,
    account: KeyAccount,
    interview: Interview | None,
    fields: dict,
    stakeholders,
    acting_user,
    revision: int | None = None,
) -> Interview:
    """Record (or correct) an interview. Interviewer: someone on the account team."""
    interview = interview or Interview(key_account=account)
    if interview.key_account_id != account.pk:
        raise ValidationError(_("That interview belongs to another account."))
    if interview.pk is not None:
        interview = lock_for_edit(interview, revision)
        bump_revision(interview)
    for name in INTERVIEW_FIELDS:
        if name in fields:
            setattr(interview, name, fields[name])
    errors = {}
    if interview.held_on and interview.held_on > timezone.localdate():
        errors["held_on"] = _(
            "An interview is recorded after it took place; this date is in the future."
        )
    interviewer = interview.interviewer
    if (
        interviewer is not None
        and not Membership.objects.filter(user=interviewer, key_account=account).exists()
    ):
        errors["interviewer"] = _("%(interviewer)s is not on this account's team.") % {
            "interviewer": interviewer
        }
    stakeholders = list(stakeholders)
    if any(s.key_account_id != account.pk for s in stakeholders):
        errors["stakeholders"] = _("Only stakeholders of this account can be recorded as met.")
    if errors:
        raise ValidationError(errors)
    # The interviewer was checked above, the account is the locked row's: not read again.
    interview.full_clean(exclude=checked_elsewhere(interview, INTERVIEW_FIELDS))
    interview.save()
    interview.stakeholders.set(stakeholders)
    # An interview is a contact: the people met are no longer "not contacted for N days".
    stakeholders_contact_update(
        stakeholder_ids=[s.pk for s in stakeholders], contacted_on=interview.held_on
    )
    return interview


@transaction.atomic
def stakeholders_owner_replace(*, account: KeyAccount, owner, new_owner, acting_user) -> int:
    """Someone leaving the account team owns none of its relationships any more: their
    stakeholders go to `new_owner` (a director handing the account over passes them to the
    successor) or, with None, are left without an owner, so the map shows the gap (a
    high-influence one is a coverage gap) instead of a relationship nobody on the team looks
    after. Each is saved (history, and the revision: an edit form open on one is told).
    Returns how many."""
    moved = 0
    for stakeholder in Stakeholder.objects.select_for_update().filter(
        key_account=account, owner=owner
    ):
        stakeholder.owner = new_owner
        stakeholder.save(update_fields=["owner", bump_revision(stakeholder), "updated_at"])
        moved += 1
    return moved


def stakeholders_contact_update(*, stakeholder_ids: list[int], contacted_on: date) -> int:
    """Last contact becomes `contacted_on` where that is later (never moves backwards): an
    interview recorded here, a held meeting's notes in delivery."""
    return (
        Stakeholder.objects.filter(pk__in=stakeholder_ids)
        .filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=contacted_on))
        .update(last_contact_on=contacted_on)
    )


@transaction.atomic
def idea_add(*, interview: Interview, title: str, description: str, acting_user) -> OpportunityIdea:
    idea = OpportunityIdea(interview=interview, title=title.strip(), description=description)
    idea.full_clean()
    idea.save()
    return idea


@transaction.atomic
def idea_delete(*, idea: OpportunityIdea, acting_user) -> None:
    """Only ideas not yet turned into an opportunity can go; converted ones are history."""
    if OpportunityIdea.objects.filter(pk=idea.pk, opportunity__isnull=False).exists():
        raise ValidationError(_("This idea has become an opportunity and stays on record."))
    idea.delete()


# ---- relationship -----------------------------------------------------------------------------


@transaction.atomic
def relationship_update(
    *,
    account: KeyAccount,
    stage: str,
    position: str,
    service_level: str,
    reason: str,
    changed_on: date,
    acting_user,
    revision: int | None = None,
) -> list[RelationshipChange]:
    """Move the account's relationship stage, buy-sell position and/or service level.

    Each changed value is written to the account and recorded in RelationshipChange with its
    date and reason; stage and position changes also go on the account timeline.
    """
    errors = {}
    if stage not in RelationshipStage.values:
        errors["relationship_stage"] = _("Choose a relationship stage.")
    if position not in BuySellPosition.values:
        errors["buy_sell_position"] = _("Choose a buy–sell position.")
    if service_level not in RelationshipStage.values:
        errors["service_level"] = _("Choose the service level offered.")
    if not reason.strip():
        errors["reason"] = _("Say why the relationship changed.")
    if changed_on and changed_on > timezone.localdate():
        errors["changed_on"] = _("The change date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    updates = [
        (RelationshipChange.Field.STAGE, "relationship_stage", stage, RelationshipStage),
        (RelationshipChange.Field.POSITION, "buy_sell_position", position, BuySellPosition),
        (RelationshipChange.Field.SERVICE, "service_level", service_level, RelationshipStage),
    ]
    account = lock_for_edit(
        account,
        revision,
        queryset=KeyAccount.objects.select_related("customer"),
        message=_("Someone else recorded a relationship change while you were editing."),
    )
    # The history reads as a chain (each change starts from the one before): a change dated
    # before the latest recorded change of the same thing would slip under it, and the history
    # would end on a value that is no longer the account's.
    moving = [field for field, attr, new, _c in updates if getattr(account, attr) != new]
    latest = (
        RelationshipChange.objects.filter(key_account=account, field__in=moving)
        .order_by("-changed_on")
        .values_list("changed_on", flat=True)
        .first()
    )
    if latest is not None and changed_on and changed_on < latest:
        raise ValidationError(
            {
                "changed_on": _(
                    "The latest recorded change is dated %(date)s; date this one on or after it."
                )
                % {"date": date_format(latest, "SHORT_DATE_FORMAT")}
            }
        )
    changes = []
    for field, attr, new, choices in updates:
        old = getattr(account, attr)
        if old == new:
            continue
        change = RelationshipChange(
            key_account=account,
            field=field,
            old_value=old,
            new_value=new,
            changed_on=changed_on,
            reason=reason.strip(),
            changed_by=acting_user,
        )
        change.full_clean()
        change.save()
        changes.append(change)
        setattr(account, attr, new)
        old_label, new_label = choices(old).label, choices(new).label
        kind = {
            RelationshipChange.Field.STAGE: AccountEvent.Kind.STAGE_CHANGED,
            RelationshipChange.Field.POSITION: AccountEvent.Kind.POSITION_CHANGED,
        }.get(field, AccountEvent.Kind.COMMENT)
        account_event_record(
            account=account,
            kind=kind,
            summary=EventText(
                gettext_noop("%(field)s changed from %(old)s to %(new)s"),
                field=term(field.label),
                old=term(old_label),
                new=term(new_label),
            ),
            acting_user=acting_user,
            reason=reason.strip(),
            old_value=old,
            new_value=new,
        )
    if not changes:
        raise ValidationError(_("Nothing changed: pick a new stage, position or service level."))
    account.save(
        update_fields=[
            "relationship_stage",
            "buy_sell_position",
            "service_level",
            bump_revision(account),
            "updated_at",
        ]
    )
    return changes


# ---- profitability ----------------------------------------------------------------------------

PROFITABILITY_FIELDS = ("year", *ProfitabilityYear.MONEY_FIELDS)


def profitability_year_refusal(year: int | None, *, today: date) -> str:
    """Why `year` cannot hold actual results on `today` (empty: it can). A year that has not
    begun has no actuals yet; projections are the lifetime value's, not a year's row."""
    if year is None or year <= today.year:
        return ""
    return _(
        "%(year)s has not begun yet: a profitability year records actual results. Enter "
        "%(current)s or an earlier year; the lifetime value projects the years ahead."
    ) % {"year": year, "current": today.year}


@transaction.atomic
def profitability_year_save(
    *,
    account: KeyAccount,
    row: ProfitabilityYear | None,
    fields: dict,
    acting_user,
    revision: int | None = None,
) -> ProfitabilityYear:
    """Gross sales, cost of goods and the cost-to-serve lines for one year; amounts may not be
    negative, and the year may not be later than the writer's current year (their own time
    zone's: `profitability_year_refusal`)."""
    row = row or ProfitabilityYear(key_account=account)
    if row.key_account_id != account.pk:
        raise ValidationError(_("That year belongs to another account."))
    if row.pk is not None:
        row = lock_for_edit(row, revision)
        bump_revision(row)
    for name in PROFITABILITY_FIELDS:
        setattr(row, name, fields[name])
    errors = {}
    for name in ProfitabilityYear.MONEY_FIELDS:
        if getattr(row, name) is not None and getattr(row, name) < 0:
            label = ProfitabilityYear._meta.get_field(name).verbose_name
            errors[name] = _("%(label)s cannot be negative.") % {"label": str(label).capitalize()}
    refusal = profitability_year_refusal(row.year, today=user_today(acting_user))
    if refusal:
        errors["year"] = refusal
    duplicate = ProfitabilityYear.objects.filter(key_account=account, year=row.year).exclude(
        pk=row.pk
    )
    if "year" not in errors and duplicate.exists():
        errors["year"] = _("%(year)s is already recorded; edit that year instead.") % {
            "year": row.year
        }
    if errors:
        raise ValidationError(errors)
    # The checks just made are not made again: the account (the locked row's, or the one the
    # caller checked), the year's uniqueness (the duplicate above; the database refusing it below
    # for one saved meanwhile) and the amounts' check constraint (the loop above; the database
    # enforces it too). 5 of a save's 25 statements (bench/README.md, finding 61).
    row.full_clean(
        exclude=checked_elsewhere(row, (*PROFITABILITY_FIELDS, "revision")),
        validate_unique=False,
        validate_constraints=False,
    )
    with refused_as({"year": _("%(year)s is already recorded.") % {"year": row.year}}):
        row.save()
    return row


@transaction.atomic
def profitability_year_delete(*, row: ProfitabilityYear, acting_user) -> None:
    row.delete()


@transaction.atomic
def lifetime_value_assumption_save(
    *, account: KeyAccount, fields: dict, acting_user, revision: int | None = None
) -> LifetimeValueAssumption:
    """EditConflict if the assumptions moved on since `revision` (None: new, not checked)."""
    assumption, _created = LifetimeValueAssumption.objects.get_or_create(key_account=account)
    assumption = lock_for_edit(assumption, revision)
    bump_revision(assumption)
    for name in ("base_profit", "growth_rate_percent", "discount_rate_percent", "horizon_years"):
        setattr(assumption, name, fields[name])
    errors = {}
    rate = assumption.discount_rate_percent
    if rate is None or not Decimal(0) <= rate <= Decimal(100):
        errors["discount_rate_percent"] = _("The discount rate must be between 0 and 100 %.")
    horizon = assumption.horizon_years
    if horizon is None or not 1 <= horizon <= MAX_HORIZON_YEARS:
        errors["horizon_years"] = _("The horizon must be between 1 and %(max)s years.") % {
            "max": MAX_HORIZON_YEARS
        }
    growth = assumption.growth_rate_percent
    if growth is None or not Decimal(-100) <= growth <= Decimal(100):
        errors["growth_rate_percent"] = _("The growth rate must be between −100 and 100 %.")
    if errors:
        raise ValidationError(errors)
    assumption.full_clean()
    assumption.save()
    return assumption


@dataclass(frozen=True)
class LifetimeValueYear:
    number: int  # 1 = the first year after the base year
    calendar_year: int | None
    expected_profit: Decimal
    discount_factor: Decimal  # 1 / (1 + r) ** number, shown to 6 places
    present_value: Decimal


@dataclass(frozen=True)
class LifetimeValue:
    base_profit: Decimal
    growth_rate_percent: Decimal
    discount_rate_percent: Decimal
    horizon_years: int
    years: list[LifetimeValueYear]
    npv: Decimal
    undiscounted_total: Decimal


def lifetime_value(
    *,
    base_profit: Decimal,
    growth_rate_percent: Decimal,
    discount_rate_percent: Decimal,
    horizon_years: int,
    first_calendar_year: int | None = None,
) -> LifetimeValue:
    """Customer lifetime value: the net present value of expected yearly profits.

    Convention (end-of-year cash flows):

        profit_n = base_profit × (1 + g) ** (n − 1)          for n = 1 … N
        PV_n     = profit_n / (1 + r) ** n                    (year 1 is discounted one period)
        CLV      = Σ PV_n

    with g the growth rate and r the discount rate as fractions. Each profit_n and PV_n is
    rounded to cents (half up) before summing, so the year-by-year table adds up exactly to
    the CLV a director sees. A negative base (a loss-making account) gives negative profits;
    growth then grows the loss — enter an explicit base profit if a turnaround is expected.
    """
    base_profit = Decimal(base_profit)
    g = Decimal(growth_rate_percent)
    r = Decimal(discount_rate_percent)
    if not Decimal(0) <= r <= Decimal(100):
        raise ValueError(_("The discount rate must be between 0 and 100 %."))
    if not 1 <= horizon_years <= MAX_HORIZON_YEARS:
        raise ValueError(
            _("The horizon must be between 1 and %(max)s years.") % {"max": MAX_HORIZON_YEARS}
        )
    if not Decimal(-100) <= g <= Decimal(100):
        raise ValueError(_("The growth rate must be between −100 and 100 %."))
    growth = Decimal(1) + g / 100
    discount = Decimal(1) + r / 100
    years = []
    for n in range(1, horizon_years + 1):
        profit = (base_profit * growth ** (n - 1)).quantize(CENT, rounding=ROUND_HALF_UP)
        factor = Decimal(1) / discount**n
        years.append(
            LifetimeValueYear(
                number=n,
                calendar_year=first_calendar_year + n - 1 if first_calendar_year else None,
                expected_profit=profit,
                discount_factor=factor.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP),
                present_value=(profit / discount**n).quantize(CENT, rounding=ROUND_HALF_UP),
            )
        )
    return LifetimeValue(
        base_profit=base_profit,
        growth_rate_percent=g,
        discount_rate_percent=r,
        horizon_years=horizon_years,
        years=years,
        npv=sum((y.present_value for y in years), Decimal("0")),
        undiscounted_total=sum((y.expected_profit for y in years), Decimal("0")),
    )
