"""Which recorded models make up a history page, and how each one is read.

Two histories are shown: an account's (`ACCOUNT_HISTORY`, the account's History tab) and the
programme's (`PROGRAMME_HISTORY`: the programme, its selection criteria, the job
specifications, the offerings' list prices). Both are read by the same code
(`audit.selectors`); what differs is the list of types below and the *subject* each type's
rules receive — the `KeyAccount`, or the `Programme`.

Every entry names a model that carries `history = HistoricalRecords()` and says:
- how to find its history rows for one subject (`scope`: a `Q` on the historical model).
  For an account, parents are looked up both in the live table and in their own history, so
  that the rows of a deleted objective's targets (or of a plan that predates history) still
  belong to the account;
- how to name an object from its own fields (`name`; foreign keys it needs are listed in
  `name_fks` and loaded in one query per related model for the whole page);
- where the live object is shown (`link`), and whether a deleted one may be restored from
  history (`restore`; only account items are).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, KeyAccount, Membership, Programme
from common.formats import labelled, number, unit_price
from delivery.models import Meeting, Quote, QuoteLine
from discovery.models import (
    Competitor,
    FinancialRatio,
    Interview,
    LifetimeValueAssumption,
    ProfileSection,
    ProfitabilityYear,
    Stakeholder,
)
from opportunities.models import (
    BusinessUnit,
    ListPrice,
    Offering,
    Opportunity,
    WhiteSpaceCell,
    Workshop,
)
from organisation.models import ExecutiveSponsor, JobSpecification
from outcomes.models import CustomerIssue, ValueDelivered
from planning.models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    PlanRisk,
    Target,
)
from strategy.models import CriterionScore, SelectionCriterion


@dataclass(frozen=True)
class RestoreRule:
    """A deleted object of this type may be put back by the account's director.

    `plan`: how to reach the account plan it belongs to (plan rules apply: an archived plan
    is not edited, a restore counts as an edit of the plan). `team_fields`: people who must
    still be on the account team (else the field is left empty). `quote`: a quote line, which
    only a draft quote takes back."""

    plan: Callable[[Model], AccountPlan] | None = None
    team_fields: tuple[str, ...] = ()
    quote: bool = False
    # Items deleted with it by the database's cascade, as (type key, field naming the parent):
    # an undo puts them back too, in this order.
    cascade: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Tracked:
    key: str
    label: str
    model: type[Model]
    scope: Callable[[Any], Q]
    name: Callable[[Any, Any], str]
    name_fks: tuple[str, ...] = ()
    link: Callable[[Any, Any], str] | None = None
    restore: RestoreRule | None = None

    @property
    def history_model(self):
        return self.model.history.model

    def rows(self, subject):
        """This type's history rows that belong to `subject` (no ordering)."""
        return self.history_model.objects.filter(self.scope(subject)).order_by()


class History:
    """Recorded types read together as one history page.

    The order of `tracked` matters only as a tie-breaker between rows saved at the same
    instant; a type's position is its number in the history query. `restore_url(subject,
    spec, object_id)` is where a deleted item is restored (None: nothing is restored here)."""

    def __init__(
        self,
        tracked: tuple[Tracked, ...],
        *,
        restore_url: Callable[[Any, Tracked, int], str] | None = None,
    ):
        self.tracked = tracked
        self.restore_url = restore_url
        self.by_key: dict[str, Tracked] = {t.key: t for t in tracked}
        self.by_model: dict[type[Model], Tracked] = {t.model: t for t in tracked}
        self.index: dict[str, int] = {t.key: i for i, t in enumerate(tracked)}

    @property
    def type_choices(self) -> list[tuple[str, str]]:
        """The types for the filter, in the active language's alphabetical order."""
        labels = [(t.key, str(t.label)) for t in self.tracked]
        return sorted(labels, key=lambda choice: choice[1])


# ---- scopes ---------------------------------------------------------------------------------


def _own(account: KeyAccount) -> Q:
    return Q(key_account_id=account.pk)


def _ids(model, live_filter: dict, history_q: Q):
    """Ids of `model` rows that belong to the account: live ones and recorded (deleted) ones."""
    return (
        model.objects.filter(**live_filter).values("pk"),
        model.history.filter(history_q).values("id"),
    )


def _under(field: str, ids) -> Q:
    live, recorded = ids
    return Q(**{f"{field}__in": live}) | Q(**{f"{field}__in": recorded})


def _plans(account):
    return _ids(AccountPlan, {"key_account": account}, _own(account))


def _objectives(account):
    return _ids(Objective, {"plan__key_account": account}, _under("plan_id", _plans(account)))


def _targets(account):
    return _ids(
        Target,
        {"objective__plan__key_account": account},
        _under("objective_id", _objectives(account)),
    )


def _quotes(account):
    return _ids(Quote, {"key_account": account}, _own(account))


def _units(account):
    return _ids(BusinessUnit, {"key_account": account}, _own(account))


# ---- links ----------------------------------------------------------------------------------


def _page(name: str) -> Callable[[KeyAccount, Any], str]:
    return lambda account, row: reverse(name, args=[account.pk])


