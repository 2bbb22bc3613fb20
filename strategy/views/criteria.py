"""The selection criteria, edited in place (common/inplace.py), the matrix settings on the
same page, and the classification matrix they draw."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import Programme
from common import inplace
from common.conflicts import EditConflict, describe_conflict
from common.form_pages import apply_errors

from .. import selectors, services
from ..forms import CriterionForm, MatrixSettingsForm
from ..models import SelectionCriterion
from .base import _rescore_message, _strategy_context


@login_required
@require_GET
def criteria(request):
    # "Cancel" in a criterion's editor asks htmx for the tables alone.
    return _criteria_page(
        request, fragment=inplace.fragment_target(request, [CRITERIA]) is not None
    )


# The criteria tables are one block edited in place (common/inplace.py): "Add a criterion" and
# "Edit" open their form in it (strategy/_criteria_tables.html, which criteria.html includes); a
# save redraws both axes, since a weight moves every share of its axis.
CRITERIA = "criteria-tables"


def _criteria_page(request, settings_form=None, conflict=None, *, editing=None, status=200,
                   announce="", fragment=False):  # fmt: skip
    programme = Programme.current()
    all_criteria = selectors.criteria_for(programme=programme)
    archived = [c for c in all_criteria if c.archived_at]
    context = _strategy_context(
        request.user,
        programme=programme,
        axes=[
            {
                "label": label,
                "value": value,
                "criteria": [c for c in all_criteria if c.axis == value and not c.archived_at],
                "threshold": getattr(programme, f"{value}_threshold"),
            }
            for value, label in (
                ("attractiveness", _("Account attractiveness")),
                ("strength", _("Our business strength")),
            )
        ],
        archived=archived,
        # An archived criterion's editor (the archived list is outside the block edited in
        # place): opened on it, or an edit refused because it was archived meanwhile, which
        # must come back with what was typed.
        editing_archived=next(
            (
                c
                for c in archived
                if editing and editing["mode"] == "edit" and editing["pk"] == c.pk
            ),
            None,
        ),
        # The programme is one row, edited even before it is first saved (revision 0 then).
        settings_form=settings_form
        or MatrixSettingsForm(instance=programme, initial={"revision": programme.revision}),
        conflict=conflict,
        editing=editing,
        editing_anchor=CRITERIA,
    )
    if conflict and not fragment:
        status = conflict.status
    return inplace.page_or_fragment(
        request, "strategy/criteria.html", ["strategy/_criteria_tables.html"], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_POST
def matrix_settings(request):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()
    form = MatrixSettingsForm(request.POST, instance=Programme.current())
    if form.is_valid():
        try:
            result = services.programme_matrix_settings_update(
                programme=programme,
                acting_user=request.user,
                attractiveness_threshold=form.cleaned_data["attractiveness_threshold"],
                strength_threshold=form.cleaned_data["strength_threshold"],
                key_account_limit_percent=form.cleaned_data["key_account_limit_percent"],
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            details = describe_conflict(
                conflict, form=form, saved=MatrixSettingsForm(instance=conflict.current)
            )
            return _criteria_page(request, settings_form=form, conflict=details)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Matrix settings saved; %(result)s") % {"result": _rescore_message(result)},
            )
            return redirect("strategy:criteria")
    return _criteria_page(request, settings_form=form)


@login_required
def criterion_add(request):
    return _criterion_form(request, criterion=None)


@login_required
def criterion_edit(request, criterion_id: int):
    programme = Programme.current()
    criterion = get_object_or_404(SelectionCriterion, pk=criterion_id, programme_id=programme.pk)
    return _criterion_form(request, criterion=criterion)


def _criterion_form(request, *, criterion):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()

    def save(bound):
        return services.criterion_save(
            programme=programme,
            data=bound.cleaned_data,
            acting_user=request.user,
            criterion=criterion,
            revision=bound.opened_at,
        )

    return inplace.edit_in_place(
        request,
        block=CRITERIA,
        render=partial(_criteria_page, request),
        # Its own ids: the matrix settings form on the same page has a `revision` too.
        form=lambda data=None: CriterionForm(data, instance=criterion, auto_id="criterion_%s"),
        save=save,
        saved_form=lambda current: CriterionForm(instance=current),
        done=lambda result: (
            _("Criterion saved; %(rescored)s") % {"rescored": _rescore_message(result)}
        ),
        redirect_to=lambda result: reverse("strategy:criteria"),
        cancel_url=reverse("strategy:criteria"),
        mode="edit" if criterion else "add",
        pk=criterion.pk if criterion else None,
        add_another=True,
    )


@login_required
@require_POST
def criterion_archive(request, criterion_id: int):
    permissions.require(permissions.can_edit_programme(request.user))
    criterion = get_object_or_404(
        SelectionCriterion, pk=criterion_id, programme_id=Programme.current().pk
    )
    archive = request.POST.get("archived", "1") == "1"
    result = services.criterion_set_archived(
        criterion=criterion, archived=archive, acting_user=request.user
    )
    if archive:
        messages.success(
            request,
            _("'%(name)s' archived: it no longer counts, its scores are kept; %(result)s")
            % {"name": criterion.name, "result": _rescore_message(result)},
        )
    else:
        messages.success(
            request,
            _("'%(name)s' restored and counting again; %(result)s")
            % {"name": criterion.name, "result": _rescore_message(result)},
        )
    return redirect("strategy:criteria")


@login_required
@require_POST
def criterion_delete(request, criterion_id: int):
    permissions.require(permissions.can_edit_programme(request.user))
    criterion = get_object_or_404(
        SelectionCriterion, pk=criterion_id, programme_id=Programme.current().pk
    )
    try:
        services.criterion_delete(criterion=criterion, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("'%(name)s' deleted.") % {"name": criterion.name})
    return redirect("strategy:criteria")


@login_required
@require_GET
def matrix(request):
    permissions.require(permissions.can_view_candidates(request.user))
    programme = Programme.current()
    context = _strategy_context(
        request.user,
        programme=programme,
        chart=selectors.matrix_chart(programme=programme),
        share=selectors.key_account_share(programme),
    )
    return render(request, "strategy/matrix.html", context)
