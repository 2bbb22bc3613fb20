"""The plan editor's registry: for each kind of item, how it is saved, removed and
announced, and the plan page's render with an editor open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import permissions
from accounts.models import KeyAccount
from accounts.selectors import user_today
from common import inplace
from discovery.forms import typed_stakeholder

from .. import forms, page_cache, rules, selectors, services
from ..models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Objective,
    PlanRisk,
    Target,
)
from ..presentation import health_trend
from ..snapshot import (
    action_dict,
    engagement_dict,
    load_plan,
    plan_to_dict,
    saved_target_dict,
)
from .common import UNDO_SESSION_KEY, _document_context

# ---- the plan page and its in-place editors -----------------------------------------------
#
# Each editable kind of plan item is one `Editor` in `EDITORS`: its form, how its rows are
# found through the plan, and the service calls that save and remove it. The views below look
# the kind up and ask its entry; they never branch on the kind themselves.


def _plan_lookup(model: type, plan: AccountPlan) -> dict:
    """Targets hang under an objective; every other item belongs to the plan directly."""
    return {"objective__plan": plan} if model is Target else {"plan": plan}


def _today_measured(user) -> dict:
    """A new measurement is dated today where its writer is (accounts.selectors.user_today)."""
    return {"measured_on": user_today(user)}


def _no_initial(user) -> dict:
    return {}


def _never_orphan(editing: dict, target_ids: set) -> bool:
    return False


def _nothing_counted(item) -> tuple:
    return ()


def _action_counted(action) -> tuple:
    """What of an action the plan's missing parts count (an action with an owner and a due
    date, not cancelled: rules.PLAN_PARTS)."""
    return (
        action.owner_id is not None,
        action.customer_owner_id is not None,
        action.due_on is None,
        action.status == Action.Status.CANCELLED,
    )


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
    return _("Objective removed.")


def _remove_target(instance, *, post, user) -> str:
    services.target_archive(target=instance, acting_user=user)
    return _("Target “%(kpi)s” archived; its measurements are kept.") % {"kpi": instance.kpi}


def _remove_action(instance, *, post, user) -> str:
    form = forms.ActionCancelForm(post)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.action_cancel(action=instance, reason=reason, acting_user=user)
    return _("Action cancelled.")


def _remove_engagement(instance, *, post, user) -> str:
    services.engagement_delete(activity=instance, acting_user=user)
    return _("Engagement activity removed.")


def _remove_risk(instance, *, post, user) -> str:
    services.risk_delete(risk=instance, acting_user=user)
    return _("Risk removed.")


@dataclass(frozen=True)
class Removal:
    """What the confirmation page says before an item is removed."""

    question: str
    consequences: list[str]
    button: str


def _objective_removal(objective) -> Removal:
    targets = objective.targets.count()
    measurements = objective.targets.aggregate(n=Count("measurements"))["n"]
    linked = objective.actions.count()
    consequences = [
        _("Its %(targets)s and %(measurements)s are removed with it.")
        % {
            "targets": ngettext("%(count)s target", "%(count)s targets", targets)
            % {"count": targets},
            "measurements": ngettext(
                "%(count)s measurement", "%(count)s measurements", measurements
            )
            % {"count": measurements},
        }
    ]
    if linked:
        consequences.append(
            ngettext(
                "%(count)s action linked to it stay in the plan, no longer linked "
                "(undo does not link them again).",
                "%(count)s actions linked to it stay in the plan, no longer linked "
                "(undo does not link them again).",
                linked,
            )
            % {"count": linked}
        )
    return Removal(
        _("Remove the objective “%(title)s”?") % {"title": objective.title},
        consequences,
        _("Remove objective"),
    )


def _target_removal(target) -> Removal:
    return Removal(
        _("Archive the target “%(kpi)s”?") % {"kpi": target.kpi},
        [
            _(
                "It leaves the plan, its status and plan health; its measurements are kept in the "
                "history."
            )
        ],
        _("Archive target"),
    )


def _action_removal(action) -> Removal:
    return Removal(
        _("Cancel the action “%(title)s”?") % {"title": action.title},
        [_("A cancelled action stays on the plan as cancelled and cannot be edited again.")],
        _("Cancel action"),
    )


def _engagement_removal(activity) -> Removal:
    return Removal(
        _("Remove the engagement activity “%(purpose)s” (%(stakeholder)s)?")
        % {"purpose": activity.purpose, "stakeholder": activity.stakeholder},
        [_("Nobody will be reminded of this meeting cadence any more.")],
        _("Remove engagement activity"),
    )


def _risk_removal(risk) -> Removal:
    return Removal(
        _("Remove the risk “%(description)s”?") % {"description": risk.description},
        [],
        _("Remove risk"),
    )


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
    initial: Callable[[Any], dict] = _no_initial  # a fresh add form's starting values (user)
    # Whether an open editor's row is missing from the page (an archived target's), so the
    # editor is shown on its own.
    orphan: Callable[[dict, set], bool] = _never_orphan
    # Offer "Save and add another" on its add form (lists typed in a row).
    add_another: bool = False
    # Links read with the item (select_related), which its form reuses (forms.LinkField).
    links: tuple[str, ...] = ()
    # The partial drawing one item as a row of its section (`<kind>-<id>` its element's id): a
    # save in place of an existing item answers with that row alone. "": the whole section.
    row: str = ""
    # row_dict(item, today) -> the item as the snapshot holds it, which the row partial draws
    # (as `row_as` in its context).
    row_dict: Callable[[Any, Any], dict] | None = None
    row_as: str = "a"
    # counted(item) -> what of the item the plan's missing parts count: the row's answer
    # redraws them only when this (or the plan's status) moved.
    counted: Callable[[Any], tuple] = _nothing_counted

    def find(self, plan: AccountPlan, pk: int):
        """Items are fetched through their plan, so another account's id is a 404."""
        rows = self.model.objects.select_related(*self.links)
        return get_object_or_404(rows, pk=pk, **_plan_lookup(self.model, plan))

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
            kwargs["initial"] = self.initial(user)
        return self.form_class(data, **kwargs)