def _detail(name: str, attr: str = "id") -> Callable[[KeyAccount, Any], str]:
    return lambda account, row: reverse(name, args=[account.pk, getattr(row, attr)])


def _plan_of_target(target: Target) -> AccountPlan:
    return target.objective.plan


def _plan_of_measurement(measurement: Measurement) -> AccountPlan:
    return measurement.target.objective.plan


def _plan_of_item(item) -> AccountPlan:
    return item.plan


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _restore_url(account: KeyAccount, spec: Tracked, object_id: int) -> str:
    return reverse("audit:restore", args=[account.pk, spec.key, object_id])


# ---- an account's history -------------------------------------------------------------------
# Order matters only as a tie-breaker between rows saved at the same instant; it never
# changes: the position is the type's number in the history query.

ACCOUNT_TYPES: tuple[Tracked, ...] = (
    Tracked(
        "account",
        _("Key account"),
        KeyAccount,
        lambda a: Q(id=a.pk),
        lambda row, lk: _("Key account record"),
        link=_page("accounts:account_detail"),
    ),
    Tracked(
        "customer",
        _("Customer"),
        Customer,
        lambda a: Q(id=a.customer_id),
        lambda row, lk: row.name,
        link=lambda a, row: reverse("strategy:customer_detail", args=[row.id]),
    ),
    Tracked(
        "criterion_score",
        _("Selection score"),
        CriterionScore,
        lambda a: Q(customer_id=a.customer_id),
        lambda row, lk: labelled(lk.label("criterion", row), row.score),
        name_fks=("criterion",),
    ),
    Tracked(
        "membership",
        _("Team membership"),
        Membership,
        _own,
        lambda row, lk: f"{lk.label('user', row)} ({row.get_role_display().lower()})",
        name_fks=("user",),
        link=_page("organisation:team"),
    ),
    Tracked(
        "sponsor",
        _("Executive sponsor"),
        ExecutiveSponsor,
        _own,
        lambda row, lk: lk.label("user", row),
        name_fks=("user",),
        link=_page("organisation:team"),
    ),
    Tracked(
        "profile_section",
        _("Profile section"),
        ProfileSection,
        _own,
        lambda row, lk: row.get_key_display(),
        link=_page("discovery:profile"),
    ),
    Tracked(
        "ratio",
        _("Financial ratio"),
        FinancialRatio,
        _own,
        lambda row, lk: f"{row.name} {row.year}",
        link=_page("discovery:profile"),
        restore=RestoreRule(),
    ),
    Tracked(
        "competitor",
        _("Competitor"),
        Competitor,
        _own,
        lambda row, lk: row.name,
        link=_page("discovery:profile"),
        restore=RestoreRule(),
    ),
    Tracked(
        "stakeholder",
        _("Stakeholder"),
        Stakeholder,
        _own,
        lambda row, lk: row.name,
        link=_detail("discovery:stakeholder_edit"),
        restore=RestoreRule(team_fields=("owner",)),
    ),
    Tracked(
        "interview",
        _("Interview"),
        Interview,
        _own,
        lambda row, lk: gettext("Interview of %(date)s") % {"date": _date(row.held_on)},
        link=_detail("discovery:interview_detail"),
    ),
    Tracked(
        "profitability_year",
        _("Profitability year"),
        ProfitabilityYear,
        _own,
        lambda row, lk: str(row.year),
        link=_page("discovery:profitability"),
        restore=RestoreRule(),
    ),
    Tracked(
        "lifetime_value",
        _("Lifetime value inputs"),
        LifetimeValueAssumption,
        _own,
        lambda row, lk: _("Lifetime value inputs"),
        link=_page("discovery:profitability"),
    ),
    Tracked(
        "workshop",
        _("Workshop"),
        Workshop,
        _own,
        lambda row, lk: row.title,
        link=_detail("opportunities:workshop_detail"),
    ),
    Tracked(
        "opportunity",
        _("Opportunity"),
        Opportunity,
        _own,
        lambda row, lk: row.title,
        link=_detail("opportunities:opportunity_detail"),
    ),
    Tracked(
        "business_unit",
        _("Business unit"),
        BusinessUnit,
        _own,
        lambda row, lk: row.name,
        link=_page("opportunities:white_space"),
        restore=RestoreRule(),
    ),
    Tracked(
        "white_space_cell",
        _("White-space cell"),
        WhiteSpaceCell,
        lambda a: _under("business_unit_id", _units(a)),
        lambda row, lk: f"{lk.label('offering', row)} × {lk.label('business_unit', row)}",
        name_fks=("offering", "business_unit"),
        link=_page("opportunities:white_space"),
        restore=RestoreRule(),
    ),
    Tracked(
        "plan",
        _("Account plan"),
        AccountPlan,
        _own,
        lambda row, lk: gettext("Plan %(period)s") % {"period": row.period},
        link=_page("planning:plan"),
    ),
    Tracked(
        "objective",
        _("Plan objective"),
        Objective,
        lambda a: _under("plan_id", _plans(a)),
        lambda row, lk: row.title,
        link=_page("planning:plan"),
        restore=RestoreRule(
            plan=_plan_of_item, team_fields=("owner",), cascade=(("target", "objective_id"),)
        ),
    ),
    Tracked(
        "target",
        _("Target"),
        Target,
        lambda a: _under("objective_id", _objectives(a)),
        lambda row, lk: row.kpi,
        link=_page("planning:plan"),
        restore=RestoreRule(plan=_plan_of_target, cascade=(("measurement", "target_id"),)),
    ),
    Tracked(
        "measurement",
        _("Measurement"),
        Measurement,
        lambda a: _under("target_id", _targets(a)),
        lambda row, lk: (
            gettext("%(target)s on %(day)s: %(actual)s")
            % {
                "target": lk.label("target", row),
                "day": _date(row.measured_on),
                "actual": number(row.actual),
            }
        ),
        name_fks=("target",),
        link=_page("delivery:progress"),
        restore=RestoreRule(plan=_plan_of_measurement),
    ),
    Tracked(
        "action",
        _("Action"),
        Action,
        lambda a: _under("plan_id", _plans(a)),
        lambda row, lk: row.title,
        link=_detail("delivery:action_detail"),
        restore=RestoreRule(plan=_plan_of_item, team_fields=("owner",)),
    ),
    Tracked(
        "engagement",
        _("Engagement activity"),
        EngagementActivity,
        lambda a: _under("plan_id", _plans(a)),
        lambda row, lk: f"{row.purpose} ({lk.label('stakeholder', row)})",
        name_fks=("stakeholder",),
        link=_page("planning:plan"),
        restore=RestoreRule(plan=_plan_of_item, team_fields=("our_person",)),
    ),
    Tracked(
        "risk",
        _("Plan risk"),
        PlanRisk,
        lambda a: _under("plan_id", _plans(a)),
        lambda row, lk: row.description,
        link=_page("planning:plan"),
        restore=RestoreRule(plan=_plan_of_item, team_fields=("owner",)),
    ),
    Tracked(
        "meeting",
        _("Meeting"),
        Meeting,
        _own,
        lambda row, lk: row.title,
        link=_detail("delivery:meeting_detail"),
    ),
    Tracked(
        "quote",
        _("Quote"),
        Quote,
        _own,
        lambda row, lk: f"{row.number} {row.title}",
        link=_detail("delivery:quote_detail"),
    ),
    Tracked(
        "quote_line",
        _("Quote line"),
        QuoteLine,
        lambda a: _under("quote_id", _quotes(a)),
        lambda row, lk: f"{row.description} ({lk.label('quote', row)})",
        name_fks=("quote",),
        link=_detail("delivery:quote_detail", "quote_id"),
        restore=RestoreRule(quote=True),
    ),
    Tracked(
        "value_delivered",
        _("Value delivered"),
        ValueDelivered,
        _own,
        lambda row, lk: row.title,
        link=_page("outcomes:value_list"),
        restore=RestoreRule(),
    ),
    Tracked(
        "customer_issue",
        _("Customer issue"),
        CustomerIssue,
        _own,
        lambda row, lk: row.title,
        link=_page("outcomes:issue_list"),
    ),
)
ACCOUNT_HISTORY = History(ACCOUNT_TYPES, restore_url=_restore_url)


