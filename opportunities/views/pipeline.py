"""The pipeline: everyone's and an account's, with their CSV exports."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts.models import Programme
from common.csv_export import csv_response

from .. import selectors, services, signals
from ..models import Opportunity
from .base import _common

PAGE_SIZE = 25


def _pipeline_context(request, *, account=None) -> dict:
    filters = selectors.PipelineFilters.from_query(request.GET)
    opportunities = selectors.pipeline(user=request.user, filters=filters, account=account)
    scope = selectors.pipeline(
        user=request.user,
        filters=selectors.PipelineFilters(include_deselected=filters.include_deselected),
        account=account,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    totals = selectors.pipeline_totals(opportunities=opportunities)
    paginator = Paginator(opportunities, PAGE_SIZE)
    # The totals counted the same opportunities: no second pass over all of them to count.
    paginator.count = totals["count"]
    return {
        "page": paginator.get_page(request.GET.get("page")),
        "filters": filters,
        "totals": totals,
        "owners": selectors.pipeline_owners(opportunities=scope),
        "statuses": Opportunity.Status.choices,
        "levers": Opportunity.Lever.choices,
        "sort_query": query.urlencode(),
        "export_query": request.GET.urlencode(),
        "formula": services.FORMULA_TEXT,
    }


@login_required
@require_GET
def index(request):
    context = _pipeline_context(request)
    context["currency"] = Programme.current().currency
    context["can_manage_offerings"] = permissions.can_manage_offerings(request.user)
    return render(request, "opportunities/index.html", context)


@login_required
@require_GET
def account_opportunities(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    context = _pipeline_context(request, account=account)
    context.update(_common(request, account))
    context["matrix"] = selectors.account_matrix(account=account)
    context["quick_wins"] = selectors.quick_wins(account=account)
    context["money_bands"] = services.MONEY_BANDS_TEXT
    context["waiting"] = signals.waiting_on(account.pk)
    return render(request, "opportunities/account_opportunities.html", context)


CSV_HEADER = [
    gettext_lazy("Account"),
    gettext_lazy("Opportunity"),
    gettext_lazy("Status"),
    gettext_lazy("Lever"),
    gettext_lazy("Who benefits"),
    gettext_lazy("Estimated annual value"),
    gettext_lazy("Profit potential"),
    gettext_lazy("Strategic value for us"),
    gettext_lazy("Strategic value for the customer"),
    gettext_lazy("Effort"),
    gettext_lazy("Risk"),
    gettext_lazy("Priority"),
    gettext_lazy("Quadrant"),
    gettext_lazy("Owner"),
    gettext_lazy("Source"),
    gettext_lazy("Identified on"),
    gettext_lazy("Expected close/start"),
    gettext_lazy("Decision"),
    gettext_lazy("Decision reason"),
]


def _csv_rows(opportunities):
    for o in opportunities.iterator(chunk_size=500):
        yield [
            o.key_account.customer.name,
            o.title,
            o.get_status_display(),
            o.get_lever_display(),
            o.get_beneficiary_display(),
            o.annual_value,
            o.profit_potential,
            # Not scored yet: empty cells, never a made-up score.
            "" if o.strategic_value_us is None else o.strategic_value_us,
            "" if o.strategic_value_customer is None else o.strategic_value_customer,
            "" if o.effort is None else o.effort,
            "" if o.risk is None else o.risk,
            "" if o.priority is None else o.priority,
            o.get_quadrant_display() if o.quadrant else _("Not scored yet"),
            str(o.owner) if o.owner else "",
            o.get_source_display(),
            o.identified_on.isoformat(),
            o.expected_start_on.isoformat() if o.expected_start_on else "",
            o.get_decision_display(),
            o.decision_reason,
        ]


@login_required
@require_GET
def pipeline_csv(request):
    filters = selectors.PipelineFilters.from_query(request.GET)
    opportunities = selectors.pipeline(user=request.user, filters=filters)
    stamp = timezone.localdate().isoformat()
    return csv_response(f"opportunities-{stamp}.csv", CSV_HEADER, _csv_rows(opportunities))


@login_required
@require_GET
def account_opportunities_csv(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    filters = selectors.PipelineFilters.from_query(request.GET)
    opportunities = selectors.pipeline(user=request.user, filters=filters, account=account)
    stamp = timezone.localdate().isoformat()
    return csv_response(
        f"opportunities-{account.customer.reference}-{stamp}.csv",
        CSV_HEADER,
        _csv_rows(opportunities),
    )