# What the plan page announces after a save: (added, updated), per editor kind.
SAVED_MESSAGES = {
    "objective": (gettext_lazy("Objective added."), gettext_lazy("Objective updated.")),
    "target": (gettext_lazy("Target added."), gettext_lazy("Target updated.")),
    "measurement": (gettext_lazy("Measurement added."), gettext_lazy("Measurement updated.")),
    "action": (gettext_lazy("Action added."), gettext_lazy("Action updated.")),
    "engagement": (gettext_lazy("Engagement added."), gettext_lazy("Engagement updated.")),
    "risk": (gettext_lazy("Risk added."), gettext_lazy("Risk updated.")),
}

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
        row="planning/sections/_target_row.html",
        row_dict=saved_target_dict,
        row_as="target",
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
        links=("opportunity", "objective", "owner"),
        row="planning/sections/_action_row.html",
        row_dict=action_dict,
        counted=_action_counted,
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
        row="planning/sections/_engagement_row.html",
        row_dict=engagement_dict,
        row_as="e",
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
        kind, _sep, raw_pk = value.partition("-")
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
    editing = context.get("editing")
    if editing is None and flags["can_edit"]:
        editing = context["editing"] = _editing_from_query(request, account, plan)
    flags = {**flags, **permissions.plan_flags(request.user, account)}
    context.update(flags)
    # The reader's date, as on My work: an action due yesterday in Tokyo is overdue for a
    # reader in Tokyo. The cached document is keyed by that date (page_cache.cache_key).
    today = user_today(request.user)
    if editing is None and not extra:
        # The plain page: its document may come from the cache (planning/page_cache.py).
        def document(csrf_token: str) -> str:
            body = {**context, **_plan_body_context(plan, flags, editing=None, today=today)}
            # `reader`: no request here; its times are drawn on the reader's clock (kam_tags).
            body["reader"] = request.user
            return render_to_string("planning/_plan_body.html", {**body, "csrf_token": csrf_token})

        context["plan_document"] = page_cache.plan_document(
            request, plan=plan, flags=flags, render=document
        )
        return render(request, "planning/plan.html", context)
    context.update(_plan_body_context(plan, flags, editing=editing, today=today))
    for bound in ("return_form", "approve_form"):
        if bound in extra:
            context[bound] = extra[bound]
    return render(request, "planning/plan.html", context, status=context.pop("status", 200))


def _plan_body_context(plan: AccountPlan, flags: dict, *, editing: dict | None, today) -> dict:
    """What planning/_plan_body.html shows of the plan (the part page_cache may keep), as of
    `today`, the reader's date: target status, overdue actions, missed engagements, health."""
    account = plan.key_account
    data = load_plan(plan)
    snapshot = plan_to_dict(data, today=today)
    _prepare_editing(account, editing, snapshot)
    completed_review_at, approval_number = selectors.plan_page_facts(plan=plan)
    health = selectors.health_of_loaded_plan(
        data, today=today, completed_review_at=completed_review_at
    )
    trend = health_trend(
        selectors.health_records(plan, today=today), today=today, score=health.score
    )
    return {
        **_document_context(snapshot, currency=getattr(plan, "page_currency", None)),
        "editable": flags["can_edit"],
        "health": health,
        "health_trend": trend,
        "health_rules": rules.HEALTH_RULE_TEXT,
        # The template names the number only (the customer PDF link).
        "customer_version": {"number": approval_number} if approval_number is not None else None,
        "missing_parts": _missing_parts(health.missing),
        "submission_rule": rules.SUBMISSION_RULE,
        "last_review_at": selectors.last_review_of(
            plan=plan, completed_review_at=completed_review_at
        ),
        "last_review_meaning": selectors.LAST_REVIEW_RULE,
        "return_form": forms.ReturnForm(),
        "approve_form": forms.ApproveForm(),
        "editing_anchor": _editing_anchor(editing),
    }


def _missing_parts(missing: list[str]) -> list[dict]:
    return [
        {"key": key, "label": rules.PLAN_PART_LABELS[key], "link": PART_LINKS[key]}
        for key in missing
    ]


def _prepare_editing(account: KeyAccount, editing: dict | None, snapshot: dict) -> None:
    if editing is None:
        return
    editing["url"] = _editor_url(account, editing)
    editing["cancel_url"] = reverse("planning:plan", args=[account.pk])
    editing["orphan"] = _is_orphan(editing, snapshot)
    editor = EDITORS.get(editing["kind"])
    editing["add_another"] = bool(editing.get("mode") == "add" and editor and editor.add_another)
    inplace.focus_first_field(editing["form"])


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
