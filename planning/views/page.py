"""The plan page and its in-place edits: full pages without JavaScript, fragments for htmx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.models import KeyAccount, Programme
from accounts.selectors import user_today
from common import inplace
from common.conflicts import (
    EditConflict,
    describe_conflict,
)

from .. import forms, rules, selectors, services
from ..models import (
    AccountPlan,
)
from ..snapshot import (
    hydrate,
    load_plan,
    plan_to_dict,
)
from .common import UNDO_SESSION_KEY, _add_service_error, _plan_or_404, _plan_url, _swot_rows
from .editing import (
    EDITORS,
    SAVED_MESSAGES,
    _editing_from_query,
    _missing_parts,
    _prepare_editing,
    _render_plan,
)

# ---- in-place fragments (htmx) ------------------------------------------------------------
#
# With JavaScript, the plan page's "Edit", "Add …" and "Cancel" links and its editor forms
# carry htmx attributes aimed at their own <section> (data-hx-target="this" on it: htmx reads
# the data- prefix too, and it keeps the HTML valid). The views below
# answer such a request with that section alone — the same partial the full page includes
# (planning/sections/_<id>.html) — plus the submit box's list of missing parts, swapped out of
# band. Without JavaScript the same links and forms load the whole page, as before.
#
# They branch between the two by hand rather than through inplace.page_or_fragment, which draws
# both answers from one context: a section alone reads only its own parts (6-12 queries on the
# demo plan, its editor open), the whole page reads all it shows (20-25, or takes its cached
# document); one context would make every in-place round trip read the whole page. A section's
# answer also carries events and out-of-band parts that the page has not.

# What a save may change on the plan itself (its sections' texts, its state).
PLAN_STATE_FIELDS = (
    *dict.fromkeys(f for _t, fields in services.SECTIONS.values() for f in fields),
    "status",
    "revision",
    "section_revisions",
    "value_proposition_refreshed_on",
)
# What each section redrawn in place reads of the plan (snapshot.load_plan's parts).
SECTION_PARTS = {
    "value_proposition": (),
    "swot": (),
    "csf": (),
    "objectives": ("objectives",),
    "actions": ("actions",),
    "engagement": ("engagement", "stakeholders"),
    "risks": ("risks",),
}
FRAGMENT_SECTIONS = tuple(SECTION_PARTS)


def _fragment_target(request) -> str | None:
    """The section an htmx request asks for, or None for a whole page."""
    return inplace.fragment_target(request, FRAGMENT_SECTIONS)


def _render_section(
    request,
    account: KeyAccount,
    plan: AccountPlan,
    section: str,
    *,
    editing: dict | None = None,
    status: int = 200,
    announce: str = "",
):
    """One section of the plan page and, out of band, the small parts a save may change: what
    the plan still misses, and its status badge when the save moved it (an approved plan
    edited is a draft again). It reads only what that section shows: the plan's row as saved
    now with its content counts (one query), the section's items, nothing of the rest."""
    status_before = plan.status
    saved, content = selectors.plan_as_saved_with_content(plan=plan, fields=PLAN_STATE_FIELDS)
    for field in PLAN_STATE_FIELDS:
        setattr(plan, field, saved[field])
    data = load_plan(plan, only=SECTION_PARTS[section])
    snapshot = plan_to_dict(data, today=user_today(request.user))  # as the whole page draws it
    _prepare_editing(account, editing, snapshot)
    status_moved = plan.status != status_before
    if announce and status_moved:
        announce = f"{announce} {_plan_now(plan)}"
    context = {
        "account": account,
        "plan": plan,
        "editable": True,
        "editing": editing,
        "editing_anchor": section,
        "missing_parts": _missing_parts(rules.missing_parts(content)),
        "submission_rule": rules.SUBMISSION_RULE,
        # What _document_context gives the whole document, less the stakeholder map (no
        # section redrawn in place shows it).
        "doc": hydrate(snapshot),
        "swot_rows": _swot_rows(snapshot["plan"]),
        "target_rule": rules.TARGET_STATUS_RULE,
        # Read only if the section shows money (targets).
        "currency": lazy(_programme_currency, str)(),
    }
    templates = [f"planning/sections/_{section}.html", "planning/_missing_parts.html"]
    if status_moved:
        templates.append("planning/_plan_status.html")
    return inplace.fragment_response(
        request,
        templates,
        context,
        status=status,
        announce=announce,
        events=_plan_revision_event(plan),
    )


# The page's workflow forms (submit, approve, return) carry the plan's revision as the page
# showed it, so that a decision on a plan changed since is refused. A save in place moves the
# revision without redrawing those forms: its answer says the new one, and static/js/inplace.js
# writes it into every `input[data-plan-revision]`, so the user's own edits never make their
# next decision on the same page a conflict.
PLAN_REVISION_EVENT = "kam:plan-revision"


