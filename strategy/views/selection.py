"""Selecting, de-selecting and re-classifying key accounts; a decision from a stale page
answers with what changed."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import permissions
from accounts.models import Classification, Customer, Programme
from common.conflicts import EditConflict, decision_conflict_response, decision_revision
from common.form_pages import apply_errors

from .. import selectors, services
from ..forms import DeselectForm, ReclassifyForm, SelectForm
from ..signals import selection_proposals

# What a page deciding on a customer's or an account's selection shows of it: a decision from
# a page loaded before it changed lists those that changed.
CUSTOMER_SHOWN = (
    (gettext_lazy("Class from the scores"), lambda customer: customer.get_classification_display()),
    (gettext_lazy("Attractiveness"), lambda customer: customer.attractiveness_score),
    (gettext_lazy("Strength"), lambda customer: customer.strength_score),
    (gettext_lazy("Last change"), lambda customer: customer.updated_at),
)
ACCOUNT_SHOWN = (
    (gettext_lazy("Status"), lambda account: account.get_status_display()),
    (gettext_lazy("Class"), lambda account: account.get_classification_display()),
    (
        gettext_lazy("Class from the scores"),
        lambda account: account.customer.get_classification_display(),
    ),
    (gettext_lazy("Last change"), lambda account: account.updated_at),
)


def _selection_conflict(request, conflict: EditConflict, seen, scored_class=None):
    account = conflict.current
    shown = None
    if scored_class is not None and seen == conflict.revision:
        # Only the class from the scores moved: the account as the page showed it.
        shown = copy.copy(account)
        shown.customer = _as_shown(account.customer, scored_class)
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=ACCOUNT_SHOWN,
        what=account.name,
        back_url=reverse("strategy:customer_detail", args=[account.customer_id]),
        context={"account": account},
        seen=shown,
    )


def _as_shown(customer: Customer, scored_class: str) -> Customer:
    """The customer as a deciding page showed it when only its class from the scores moved
    since: re-scored for new weights or splits, its revision unchanged (its history at that
    revision may hold a class from before the page)."""
    shown = copy.copy(customer)
    shown.classification = scored_class
    return shown


@login_required
def customer_select(request, customer_id: int):
    permissions.require(
        permissions.can_select_accounts(request.user),
        _("Only key account directors and programme admins select key accounts."),
    )
    customer = get_object_or_404(Customer.objects.select_related("key_account"), pk=customer_id)
    account = getattr(customer, "key_account", None)
    if account is not None and account.is_active:
        messages.info(request, _("%(name)s is already a key account.") % {"name": customer.name})
        return redirect("strategy:customer_detail", customer_id=customer.pk)
    initial = {}
    if permissions.is_director(request.user):
        initial["director"] = request.user.pk
    form = SelectForm(request.POST or None, initial=initial, scored_class=customer.classification)
    if request.method == "POST" and form.is_valid():
        seen = decision_revision(request)
        # The class from the scores the page showed ('' for none): a change of weights or
        # splits re-classifies without moving the customer's revision. Absent: not checked.
        scored_class = request.POST.get("scored_class")
        try:
            services.key_account_select(
                customer=customer,
                acting_user=request.user,
                revision=seen,
                scored_class=scored_class,
                **form.cleaned_data,
            )
        except EditConflict as conflict:
            return decision_conflict_response(
                request,
                conflict,
                seen_revision=seen,
                shown=CUSTOMER_SHOWN,
                what=customer.name,
                back_url=reverse("strategy:customer_select", args=[customer.pk]),
                typed=form,
                seen=_as_shown(conflict.current, scored_class)
                if scored_class is not None and seen == conflict.revision
                else None,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now a key account.") % {"name": customer.name})
            return redirect("strategy:customer_detail", customer_id=customer.pk)
    programme = Programme.current()
    share = selectors.key_account_share(programme)
    return render(
        request,
        "strategy/select_form.html",
        {
            "form": form,
            "customer": customer,
            "account": account,
            "share": share,
            "unscored": selectors.unscored_count(customer=customer, programme=programme),
        },
    )


@login_required
def account_deselect(request, account_id: int):
    account = permissions.get_account_for_user(
        request.user, account_id, permissions.CHANGE_SELECTION
    )
    if not account.is_active:
        messages.info(request, _("%(name)s is already de-selected.") % {"name": account.name})
        return redirect("strategy:customer_detail", customer_id=account.customer_id)
    form = DeselectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        seen = decision_revision(request)
        try:
            services.key_account_deselect(
                account=account,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                revision=seen,
            )
        except EditConflict as conflict:
            return _selection_conflict(request, conflict, seen)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s de-selected. The reason is on its timeline.") % {"name": account.name},
            )
            return redirect("strategy:customer_detail", customer_id=account.customer_id)
    return render(
        request,
        "strategy/deselect_form.html",
        {"form": form, "account": account, "proposals": selection_proposals(account=account)},
    )


@login_required
def account_reclassify(request, account_id: int):
    account = permissions.get_account_for_user(
        request.user, account_id, permissions.CHANGE_SELECTION
    )
    initial = {}
    computed = account.customer.classification
    proposed = request.GET.get("to", "")  # from a quarterly review's proposal
    if proposed in Classification.values and proposed != account.classification:
        initial["classification"] = proposed
    elif computed and computed != account.classification:
        initial["classification"] = computed
    form = ReclassifyForm(request.POST or None, initial=initial, current=account.classification)
    if request.method == "POST" and form.is_valid():
        seen = decision_revision(request)
        scored_class = request.POST.get("scored_class")  # the class from the scores it showed
        try:
            services.key_account_reclassify(
                account=account,
                acting_user=request.user,
                revision=seen,
                scored_class=scored_class,
                **form.cleaned_data,
            )
        except EditConflict as conflict:
            return _selection_conflict(request, conflict, seen, scored_class)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s re-classified.") % {"name": account.name})
            return redirect("strategy:customer_detail", customer_id=account.customer_id)
    return render(
        request,
        "strategy/reclassify_form.html",
        {
            "form": form,
            "account": account,
            "computed": computed,
            "unscored": selectors.unscored_count(
                customer=account.customer, programme=Programme.current()
            ),
            # Why a quarterly review proposes the change (asked of the later stages).
            "proposals": selection_proposals(account=account),
        },
    )
