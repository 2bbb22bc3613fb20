"""Stage 3 pages: access → form → service → redirect; an opportunity's page is edited in
place (common/inplace.py)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import Programme
from common import inplace
from common.conflicts import (
    EditConflict,
    conflict_response,
    decision_conflict_response,
    decision_revision,
    describe_conflict,
    describe_decision_conflict,
)
from common.csv_export import csv_response
from common.form_pages import apply_errors
from discovery.models import OpportunityIdea

from . import rules, selectors, services
from .forms import (
    BusinessUnitForm,
    CellForm,
    CellStateForm,
    DecisionForm,
    ListPriceForm,
    OfferingForm,
    OpportunityForm,
    WorkshopForm,
)
from .models import BusinessUnit, Offering, Opportunity, Workshop

PAGE_SIZE = 25


def _common(request, account) -> dict:
    return {
        "account": account,
        "currency": Programme.current().currency,
        **permissions.account_flags(request.user, account),
    }


# ---- pipeline -----------------------------------------------------------------------------


def _pipeline_context(request, *, account=None) -> dict:
    filters = selectors.PipelineFilters.from_query(request.GET)
    opportunities = selectors.pipeline(user=request.user, filters=filters, account=account)
    scope = selectors.pipeline(
        user=request.user, filters=selectors.PipelineFilters(), account=account
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    totals = selectors.pipeline_totals(opportunities=opportunities)
    paginator = Paginator(opportunities, PAGE_SIZE)
    # The totals counted the same opportunities: no second pass over all of them to count.
    paginator.count = totals["count"]
    return {
        "page": paginator.get_page(request.GET.get("page")),
        "filters": filters,
        "totals": totals,
        "owners": selectors.pipeline_owners(opportunities=scope),
        "statuses": Opportunity.Status.choices,
        "levers": Opportunity.Lever.choices,
        "sort_query": query.urlencode(),
        "export_query": request.GET.urlencode(),
        "formula": services.FORMULA_TEXT,
    }


@login_required
@require_GET
def index(request):
    context = _pipeline_context(request)
    context["currency"] = Programme.current().currency
    context["can_manage_offerings"] = permissions.can_manage_offerings(request.user)
    return render(request, "opportunities/index.html", context)


@login_required
@require_GET
def account_opportunities(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    context = _pipeline_context(request, account=account)
    context.update(_common(request, account))
    context["matrix"] = selectors.account_matrix(account=account)
    context["quick_wins"] = selectors.quick_wins(account=account)
    context["money_bands"] = services.MONEY_BANDS_TEXT
    return render(request, "opportunities/account_opportunities.html", context)


CSV_HEADER = [
    gettext_lazy("Account"),
    gettext_lazy("Opportunity"),
    gettext_lazy("Status"),
    gettext_lazy("Lever"),
    gettext_lazy("Who benefits"),
    gettext_lazy("Estimated annual value"),
    gettext_lazy("Profit potential"),
    gettext_lazy("Strategic value for us"),
    gettext_lazy("Strategic value for the customer"),
    gettext_lazy("Effort"),
    gettext_lazy("Risk"),
    gettext_lazy("Priority"),
    gettext_lazy("Quadrant"),
    gettext_lazy("Owner"),
    gettext_lazy("Source"),
    gettext_lazy("Identified on"),
    gettext_lazy("Expected close/start"),
    gettext_lazy("Decision"),
    gettext_lazy("Decision reason"),
]


def _csv_rows(opportunities):
    for o in opportunities.iterator(chunk_size=500):
        yield [
            o.key_account.customer.name,
            o.title,
            o.get_status_display(),
            o.get_lever_display(),
            o.get_beneficiary_display(),
            o.annual_value,
            o.profit_potential,
            # Not scored yet: empty cells, never a made-up score.
            "" if o.strategic_value_us is None else o.strategic_value_us,
            "" if o.strategic_value_customer is None else o.strategic_value_customer,
            "" if o.effort is None else o.effort,
            "" if o.risk is None else o.risk,
            "" if o.priority is None else o.priority,
            o.get_quadrant_display() if o.quadrant else _("Not scored yet"),
            str(o.owner) if o.owner else "",
            o.get_source_display(),
            o.identified_on.isoformat(),
            o.expected_start_on.isoformat() if o.expected_start_on else "",
            o.get_decision_display(),
            o.decision_reason,
        ]


@login_required
@require_GET
def pipeline_csv(request):
    filters = selectors.PipelineFilters.from_query(request.GET)
    opportunities = selectors.pipeline(user=request.user, filters=filters)
    stamp = timezone.localdate().isoformat()
    return csv_response(f"opportunities-{stamp}.csv", CSV_HEADER, _csv_rows(opportunities))


@login_required
@require_GET
def account_opportunities_csv(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    filters = selectors.PipelineFilters.from_query(request.GET)
    opportunities = selectors.pipeline(user=request.user, filters=filters, account=account)
    stamp = timezone.localdate().isoformat()
    return csv_response(
        f"opportunities-{account.customer.reference}-{stamp}.csv",
        CSV_HEADER,
        _csv_rows(opportunities),
    )


# ---- one opportunity ----------------------------------------------------------------------


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
    return _detail_page(request, account, pk)


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
    opportunity = get_object_or_404(Opportunity, pk=pk, key_account=account)
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


def opportunity_decision_conflict(request, account, conflict: EditConflict, seen, back_url=""):
    """The 409 answer to a decision on an opportunity from a stale page."""
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=rules.DECISION_SHOWN,
        what=f"“{conflict.current.title}”",
        back_url=back_url or services.detail_url(conflict.current),
        context={"account": account},
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
                return opportunity_decision_conflict(request, account, conflict, seen)
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


# ---- workshops ----------------------------------------------------------------------------


@login_required
@require_GET
def workshop_list(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    return render(
        request,
        "opportunities/workshop_list.html",
        {**_common(request, account), "workshops": selectors.workshops_of(account=account)},
    )


@login_required
def workshop_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = WorkshopForm(
        request.POST or None,
        account=account,
        initial={"held_on": timezone.localdate(), "participants": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(
                account=account,
                values=form.cleaned_data,
                participants=form.cleaned_data["participants"],
                stakeholders=form.cleaned_data["stakeholders"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Workshop “%(title)s” recorded.") % {"title": workshop.title}
            )
            return redirect("opportunities:workshop_detail", account.pk, workshop.pk)
    return render(
        request, "opportunities/workshop_form.html", {**_common(request, account), "form": form}
    )


@login_required
@require_GET
def workshop_detail(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id)
    workshop = get_object_or_404(
        Workshop.objects.prefetch_related("participants", "stakeholders"),
        pk=pk,
        key_account=account,
    )
    return render(
        request,
        "opportunities/workshop_detail.html",
        {
            **_common(request, account),
            "workshop": workshop,
            "linked": workshop.opportunities.select_related("owner").order_by(
                selectors.PRIORITY_DESC, "title"
            ),
            "others": selectors.open_opportunities(account=account).exclude(workshop=workshop),
        },
    )


@login_required
def workshop_edit(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    workshop = get_object_or_404(Workshop, pk=pk, key_account=account)
    form = WorkshopForm(request.POST or None, instance=workshop, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_update(
                workshop=workshop,
                values=form.cleaned_data,
                participants=form.cleaned_data["participants"],
                stakeholders=form.cleaned_data["stakeholders"],
                acting_user=request.user,
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                "opportunities/workshop_form.html",
                {**_common(request, account), "form": form, "workshop": workshop},
                conflict=conflict,
                form=form,
                saved=WorkshopForm(instance=conflict.current, account=account),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Workshop “%(title)s” saved.") % {"title": workshop.title})
            return redirect("opportunities:workshop_detail", account.pk, workshop.pk)
    return render(
        request,
        "opportunities/workshop_form.html",
        {**_common(request, account), "form": form, "workshop": workshop},
    )


# ---- offering catalogue (programme level) -------------------------------------------------


def _require_offering_manager(user) -> None:
    if not permissions.can_manage_offerings(user):
        raise PermissionDenied(_("Only programme admins manage the offering catalogue."))


@login_required
@require_GET
def offering_list(request):
    can_manage = permissions.can_manage_offerings(request.user)
    currency = Programme.current().currency
    offerings = list(selectors.offerings(include_archived=can_manage))
    prices = selectors.list_prices_on(currency=currency, on=timezone.localdate())
    for offering in offerings:
        offering.current_price = prices.get(offering.pk)
    return render(
        request,
        "opportunities/offering_list.html",
        {"offerings": offerings, "can_manage": can_manage, "currency": currency},
    )


@login_required
def offering_prices(request, pk: int):
    """An offering's price list: everyone reads it (quotes use it); programme admins, who
    manage the catalogue, add prices."""
    offering = get_object_or_404(Offering, pk=pk, programme_id=Programme.current().pk)
    can_manage = permissions.can_manage_offerings(request.user)
    if request.method == "POST":
        _require_offering_manager(request.user)
    programme = Programme.current()
    form = None
    if can_manage:
        form = ListPriceForm(
            request.POST or None,
            initial={"currency": programme.currency, "valid_from": timezone.localdate()},
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            price = services.list_price_add(
                offering=offering,
                currency=data["currency"],
                unit=data["unit"],
                unit_price=data["unit_price"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(offering)s: %(currency)s %(price)s per %(unit)s from %(date)s added to "
                    "the price list."
                )
                % {
                    "offering": offering.name,
                    "currency": price.currency,
                    "price": price.unit_price,
                    "unit": price.unit,
                    "date": date_format(price.valid_from, "d M Y"),
                },
            )
            return redirect("opportunities:offering_prices", offering.pk)
    today = timezone.localdate()
    prices = list(selectors.price_list(offering=offering))
    for price in prices:
        price.is_current = price.valid_from <= today and (
            price.valid_until is None or price.valid_until >= today
        )
        price.is_future = price.valid_from > today
    return render(
        request,
        "opportunities/offering_prices.html",
        {"offering": offering, "prices": prices, "form": form, "can_manage": can_manage},
    )


@login_required
def offering_create(request):
    _require_offering_manager(request.user)
    form = OfferingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.offering_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Offering “%(name)s” added to the catalogue.") % {"name": offering.name},
            )
            return redirect("opportunities:offering_list")
    return render(request, "opportunities/offering_form.html", {"form": form})


@login_required
def offering_edit(request, pk: int):
    _require_offering_manager(request.user)
    offering = get_object_or_404(Offering, pk=pk, programme_id=Programme.current().pk)
    form = OfferingForm(request.POST or None, instance=offering)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(
                offering=Offering.objects.get(pk=offering.pk),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                acting_user=request.user,
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                "opportunities/offering_form.html",
                {"form": form, "offering": offering},
                conflict=conflict,
                form=form,
                saved=OfferingForm(instance=conflict.current),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Offering saved."))
            return redirect("opportunities:offering_list")
    return render(request, "opportunities/offering_form.html", {"form": form, "offering": offering})


@login_required
@require_POST
def offering_archive(request, pk: int):
    _require_offering_manager(request.user)
    offering = get_object_or_404(Offering, pk=pk, programme_id=Programme.current().pk)
    archive = request.POST.get("archive") != "0"
    services.offering_set_archived(offering=offering, archived=archive, acting_user=request.user)
    if archive:
        text = _("“%(name)s” archived: it leaves the white-space grids.")
    else:
        text = _("“%(name)s” restored.")
    messages.success(request, text % {"name": offering.name})
    return redirect("opportunities:offering_list")


# ---- white space --------------------------------------------------------------------------


@login_required
@require_GET
def white_space(request, account_id: int):
    return _white_space_page(request, account_id)


def _white_space_page(request, account_id: int, unit_form=None, conflict=None, typed=None):
    """The grid; with `conflict` (a cell set from a stale page) it answers 409 and the cell's
    form keeps `typed` ((unit pk, offering pk, state)) with the cell's saved revision."""
    account = permissions.get_account_for_user(request.user, account_id)
    grid = selectors.white_space_grid(account=account)
    if typed is not None:
        unit_id, offering_id, state = typed
        for _, cells in grid["rows"]:
            for cell in cells:
                if (cell.unit.pk, cell.offering.pk) == (unit_id, offering_id):
                    cell.typed = state
    status = 400 if unit_form is not None else 200
    return render(
        request,
        "opportunities/white_space.html",
        {
            **_common(request, account),
            "grid": grid,
            "unit_form": unit_form or BusinessUnitForm(),
            "cell_states": CellStateForm.base_fields["state"].choices,
            "conflict": conflict,
        },
        status=conflict.status if conflict else status,
    )


