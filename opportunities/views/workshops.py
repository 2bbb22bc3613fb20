"""Value workshops: list, record, page, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import permissions
from common.conflicts import EditConflict, conflict_response
from common.form_pages import apply_errors

from .. import selectors, services
from ..forms import WorkshopForm
from ..models import Workshop
from .base import _common


@login_required
@require_GET
def workshop_list(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    return render(
        request,
        "opportunities/workshop_list.html",
        {**_common(request, account), "workshops": selectors.workshops_of(account=account)},
    )


@login_required
def workshop_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = WorkshopForm(
        request.POST or None,
        account=account,
        initial={"held_on": timezone.localdate(), "participants": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(
                account=account,
                values=form.cleaned_data,
                participants=form.cleaned_data["participants"],
                stakeholders=form.cleaned_data["stakeholders"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Workshop “%(title)s” recorded.") % {"title": workshop.title}
            )
            return redirect("opportunities:workshop_detail", account.pk, workshop.pk)
    return render(
        request, "opportunities/workshop_form.html", {**_common(request, account), "form": form}
    )


@login_required
@require_GET
def workshop_detail(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id)
    workshop = get_object_or_404(
        Workshop.objects.prefetch_related("participants", "stakeholders"),
        pk=pk,
        key_account=account,
    )
    return render(
        request,
        "opportunities/workshop_detail.html",
        {
            **_common(request, account),
            "workshop": workshop,
            "linked": workshop.opportunities.select_related("owner").order_by(
                selectors.PRIORITY_DESC, "title"
            ),
            "others": selectors.open_opportunities(account=account).exclude(workshop=workshop),
        },
    )


@login_required
def workshop_edit(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    workshop = get_object_or_404(Workshop, pk=pk, key_account=account)
    form = WorkshopForm(request.POST or None, instance=workshop, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_update(
                workshop=workshop,
                values=form.cleaned_data,
                participants=form.cleaned_data["participants"],
                stakeholders=form.cleaned_data["stakeholders"],
                acting_user=request.user,
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                "opportunities/workshop_form.html",
                {**_common(request, account), "form": form, "workshop": workshop},
                conflict=conflict,
                form=form,
                saved=WorkshopForm(instance=conflict.current, account=account),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Workshop “%(title)s” saved.") % {"title": workshop.title})
            return redirect("opportunities:workshop_detail", account.pk, workshop.pk)
    return render(
        request,
        "opportunities/workshop_form.html",
        {**_common(request, account), "form": form, "workshop": workshop},
    )
