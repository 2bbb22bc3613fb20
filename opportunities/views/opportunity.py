"""One opportunity: add it, its page edited in place (common/inplace.py), its decision, and
an interview idea turned into one."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from common import inplace
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
    describe_decision_conflict,
)
from common.form_pages import apply_errors
from discovery.models import OpportunityIdea

from .. import rules, selectors, services, signals
from ..forms import DecisionForm, OpportunityForm
from ..models import Opportunity, Workshop
from .base import _common


def _workshop_from_query(request, account) -> Workshop | None:
    workshop_id = request.GET.get("workshop") or request.POST.get("from_workshop")
    if not workshop_id:
        return None
    try:
        return get_object_or_404(Workshop, pk=int(workshop_id), key_account=account)
    except ValueError:
        raise Http404(_("No such workshop.")) from None


@login_required
def opportunity_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    from_workshop = _workshop_from_query(request, account)
    initial = {"owner": request.user.pk}
    if from_workshop is not None:
        initial.update(source=Opportunity.Source.WORKSHOP, workshop=from_workshop.pk)
    form = OpportunityForm(
        request.POST or None, account=account, initial=initial, submit_label=_("Add opportunity")
    )
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                account=account,
                values=form.service_values(),
                stakeholders=list(form.cleaned_data["stakeholders"]),
                workshop=form.cleaned_data["workshop"] or from_workshop,
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Opportunity “%(title)s” added.") % {"title": opportunity.title}
            )
            return redirect(services.detail_url(opportunity))
    return render(
        request,
        "opportunities/opportunity_form.html",
        {**_common(request, account), "form": form, "from_workshop": from_workshop},
    )


# The opportunity's page is edited in place (common/inplace.py): its facts and scores
# (opportunities/_opportunity_facts.html, "Edit and re-score") and its decision
# (_opportunity_decision.html) are blocks; a save also redraws the title with its status badge.
FACTS, DECISION = "opportunity-facts", "opportunity-decision"


def _detail_page(request, account, pk: int, *, block: str = "", editing=None, decision_form=None,
                 decision_conflict=None, status=200, announce="", fragment=False,
                 from_workshop=None):  # fmt: skip
    opportunity = selectors.opportunity_detail(account=account, pk=pk)
    context = {
        **_common(request, account),
        "opportunity": opportunity,
        "decisions": selectors.decision_log(opportunity=opportunity),
        "origins": [] if fragment else signals.origins_of(opportunity),
        "decision_form": decision_form or DecisionForm(),
        "decision_conflict": decision_conflict,
        "editing": editing,
        "editing_anchor": FACTS,
        "from_workshop": from_workshop,
        **_score_context(opportunity),
    }
    partial_name = "_opportunity_facts" if block == FACTS else "_opportunity_decision"
    partials = [f"opportunities/{partial_name}.html"]
    if announce:
        partials.append("opportunities/_opportunity_title.html")
    return inplace.page_or_fragment(
        request, "opportunities/opportunity_detail.html", partials, context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_GET
def opportunity_detail(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id)
    # "Cancel" in the facts' editor asks htmx for that block alone.
    block = inplace.fragment_target(request, [FACTS, DECISION])
    return _detail_page(request, account, pk, block=block or "", fragment=bool(block))


def _score_context(opportunity) -> dict:
    common = {
        "formula": services.FORMULA_TEXT,
        "money_bands": services.MONEY_BANDS_TEXT,
        "money_score": services.money_score(opportunity.profit_potential),
    }
    if not opportunity.is_scored:
        return common
    return {
        **common,
        "value_score": services.value_score(opportunity),
        "effort_risk": services.effort_risk_score(opportunity),
        "strategic_us_meaning": services.STRATEGIC_SCALE[opportunity.strategic_value_us],
        "strategic_customer_meaning": services.STRATEGIC_SCALE[
            opportunity.strategic_value_customer
        ],
        "effort_meaning": services.EFFORT_SCALE[opportunity.effort],
        "risk_meaning": services.RISK_SCALE[opportunity.risk],
    }


@login_required
def opportunity_edit(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    # Read with its owner, workshop and stakeholders: the form and the service take them as
    # read (bench/README.md, finding 62).
    opportunity = selectors.opportunity_detail(account=account, pk=pk)
    in_workshop = _workshop_from_query(request, account)
    initial = {"revision": opportunity.revision}
    if in_workshop is not None:
        initial["workshop"] = in_workshop.pk

    def form(data=None):
        built = OpportunityForm(data, instance=opportunity, account=account, initial=initial)
        built.helper.inputs = []  # common/_inplace_form.html draws the buttons
        return built

    def save(bound):
        return services.opportunity_update(
            opportunity=opportunity,
            values=bound.service_values(),
            stakeholders=list(bound.cleaned_data["stakeholders"]),
            workshop=bound.cleaned_data["workshop"],
            revision=bound.cleaned_data["revision"],
            acting_user=request.user,
        )

    return inplace.edit_in_place(
        request,
        block=FACTS,
        render=partial(_detail_page, request, account, pk, block=FACTS, from_workshop=in_workshop),
        form=form,
        save=save,
        saved_form=lambda current: OpportunityForm(instance=current, account=account),
        done=lambda saved: _("Opportunity “%(title)s” saved.") % {"title": saved.title},
        redirect_to=services.detail_url,
        cancel_url=reverse("opportunities:opportunity_detail", args=[account.pk, pk]),
        mode="edit",
        pk=pk,
    )


def opportunity_decision_conflict(
    request, account, conflict: EditConflict, seen, back_url="", form=None
):
    """The 409 answer to a decision on an opportunity from a stale page (what was typed on
    `form` given back to copy)."""
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=rules.DECISION_SHOWN,
        what=f"“{conflict.current.title}”",
        back_url=back_url or services.detail_url(conflict.current),
        context={"account": account},
        typed=form,
    )


@login_required
@require_POST
def opportunity_decide(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    opportunity = selectors.opportunity_detail(account=account, pk=pk)
    fragment = inplace.fragment_target(request, [DECISION]) is not None
    page = partial(_detail_page, request, account, pk, block=DECISION, fragment=fragment)
    form = DecisionForm(request.POST)
    if form.is_valid():
        seen = decision_revision(request)
        try:
            opportunity = services.opportunity_decide(
                opportunity=opportunity,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                revision=seen,
            )
        except EditConflict as conflict:
            if not fragment:
                return opportunity_decision_conflict(request, account, conflict, seen, form=form)
            details = describe_decision_conflict(
                conflict, seen_revision=seen, shown=rules.DECISION_SHOWN
            )
            # In place: what is saved now is on the block itself, the typed reason kept in the
            # form under it, which now carries the saved revision.
            return page(decision_conflict=details, decision_form=form, status=details.status)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            done = _("Decision recorded: %(decision)s “%(title)s”.") % {
                "decision": opportunity.get_decision_display().lower(),
                "title": opportunity.title,
            }
            if fragment:
                return page(announce=done)
            messages.success(request, done)
            return redirect(services.detail_url(opportunity))
    inplace.focus_first_field(form)
    return page(decision_form=form, status=400)


@login_required
@require_POST
def idea_convert(request, idea_id: int):
    idea = get_object_or_404(OpportunityIdea.objects.select_related("interview"), pk=idea_id)
    account = permissions.get_account_for_user(
        request.user, idea.interview.key_account_id, permissions.EDIT
    )
    result = services.idea_convert(idea=idea, acting_user=request.user)
    edit_url = "opportunities:opportunity_edit"
    if result.created:
        messages.success(
            request,
            _("“%(title)s” is now an opportunity. Quantify and score it below.")
            % {"title": idea.title},
        )
    else:
        messages.info(
            request,
            _("“%(title)s” was already turned into this opportunity.") % {"title": idea.title},
        )
    return redirect(edit_url, account.pk, result.opportunity.pk)
