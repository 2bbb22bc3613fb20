"""Profitability years and customer lifetime value."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Programme
from accounts.permissions import EDIT, VIEW, get_account_for_user
from common.conflicts import EditConflict, describe_conflict

from .. import selectors, services
from ..forms import (
    LifetimeValueForm,
    ProfitabilityYearForm,
)
from ..models import (
    LifetimeValueAssumption,
    ProfitabilityYear,
)
from .common import _apply_errors, _context, _render_form, form_page


@login_required
@require_GET
def profitability(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    rows = selectors.profitability_rows(account)
    return render(
        request,
        "discovery/profitability.html",
        _context(
            request,
            account,
            rows=rows,
            table=selectors.profitability_table(rows),
            years_without_cogs=[r.year for r in rows if r.gross_sales and not r.cost_of_goods],
            chart=selectors.profitability_chart(rows),
            clv=selectors.account_lifetime_value(account, rows),
            currency=Programme.current().currency,
        ),
    )


def _year_form(request, account, row, *, title):
    conflict = None
    if request.method == "POST":
        form = ProfitabilityYearForm(request.POST, instance=row or ProfitabilityYear())
        if form.is_valid():
            try:
                saved = services.profitability_year_save(
                    account=account,
                    row=row,
                    fields=form.cleaned_data,
                    acting_user=request.user,
                    revision=form.opened_at,
                )
            except EditConflict as exc:
                saved_form = ProfitabilityYearForm(instance=exc.current)
                conflict = describe_conflict(exc, form=form, saved=saved_form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Profitability for %(year)s saved.") % {"year": saved.year}
                )
                return redirect("discovery:profitability", account.pk)
    else:
        initial = {} if row else {"year": timezone.localdate().year}
        form = ProfitabilityYearForm(instance=row, initial=initial)
    return _render_form(
        request,
        account,
        form,
        tab="Profitability",
        title=title,
        cancel_url=reverse("discovery:profitability", args=[account.pk]),
        conflict=conflict,
        intro=_(
            "Amounts in %(currency)s, all positive. Gross margin = gross "
            "sales − cost of goods; cost to serve = the sum of the lines from discounts to other "
            "cost to serve; net account profit = gross margin − cost to serve."
        )
        % {"currency": Programme.current().currency},
    )


@login_required
@form_page
def year_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _year_form(request, account, None, title=_("Add a profitability year"))


@login_required
@form_page
def year_edit(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    return _year_form(
        request, account, row, title=_("Edit profitability %(year)s") % {"year": row.year}
    )


@login_required
@require_POST
def year_delete(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    services.profitability_year_delete(row=row, acting_user=request.user)
    messages.success(request, _("Profitability for %(year)s removed.") % {"year": row.year})
    return redirect("discovery:profitability", account.pk)


@login_required
@form_page
def lifetime_value_edit(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    assumption = LifetimeValueAssumption.objects.filter(key_account=account).first()
    instance = assumption or LifetimeValueAssumption(key_account=account)
    conflict = None
    if request.method == "POST":
        form = LifetimeValueForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                services.lifetime_value_assumption_save(
                    account=account,
                    fields=form.cleaned_data,
                    acting_user=request.user,
                    revision=form.opened_at,
                )
            except EditConflict as exc:
                saved_form = LifetimeValueForm(instance=exc.current)
                conflict = describe_conflict(exc, form=form, saved=saved_form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Lifetime value assumptions saved."))
                return redirect(f"{reverse('discovery:profitability', args=[account.pk])}#clv")
    else:
        # One row per account, edited even before it exists (revision 0 then: whoever saves
        # first creates it, and the other gets the conflict).
        form = LifetimeValueForm(instance=instance, initial={"revision": instance.revision})
    return _render_form(
        request,
        account,
        form,
        tab="Profitability",
        title=_("Lifetime value assumptions"),
        cancel_url=f"{reverse('discovery:profitability', args=[account.pk])}#clv",
        conflict=conflict,
        intro=_(
            "Customer lifetime value is the net present value of the expected yearly "
            "profits: year n's profit = year-1 profit × (1 + growth)^(n−1), discounted by "
            "(1 + discount rate)^n."
        ),
    )
