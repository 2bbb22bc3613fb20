"""Plans stage pages. Each view: access → form → service → redirect (or re-render with input)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.models import AccountEvent, KeyAccount, Programme
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
    describe_conflict,
)
from common.pdf import render_pdf
from discovery.forms import typed_stakeholder

from . import forms, rules, selectors, services
from .models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Objective,
    PlanRisk,
    PlanVersion,
    Target,
)
from .presentation import health_trend, print_layout, stakeholder_map
from .signals import plan_print_lines
from .snapshot import (
    customer_version,
    diff_snapshots,
    diff_summary,
    hydrate,
    load_plan,
    plan_to_dict,
)

PAGE_SIZE = 25
# The last deletion from the plan editor, offered for undo once on the next plan page.
UNDO_SESSION_KEY = "planning_undo"


# ---- helpers ------------------------------------------------------------------------------


def _plan_or_404(account: KeyAccount) -> AccountPlan:
    plan = selectors.current_plan(account=account)
    if plan is None:
        raise Http404("This account has no current plan.")
    return plan


def _plan_url(account: KeyAccount, anchor: str = "") -> str:
    url = reverse("planning:plan", args=[account.pk])
    return f"{url}#{anchor}" if anchor else url


def _forbidden(request, account: KeyAccount, message: str):
    return render(
        request,
        "planning/forbidden.html",
        {"account": account, "message": message},
        status=403,
    )


def _live_snapshot(plan: AccountPlan) -> dict:
    return plan_to_dict(load_plan(plan))


def _swot_rows(plan: dict) -> list[tuple[str, str]]:
    return [
        ("Strengths", plan["strengths"]),
        ("Weaknesses", plan["weaknesses"]),
        ("Opportunities", plan["opportunities_swot"]),
        ("Threats", plan["threats"]),
    ]


def _document_context(snapshot: dict) -> dict:
    """What planning/_document.html needs, for the live plan and for frozen versions alike."""
    doc = hydrate(snapshot)
    return {
        "doc": doc,
        "swot_rows": _swot_rows(doc["plan"]),
        "stakeholder_map": stakeholder_map(snapshot["stakeholders"]),
        "target_rule": rules.TARGET_STATUS_RULE,
        "currency": Programme.current().currency,
    }


# ---- the plan page and its in-place editors -----------------------------------------------
#
# Each editable kind of plan item is one `Editor` in `EDITORS`: its form, how its rows are
# found through the plan, and the service calls that save and remove it. The views below look
# the kind up and ask its entry; they never branch on the kind themselves.


def _plan_lookup(model: type, plan: AccountPlan) -> dict:
    """Targets hang under an objective; every other item belongs to the plan directly."""
    return {"objective__plan": plan} if model is Target else {"plan": plan}


def _today_measured() -> dict:
    return {"measured_on": timezone.localdate()}


def _no_initial() -> dict:
    return {}


def _never_orphan(editing: dict, target_ids: set) -> bool:
    return False


def _save_objective(*, plan, data, instance, parent, user):
    return services.objective_save(
        plan=plan, data=data, objective=instance, revision=data.get("revision"), acting_user=user
    )


def _save_target(*, plan, data, instance, parent, user):
    return services.target_save(
        objective=parent or instance.objective,
        data=data,
        target=instance,
        revision=data.get("revision"),
        acting_user=user,
    )


def _save_measurement(*, plan, data, instance, parent, user):
    return services.measurement_record(
        target=parent,
        measured_on=data["measured_on"],
        actual=data["actual"],
        comment=data["comment"],
        acting_user=user,
    )


def _save_action(*, plan, data, instance, parent, user):
    return services.action_save(
        plan=plan, data=data, action=instance, revision=data.get("revision"), acting_user=user
    )


def _save_engagement(*, plan, data, instance, parent, user):
    return services.engagement_save(
        plan=plan,
        data=data,
        activity=instance,
        revision=data.get("revision"),
        acting_user=user,
        new_stakeholder=typed_stakeholder(data),
    )


def _save_risk(*, plan, data, instance, parent, user):
    return services.risk_save(
        plan=plan, data=data, risk=instance, revision=data.get("revision"), acting_user=user
    )


def _remove_objective(instance, *, post, user) -> str:
    services.objective_delete(objective=instance, acting_user=user)
    return "Objective removed."


def _remove_target(instance, *, post, user) -> str:
    services.target_archive(target=instance, acting_user=user)
    return f"Target “{instance.kpi}” archived; its measurements are kept."


def _remove_action(instance, *, post, user) -> str:
    form = forms.ActionCancelForm(post)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.action_cancel(action=instance, reason=reason, acting_user=user)
    return "Action cancelled."


def _remove_engagement(instance, *, post, user) -> str:
    services.engagement_delete(activity=instance, acting_user=user)
    return "Engagement activity removed."


def _remove_risk(instance, *, post, user) -> str:
    services.risk_delete(risk=instance, acting_user=user)
    return "Risk removed."


@dataclass(frozen=True)
class Removal:
    """What the confirmation page says before an item is removed."""

    question: str
    consequences: list[str]
    button: str


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _objective_removal(objective) -> Removal:
    targets = objective.targets.count()
    measurements = objective.targets.aggregate(n=Count("measurements"))["n"]
    linked = objective.actions.count()
    consequences = [
        f"Its {_count(targets, 'target')} and {_count(measurements, 'measurement')} "
        "are removed with it."
    ]
    if linked:
        consequences.append(
            f"{_count(linked, 'action')} linked to it stay in the plan, no longer linked "
            "(undo does not link them again)."
        )
    return Removal(f"Remove the objective “{objective.title}”?", consequences, "Remove objective")


def _target_removal(target) -> Removal:
    return Removal(
        f"Archive the target “{target.kpi}”?",
        [
            "It leaves the plan, its status and plan health; its measurements are kept in the "
            "history."
        ],
        "Archive target",
    )


def _action_removal(action) -> Removal:
    return Removal(
        f"Cancel the action “{action.title}”?",
        ["A cancelled action stays on the plan as cancelled and cannot be edited again."],
        "Cancel action",
    )


def _engagement_removal(activity) -> Removal:
    return Removal(
        f"Remove the engagement activity “{activity.purpose}” ({activity.stakeholder})?",
        ["Nobody will be reminded of this meeting cadence any more."],
        "Remove engagement activity",
    )


def _risk_removal(risk) -> Removal:
    return Removal(f"Remove the risk “{risk.description}”?", [], "Remove risk")


def _measurement_orphan(editing: dict, target_ids: set) -> bool:
    return editing.get("parent") not in target_ids


def _target_orphan(editing: dict, target_ids: set) -> bool:
    return editing.get("mode") == "edit" and editing.get("pk") not in target_ids


@dataclass(frozen=True)
class Editor:
    """One editable kind of plan item: its form, how it is found, saved and removed."""

    form_class: type
    model: type | None  # the item edited (None: add-only)
    parent_model: type | None  # what a new item hangs under (None: the plan)
    anchor: str
    noun: str
    # save(plan=, data=, instance=, parent=, user=) -> the saved item
    save: Callable[..., Any]
    # remove(instance, post=, user=) -> the message shown; None: the item is never removed
    remove: Callable[..., str] | None = None
    # removal(instance) -> what the confirmation page asks (every removal is confirmed)
    removal: Callable[..., Removal] | None = None
    # The audit history's name for the item (audit.registry), for undoing a deletion.
    history_key: str = ""
    initial: Callable[[], dict] = _no_initial  # a fresh add form's starting values
    # Whether an open editor's row is missing from the page (an archived target's), so the
    # editor is shown on its own.
    orphan: Callable[[dict, set], bool] = _never_orphan
    # Offer "Save and add another" on its add form (lists typed in a row).
    add_another: bool = False

    def find(self, plan: AccountPlan, pk: int):
        """Items are fetched through their plan, so another account's id is a 404."""
        return get_object_or_404(self.model, pk=pk, **_plan_lookup(self.model, plan))

    def find_parent(self, plan: AccountPlan, pk: int):
        return get_object_or_404(self.parent_model, pk=pk, **_plan_lookup(self.parent_model, plan))

    def form(self, *, account, plan, instance=None, data=None, user=None):
        kwargs: dict[str, Any] = {
            "account": account,
            "plan": plan,
            "instance": instance,
            "user": user,
        }
        if data is None and instance is None:
            kwargs["initial"] = self.initial()
        return self.form_class(data, **kwargs)


