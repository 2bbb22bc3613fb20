"""The programme page, its edit form and its roll-out steps (roadmap)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import Programme
from accounts.selectors import user_today
from common.form_pages import edit_page

from .. import selectors, services
from ..forms import ProgrammeForm, RoadmapItemForm
from ..models import RoadmapItem
from .base import _strategy_context


@login_required
@require_GET
def strategy(request):
    programme = Programme.current()
    roadmap = RoadmapItem.objects.filter(programme_id=programme.pk).select_related("owner")
    context = _strategy_context(
        request.user,
        programme=programme,
        roadmap=roadmap,
        objectives=[line for line in programme.objectives.splitlines() if line.strip()],
        criteria=selectors.criteria_for(programme=programme, include_archived=False),
        share=selectors.key_account_share(programme),
        # A step not done by its date reads "Overdue" (the reader's today, as everywhere).
        today=user_today(request.user),
    )
    return render(request, "strategy/programme.html", context)


@login_required
def programme_edit(request):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()
    if request.method == "POST":
        # Validating a model form writes onto its instance: the form gets its own copy, so the
        # programme handed to the service and shown on the page stays as it was read.
        form = ProgrammeForm(request.POST, instance=Programme.current())
    else:
        form = ProgrammeForm(instance=programme, initial={"revision": programme.revision})

    def save(form):
        return services.programme_update(
            programme=programme,
            data=form.cleaned_data,
            acting_user=request.user,
            revision=form.cleaned_data["revision"],
        )

    return edit_page(
        request,
        form,
        save=save,
        saved_form=lambda saved: ProgrammeForm(
            instance=saved, initial={"revision": saved.revision}
        ),
        done=lambda _saved: (_("Programme saved."), reverse("strategy:strategy")),
        template="strategy/programme_form.html",
        context={"programme": programme},
    )


@login_required
def roadmap_add(request):
    return _roadmap_form(request, item=None)


@login_required
def roadmap_edit(request, item_id: int):
    programme = Programme.current()
    return _roadmap_form(
        request, item=get_object_or_404(RoadmapItem, pk=item_id, programme_id=programme.pk)
    )


def _roadmap_form(request, *, item):
    permissions.require(permissions.can_edit_programme(request.user))
    programme = Programme.current()

    def save(form):
        return services.roadmap_item_save(
            programme=programme,
            data=form.cleaned_data,
            acting_user=request.user,
            item=item,
            revision=form.opened_at,
        )

    return edit_page(
        request,
        RoadmapItemForm(request.POST or None, instance=item),
        save=save,
        saved_form=lambda current: RoadmapItemForm(instance=current),
        done=lambda _saved: (_("Roll-out step saved."), reverse("strategy:strategy") + "#roadmap"),
        template="strategy/roadmap_form.html",
        context={"item": item},
    )


@login_required
@require_POST
def roadmap_delete(request, item_id: int):
    permissions.require(permissions.can_edit_programme(request.user))
    item = get_object_or_404(RoadmapItem, pk=item_id, programme_id=Programme.current().pk)
    services.roadmap_item_delete(item=item, acting_user=request.user)
    messages.success(request, _("Roll-out step '%(title)s' removed.") % {"title": item.title})
    return redirect(reverse("strategy:strategy") + "#roadmap")
