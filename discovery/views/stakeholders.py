"""The stakeholder list, edited in place (common/inplace.py), and the stakeholder map."""

from copy import copy
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
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

# The stakeholder list is one block (common/inplace.py): "Add", "Archive" and "Restore" answer
# htmx with the list alone (discovery/_stakeholder_list.html, which the page includes). Each
# stakeholder's row is a block of its own (discovery/_stakeholder_row.html, `stakeholder-<id>`):
# its "Edit", the editor's "Cancel" and a save in place answer with that row alone, drawn from the
# one stakeholder (a save's answer from the row as saved), never the list read again (issue #22).
STAKEHOLDER_LIST = "stakeholder-list"
STAKEHOLDER_ROW = "stakeholder-"


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
        page_query=query,  # the list's page links keep the page's own query (archived)
        archived=archived,
        contact_days=services.CONTACT_GAP_DAYS,
        editing=editing,
        editing_anchor=STAKEHOLDER_LIST,
    )
    return inplace.page_or_fragment(
        request, "discovery/stakeholders.html", ["discovery/_stakeholder_list.html"], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


def _stakeholder_row(request, account, person, *, editing=None, status=200, announce="",
                     fragment=True):  # fmt: skip
    """One stakeholder's row alone (its editor open when `editing`), for htmx; after a save, the
    list's saved note too, swapped out of band."""
    selectors.with_gaps([person])
    context = _context(
        request,
        account,
        person=person,
        archived=person.archived_at is not None,
        editing=editing,
        editing_anchor=STAKEHOLDER_LIST,
        section=STAKEHOLDER_LIST,
    )
    templates = ["discovery/_stakeholder_row.html"]
    if announce:
        templates.append("common/_saved_note.html")
    return inplace.fragment_response(request, templates, context, status=status, announce=announce)


def _person_or_404(account, pk: int):
    person = selectors.stakeholder_row(account=account, pk=pk)
    if person is None:
        raise Http404("No such stakeholder on this account.")
    return person


@login_required
@require_GET
def stakeholders(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    # An editor's "Cancel" in a row asks htmx for that row alone.
    row = inplace.row_target(request, STAKEHOLDER_ROW)
    if row is not None:
        return _stakeholder_row(request, account, _person_or_404(account, row))
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

    # An edit asked for by its row (`HX-Target: stakeholder-<id>`) answers with the row alone.
    in_row = (
        stakeholder is not None and inplace.row_target(request, STAKEHOLDER_ROW) == stakeholder.pk
    )
    if in_row:
        block = f"{STAKEHOLDER_ROW}{stakeholder.pk}"
        render = partial(_stakeholder_row, request, account, stakeholder)
    else:
        block, render = STAKEHOLDER_LIST, partial(_stakeholder_page, request, account)
    return inplace.edit_in_place(
        request,
        block=block,
        render=render,
        # A new row each time: a bound form writes what was typed onto its instance (a copy
        # of the stakeholder as saved, which its row still shows beside the editor).
        form=lambda data=None: StakeholderForm(
            data,
            instance=copy(stakeholder) if stakeholder else Stakeholder(key_account=account),
            account=account,
        ),
        save=save,
        render_saved=(
            (lambda saved, done: _stakeholder_row(request, account, saved, announce=done))
            if in_row
            else None
        ),
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
    # With its owner and reports-to: its row shows them, its form reuses the owner (LinkField).
    return _stakeholder_form(request, account, _person_or_404(account, stakeholder_id))


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