EDITORS = {
    "objective": Editor(
        forms.ObjectiveForm,
        Objective,
        None,
        "objectives",
        "Objective",
        add_another=True,
        save=_save_objective,
        remove=_remove_objective,
        removal=_objective_removal,
        history_key="objective",
    ),
    "target": Editor(
        forms.TargetForm,
        Target,
        Objective,
        "objectives",
        "Target",
        add_another=True,
        save=_save_target,
        remove=_remove_target,
        removal=_target_removal,
        orphan=_target_orphan,
    ),
    "measurement": Editor(
        forms.MeasurementForm,
        None,
        Target,
        "objectives",
        "Measurement",
        save=_save_measurement,
        initial=_today_measured,
        orphan=_measurement_orphan,
    ),
    "action": Editor(
        forms.ActionForm,
        Action,
        None,
        "actions",
        "Action",
        add_another=True,
        save=_save_action,
        remove=_remove_action,
        removal=_action_removal,
    ),
    "engagement": Editor(
        forms.EngagementForm,
        EngagementActivity,
        None,
        "engagement",
        "Engagement",
        save=_save_engagement,
        remove=_remove_engagement,
        removal=_engagement_removal,
        history_key="engagement",
    ),
    "risk": Editor(
        forms.RiskForm,
        PlanRisk,
        None,
        "risks",
        "Risk",
        save=_save_risk,
        remove=_remove_risk,
        removal=_risk_removal,
        history_key="risk",
    ),
}


