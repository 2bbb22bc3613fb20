"""`/api/v1/`: the KAM programme for other systems.

Each view does what the page does, in the same order: access (`accounts/permissions.py`: 404
for an account the person does not see, 403 for a role without the right), the page's form
(api/v1/binding.py), the page's service, and the revision check of `common/conflicts.py`
(api/v1/concurrency.py). Objects below an account are always looked up within it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts import permissions
from accounts.models import Classification, KeyAccount, RelationshipStage
from accounts.selectors import user_today
from api import selectors
from common.conflicts import EditConflict
from delivery.forms import ActionProgressForm, MeasurementForm
from delivery.services import monitoring
from delivery.services import progress as progress_services
from discovery import services as discovery_services
from discovery.forms import StakeholderForm
from discovery.models import Stakeholder
from opportunities import services as opportunity_services
from opportunities.forms import OpportunityForm
from opportunities.models import Opportunity
from planning.models import AccountPlan, Action, Target
from planning.services import plan_health_refresh
from strategy import services as strategy_services
from strategy.forms import CustomerForm

from . import serializers as out
from .binding import bind
from .concurrency import revision_from, stale_response, with_etag
from .errors import invalid

ACCOUNT = OpenApiParameter("account_id", int, OpenApiParameter.PATH)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. "3"); or send `revision` in the body.',
)
STALE = OpenApiResponse(description="Stale revision: nothing saved; `current` is saved now.")
ERRORS = OpenApiResponse(description="Bad input: `errors` names each field.")
UPDATED_SINCE = OpenApiParameter(
    "updated_since", OpenApiTypes.DATETIME, description="Only those changed at or after it."
)
ACCOUNTS_UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only those whose account, customer (name, reference) or current plan changed "
    "at or after it.",
)

StakeholderInput = out.form_schema(
    StakeholderForm, "StakeholderInput", required=("name", "buying_role")
)
OpportunityInput = out.form_schema(OpportunityForm, "OpportunityInput", required=("title",))
CustomerInput = out.form_schema(CustomerForm, "CustomerInput", required=("reference", "name"))
MeasurementInput = out.form_schema(
    MeasurementForm, "MeasurementInput", required=("measured_on", "actual")
)
ProgressInput = out.form_schema(
    ActionProgressForm, "ActionProgressInput", required=("status", "progress_percent")
)


# ---- helpers ---------------------------------------------------------------------------------


def _account(request, account_id, capability=permissions.VIEW) -> KeyAccount:
    return permissions.get_account_for_user(request.user, account_id, capability)


def _choice(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value not in choices:
        raise ApiValidationError(
            {name: [gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}]}
        )
    return value


def _since(request, name: str = "updated_since") -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        value = datetime(day.year, day.month, day.day) if day else None
    if value is None:
        raise ApiValidationError({name: [gettext("Send an ISO 8601 date or date and time.")]})
    return make_aware(value) if is_naive(value) else value


def _int(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiValidationError({name: [gettext("Send a whole number.")]}) from None


def _saved(serializer_class, instance, *, status_code=status.HTTP_200_OK, context=None) -> Response:
    response = Response(serializer_class(instance, context=context).data, status=status_code)
    return with_etag(response, instance.revision) if hasattr(instance, "revision") else response


def _detail(serializer_class, instance, *, context=None) -> Response:
    return _saved(serializer_class, instance, context=context)


# ---- the root --------------------------------------------------------------------------------


class ApiRoot(GenericAPIView):
    """Where to start: the lists, the schema and the docs."""

    @extend_schema(responses=inline_serializer("ApiRoot", {"links": serializers.DictField()}))
    def get(self, request):
        def link(name):
            return reverse(f"api_v1:{name}", request=request)

        return Response(
            {
                "links": {
                    "key_accounts": link("key_account_list"),
                    "customers": link("customer_list"),
                    "actions": link("action_list"),
                    "schema": link("schema"),
                    "docs": link("docs"),
                },
                "you": {"id": request.user.pk, "username": request.user.get_username()},
                "token_scope": request.auth.scope,
            }
        )


# ---- key accounts ----------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("classification", enum=Classification.values),
        OpenApiParameter("relationship_stage", enum=RelationshipStage.values),
        OpenApiParameter("status", enum=KeyAccount.Status.values),
        ACCOUNTS_UPDATED_SINCE,
    ]
)
class KeyAccountList(ListAPIView):
    """The key accounts you see, with class, relationship stage and plan health."""

    serializer_class = out.KeyAccountSerializer

    def get_queryset(self):
        rows = selectors.key_accounts_for_api(user=self.request.user)
        request = self.request
        classification = _choice(request, "classification", Classification.values)
        stage = _choice(request, "relationship_stage", RelationshipStage.values)
        state = _choice(request, "status", KeyAccount.Status.values)
        since = _since(request)
        if classification:
            rows = rows.filter(classification=classification)
        if stage:
            rows = rows.filter(relationship_stage=stage)
        if state:
            rows = rows.filter(status=state)
        if since:
            rows = selectors.key_accounts_changed_since(rows, since)
        return rows

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _fresh_health(page)
        return page


def _fresh_health(accounts) -> None:
    """As the portfolio dashboard does: stale plan health scores of the accounts shown are
    recomputed first (one query when none is stale), then read again."""
    ids = [account.pk for account in accounts or ()]
    if not ids:
        return
    plans = AccountPlan.objects.filter(key_account_id__in=ids, is_current=True)
    if plan_health_refresh(plans=plans):
        scores = dict(plans.values_list("key_account_id", "health_score"))
        for account in accounts:
            account.health_score = scores.get(account.pk)


class KeyAccountDetail(GenericAPIView):
    serializer_class = out.KeyAccountSerializer

    @extend_schema(parameters=[ACCOUNT])
    def get(self, request, account_id: int):
        _account(request, account_id)
        account = selectors.key_accounts_for_api(user=request.user).get(pk=account_id)
        _fresh_health([account])
        return _detail(out.KeyAccountSerializer, account)


# ---- customers -------------------------------------------------------------------------------


@extend_schema(
    parameters=[OpenApiParameter("classification", enum=Classification.values), UPDATED_SINCE]
)
class CustomerList(ListAPIView):
    """Candidate customers (selected ones have a `key_account_id`). Who may read them, and who
    may add or change them (programme admins), is as on the Strategy pages."""

    serializer_class = out.CustomerSerializer

    def get_queryset(self):
        permissions.require(permissions.can_view_candidates(self.request.user))
        rows = selectors.customers_for_api()
        classification = _choice(self.request, "classification", Classification.values)
        since = _since(self.request)
        if classification:
            rows = rows.filter(classification=classification)
        if since:
            rows = rows.filter(updated_at__gte=since)
        return rows

    @extend_schema(
        request=CustomerInput,
        responses={201: out.CustomerSerializer, 400: ERRORS},
    )
    def post(self, request):
        permissions.require(permissions.can_manage_customers(request.user))
        bound = bind(CustomerForm, request.data)
        errors = bound.errors()
        if errors:
            return invalid(errors)
        customer = strategy_services.customer_save(
            data=bound.cleaned_data, acting_user=request.user
        )
        customer = selectors.customers_for_api().get(pk=customer.pk)
        return _saved(out.CustomerSerializer, customer, status_code=status.HTTP_201_CREATED)


class CustomerDetail(GenericAPIView):
    serializer_class = out.CustomerSerializer

    def _customer(self, customer_id):
        return get_object_or_404(selectors.customers_for_api(), pk=customer_id)

    def get(self, request, customer_id: int):
        permissions.require(permissions.can_view_candidates(request.user))
        return _detail(out.CustomerSerializer, self._customer(customer_id))

    @extend_schema(
        request=CustomerInput,
        parameters=[IF_MATCH],
        responses={200: out.CustomerSerializer, 400: ERRORS, 412: STALE},
    )
    def patch(self, request, customer_id: int):
        permissions.require(permissions.can_manage_customers(request.user))
        customer = self._customer(customer_id)
        revision = revision_from(request, request.data)
        bound = bind(CustomerForm, request.data, instance=customer, revision=revision)
        errors = bound.errors()
        if errors:
            return invalid(errors)
        try:
            strategy_services.customer_save(
                data=bound.cleaned_data,
                acting_user=request.user,
                customer=customer,
                revision=revision,
            )
        except EditConflict as conflict:
            current = self._customer(customer_id)
            return stale_response(conflict, out.CustomerSerializer(current).data)
        return _detail(out.CustomerSerializer, self._customer(customer_id))


# ---- stakeholders ----------------------------------------------------------------------------


@extend_schema(
    parameters=[
        ACCOUNT,
        OpenApiParameter("include_archived", bool, description="Archived ones too."),
    ]
)
class StakeholderList(ListAPIView):
    """An account's stakeholders; `reports_to_id` draws the org chart."""

    serializer_class = out.StakeholderSerializer

    def get_queryset(self):
        account = _account(self.request, self.kwargs["account_id"])
        rows = selectors.stakeholders_for_api(account=account)
        if self.request.query_params.get("include_archived") not in ("true", "1"):
            rows = rows.filter(archived_at__isnull=True)
        return rows

    @extend_schema(
        request=StakeholderInput, responses={201: out.StakeholderSerializer, 400: ERRORS}
    )
    def post(self, request, account_id: int):
        account = _account(request, account_id, permissions.EDIT)
        bound = bind(StakeholderForm, request.data, account=account)
        errors = bound.errors()
        if errors:
            return invalid(errors)
        stakeholder = discovery_services.stakeholder_save(
            account=account,
            stakeholder=None,
            fields=bound.cleaned_data,
            acting_user=request.user,
        )
        return _saved(out.StakeholderSerializer, stakeholder, status_code=status.HTTP_201_CREATED)


