"""The stakeholder list, edited in place (common/inplace.py), and the stakeholder map."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import EDIT, VIEW, get_account_for_user
from common import inplace

from .. import selectors, services
from ..forms import (
    StakeholderForm,
)
from ..models import (
    Stakeholder,
)
from .common import PAGE_SIZE, _context, form_page

# The stakeholder list is one block (common/inplace.py): "Add", "Edit", "Archive" and "Restore"
# answer htmx with the list alone (discovery/_stakeholder_list.html, which the page includes).
STAKEHOLDER_LIST = "stakeholder-list"


def _stakeholder_page(request, account, *, editing=None, status=200, announce="",
                      fragment=False):  # fmt: skip
    query = inplace.current_query(request)
    archived = query.get("archived") == "1" and not (editing and editing["mode"] == "add")
    page = Paginator(selectors.stakeholder_list(account=account, archived=archived), PAGE_SIZE)
    page = page.get_page(query.get("page"))
    selectors.with_gaps(page.object_list)
    if editing and editing["mode"] == "edit":
        # An editor whose row is not on this page of the list is shown above it.
        editing["orphan"] = editing["pk"] not in {person.pk for person in page}
    context = _context(
        request,
        account,
        page=page,
        archived=archived,
        contact_days=services.CONTACT_GAP_DAYS,
        editing=editing,
        editing_anchor=STAKEHOLDER_LIST,
    )
    return inplace.page_or_fragment(
        request, "discovery/stakeholders.html", ["discovery/_stakeholder_list.html"], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_GET
def stakeholders(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    # An editor's "Cancel" asks htmx for the list alone.
    fragment = inplace.fragment_target(request, [STAKEHOLDER_LIST]) is not None
    return _stakeholder_page(request, account, fragment=fragment)


@login_required
@require_GET
def stakeholder_map(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    people = list(selectors.stakeholder_list(account=account))
    return render(
        request,
        "discovery/stakeholder_map.html",
        _context(
            request,
            account,
            map=selectors.stakeholder_map(account, stakeholders=people),
            org=selectors.org_chart(people),
            contact_days=services.CONTACT_GAP_DAYS,
        ),
    )


def _stakeholder_form(request, account, stakeholder):

    def save(bound):
        return services.stakeholder_save(
            account=account,
            stakeholder=stakeholder,
            fields=bound.cleaned_data,
            acting_user=request.user,
            revision=bound.opened_at,
        )

    return inplace.edit_in_place(
        request,
        block=STAKEHOLDER_LIST,
        render=partial(_stakeholder_page, request, account),
        # A new row each time: a bound form writes what was typed onto its instance.
        form=lambda data=None: StakeholderForm(
            data, instance=stakeholder or Stakeholder(key_account=account), account=account
        ),
        save=save,
        saved_form=lambda current: StakeholderForm(instance=current, account=account),
        done=lambda saved: _("%(name)s saved.") % {"name": saved.name},
        redirect_to=lambda saved: reverse("discovery:stakeholders", args=[account.pk]),
        cancel_url=reverse("discovery:stakeholders", args=[account.pk]),
        mode="edit" if stakeholder else "add",
        pk=stakeholder.pk if stakeholder else None,
        add_another=True,
    )


@login_required
@form_page
def stakeholder_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _stakeholder_form(request, account, None)


@login_required
@form_page
def stakeholder_edit(request, account_id: int, stakeholder_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
    return _stakeholder_form(request, account, stakeholder)


def _stakeholder_moved(request, account, done: str):
    if inplace.fragment_target(request, [STAKEHOLDER_LIST]):
        return _stakeholder_page(request, account, announce=done, fragment=True)
    messages.success(request, done)
    return redirect("discovery:stakeholders", account.pk)


@login_required
@require_POST
def stakeholder_archive(request, account_id: int, stakeholder_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
    services.stakeholder_archive(stakeholder=stakeholder, acting_user=request.user)
    done = _("%(name)s archived. Their history stays on record.") % {"name": stakeholder.name}
    return _stakeholder_moved(request, account, done)


@login_required
@require_POST
def stakeholder_restore(request, account_id: int, stakeholder_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
    services.stakeholder_restore(stakeholder=stakeholder, acting_user=request.user)
    done = _("%(name)s is active again.") % {"name": stakeholder.name}
    return _stakeholder_moved(request, account, done)