# ---- the programme's history ----------------------------------------------------------------
# The subject is `Programme.current()`. Job specifications belong to the installation (one per
# role), so all of them are the programme's. Nothing here is restored: the app deletes neither
# the programme nor a job specification, and a selection criterion only while nobody has
# scored it (scored ones are archived, and come back on the criteria page).


def _programme_page(name: str) -> Callable[[Programme, Any], str]:
    return lambda programme, row: reverse(name)


PROGRAMME_HISTORY = History(
    (
        Tracked(
            "programme",
            _("Programme"),
            Programme,
            lambda p: Q(id=p.pk),
            lambda row, lk: row.name,
            link=_programme_page("strategy:strategy"),
        ),
        Tracked(
            "criterion",
            _("Selection criterion"),
            SelectionCriterion,
            lambda p: Q(programme_id=p.pk),
            lambda row, lk: f"{row.name} ({row.get_axis_display()})",
            link=_programme_page("strategy:criteria"),
        ),
        Tracked(
            "job_specification",
            _("Job specification"),
            JobSpecification,
            lambda p: Q(),
            lambda row, lk: row.get_role_display(),
            link=_programme_page("organisation:job_specs"),
        ),
        # Quotes' discounts are worked out from the price list: who set which price matters.
        Tracked(
            "list_price",
            _("List price"),
            ListPrice,
            lambda p: Q(offering_id__in=Offering.objects.filter(programme_id=p.pk).values("pk")),
            lambda row, lk: (
                gettext("%(currency)s %(price)s per %(unit)s from %(date)s")
                % {
                    "currency": row.currency,
                    "price": unit_price(row.unit_price),
                    "unit": row.unit,
                    "date": date_format(row.valid_from, "PADDED_DATE_FORMAT"),
                }
            ),
            link=lambda programme, row: reverse(
                "opportunities:offering_prices", args=[row.offering_id]
            ),
        ),
    )
)