class StakeholderDetail(GenericAPIView):
    serializer_class = out.StakeholderSerializer

    @extend_schema(parameters=[ACCOUNT])
    def get(self, request, account_id: int, stakeholder_id: int):
        account = _account(request, account_id)
        stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
        return _detail(out.StakeholderSerializer, stakeholder)

    @extend_schema(
        parameters=[ACCOUNT, IF_MATCH],
        request=StakeholderInput,
        responses={200: out.StakeholderSerializer, 400: ERRORS, 412: STALE},
    )
    def patch(self, request, account_id: int, stakeholder_id: int):
        account = _account(request, account_id, permissions.EDIT)
        stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
        revision = revision_from(request, request.data)
        bound = bind(
            StakeholderForm, request.data, instance=stakeholder, revision=revision, account=account
        )
        errors = bound.errors()
        if errors:
            return invalid(errors)
        try:
            saved = discovery_services.stakeholder_save(
                account=account,
                stakeholder=stakeholder,
                fields=bound.cleaned_data,
                acting_user=request.user,
                revision=revision,
            )
        except EditConflict as conflict:
            return stale_response(conflict, out.StakeholderSerializer(conflict.current).data)
        return _detail(out.StakeholderSerializer, saved)


# ---- opportunities ---------------------------------------------------------------------------


