"""Saving an edit of something another tab (or person) removed meanwhile.

An edit view looks its object up and answers 404 when it is gone; the text the person typed
would be lost. `kam.middleware.RemovedWhileEditingMiddleware` turns that 404 of a POST to one
of the edit views below into a page (HTTP 410 Gone, in the site's style) that says it was
removed — by whom and when, from the audit history — shows what they typed so it can be
copied, and offers to add it as new (the same input sent to the view that adds one) or to put
the removed one back (`audit:undo_removal` for one's own recent removal, `audit:restore` for
the account's director).

Only someone who could have edited it sees that page: a member of the account whose history
records the removal (an account item), or someone who may edit the programme (a programme
item). Anyone else — an outsider, an id of another account, an id never used — keeps the
plain 404, so the page says nothing about what exists.

`REMOVABLE_EDITS` names every edit view of an object that can be removed;
tests/audit/test_removed_while_editing.py fails on an edit view with an object id in its URL
that is neither listed here nor in `NOT_REMOVABLE` (with the reason).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts import permissions
from accounts.models import Programme, User
from opportunities.models import Offering
from strategy.models import RoadmapItem, SelectionCriterion

from . import selectors, services
from .registry import ACCOUNT_HISTORY, PROGRAMME_HISTORY

GONE_STATUS = 410
# What a form sends that is not the person's input.
NOT_TYPED = ("csrfmiddlewaretoken", "revision", "confirm")


@dataclass(frozen=True)
class Removable:
    """An edit view (its URL name is the key of REMOVABLE_EDITS) of an object that can be
    removed. `history`: its type in the account's history (audit.registry), or a callable of
    the URL arguments for views that edit several kinds (the plan's items). `object_arg`: the
    URL argument holding its id. `add`: the view that adds a new one from the same input, and
    a callable (URL arguments, history row) -> its URL arguments (default: the account)."""

    history: str | Callable[[dict], str]
    object_arg: str
    add: str = ""
    add_args: Callable[[dict, object], dict] | None = None

    def history_key(self, kwargs: dict) -> str:
        return self.history(kwargs) if callable(self.history) else self.history


@dataclass(frozen=True)
class ProgrammeRemovable:
    """The same for a programme-level object: who may edit it (`may_edit(user)`), its model
    and, when the programme's history records it, its type there."""

    model: type
    object_arg: str
    may_edit: Callable[[object], bool]
    add: str = ""
    history: str = ""


def _plan_item_add(kwargs: dict, record) -> dict:
    if kwargs["kind"] == "target":
        return {"account_id": kwargs["account_id"], "kind": "target", "parent": record.objective_id}
    return {"account_id": kwargs["account_id"], "kind": kwargs["kind"]}


def _account_only(kwargs: dict, record) -> dict:
    return {"account_id": kwargs["account_id"]}


REMOVABLE_EDITS: dict[str, Removable | ProgrammeRemovable] = {
    "planning:item_edit": Removable(
        history=lambda kwargs: kwargs["kind"],
        object_arg="pk",
        add="planning:item_add",
        add_args=_plan_item_add,
    ),
    "discovery:stakeholder_edit": Removable(
        "stakeholder", "stakeholder_id", add="discovery:stakeholder_create"
    ),
    "discovery:interview_edit": Removable(
        "interview", "interview_id", add="discovery:interview_create"
    ),
    "discovery:ratio_edit": Removable("ratio", "ratio_id", add="discovery:ratio_create"),
    "discovery:competitor_edit": Removable(
        "competitor", "competitor_id", add="discovery:competitor_create"
    ),
    "discovery:year_edit": Removable("profitability_year", "year_id", add="discovery:year_create"),
    "opportunities:opportunity_edit": Removable(
        "opportunity", "pk", add="opportunities:opportunity_create"
    ),
    "opportunities:workshop_edit": Removable("workshop", "pk", add="opportunities:workshop_create"),
    "opportunities:unit_edit": Removable("business_unit", "pk", add="opportunities:unit_create"),
    "delivery:meeting_edit": Removable("meeting", "meeting_id", add="delivery:meeting_create"),
    "delivery:meeting_notes": Removable("meeting", "meeting_id"),
    "delivery:action_progress": Removable("action", "action_id"),
    "delivery:quote_edit": Removable("quote", "quote_id", add="delivery:quote_create"),
    "outcomes:value_edit": Removable("value_delivered", "value_id", add="outcomes:value_create"),
    "outcomes:value_confirm": Removable("value_delivered", "value_id"),
    "strategy:criterion_edit": ProgrammeRemovable(
        SelectionCriterion,
        "criterion_id",
        permissions.can_edit_programme,
        add="strategy:criterion_add",
        history="criterion",
    ),
    "strategy:roadmap_edit": ProgrammeRemovable(
        RoadmapItem, "item_id", permissions.can_edit_programme, add="strategy:roadmap_add"
    ),
    "opportunities:offering_edit": ProgrammeRemovable(
        Offering, "pk", permissions.can_manage_offerings, add="opportunities:offering_create"
    ),
}

# Edit views with an object id in the URL whose object is never removed: {view: why}.
NOT_REMOVABLE = {
    "workspace_team:question_edit": "an alignment question is never deleted (answers point at "
    "it); it is switched off with 'Asked'",
    "organisation:team_change": "a membership is ended, not edited once gone: the team page "
    "lists who is on the team",
    "organisation:job_spec_edit": "one specification per role, never removed",
    "strategy:customer_edit": "candidate customers are not deleted from the app",
    "discovery:section_edit": "profile sections are fixed, never removed",
    "planning:section_save": "plan sections are fixed, never removed",
    "outcomes:issue_edit": "customer issues are closed, never removed",
    "integrations:webhook_edit": "subscriptions are switched off, not deleted, from the app",
}


def removed_response(request, match):
    """The 410 page for a POST whose edit view found its object removed, or None (keep the
    404) when the view is not listed, the user may not know, or nothing was removed."""
    if request.method != "POST" or match is None or not request.user.is_authenticated:
        return None
    entry = REMOVABLE_EDITS.get(match.view_name)
    try:
        object_id = int(match.kwargs[entry.object_arg]) if entry else None
    except (KeyError, TypeError, ValueError):
        return None
    if isinstance(entry, Removable):
        return _account_item(request, match.kwargs, entry, object_id)
    if isinstance(entry, ProgrammeRemovable):
        return _programme_item(request, match.kwargs, entry, object_id)
    return None


def _account_item(request, kwargs, entry: Removable, object_id: int):
    try:
        account = permissions.get_account_for_user(request.user, kwargs["account_id"])
    except (Http404, PermissionDenied, KeyError):
        return None
    spec = ACCOUNT_HISTORY.by_key.get(entry.history_key(kwargs))
    if spec is None:
        return None
    record = selectors.latest_record(account, spec, object_id)
    if record is None or record.history_type != "-":
        return None  # never this account's, or not removed: the 404 stays
    add_url = ""
    if entry.add:
        args = (entry.add_args or _account_only)(kwargs, record)
        add_url = _reverse(entry.add, args)
    restore_url, restore_label = "", ""
    if spec.restore is not None:
        recent = timezone.now() - record.history_date <= services.UNDO_WINDOW
        if record.history_user_id == request.user.pk and recent:
            restore_url = reverse("audit:undo_removal", args=[account.pk, spec.key, object_id])
            restore_label = gettext("Undo the removal")
        elif permissions.can_restore_from_history(request.user, account):
            restore_url = reverse("audit:restore", args=[account.pk, spec.key, object_id])
            restore_label = gettext("Restore it from the history")
    return _page(
        request,
        what=spec.label,
        name=selectors.record_name(spec, record),
        record=record,
        add_url=add_url,
        restore_url=restore_url,
        restore_label=restore_label,
        history_url=(
            reverse("audit:account_history", args=[account.pk])
            if permissions.can_view_history(request.user, account)
            else ""
        ),
        context={"account": account},
        model=spec.model,
    )


def _programme_item(request, kwargs, entry: ProgrammeRemovable, object_id: int):
    if not entry.may_edit(request.user):
        return None
    if entry.model._default_manager.filter(pk=object_id).exists():
        return None  # it is there: the 404 had another cause
    record = None
    spec = PROGRAMME_HISTORY.by_key.get(entry.history)
    if spec is not None:
        record = selectors.latest_programme_record(Programme.current(), spec, object_id)
    return _page(
        request,
        what=str(entry.model._meta.verbose_name),
        name=selectors.record_name(spec, record) if record is not None else "",
        record=record,
        add_url=_reverse(entry.add, {}) if entry.add else "",
        restore_url="",
        restore_label="",
        history_url="",
        context={},
        model=entry.model,
    )


def _reverse(name: str, kwargs: dict) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _form_fields(model) -> dict[str, forms.Field]:
    """The fields the project's model forms of `model` declare, by name: their labels are the
    ones the person read on the form, in their language."""
    found: dict[str, forms.Field] = {}
    stack = list(forms.ModelForm.__subclasses__())
    while stack:
        form_class = stack.pop()
        stack.extend(form_class.__subclasses__())
        meta = getattr(form_class, "_meta", None)
        if model is not None and getattr(meta, "model", None) is model:
            for name, field in form_class.base_fields.items():
                found.setdefault(name, field)
    return found


def _chosen_name(model, value: str, account) -> str:
    """The name of a record chosen on the form, looked up only among the account's own (its
    stakeholders, the people on its team): a value sent by hand names nothing else."""
    if account is None or not value.isdigit():
        return ""
    if model is User:
        rows = User.objects.filter(memberships__key_account=account)
    elif any(f.name == "key_account" for f in model._meta.fields):
        rows = model._default_manager.filter(key_account=account)
    else:
        return ""
    chosen = rows.filter(pk=int(value)).first()
    return str(chosen) if chosen is not None else ""


def _shown(field: forms.Field | None, value: str, account) -> str:
    """A sent value as the form showed it: a choice's label, a chosen record's name."""
    if isinstance(field, forms.ModelChoiceField):
        return _chosen_name(field.queryset.model, value, account) or value
    if isinstance(field, forms.ChoiceField):
        for key, label in field.choices:
            if isinstance(label, list | tuple):  # a group of choices
                grouped = dict(label).get(value)
                if grouped is not None:
                    return str(grouped)
            elif str(key) == value:
                return str(label)
    return value


def _typed(request, model=None, account=None) -> list[tuple[str, str, str]]:
    """(name, label, value) of each non-empty input the person sent, labelled and shown as the
    form of `model` showed them (a field no form declares: its name)."""
    fields = _form_fields(model)
    typed = []
    for name, values in request.POST.lists():
        if name in NOT_TYPED or name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "_FORMS")):
            continue
        base = name.rsplit("-", 1)[-1]
        field = fields.get(base)
        label = str(field.label) if field is not None and field.label else ""
        label = label or base.replace("_", " ").capitalize()
        for value in values:
            if value.strip():
                typed.append((name, label, _shown(field, value, account)))
    return typed


def _page(request, *, what, name, record, add_url, restore_url, restore_label, history_url,
          context, model=None):  # fmt: skip
    sent = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in NOT_TYPED
        for value in values
    ]
    response = render(
        request,
        "audit/removed_while_editing.html",
        {
            **context,
            "what": what,
            "name": name,
            "removed_by": getattr(record, "history_user", None),
            "removed_at": getattr(record, "history_date", None),
            "typed": _typed(request, model, context.get("account")),
            "sent": sent,
            "add_url": add_url,
            "restore_url": restore_url,
            "restore_label": restore_label,
            "history_url": history_url,
        },
        status=GONE_STATUS,
    )
    if request.headers.get("HX-Request"):
        # Saved from an editor in place: the answer is this whole page, not the editor's block.
        # It takes the place of the page's content (static/js/inplace.js swaps a 410), shown
        # from the top, so the Save click is answered where the person looks; without these
        # headers htmx left the editor as it was and the click seemed to do nothing.
        response["HX-Retarget"] = "#main"
        response["HX-Reselect"] = "#main"
        response["HX-Reswap"] = "outerHTML show:window:top"
    return response