def _editing_from_query(request, account, plan) -> dict | None:
    """`?edit=objective-12`, `?add=action`, `?add=target-3`, `?section=swot` → an inline form."""
    section = request.GET.get("section")
    if section in services.SECTIONS:
        form = forms.SectionForm(
            initial=forms.SectionForm.initial_for(plan, section), section=section
        )
        return {"kind": "section", "section": section, "form": form}
    for mode in ("edit", "add"):
        value = request.GET.get(mode, "")
        kind, _, raw_pk = value.partition("-")
        if kind not in EDITORS:
            continue
        editor = EDITORS[kind]
        pk = int(raw_pk) if raw_pk.isdigit() else None
        if mode == "edit" and editor.model is not None and pk is not None:
            instance = editor.find(plan, pk)
            form = editor.form(account=account, plan=plan, instance=instance, user=request.user)
            return {"kind": kind, "mode": "edit", "pk": pk, "form": form}
        if mode == "add" and (editor.parent_model is None) == (pk is None):
            if pk is not None:
                editor.find_parent(plan, pk)
            form = editor.form(account=account, plan=plan, user=request.user)
            return {"kind": kind, "mode": "add", "parent": pk, "form": form}
    return None


# Where on the plan page each missing part (rules.PLAN_PARTS) is added.
PART_LINKS = {
    "value_proposition": "?section=value_proposition#value_proposition",
    "critical_success_factors": "?section=csf#csf",
    "objective_with_target": "#objectives",
    "action_with_owner": "?add=action#actions",
    "engagement": "?add=engagement#engagement",
}