@extend_schema(parameters=[ACCOUNT, OpenApiParameter("status", enum=Opportunity.Status.values)])
class OpportunityList(ListAPIView):
    serializer_class = out.OpportunitySerializer

    def get_queryset(self):
        account = _account(self.request, self.kwargs["account_id"])
        rows = selectors.opportunities_for_api(account=account)
        state = _choice(self.request, "status", Opportunity.Status.values)
        return rows.filter(status=state) if state else rows

    @extend_schema(
        request=OpportunityInput, responses={201: out.OpportunitySerializer, 400: ERRORS}
    )
    def post(self, request, account_id: int):
        account = _account(request, account_id, permissions.EDIT)
        payload = request.data if isinstance(request.data, dict) else None
        if payload is not None and "owner" not in payload:
            payload = {**payload, "owner": request.user.pk}  # as the page's initial owner
        bound = bind(OpportunityForm, payload, account=account)
        errors = bound.errors()
        if errors:
            return invalid(errors)
        form = bound.form
        opportunity = opportunity_services.opportunity_create(
            account=account,
            values=form.service_values(),
            stakeholders=list(form.cleaned_data["stakeholders"]),
            workshop=form.cleaned_data["workshop"],
            acting_user=request.user,
        )
        opportunity = selectors.opportunities_for_api(account=account).get(pk=opportunity.pk)
        return _saved(out.OpportunitySerializer, opportunity, status_code=status.HTTP_201_CREATED)


