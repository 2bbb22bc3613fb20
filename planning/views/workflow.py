"""The approval workflow's decisions: submit, approve, return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.models import KeyAccount
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
)

from .. import forms, rules, services
from .common import _add_service_error, _forbidden, _plan_or_404, _plan_url
from .editing import _render_plan

# ---- workflow -----------------------------------------------------------------------------


def _plan_decision_conflict(request, account: KeyAccount, conflict: EditConflict, seen, form=None):
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=rules.DECISION_SHOWN,
        what=_("the plan %(period)s of %(account)s")
        % {"period": conflict.current.period, "account": account},
        back_url=_plan_url(account, "workflow"),
        context={"account": account},
        typed=form,
    )


@login_required
@require_POST
def plan_submit(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    plan = _plan_or_404(account)
    seen = decision_revision(request)
    try:
        services.plan_submit(plan=plan, acting_user=request.user, revision=seen)
    except EditConflict as conflict:
        return _plan_decision_conflict(request, account, conflict, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Plan submitted. The account's director will review it."))
    return redirect(_plan_url(account, "workflow"))


@login_required
@require_POST
def plan_approve(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    if permissions.manages_account(request.user, account):
        return _forbidden(
            request,
            account,
            _(
                "You manage this account, so you cannot approve its plan yourself: "
                "the account's director approves it."
            ),
        )
    permissions.check(request.user, permissions.APPROVE, account)
    form = forms.ApproveForm(request.POST)
    if form.is_valid():
        seen = decision_revision(request)
        try:
            version = services.plan_approve(
                plan=plan,
                acting_user=request.user,
                comment=form.cleaned_data["comment"],
                revision=seen,
            )
        except EditConflict as conflict:
            return _plan_decision_conflict(request, account, conflict, seen, form)
        except ValidationError as error:
            if plan.status != plan.Status.SUBMITTED:
                # No approval form on the page any more: the message says why.
                messages.error(request, " ".join(error.messages))
                return redirect(_plan_url(account, "workflow"))
            _add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Plan approved and frozen as version %(number)s.") % {"number": version.number},
            )
            return redirect(_plan_url(account, "workflow"))
    # The director's comment stays in its box with what to do, as the return form's does (it
    # was dropped: a comment over the limit approved the plan without it; a plan no longer
    # complete answered with a message and an empty box).
    return _render_plan(request, account, plan, approve_form=form, status=400)


@login_required
@require_POST
def plan_return(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.APPROVE)
    plan = _plan_or_404(account)
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        seen = decision_revision(request)
        try:
            services.plan_return(
                plan=plan,
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
                revision=seen,
            )
        except EditConflict as conflict:
            return _plan_decision_conflict(request, account, conflict, seen, form)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Plan returned to the manager with your comments."))
            return redirect(_plan_url(account, "workflow"))
    return _render_plan(request, account, plan, return_form=form)