def _plan_revision_event(plan: AccountPlan) -> dict:
    return {PLAN_REVISION_EVENT: plan.revision}


def _render_row(
    request,
    account: KeyAccount,
    plan: AccountPlan,
    kind: str,
    item,
    *,
    announce: str,
    moved: bool,
):
    """A save in place of an existing item drawn as one row of its section (Editor.row): that
    row alone, swapped for the row on the page (`HX-Retarget`, its editor's row closing with
    it), the section's saved note and, out of band, the plan's missing parts only when what
    they count of the item `moved` or the plan's status did, with the status badge then. The
    service left its plan on the item (`item.plan`, as saved), so it is not read again; the
    row is the item as the service saved it, with its links."""
    editor = EDITORS[kind]
    # A target hangs under its objective (target_save leaves the plan on it).
    saved_plan = item.objective.plan if editor.parent_model is not None else item.plan
    status_moved = saved_plan.status != plan.status
    if status_moved:
        announce = f"{announce} {_plan_now(saved_plan)}"
    row = hydrate(editor.row_dict(item, user_today(request.user)))
    context = {
        "account": account,
        "plan": saved_plan,
        "editable": True,
        "editing": None,
        editor.row_as: row,
        "section": editor.anchor,
    }
    templates = [editor.row, "common/_saved_note.html"]
    if moved or status_moved:
        _saved, content = selectors.plan_as_saved_with_content(plan=saved_plan, fields=())
        context["missing_parts"] = _missing_parts(rules.missing_parts(content))
        context["submission_rule"] = rules.SUBMISSION_RULE
        templates.append("planning/_missing_parts.html")
    if status_moved:
        templates.append("planning/_plan_status.html")
    response = inplace.fragment_response(
        request, templates, context, announce=announce, events=_plan_revision_event(saved_plan)
    )
    response["HX-Retarget"] = f"#{kind}-{item.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _plan_now(plan: AccountPlan) -> str:
    """Said after a save in place that moved the plan's status (an approved plan edited is a
    draft again)."""
    return _("The plan is now %(status)s.") % {"status": plan.get_status_display().lower()}


def _plan_and_item_to_save(request, account: KeyAccount, editor, pk: int | None):
    """The plan a save writes to and the item it edits (None: an add). For a save in place of
    an item that hangs under the plan directly, both in one read (selectors.plan_item_to_edit);
    otherwise the plan (_plan_to_save), then the item through it."""
    if pk is not None and editor.parent_model is None and _fragment_target(request) is not None:
        item = selectors.plan_item_to_edit(
            account=account,
            model=editor.model,
            pk=pk,
            related=editor.links,
            approver=not editor.row,
        )
        if item is None:
            raise Http404("No such item in the account's current plan.")
        return item.plan, item
    plan = _plan_to_save(request, account)
    return plan, editor.find(plan, pk) if pk is not None else None


def _plan_to_save(request, account: KeyAccount) -> AccountPlan:
    """The plan a save writes to: for a save in place, read without what only the whole page
    shows (selectors.plan_to_edit)."""
    if _fragment_target(request) is None:
        return _plan_or_404(account)
    plan = selectors.plan_to_edit(account=account)
    if plan is None:
        raise Http404("This account has no current plan.")
    return plan


def _programme_currency() -> str:
    return Programme.current().currency


