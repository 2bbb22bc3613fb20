"""Plans stage pages. Each view: access → form → service → redirect (or re-render with input)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import AccountEvent, KeyAccount, Programme
from common.conflicts import EditConflict, describe_conflict
from common.pdf import render_pdf

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
from .snapshot import (
    customer_version,
    diff_snapshots,
    diff_summary,
    hydrate,
    load_plan,
    plan_to_dict,
)

PAGE_SIZE = 25


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


def _document_context(snapshot: dict) -> dict:
    """What planning/_document.html needs, for the live plan and for frozen versions alike."""
    doc = hydrate(snapshot)
    plan = doc["plan"]
    return {
        "doc": doc,
        "swot_rows": [
            ("Strengths", plan["strengths"]),
            ("Weaknesses", plan["weaknesses"]),
            ("Opportunities", plan["opportunities_swot"]),
            ("Threats", plan["threats"]),
        ],
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
        plan=plan, data=data, activity=instance, revision=data.get("revision"), acting_user=user
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
    initial: Callable[[], dict] = _no_initial  # a fresh add form's starting values
    # Whether an open editor's row is missing from the page (an archived target's), so the
    # editor is shown on its own.
    orphan: Callable[[dict, set], bool] = _never_orphan

    def find(self, plan: AccountPlan, pk: int):
        """Items are fetched through their plan, so another account's id is a 404."""
        return get_object_or_404(self.model, pk=pk, **_plan_lookup(self.model, plan))

    def find_parent(self, plan: AccountPlan, pk: int):
        return get_object_or_404(self.parent_model, pk=pk, **_plan_lookup(self.parent_model, plan))

    def form(self, *, account, plan, instance=None, data=None):
        kwargs: dict[str, Any] = {"account": account, "plan": plan, "instance": instance}
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
        save=_save_objective,
        remove=_remove_objective,
    ),
    "target": Editor(
        forms.TargetForm,
        Target,
        Objective,
        "objectives",
        "Target",
        save=_save_target,
        remove=_remove_target,
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
        save=_save_action,
        remove=_remove_action,
    ),
    "engagement": Editor(
        forms.EngagementForm,
        EngagementActivity,
        None,
        "engagement",
        "Engagement",
        save=_save_engagement,
        remove=_remove_engagement,
    ),
    "risk": Editor(
        forms.RiskForm, PlanRisk, None, "risks", "Risk", save=_save_risk, remove=_remove_risk
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
            form = editor.form(account=account, plan=plan, instance=instance)
            return {"kind": kind, "mode": "edit", "pk": pk, "form": form}
        if mode == "add" and (editor.parent_model is None) == (pk is None):
            if pk is not None:
                editor.find_parent(plan, pk)
            form = editor.form(account=account, plan=plan)
            return {"kind": kind, "mode": "add", "parent": pk, "form": form}
    return None


def _render_plan(request, account: KeyAccount, plan: AccountPlan | None, **extra):
    flags = permissions.account_flags(request.user, account)
    context: dict[str, Any] = {"account": account, "plan": plan, **flags, **extra}
    if plan is None:
        if flags["can_edit"] and account.is_active and "start_form" not in context:
            today = timezone.localdate()
            context["start_form"] = forms.PlanStartForm(initial={"period": f"FY{today.year + 1}"})
        return render(request, "planning/plan.html", context, status=extra.get("status", 200))
    data = load_plan(plan)
    snapshot = plan_to_dict(data)
    editing = context.get("editing")
    if editing is None and flags["can_edit"]:
        editing = context["editing"] = _editing_from_query(request, account, plan)
    if editing is not None:
        editing["url"] = _editor_url(account, editing)
        editing["orphan"] = _is_orphan(editing, snapshot)
    health = selectors.health_of_loaded_plan(data)
    trend = health_trend(
        selectors.health_records(plan), today=timezone.localdate(), score=health.score
    )
    versions = list(plan.versions.select_related("created_by").order_by("-number")[:5])
    context.update(
        _document_context(snapshot),
        editable=flags["can_edit"],
        health=health,
        health_trend=trend,
        health_rules=rules.HEALTH_RULE_TEXT,
        versions=versions,
        customer_version=selectors.latest_approved_version(plan=plan),
        return_form=context.get("return_form") or forms.ReturnForm(),
        approve_form=forms.ApproveForm(),
        **permissions.plan_flags(request.user, account),
        editing_anchor=_editing_anchor(editing),
    )
    return render(request, "planning/plan.html", context, status=context.pop("status", 200))


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
    return _render_plan(request, account, selectors.current_plan(account=account))


@login_required
@require_POST
def plan_start(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = forms.PlanStartForm(request.POST)
    if form.is_valid():
        try:
            plan = services.plan_start(
                account=account, period=form.cleaned_data["period"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error("period" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, f"Plan {plan.period} started. Fill in the sections below.")
            return redirect(_plan_url(account))
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
            title = services.SECTIONS[section][0]
            messages.success(request, f"{title} saved.")
            return redirect(_plan_url(account, section))
    editing = {"kind": "section", "section": section, "form": form, "conflict": conflict}
    return _render_plan(
        request, account, plan, editing=editing, status=conflict.status if conflict else 200
    )


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
            messages.success(request, f"{editor.noun} {verb}.")
            return redirect(_plan_url(account, editor.anchor))
    editing = {
        "kind": kind,
        "mode": "edit" if pk is not None else "add",
        "pk": pk,
        "parent": parent,
        "form": form,
        "conflict": conflict,
    }
    return _render_plan(
        request, account, plan, editing=editing, status=conflict.status if conflict else 200
    )


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def item_remove(request, account_id: int, kind: str, pk: int):
    """Delete an objective / engagement activity / risk, archive a target, cancel an action."""
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    plan = _plan_or_404(account)
    editor = EDITORS.get(kind)
    if editor is None or editor.remove is None:
        raise Http404("Nothing to remove here.")
    instance = editor.find(plan, pk)
    try:
        done = editor.remove(instance, post=request.POST, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_plan_url(account, editor.anchor))


# ---- workflow -----------------------------------------------------------------------------


@login_required
@require_POST
def plan_submit(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    plan = _plan_or_404(account)
    try:
        services.plan_submit(plan=plan, acting_user=request.user)
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
    try:
        version = services.plan_approve(plan=plan, acting_user=request.user, comment=comment)
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
        try:
            services.plan_return(
                plan=plan, comment=form.cleaned_data["comment"], acting_user=request.user
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "Plan returned to the manager with your comments.")
            return redirect(_plan_url(account, "workflow"))
    return _render_plan(request, account, plan, return_form=form)


# ---- versions -----------------------------------------------------------------------------


def _version_or_404(plan: AccountPlan, number: int) -> PlanVersion:
    return get_object_or_404(
        PlanVersion.objects.select_related("created_by"), plan=plan, number=number
    )


@login_required
@require_GET
def version_list(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    versions = list(plan.versions.select_related("created_by").order_by("number"))
    previous = None
    for version in versions:
        version.change_summary = (
            diff_summary(diff_snapshots(previous.snapshot, version.snapshot))
            if previous
            else "First approved version"
        )
        previous = version
    versions.reverse()
    events = account.events.filter(kind=AccountEvent.Kind.PLAN).select_related("actor")[:20]
    return render(
        request,
        "planning/versions.html",
        {"account": account, "plan": plan, "versions": versions, "events": events},
    )


@login_required
@require_GET
def version_detail(request, account_id: int, number: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    version = _version_or_404(plan, number)
    snapshot = version.snapshot
    return render(
        request,
        "planning/version_detail.html",
        {
            "account": account,
            "plan": plan,
            "version": version,
            "customer_version": selectors.latest_approved_version(plan=plan),
            "editable": False,
            **_document_context(snapshot),
        },
    )


@login_required
@require_GET
def version_compare(request, account_id: int):
    """Compare two versions; number 0 stands for the live plan as it is now."""
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    numbers = list(plan.versions.order_by("-number").values_list("number", flat=True))
    try:
        a = int(request.GET.get("a", numbers[1] if len(numbers) > 1 else 0))
        b = int(request.GET.get("b", numbers[0] if numbers else 0))
    except ValueError:
        raise Http404("Pick two versions to compare.") from None

    def snapshot(number: int) -> dict:
        return _live_snapshot(plan) if number == 0 else _version_or_404(plan, number).snapshot

    sections = diff_snapshots(snapshot(a), snapshot(b))
    return render(
        request,
        "planning/version_compare.html",
        {
            "account": account,
            "plan": plan,
            "numbers": numbers,
            "a": a,
            "b": b,
            "sections": sections,
            "summary": diff_summary(sections),
        },
    )


# ---- PDF ----------------------------------------------------------------------------------


@login_required
@require_GET
def plan_pdf(request, account_id: int):
    """Two A4 pages. `?version=N` prints version N; `?audience=customer` prints the customer
    version of the last approved version (never a draft), or a page saying there is none."""
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
    if number:
        if not number.isdigit():
            raise Http404("No such version.")
        snapshot = _version_or_404(plan, int(number)).snapshot
    else:
        snapshot = _live_snapshot(plan)
    suffix = f"-v{number}" if number else ""
    return _pdf_response(render_plan_pdf(snapshot), f"plan-{account.pk}-{plan.period}{suffix}.pdf")


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = filename.replace(" ", "_")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def render_plan_pdf(snapshot: dict) -> bytes:
    layout = hydrate(print_layout(snapshot))
    return render_pdf("planning/plan_print.html", {"doc": hydrate(snapshot), "layout": layout})


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