def _render_plan(request, account: KeyAccount, plan: AccountPlan | None, **extra):
    flags = permissions.account_flags(request.user, account)
    context: dict[str, Any] = {"account": account, "plan": plan, **flags, **extra}
    if plan is None:
        if flags["can_edit"] and account.is_active and "start_form" not in context:
            context["start_form"] = forms.QuickStartForm(account=account, user=request.user)
        return render(request, "planning/plan.html", context, status=extra.get("status", 200))
    undo = request.session.get(UNDO_SESSION_KEY)
    if undo and undo.get("account") == account.pk:
        context["undo"] = request.session.pop(UNDO_SESSION_KEY)  # offered once, right after
    data = load_plan(plan)
    snapshot = plan_to_dict(data)
    editing = context.get("editing")
    if editing is None and flags["can_edit"]:
        editing = context["editing"] = _editing_from_query(request, account, plan)
    _prepare_editing(account, editing, snapshot)
    health = selectors.health_of_loaded_plan(data)
    trend = health_trend(
        selectors.health_records(plan), today=timezone.localdate(), score=health.score
    )
    context.update(
        _document_context(snapshot),
        editable=flags["can_edit"],
        health=health,
        health_trend=trend,
        health_rules=rules.HEALTH_RULE_TEXT,
        customer_version=selectors.latest_approved_version(plan=plan),
        missing_parts=_missing_parts(health.missing),
        submission_rule=rules.SUBMISSION_RULE,
        last_review_at=selectors.last_review_at(plan=plan),
        last_review_meaning=selectors.LAST_REVIEW_RULE,
        return_form=context.get("return_form") or forms.ReturnForm(),
        approve_form=forms.ApproveForm(),
        **permissions.plan_flags(request.user, account),
        editing_anchor=_editing_anchor(editing),
    )
    return render(request, "planning/plan.html", context, status=context.pop("status", 200))


def _missing_parts(missing: list[str]) -> list[dict]:
    return [
        {"key": key, "label": rules.PLAN_PART_LABELS[key], "link": PART_LINKS[key]}
        for key in missing
    ]


def _prepare_editing(account: KeyAccount, editing: dict | None, snapshot: dict) -> None:
    if editing is None:
        return
    editing["url"] = _editor_url(account, editing)
    editing["orphan"] = _is_orphan(editing, snapshot)
    editor = EDITORS.get(editing["kind"])
    editing["add_another"] = bool(editing.get("mode") == "add" and editor and editor.add_another)
    form = editing["form"]
    # The form opens with focus in its first field (the first one in error after a failed
    # save): `autofocus` works on a full page load without JavaScript and after an htmx swap.
    names = [n for n, f in form.fields.items() if not f.widget.is_hidden]
    first = next((n for n in names if n in form.errors), names[0] if names else None)
    if first is not None:
        form.fields[first].widget.attrs["autofocus"] = True


# ---- in-place fragments (htmx) ------------------------------------------------------------
#
# With JavaScript, the plan page's "Edit", "Add …" and "Cancel" links and its editor forms
# carry htmx attributes aimed at their own <section> (data-hx-target="this" on it: htmx reads
# the data- prefix too, and it keeps the HTML valid). The views below
# answer such a request with that section alone — the same partial the full page includes
# (planning/sections/_<id>.html) — plus the submit box's list of missing parts, swapped out of
# band. Without JavaScript the same links and forms load the whole page, as before.

