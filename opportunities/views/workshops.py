"""Value workshops: list, record, page, edit."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import permissions
from common.form_pages import edit_page

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

    def save(form):
        return services.workshop_create(
            account=account,
            values=form.cleaned_data,
            participants=form.cleaned_data["participants"],
            stakeholders=form.cleaned_data["stakeholders"],
            acting_user=request.user,
        )

    def done(workshop):
        return (
            _("Workshop “%(title)s” recorded.") % {"title": workshop.title},
            reverse("opportunities:workshop_detail", args=[account.pk, workshop.pk]),
        )

    return edit_page(
        request,
        form,
        save=save,
        saved_form=lambda current: WorkshopForm(instance=current, account=account),
        done=done,
        template="opportunities/workshop_form.html",
        context=_common(request, account),
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

    def save(form):
        return services.workshop_update(
            workshop=workshop,
            values=form.cleaned_data,
            participants=form.cleaned_data["participants"],
            stakeholders=form.cleaned_data["stakeholders"],
            acting_user=request.user,
            revision=form.opened_at,
        )

    def done(saved):
        return (
            _("Workshop “%(title)s” saved.") % {"title": saved.title},
            reverse("opportunities:workshop_detail", args=[account.pk, saved.pk]),
        )

    return edit_page(
        request,
        WorkshopForm(request.POST or None, instance=workshop, account=account),
        save=save,
        saved_form=lambda current: WorkshopForm(instance=current, account=account),
        done=done,
        template="opportunities/workshop_form.html",
        context={**_common(request, account), "workshop": workshop},
    )
