"""Reads of the `api` app: a person's own tokens, and what the API lists (each list starts
from what the person may see: `accounts.permissions.accounts_visible_to`, or an account
already checked by `accounts.permissions.get_account_for_user`)."""

from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import Customer, KeyAccount, Programme
from accounts.permissions import accounts_visible_to
from delivery.models import Meeting
from discovery.models import Stakeholder
from opportunities.models import Opportunity
from planning.models import AccountPlan, Action, Measurement, Objective, Target

from .models import ApiToken


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """Every token `user` made, live ones first (revoked ones stay listed)."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")


# ---- what the API reads ----------------------------------------------------------------------


def key_accounts_for_api(*, user) -> QuerySet[KeyAccount]:
    """The accounts `user` sees, with their current plan's health and status: one query."""
    current = AccountPlan.objects.filter(key_account=OuterRef("pk"), is_current=True)
    return (
        accounts_visible_to(user)
        .select_related("customer")
        .annotate(
            health_score=Subquery(current.values("health_score")[:1]),
            plan_status=Subquery(current.values("status")[:1]),
        )
        .order_by("pk")
    )


def _programme_currency():
    """The programme's currency, in the rows' own query: the money the pages show with it
    (annual revenue, potential spend, an opportunity's values) is stored without one."""
    default = Programme._meta.get_field("currency").default
    return Coalesce(
        Subquery(Programme.objects.order_by("pk").values("currency")[:1]),
        Value(default),
        output_field=CharField(),
    )


def key_accounts_changed_since(rows: QuerySet[KeyAccount], since) -> QuerySet[KeyAccount]:
    """Those whose representation may have changed at or after `since`: the account itself,
    its customer (the name and reference it shows) or its current plan (the plan's status). A
    health score moved by the date alone counts for none of them."""
    plan_changed = AccountPlan.objects.filter(
        key_account=OuterRef("pk"), is_current=True, updated_at__gte=since
    )
    return rows.filter(
        Q(updated_at__gte=since) | Q(customer__updated_at__gte=since) | Exists(plan_changed)
    )


def customers_for_api() -> QuerySet[Customer]:
    """Candidate customers (the caller checks `can_view_candidates`)."""
    return Customer.objects.annotate(key_account_pk=Subquery(
        KeyAccount.objects.filter(customer=OuterRef("pk")).values("pk")[:1]
    ), currency=_programme_currency()).order_by("pk")  # fmt: skip


def stakeholders_for_api(*, account: KeyAccount) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.filter(key_account=account).order_by("pk")


def opportunities_for_api(*, account: KeyAccount) -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.filter(key_account=account)
        .annotate(currency=_programme_currency())
        .prefetch_related(Prefetch("stakeholders", queryset=Stakeholder.objects.only("pk")))
        .order_by("pk")
    )


def current_plan_for_api(*, account: KeyAccount) -> AccountPlan | None:
    """The current plan with its objectives, their targets and each target's measurements
    (newest first): four queries whatever the plan's size."""
    targets = Target.objects.prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("-measured_on", "-pk"))
    )
    objectives = Objective.objects.prefetch_related(Prefetch("targets", queryset=targets))
    return (
        AccountPlan.objects.filter(key_account=account, is_current=True)
        .prefetch_related(Prefetch("objectives", queryset=objectives))
        .first()
    )


def targets_of_current_plan(*, account: KeyAccount) -> QuerySet[Target]:
    return Target.objects.filter(
        objective__plan__key_account=account, objective__plan__is_current=True
    )


def measurements_for_api(*, target: Target) -> QuerySet[Measurement]:
    return Measurement.objects.filter(target=target).order_by("-measured_on", "-pk")


def actions_for_api(*, user) -> QuerySet[Action]:
    """Actions of the current plans of the accounts `user` sees."""
    return (
        Action.objects.filter(
            plan__is_current=True, plan__key_account__in=accounts_visible_to(user)
        )
        .select_related("plan")
        .order_by("due_on", "pk")
    )


def meetings_for_api(*, account: KeyAccount) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(key_account=account)
        .prefetch_related("attendees", "stakeholders")
        .order_by("-starts_at", "-pk")
    )