# What a save may change on the plan itself (its sections' texts, its state).
PLAN_STATE_FIELDS = [
    *(f for _t, fields in services.SECTIONS.values() for f in fields),
    "status",
    "revision",
    "section_revisions",
    "value_proposition_refreshed_on",
]
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
    if request.headers.get("HX-Request") != "true":
        return None
    target = request.headers.get("HX-Target", "")
    return target if target in FRAGMENT_SECTIONS else None


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
    """One section of the plan page (and, out of band, what the plan still misses), reading
    only what that section shows."""
    data = load_plan(plan, only=SECTION_PARTS[section])
    snapshot = plan_to_dict(data)
    _prepare_editing(account, editing, snapshot)
    context = {
        "account": account,
        "plan": plan,
        "editable": True,
        "editing": editing,
        "editing_anchor": section,
        "announce": announce,
        "missing_parts": _missing_parts(rules.missing_parts(selectors.plan_content(plan=plan))),
        "submission_rule": rules.SUBMISSION_RULE,
        "oob": True,
        # What _document_context gives the whole document, less the stakeholder map (no
        # section redrawn in place shows it).
        "doc": hydrate(snapshot),
        "swot_rows": _swot_rows(snapshot["plan"]),
        "target_rule": rules.TARGET_STATUS_RULE,
        "currency": Programme.current().currency,
    }
    # A fragment has no page chrome, so it is drawn without the context processors (navigation,
    # unread notifications): the one thing its forms need from them is the CSRF token.
    context["csrf_token"] = get_token(request)
    html = render_to_string(f"planning/sections/_{section}.html", context)
    html += render_to_string("planning/_missing_parts.html", context)
    response = HttpResponse(html, status=status)
    if announce:
        response["HX-Trigger"] = json.dumps({"kam:announce": announce})
    return response


def _is_orphan(editing: dict, snapshot: dict) -> bool:
    """An editor whose row is not on the page (an archived target) is shown on its own."""
    editor = EDITORS.get(editing["kind"])
    if editor is None:
        return False
    target_ids = {t["id"] for o in snapshot["objectives"] for t in o["targets"]}
    return editor.orphan(editing, target_ids)


def _editor_url(account: KeyAccount, editing: dict) -> str:
    if editing["kind"] == "section":
        return reverse("planning:section_save", args=[account.pk, editing["section"]])
    if editing.get("mode") == "edit":
        return reverse("planning:item_edit", args=[account.pk, editing["kind"], editing["pk"]])
    if editing.get("parent") is not None:
        return reverse(
            "planning:item_add_to", args=[account.pk, editing["kind"], editing["parent"]]
        )
    return reverse("planning:item_add", args=[account.pk, editing["kind"]])


def _editing_anchor(editing: dict | None) -> str:
    if not editing:
        return ""
    if editing["kind"] == "section":
        return editing["section"]
    return EDITORS[editing["kind"]].anchor