@login_required
@require_GET
def plan_detail(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = selectors.current_plan_for_page(account=account)
    section = _fragment_target(request)
    if (
        section
        and plan is not None
        and permissions.account_flags(request.user, account)["can_edit"]
    ):
        editing = _editing_from_query(request, account, plan)
        return _render_section(request, account, plan, section, editing=editing)
    return _render_plan(request, account, plan)


@login_required
@require_POST
def plan_start(request, account_id: int):
    """The quick start: a new plan with its first parts on one screen, optionally submitted
    for approval at once ("Start and submit")."""
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = forms.QuickStartForm(request.POST, account=account, user=request.user)
    if form.is_valid():
        try:
            plan = services.plan_quick_start(
                account=account, start=form.quick_start(), acting_user=request.user
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Plan %(period)s started.") % {"period": plan.period})
            if "submit" not in request.POST:
                return redirect(_plan_url(account))
            try:
                services.plan_submit(plan=plan, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Plan submitted. The account's director will review it.")
                )
            return redirect(_plan_url(account, "workflow"))
    plan = selectors.current_plan(account=account)
    if plan is not None and form.errors:  # someone else started it meanwhile: say so above it
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    status = 400 if form.errors else 200
    return _render_plan(request, account, plan, start_form=form, status=status)


@login_required
@require_POST
def section_save(request, account_id: int, section: str):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    plan = _plan_to_save(request, account)
    if section not in services.SECTIONS:
        raise Http404("No such plan section.")
    form = forms.SectionForm(request.POST, section=section)
    conflict = None
    if form.is_valid():
        try:
            services.plan_section_update(
                plan=plan,
                section=section,
                data=form.cleaned_data,
                revision=form.cleaned_data["revision"],
                acting_user=request.user,
            )
        except EditConflict as error:
            saved = forms.SectionForm(
                initial=forms.SectionForm.initial_for(error.current, section), section=section
            )
            conflict = describe_conflict(error, form=form, saved=saved)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = _("%(section)s saved.") % {"section": services.SECTIONS[section][0]}
            if _fragment_target(request) == section:
                return _render_section(request, account, plan, section, announce=done)
            messages.success(request, done)
            return redirect(_plan_url(account, section))
    editing = {"kind": "section", "section": section, "form": form, "conflict": conflict}
    status = conflict.status if conflict else 200
    if _fragment_target(request) == section:
        return _render_section(request, account, plan, section, editing=editing, status=status)
    return _render_plan(request, account, plan, editing=editing, status=status)


@login_required
@require_POST
def item_save(
    request, account_id: int, kind: str, pk: int | None = None, parent: int | None = None
):
    """Add or edit one objective, target, measurement, action, engagement activity or risk."""
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    editor = EDITORS.get(kind)
    if editor is None or (pk is not None and editor.model is None):
        raise Http404("Nothing to edit here.")
    if (parent is None) != (editor.parent_model is None) and pk is None:
        raise Http404("Nothing to add here.")
    plan, instance = _plan_and_item_to_save(request, account, editor, pk)
    # What the plan's missing parts count of the item as saved before this edit (the form
    # writes the typed values onto `instance` while it validates).
    counted_before = editor.counted(instance) if instance is not None else None
    parent_obj = editor.find_parent(plan, parent) if parent is not None else None
    form_kwargs = {"account": account, "plan": plan, "instance": instance}
    form = editor.form(data=request.POST, **form_kwargs)
    conflict = None
    if form.is_valid():
        try:
            saved = editor.save(
                plan=plan,
                data=form.cleaned_data,
                instance=instance,
                parent=parent_obj,
                user=request.user,
            )
        except EditConflict as error:
            saved = editor.form_class(**{**form_kwargs, "instance": error.current})
            conflict = describe_conflict(error, form=form, saved=saved)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            added, updated = SAVED_MESSAGES[kind]
            done = str(updated if instance is not None else added)
            # "Save and add another" (lists typed in a row): the same add form again, empty.
            another = instance is None and editor.add_another and "another" in request.POST
            fresh = None
            if another:
                done += " " + _("Add the next one.")
                fresh = {
                    "kind": kind,
                    "mode": "add",
                    "parent": parent,
                    "pk": None,
                    "form": editor.form(account=account, plan=plan, user=request.user),
                }
            if _fragment_target(request) == editor.anchor:
                if instance is not None and editor.row:
                    moved = editor.counted(saved) != counted_before
                    return _render_row(
                        request, account, plan, kind, saved, announce=done, moved=moved
                    )
                return _render_section(
                    request, account, plan, editor.anchor, editing=fresh, announce=done
                )
            messages.success(request, done)
            if another:
                add = f"{kind}-{parent}" if parent is not None else kind
                return redirect(f"{_plan_url(account)}?add={add}#{editor.anchor}")
            return redirect(_plan_url(account, editor.anchor))
    editing = {
        "kind": kind,
        "mode": "edit" if pk is not None else "add",
        "pk": pk,
        "parent": parent,
        "form": form,
        "conflict": conflict,
    }
    status = conflict.status if conflict else 200
    if _fragment_target(request) == editor.anchor:
        return _render_section(
            request, account, plan, editor.anchor, editing=editing, status=status
        )
    return _render_plan(request, account, plan, editing=editing, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_remove(request, account_id: int, kind: str, pk: int):
    """Delete an objective / engagement activity / risk, archive a target, cancel an action:
    always in two steps without JavaScript — this page asks, its form (`confirm`) does it. A
    deletion can then be undone for a while from the plan page (audit's undo_removal)."""
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    plan = _plan_or_404(account)
    editor = EDITORS.get(kind)
    if editor is None or editor.remove is None:
        raise Http404("Nothing to remove here.")
    instance = editor.find(plan, pk)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "planning/remove_confirm.html",
            {
                "account": account,
                "plan": plan,
                "kind": kind,
                "item": instance,
                "removal": editor.removal(instance),
                "undoable": bool(editor.history_key),
                "reason_form": forms.ActionCancelForm() if kind == "action" else None,
                "back": _plan_url(account, editor.anchor),
            },
        )
    try:
        done = editor.remove(instance, post=request.POST, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if not editor.history_key:
            messages.success(request, done)
        else:  # the plan page says it once, with its Undo button
            request.session[UNDO_SESSION_KEY] = {
                "account": account.pk,
                "type": editor.history_key,
                "id": pk,
                "text": done,
            }
    return redirect(_plan_url(account, editor.anchor))
