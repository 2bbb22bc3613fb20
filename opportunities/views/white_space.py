"""The white-space grid: business units × offerings, a cell's state, a cell made an
opportunity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import Programme
from common.conflicts import EditConflict, describe_conflict
from common.form_pages import apply_errors, edit_page

from .. import selectors, services
from ..forms import BusinessUnitForm, CellForm, CellStateForm
from ..models import BusinessUnit, Offering
from .base import _common


@login_required
@require_GET
def white_space(request, account_id: int):
    return _white_space_page(request, account_id)


def _white_space_page(request, account_id: int, unit_form=None, conflict=None, typed=None):
    """The grid; with `conflict` (a cell set from a stale page) it answers 409 and the cell's
    form keeps `typed` ((unit pk, offering pk, state)) with the cell's saved revision."""
    account = permissions.get_account_for_user(request.user, account_id)
    grid = selectors.white_space_grid(account=account)
    if typed is not None:
        unit_id, offering_id, state = typed
        for _, cells in grid["rows"]:
            for cell in cells:
                if (cell.unit.pk, cell.offering.pk) == (unit_id, offering_id):
                    cell.typed = state
    status = 400 if unit_form is not None else 200
    return render(
        request,
        "opportunities/white_space.html",
        {
            **_common(request, account),
            "grid": grid,
            "unit_form": unit_form or BusinessUnitForm(),
            "cell_states": CellStateForm.base_fields["state"].choices,
            "conflict": conflict,
        },
        status=conflict.status if conflict else status,
    )


@login_required
@require_POST
def business_unit_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = BusinessUnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.business_unit_create(
                account=account, name=form.cleaned_data["name"], acting_user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Business unit “%(name)s” added.") % {"name": unit.name})
            return redirect("opportunities:white_space", account.pk)
    return _white_space_page(request, account_id, unit_form=form)


@login_required
def business_unit_edit(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    unit = get_object_or_404(BusinessUnit, pk=pk, key_account=account)

    def save(form):
        # A fresh copy: validating the form wrote its input onto `unit`.
        return services.business_unit_rename(
            unit=BusinessUnit.objects.get(pk=unit.pk),
            name=form.cleaned_data["name"],
            acting_user=request.user,
            revision=form.opened_at,
        )

    return edit_page(
        request,
        BusinessUnitForm(request.POST or None, instance=unit),
        save=save,
        saved_form=lambda current: BusinessUnitForm(instance=current),
        done=lambda _saved: (
            _("Business unit renamed."),
            reverse("opportunities:white_space", args=[account.pk]),
        ),
        template="opportunities/business_unit_form.html",
        context={**_common(request, account), "unit": unit},
    )


@login_required
@require_POST
def business_unit_delete(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    unit = get_object_or_404(BusinessUnit, pk=pk, key_account=account)
    name = unit.name
    services.business_unit_delete(unit=unit, acting_user=request.user)
    messages.success(request, _("Business unit “%(name)s” removed from the grid.") % {"name": name})
    return redirect("opportunities:white_space", account.pk)


def _cell_parts(account, form) -> tuple[BusinessUnit, Offering]:
    unit = get_object_or_404(BusinessUnit, pk=form.cleaned_data["unit"], key_account=account)
    offering = get_object_or_404(
        Offering, pk=form.cleaned_data["offering"], programme_id=Programme.current().pk
    )
    return unit, offering


@login_required
@require_POST
def white_space_cell(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = CellStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed cell states."))
        return redirect("opportunities:white_space", account.pk)
    unit, offering = _cell_parts(account, form)
    state = form.cleaned_data["state"]
    try:
        services.white_space_cell_set(
            unit=unit,
            offering=offering,
            state=state,
            acting_user=request.user,
            revision=form.cleaned_data["revision"],
        )
    except EditConflict as conflict:
        current = conflict.current
        saved = CellStateForm(
            initial={
                "unit": unit.pk,
                "offering": offering.pk,
                "state": current.state if current.pk else services.OPEN,
                "revision": conflict.revision,
            }
        )
        for cell_form in (form, saved):  # the bound field (cached) carries the label shown
            cell_form["state"].label = _("%(offering)s at %(unit)s") % {
                "offering": offering.name,
                "unit": unit.name,
            }
        details = describe_conflict(conflict, form=form, saved=saved)
        typed = (unit.pk, offering.pk, state)
        return _white_space_page(request, account.pk, conflict=details, typed=typed)
    messages.success(
        request,
        _("%(offering)s × %(unit)s updated.") % {"offering": offering.name, "unit": unit.name},
    )
    return redirect("opportunities:white_space", account.pk)


@login_required
@require_POST
def white_space_cell_opportunity(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = CellForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a cell of the grid."))
        return redirect("opportunities:white_space", account.pk)
    unit, offering = _cell_parts(account, form)
    try:
        result = services.white_space_cell_to_opportunity(
            unit=unit, offering=offering, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("opportunities:white_space", account.pk)
    if result.created:
        messages.success(
            request,
            _("Opportunity “%(title)s” created from the white space.")
            % {"title": result.opportunity.title},
        )
    else:
        messages.info(request, _("This cell is already linked to an opportunity."))
    return redirect("opportunities:opportunity_edit", account.pk, result.opportunity.pk)