@login_required
@require_GET
def plan_detail(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = selectors.current_plan(account=account)
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
            messages.success(request, f"Plan {plan.period} started.")
            if "submit" not in request.POST:
                return redirect(_plan_url(account))
            try:
                services.plan_submit(plan=plan, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Plan submitted. The account's director will review it.")
            return redirect(_plan_url(account, "workflow"))
    return _render_plan(request, account, selectors.current_plan(account=account), start_form=form)


@login_required
@require_POST
def section_save(request, account_id: int, section: str):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    plan = _plan_or_404(account)
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
            done = f"{services.SECTIONS[section][0]} saved."
            if _fragment_target(request) == section:
                plan.refresh_from_db(fields=PLAN_STATE_FIELDS)  # an edit may move them
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
    plan = _plan_or_404(account)
    editor = EDITORS.get(kind)
    if editor is None or (pk is not None and editor.model is None):
        raise Http404("Nothing to edit here.")
    if (parent is None) != (editor.parent_model is None) and pk is None:
        raise Http404("Nothing to add here.")
    instance = editor.find(plan, pk) if pk is not None else None
    parent_obj = editor.find_parent(plan, parent) if parent is not None else None
    form_kwargs = {"account": account, "plan": plan, "instance": instance}
    form = editor.form(data=request.POST, **form_kwargs)
    conflict = None
    if form.is_valid():
        try:
            editor.save(
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
            verb = "updated" if instance is not None else "added"
            done = f"{editor.noun} {verb}."
            # "Save and add another" (lists typed in a row): the same add form again, empty.
            another = instance is None and editor.add_another and "another" in request.POST
            fresh = None
            if another:
                done += " Add the next one."
                fresh = {
                    "kind": kind,
                    "mode": "add",
                    "parent": parent,
                    "pk": None,
                    "form": editor.form(account=account, plan=plan, user=request.user),
                }
            if _fragment_target(request) == editor.anchor:
                plan.refresh_from_db(fields=PLAN_STATE_FIELDS)  # an edit may move them
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


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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


# ---- workflow -----------------------------------------------------------------------------


def _plan_decision_conflict(request, account: KeyAccount, conflict: EditConflict, seen):
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=rules.DECISION_SHOWN,
        what=f"the plan {conflict.current.period} of {account}",
        back_url=_plan_url(account, "workflow"),
        context={"account": account},
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
        messages.success(request, "Plan submitted. The account's director will review it.")
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
            "You manage this account, so you cannot approve its plan yourself: "
            "the account's director approves it.",
        )
    permissions.check(request.user, permissions.APPROVE, account)
    form = forms.ApproveForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    seen = decision_revision(request)
    try:
        version = services.plan_approve(
            plan=plan, acting_user=request.user, comment=comment, revision=seen
        )
    except EditConflict as conflict:
        return _plan_decision_conflict(request, account, conflict, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Plan approved and frozen as version {version.number}.")
    return redirect(_plan_url(account, "workflow"))


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
            return _plan_decision_conflict(request, account, conflict, seen)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "Plan returned to the manager with your comments.")
            return redirect(_plan_url(account, "workflow"))
    return _render_plan(request, account, plan, return_form=form)


# ---- frozen records: approved versions and review snapshots -------------------------------
# Approvals and quarterly review snapshots are numbered apart and never called by each other's
# name. Compare and the PDF name a record by its token: "2" is approved version 2, "r1" review
# snapshot 1, "0" the live plan.


def _version_or_404(plan: AccountPlan, number: int, kind=PlanVersion.Kind.APPROVAL) -> PlanVersion:
    return get_object_or_404(
        PlanVersion.objects.select_related("created_by"), plan=plan, kind=kind, number=number
    )


def _record_for_token(plan: AccountPlan, token: str) -> PlanVersion | None:
    """None for the live plan ("0"); 404 for a token that names nothing."""
    token = token.strip().lower()
    if token in ("0", "live"):
        return None
    kind = PlanVersion.Kind.REVIEW if token.startswith("r") else PlanVersion.Kind.APPROVAL
    digits = token[1:] if token.startswith("r") else token
    if not digits.isdigit():
        raise Http404("Pick two versions to compare.")
    return _version_or_404(plan, int(digits), kind)


def _record_label(record: PlanVersion | None) -> str:
    return "the live plan" if record is None else record.label.lower()


@login_required
@require_GET
def version_list(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    records = list(plan.versions.select_related("created_by").order_by("created_at", "pk"))
    previous_approval = previous = None
    for record in records:
        # An approval is compared with the approval before it; a review snapshot with whatever
        # was frozen just before it.
        base = previous_approval if record.is_approval else previous
        record.compared_with = base.label if base else ""
        record.change_summary = (
            diff_summary(diff_snapshots(base.snapshot, record.snapshot)) if base else ""
        )
        previous = record
        if record.is_approval:
            previous_approval = record
    records.reverse()
    events = account.events.filter(
        kind__in=[AccountEvent.Kind.PLAN, AccountEvent.Kind.REVIEW]
    ).select_related("actor")[:20]
    return render(
        request,
        "planning/versions.html",
        {
            "account": account,
            "plan": plan,
            "approvals": [r for r in records if r.is_approval],
            "snapshots": [r for r in records if not r.is_approval],
            "records": records,
            "events": events,
        },
    )


def _frozen_page(request, account, plan, record: PlanVersion):
    return render(
        request,
        "planning/version_detail.html",
        {
            "account": account,
            "plan": plan,
            "version": record,
            "customer_version": selectors.latest_approved_version(plan=plan),
            "editable": False,
            **_document_context(record.snapshot),
        },
    )


@login_required
@require_GET
def version_detail(request, account_id: int, number: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    return _frozen_page(request, account, plan, _version_or_404(plan, number))


@login_required
@require_GET
def review_snapshot_detail(request, account_id: int, number: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    return _frozen_page(
        request, account, plan, _version_or_404(plan, number, PlanVersion.Kind.REVIEW)
    )


@login_required
@require_GET
def version_compare(request, account_id: int):
    """Compare two frozen records (or one with the live plan, token "0")."""
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    records = list(plan.versions.select_related("created_by").order_by("-created_at", "-pk"))
    tokens = [r.token for r in records[:2]]  # by default the newest two, newest last
    a = _record_for_token(plan, request.GET.get("a", tokens[1] if len(tokens) > 1 else "0"))
    b = _record_for_token(plan, request.GET.get("b", tokens[0] if tokens else "0"))

    def snapshot(record: PlanVersion | None) -> dict:
        return _live_snapshot(plan) if record is None else record.snapshot

    sections = diff_snapshots(snapshot(a), snapshot(b))
    return render(
        request,
        "planning/version_compare.html",
        {
            "account": account,
            "plan": plan,
            "records": records,
            "a": a.token if a else "0",
            "b": b.token if b else "0",
            "a_label": _record_label(a),
            "b_label": _record_label(b),
            "sections": sections,
            "summary": diff_summary(sections),
        },
    )


# ---- PDF ----------------------------------------------------------------------------------


@login_required
@require_GET
def plan_pdf(request, account_id: int):
    """Two A4 pages. `?version=N` prints approved version N, `?review=N` review snapshot N;
    `?audience=customer` prints the customer version of the last approved version (never a
    draft or a review snapshot), or a page saying there is none."""
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    if request.GET.get("audience") == "customer":
        version = selectors.latest_approved_version(plan=plan)
        if version is None:
            return render(
                request,
                "planning/no_customer_version.html",
                {"account": account, "plan": plan},
                status=404,
            )
        pdf = render_plan_pdf(customer_version(version.snapshot))
        filename = f"plan-{account.pk}-{plan.period}-v{version.number}-customer.pdf"
        return _pdf_response(pdf, filename)
    number = request.GET.get("version", "")
    review_number = request.GET.get("review", "")
    for value in (number, review_number):
        if value and not value.isdigit():
            raise Http404("No such version.")
    if number:
        snapshot = _version_or_404(plan, int(number)).snapshot
        suffix = f"-v{number}"
    elif review_number:
        snapshot = _version_or_404(plan, int(review_number), PlanVersion.Kind.REVIEW).snapshot
        suffix = f"-review{review_number}"
    else:
        snapshot = _live_snapshot(plan)
        suffix = ""
    lines = plan_print_lines(account_id=account.pk, today=timezone.localdate())
    return _pdf_response(
        render_plan_pdf(snapshot, lines=lines), f"plan-{account.pk}-{plan.period}{suffix}.pdf"
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = filename.replace(" ", "_")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def render_plan_pdf(snapshot: dict, *, lines: list[str] = ()) -> bytes:
    """`lines`: facts of later stages for the header (signals.plan_print_lines), internal
    PDFs only."""
    layout = print_layout(snapshot)
    return render_pdf(
        "planning/plan_print.html",
        {
            "doc": hydrate(snapshot),
            "layout": hydrate(layout),
            "lines": [] if layout["customer"] else list(lines),
        },
    )


# ---- the Plans stage landing page ---------------------------------------------------------


@login_required
@require_GET
def index(request):
    status = request.GET.get("status", "")
    plans = selectors.plans_visible_to(user=request.user, status=status)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    health = selectors.health_for_plans(page.object_list)
    for plan in page.object_list:
        plan.health = health[plan.pk]
    return render(
        request,
        "planning/index.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                (v, label)
                for v, label in AccountPlan.Status.choices
                if v != AccountPlan.Status.ARCHIVED
            ],
            "without_plan": selectors.accounts_without_plan_count(user=request.user),
            "health_rules": rules.HEALTH_RULES,
        },
    )
