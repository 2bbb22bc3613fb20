"""Profitability years and customer lifetime value, edited in place (common/inplace.py).

The page has two blocks: the years (table, trend chart, "Add a year", each year's "Edit" and
"Remove": discovery/_profitability_years.html) and the lifetime value
(_lifetime_value.html, "Change assumptions"). A year saved or removed also redraws the
lifetime value out of band, since its base may be the latest year's net profit.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Programme
from accounts.permissions import EDIT, VIEW, get_account_for_user
from accounts.selectors import user_today
from common import inplace

from .. import selectors, services
from ..forms import LifetimeValueForm, ProfitabilityYearForm
from ..models import LifetimeValueAssumption, ProfitabilityYear
from .common import _context, form_page

YEARS, CLV = "profitability-years", "clv"
PARTIALS = {
    YEARS: "discovery/_profitability_years.html",
    CLV: "discovery/_lifetime_value.html",
}


def _profitability_page(request, account, *, block="", editing=None, status=200, announce="",
                        fragment=False):  # fmt: skip
    partials = [PARTIALS.get(block, PARTIALS[YEARS])]
    if block == YEARS and announce:
        # A year's net profit may be the lifetime value's base: redraw it too.
        partials.append(PARTIALS[CLV])
    rows = selectors.profitability_rows(account)
    table = selectors.profitability_table(rows)
    context = _context(
        request,
        account,
        rows=rows,
        table=table,
        year_cards=selectors.profitability_cards(rows, table),
        years_without_cogs=[r.year for r in rows if r.gross_sales and not r.cost_of_goods],
        chart=selectors.profitability_chart(rows),
        # Read for the page, or when its block is drawn (the years alone do not show it).
        clv=selectors.account_lifetime_value(account, rows)
        if not fragment or PARTIALS[CLV] in partials
        else None,
        currency=Programme.current().currency,
        editing=editing,
        editing_block=block,
        editing_anchor=block,
        clv_oob=PARTIALS[CLV] in partials[1:],
    )
    return inplace.page_or_fragment(
        request, "discovery/profitability.html", partials, context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


def _page_url(account, anchor: str = "") -> str:
    url = reverse("discovery:profitability", args=[account.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def profitability(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    # An editor's "Cancel" asks htmx for its block alone.
    block = inplace.fragment_target(request, PARTIALS)
    return _profitability_page(request, account, block=block or "", fragment=bool(block))


def _year_form(request, account, row):
    def form(data=None):
        # The reader's own year (their time zone's), the latest the service accepts.
        initial = {} if row else {"year": user_today(request.user).year}
        return ProfitabilityYearForm(data, instance=row or ProfitabilityYear(), initial=initial)

    def save(bound):
        return services.profitability_year_save(
            account=account,
            row=row,
            fields=bound.cleaned_data,
            acting_user=request.user,
            revision=bound.opened_at,
        )

    return inplace.edit_in_place(
        request,
        block=YEARS,
        render=partial(_profitability_page, request, account, block=YEARS),
        form=form,
        save=save,
        saved_form=lambda current: ProfitabilityYearForm(instance=current),
        done=lambda saved: _("Profitability for %(year)s saved.") % {"year": saved.year},
        redirect_to=lambda saved: _page_url(account, YEARS),
        cancel_url=_page_url(account),
        mode="edit" if row else "add",
        pk=row.pk if row else None,
        add_another=True,
    )


@login_required
@form_page
def year_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _year_form(request, account, None)


@login_required
@form_page
def year_edit(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    return _year_form(request, account, row)


@login_required
@require_POST
def year_delete(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    services.profitability_year_delete(row=row, acting_user=request.user)
    done = _("Profitability for %(year)s removed.") % {"year": row.year}
    if inplace.fragment_target(request, [YEARS]):
        return _profitability_page(request, account, block=YEARS, announce=done, fragment=True)
    messages.success(request, done)
    return redirect(_page_url(account, YEARS))


@login_required
@form_page
def lifetime_value_edit(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    assumption = LifetimeValueAssumption.objects.filter(key_account=account).first()
    instance = assumption or LifetimeValueAssumption(key_account=account)

    def form(data=None):
        # One row per account, edited even before it exists (revision 0 then: whoever saves
        # first creates it, and the other gets the conflict).
        return LifetimeValueForm(data, instance=instance, initial={"revision": instance.revision})

    def save(bound):
        return services.lifetime_value_assumption_save(
            account=account,
            fields=bound.cleaned_data,
            acting_user=request.user,
            revision=bound.opened_at,
        )

    return inplace.edit_in_place(
        request,
        block=CLV,
        render=partial(_profitability_page, request, account, block=CLV),
        form=form,
        save=save,
        saved_form=lambda current: LifetimeValueForm(instance=current),
        done=lambda saved: _("Lifetime value assumptions saved."),
        redirect_to=lambda saved: _page_url(account, CLV),
        cancel_url=_page_url(account),
        mode="edit",
    )