class OpportunityDetail(GenericAPIView):
    serializer_class = out.OpportunitySerializer

    @extend_schema(parameters=[ACCOUNT])
    def get(self, request, account_id: int, opportunity_id: int):
        account = _account(request, account_id)
        rows = selectors.opportunities_for_api(account=account)
        return _detail(out.OpportunitySerializer, get_object_or_404(rows, pk=opportunity_id))

    @extend_schema(
        parameters=[ACCOUNT, IF_MATCH],
        request=OpportunityInput,
        responses={200: out.OpportunitySerializer, 400: ERRORS, 412: STALE},
    )
    def patch(self, request, account_id: int, opportunity_id: int):
        account = _account(request, account_id, permissions.EDIT)
        rows = selectors.opportunities_for_api(account=account)
        opportunity = get_object_or_404(rows, pk=opportunity_id)
        revision = revision_from(request, request.data)
        bound = bind(
            OpportunityForm, request.data, instance=opportunity, revision=revision, account=account
        )
        errors = bound.errors()
        if errors:
            return invalid(errors)
        form = bound.form
        try:
            opportunity_services.opportunity_update(
                opportunity=opportunity,
                values=form.service_values(),
                stakeholders=list(form.cleaned_data["stakeholders"]),
                workshop=form.cleaned_data["workshop"],
                revision=revision,
                acting_user=request.user,
            )
        except EditConflict as conflict:
            current = rows.get(pk=opportunity_id)
            return stale_response(conflict, out.OpportunitySerializer(current).data)
        return _detail(out.OpportunitySerializer, rows.get(pk=opportunity_id))


# ---- plans, targets and measurements ---------------------------------------------------------


class PlanDetail(GenericAPIView):
    """The account's current plan: objectives, their targets, each with its latest
    measurement. 404 when the account has no current plan."""

    serializer_class = out.PlanSerializer

    @extend_schema(parameters=[ACCOUNT])
    def get(self, request, account_id: int):
        account = _account(request, account_id)
        plan = selectors.current_plan_for_api(account=account)
        if plan is None:
            return Response({"detail": gettext("This account has no current plan.")}, status=404)
        # As the key account's `health` and the account's page: a score made stale by a change
        # (an action done, an actual recorded) or by the date is recomputed before it is read.
        if plan_health_refresh(plans=AccountPlan.objects.filter(pk=plan.pk)):
            plan.refresh_from_db(fields=["health_score", "health_on"])
        # Each target's status on the reader's date, as the plan page draws it for them.
        return _detail(out.PlanSerializer, plan, context={"today": user_today(request.user)})


@extend_schema(parameters=[ACCOUNT])
class MeasurementList(ListAPIView):
    """A target's measurements (actuals), newest first. A CRM pushes actuals here with POST."""

    serializer_class = out.MeasurementSerializer

    def _target(self, capability=permissions.VIEW) -> Target:
        account = _account(self.request, self.kwargs["account_id"], capability)
        return get_object_or_404(
            selectors.targets_of_current_plan(account=account), pk=self.kwargs["target_id"]
        )

    def get_queryset(self):
        return selectors.measurements_for_api(target=self._target())

    @extend_schema(
        request=MeasurementInput, responses={201: out.MeasurementSerializer, 400: ERRORS}
    )
    def post(self, request, account_id: int, target_id: int):
        # As the Delivery progress page: whoever schedules for the account records actuals.
        target = self._target(permissions.SCHEDULE)
        bound = bind(MeasurementForm, request.data)
        errors = bound.errors()
        if errors:
            return invalid(errors)
        data = bound.cleaned_data
        measurement = monitoring.measurement_record(
            target=target,
            measured_on=data["measured_on"],
            actual=data["actual"],
            comment=data["comment"],
            acting_user=request.user,
        )
        return _saved(out.MeasurementSerializer, measurement, status_code=status.HTTP_201_CREATED)