@login_required
@require_POST
def business_unit_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = BusinessUnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.business_unit_create(
                account=account, name=form.cleaned_data["name"], acting_user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Business unit “%(name)s” added.") % {"name": unit.name})
            return redirect("opportunities:white_space", account.pk)
    return _white_space_page(request, account_id, unit_form=form)


@login_required
def business_unit_edit(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    unit = get_object_or_404(BusinessUnit, pk=pk, key_account=account)
    form = BusinessUnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_unit_rename(
                unit=BusinessUnit.objects.get(pk=unit.pk),
                name=form.cleaned_data["name"],
                acting_user=request.user,
                revision=form.opened_at,
            )
        except EditConflict as conflict:
            return conflict_response(
                request,
                "opportunities/business_unit_form.html",
                {**_common(request, account), "form": form, "unit": unit},
                conflict=conflict,
                form=form,
                saved=BusinessUnitForm(instance=conflict.current),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Business unit renamed."))
            return redirect("opportunities:white_space", account.pk)
    return render(
        request,
        "opportunities/business_unit_form.html",
        {**_common(request, account), "form": form, "unit": unit},
    )


@login_required
@require_POST
def business_unit_delete(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    unit = get_object_or_404(BusinessUnit, pk=pk, key_account=account)
    name = unit.name
    services.business_unit_delete(unit=unit, acting_user=request.user)
    messages.success(request, _("Business unit “%(name)s” removed from the grid.") % {"name": name})
    return redirect("opportunities:white_space", account.pk)


def _cell_parts(account, form) -> tuple[BusinessUnit, Offering]:
    unit = get_object_or_404(BusinessUnit, pk=form.cleaned_data["unit"], key_account=account)
    offering = get_object_or_404(
        Offering, pk=form.cleaned_data["offering"], programme_id=Programme.current().pk
    )
    return unit, offering


@login_required
@require_POST
def white_space_cell(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = CellStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed cell states."))
        return redirect("opportunities:white_space", account.pk)
    unit, offering = _cell_parts(account, form)
    state = form.cleaned_data["state"]
    try:
        services.white_space_cell_set(
            unit=unit,
            offering=offering,
            state=state,
            acting_user=request.user,
            revision=form.cleaned_data["revision"],
        )
    except EditConflict as conflict:
        current = conflict.current
        saved = CellStateForm(
            initial={
                "unit": unit.pk,
                "offering": offering.pk,
                "state": current.state if current.pk else services.OPEN,
                "revision": conflict.revision,
            }
        )
        for cell_form in (form, saved):  # the bound field (cached) carries the label shown
            cell_form["state"].label = _("%(offering)s at %(unit)s") % {
                "offering": offering.name,
                "unit": unit.name,
            }
        details = describe_conflict(conflict, form=form, saved=saved)
        typed = (unit.pk, offering.pk, state)
        return _white_space_page(request, account.pk, conflict=details, typed=typed)
    messages.success(
        request,
        _("%(offering)s × %(unit)s updated.") % {"offering": offering.name, "unit": unit.name},
    )
    return redirect("opportunities:white_space", account.pk)


@login_required
@require_POST
def white_space_cell_opportunity(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    form = CellForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a cell of the grid."))
        return redirect("opportunities:white_space", account.pk)
    unit, offering = _cell_parts(account, form)
    result = services.white_space_cell_to_opportunity(
        unit=unit, offering=offering, acting_user=request.user
    )
    if result.created:
        messages.success(
            request,
            _("Opportunity “%(title)s” created from the white space.")
            % {"title": result.opportunity.title},
        )
    else:
        messages.info(request, _("This cell is already linked to an opportunity."))
    return redirect("opportunities:opportunity_edit", account.pk, result.opportunity.pk)
