"""The history pages — an account's, and the programme's — and restoring deleted account items.

Who (accounts.permissions, "audit history"): the account's director and programme admins
read an account's history; other members get 403, outsiders 404. Only the account's director
restores. The programme's history is for programme admins and executives; everyone else 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import Programme
from accounts.selectors import user_time_zone

from . import selectors, services
from .forms import HistoryFilterForm
from .registry import ACCOUNT_HISTORY, PROGRAMME_HISTORY, History


def _history_context(request, history: History, subject, *, can_restore: bool = False) -> dict:
    """Filter form, page and entries for one history page (the template's `_history.html`)."""
    form = HistoryFilterForm(
        request.GET or None,
        types=history.type_choices,
        people=selectors.history_people(history, subject),
    )
    filters = form.filters() if form.is_bound else {"type_key": "", "person": None, "change": ""}
    page, entries = selectors.history_page(
        history,
        subject,
        page_number=request.GET.get("page"),
        can_restore=can_restore,
        zone=user_time_zone(request.user),
        **filters,
    )
    return {"form": form, "page": page, "entries": entries, "filtered": any(filters.values())}


@login_required
@require_GET
def account_history(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.VIEW_HISTORY)
    can_restore = permissions.can_restore_from_history(request.user, account)
    context = _history_context(request, ACCOUNT_HISTORY, account, can_restore=can_restore)
    can_view_account = permissions.can(request.user, permissions.VIEW, account)
    if not can_view_account:
        # A programme admin outside the team reads the history, not the pages it links to.
        for entry in context["entries"]:
            entry.link = ""
    return render(
        request,
        "audit/account_history.html",
        {
            **context,
            "account": account,
            "can_restore": can_restore,
            "can_view_account": can_view_account,
        },
    )


@login_required
@require_GET
def programme_history(request):
    permissions.require(
        permissions.can_view_programme_history(request.user),
        gettext("Only programme admins and executives see the programme's change history."),
    )
    programme = Programme.current()
    context = _history_context(request, PROGRAMME_HISTORY, programme)
    return render(
        request,
        "audit/programme_history.html",
        {**context, **permissions.strategy_flags(request.user), "programme": programme},
    )


@login_required
@require_POST
def restore(request, account_id: int, object_type: str, object_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.VIEW_HISTORY)
    if not permissions.can_restore_from_history(request.user, account):
        raise PermissionDenied(gettext("Only the account's director restores deleted items."))
    spec = ACCOUNT_HISTORY.by_key.get(object_type)
    if spec is None or spec.restore is None:
        raise Http404("Nothing of that kind is restored from history.")
    record = selectors.latest_record(account, spec, object_id)
    if record is None:
        raise Http404("No such item in this account's history.")
    try:
        result = services.history_restore(
            account=account, spec=spec, record=record, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            " ".join(
                [
                    gettext("%(type)s “%(name)s” restored.")
                    % {"type": spec.label, "name": result.name},
                    *result.notes,
                ]
            ),
        )
    return redirect(reverse("audit:account_history", args=[account.pk]))


@login_required
@require_POST
def undo_removal(request, account_id: int, object_type: str, object_id: int):
    """Undo one's own deletion from the plan editor, shortly after (services.UNDO_WINDOW):
    anyone who may edit the account's plan, for what they removed themselves."""
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    spec = ACCOUNT_HISTORY.by_key.get(object_type)
    if spec is None or spec.restore is None:
        raise Http404("Nothing of that kind is put back.")
    record = selectors.latest_record(account, spec, object_id)
    if record is None:
        raise Http404("No such item in this account's history.")
    try:
        result = services.history_undo_removal(
            account=account, spec=spec, record=record, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        undone = gettext("Undone: %(name)s is back.") % {"name": result.name}
        messages.success(request, " ".join([undone, *result.notes]))
    return redirect(reverse("planning:plan", args=[account.pk]))