# ---- actions ---------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("status", enum=Action.Status.values),
        OpenApiParameter("owner", str, description="A person's id, or `me`."),
        OpenApiParameter("account", int, description="One key account's id."),
        OpenApiParameter("due_before", OpenApiTypes.DATE, description="Due before this day."),
    ]
)
class ActionList(ListAPIView):
    """Actions of the current plans of every account you see."""

    serializer_class = out.ActionSerializer

    def get_queryset(self):
        request = self.request
        rows = selectors.actions_for_api(user=request.user)
        state = _choice(request, "status", Action.Status.values)
        if state:
            rows = rows.filter(status=state)
        owner = request.query_params.get("owner")
        if owner == "me":
            rows = rows.filter(owner=request.user)
        elif owner:
            rows = rows.filter(owner_id=_int(request, "owner"))
        account = _int(request, "account")
        if account is not None:
            rows = rows.filter(plan__key_account_id=account)
        raw_due = request.query_params.get("due_before")
        if raw_due:
            due = parse_date(raw_due)
            if due is None:
                raise ApiValidationError({"due_before": [gettext("Send a date: YYYY-MM-DD.")]})
            rows = rows.filter(due_on__lt=due)
        return rows


def _action(request, account_id, action_id) -> tuple[KeyAccount, Action]:
    account = _account(request, account_id)
    action = get_object_or_404(
        Action.objects.select_related("plan"), pk=action_id, plan__key_account=account
    )
    return account, action


class ActionDetail(GenericAPIView):
    serializer_class = out.ActionSerializer

    @extend_schema(parameters=[ACCOUNT])
    def get(self, request, account_id: int, action_id: int):
        return _detail(out.ActionSerializer, _action(request, account_id, action_id)[1])


class ActionProgress(GenericAPIView):
    """Report progress on an action, as on its Delivery page: status, percent and a note
    (team members only on their own actions)."""

    serializer_class = out.ActionSerializer

    @extend_schema(
        parameters=[ACCOUNT, IF_MATCH],
        request=ProgressInput,
        responses={200: out.ActionSerializer, 400: ERRORS, 412: STALE},
    )
    def post(self, request, account_id: int, action_id: int):
        account, action = _action(request, account_id, action_id)
        if not permissions.can_update_action(request.user, account, action.owner_id):
            raise PermissionDenied(
                gettext("Team members update progress on their own actions only.")
            )
        revision = revision_from(request, request.data)
        bound = bind(ActionProgressForm, request.data, revision=revision)
        errors = bound.errors()
        if errors:
            return invalid(errors)
        data = bound.cleaned_data
        try:
            progress_services.action_progress_update(
                action=action,
                status=data["status"],
                progress_percent=data["progress_percent"],
                note=data["note"],
                revision=revision,
                acting_user=request.user,
            )
        except EditConflict as conflict:
            return stale_response(conflict, out.ActionSerializer(conflict.current).data)
        return _detail(out.ActionSerializer, _action(request, account_id, action_id)[1])


# ---- meetings --------------------------------------------------------------------------------


@extend_schema(parameters=[ACCOUNT])
class MeetingList(ListAPIView):
    """An account's meetings, latest first."""

    serializer_class = out.MeetingSerializer

    def get_queryset(self):
        account = _account(self.request, self.kwargs["account_id"])
        return selectors.meetings_for_api(account=account)
