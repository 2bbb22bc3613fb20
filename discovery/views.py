"""Stage 2 pages. Each view: access → form → service → redirect (POST/redirect/GET)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.models import Programme, RelationshipStage
from accounts.permissions import EDIT, VIEW, get_account_for_user
from common.conflicts import EditConflict, conflict_response, describe_conflict
from common.form_pages import apply_errors, edit_page, posted, save_fields

from . import selectors, services
from .forms import (
    CompetitorForm,
    FinancialRatioForm,
    IdeaForm,
    InterviewForm,
    LifetimeValueForm,
    ProfileSectionForm,
    ProfitabilityYearForm,
    RelationshipForm,
    StakeholderForm,
)
from .models import (
    Competitor,
    FinancialRatio,
    Interview,
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfileSection,
    ProfitabilityYear,
    RelationshipChange,
    Stakeholder,
)

PAGE_SIZE = 25
FORM_PAGE = "discovery/form_page.html"
form_page = require_http_methods(["GET", "POST"])


def _context(request, account, **extra) -> dict:
    return {"account": account, **permissions.account_flags(request.user, account), **extra}


# ---- landing ------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    today = timezone.localdate()
    page = Paginator(selectors.discovery_accounts(user=request.user, today=today), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    for account in page:
        account.latest_margin = selectors.margin_percent(
            account.latest_net_profit, account.latest_gross_sales
        )
        account.empty_sections = len(ProfileSection.Key.values) - account.written_sections
        account.service_too_high = services.service_exceeds_stage(account)
    return render(
        request,
        "discovery/index.html",
        {
            "page": page,
            "currency": Programme.current().currency,
            "section_total": len(ProfileSection.Key.values),
            "stale_days": services.STALE_AFTER_DAYS,
            "contact_days": services.CONTACT_GAP_DAYS,
        },
    )


# ---- profile ------------------------------------------------------------------------------------


@login_required
@require_GET
def profile(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    return render(
        request,
        "discovery/profile.html",
        _context(
            request,
            account,
            profile=selectors.profile_page(account),
            stale_days=services.STALE_AFTER_DAYS,
        ),
    )


@login_required
@form_page
def profile_section_edit(request, account_id: int, key: str):
    account = get_account_for_user(request.user, account_id, EDIT)
    if key not in ProfileSection.Key.values:
        raise Http404("No such profile section.")
    section = selectors.profile_section(account, key)
    if request.method == "POST":
        form = ProfileSectionForm(request.POST, label=section.label)
        if form.is_valid():
            try:
                services.profile_section_save(
                    account=account,
                    key=key,
                    content=form.cleaned_data["content"],
                    expected_revision=form.cleaned_data["revision"],
                    acting_user=request.user,
                )
            except EditConflict as conflict:
                saved = conflict.current
                return conflict_response(
                    request,
                    "discovery/profile_section_form.html",
                    _context(request, account, form=form, section=section),
                    conflict=conflict,
                    form=form,
                    saved=ProfileSectionForm(
                        initial={"content": saved.content, "revision": saved.revision},
                        label=section.label,
                    ),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{section.label} saved.")
                return redirect(f"{reverse('discovery:profile', args=[account.pk])}#{key}")
    else:
        form = ProfileSectionForm(
            initial={"content": section.content, "revision": section.revision},
            label=section.label,
        )
    return render(
        request,
        "discovery/profile_section_form.html",
        _context(request, account, form=form, section=section),
    )


def _profile_url(account, anchor: str) -> str:
    return f"{reverse('discovery:profile', args=[account.pk])}#{anchor}"


def _edit_row(request, account, obj, *, form_class, save, label, anchor, title):
    list_url = _profile_url(account, anchor + "s")
    return edit_page(
        request,
        form_class(posted(request), instance=obj),
        template=FORM_PAGE,
        context=_context(request, account, tab="Profile", title=title, cancel_url=list_url),
        save=save_fields(save, account=account, acting_user=request.user, **{anchor: obj}),
        saved_form=lambda current: form_class(instance=current),
        done=lambda _saved: (_("%(label)s saved.") % {"label": label}, list_url),
    )


@login_required
@form_page
def ratio_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _edit_row(
        request,
        account,
        None,
        form_class=FinancialRatioForm,
        save=services.financial_ratio_save,
        label="Financial ratio",
        anchor="ratio",
        title="Add a key financial ratio",
    )


@login_required
@form_page
def ratio_edit(request, account_id: int, ratio_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    ratio = get_object_or_404(FinancialRatio, pk=ratio_id, key_account=account)
    return _edit_row(
        request,
        account,
        ratio,
        form_class=FinancialRatioForm,
        save=services.financial_ratio_save,
        label="Financial ratio",
        anchor="ratio",
        title=f"Edit ratio: {ratio.name} ({ratio.year})",
    )


@login_required
@require_POST
def ratio_delete(request, account_id: int, ratio_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    ratio = get_object_or_404(FinancialRatio, pk=ratio_id, key_account=account)
    services.financial_ratio_delete(ratio=ratio, acting_user=request.user)
    messages.success(request, f"Ratio {ratio.name} ({ratio.year}) removed.")
    return redirect(_profile_url(account, "ratios"))


@login_required
@form_page
def competitor_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _edit_row(
        request,
        account,
        None,
        form_class=CompetitorForm,
        save=services.competitor_save,
        label="Competitor",
        anchor="competitor",
        title="Add a competitor active in the account",
    )


@login_required
@form_page
def competitor_edit(request, account_id: int, competitor_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    competitor = get_object_or_404(Competitor, pk=competitor_id, key_account=account)
    return _edit_row(
        request,
        account,
        competitor,
        form_class=CompetitorForm,
        save=services.competitor_save,
        label="Competitor",
        anchor="competitor",
        title=f"Edit competitor: {competitor.name}",
    )


@login_required
@require_POST
def competitor_delete(request, account_id: int, competitor_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    competitor = get_object_or_404(Competitor, pk=competitor_id, key_account=account)
    services.competitor_delete(competitor=competitor, acting_user=request.user)
    messages.success(request, f"Competitor {competitor.name} removed.")
    return redirect(_profile_url(account, "competitors"))


# ---- stakeholders -------------------------------------------------------------------------------


@login_required
@require_GET
def stakeholders(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    archived = request.GET.get("archived") == "1"
    page = Paginator(selectors.stakeholder_list(account=account, archived=archived), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    selectors.with_gaps(page.object_list)
    return render(
        request,
        "discovery/stakeholders.html",
        _context(
            request,
            account,
            page=page,
            archived=archived,
            contact_days=services.CONTACT_GAP_DAYS,
        ),
    )


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


def _stakeholder_form(request, account, stakeholder, *, title):
    instance = stakeholder or Stakeholder(key_account=account)
    list_url = reverse("discovery:stakeholders", args=[account.pk])
    return edit_page(
        request,
        StakeholderForm(posted(request), instance=instance, account=account),
        template=FORM_PAGE,
        context=_context(request, account, tab="Stakeholders", title=title, cancel_url=list_url),
        save=save_fields(
            services.stakeholder_save,
            account=account,
            stakeholder=stakeholder,
            acting_user=request.user,
        ),
        saved_form=lambda current: StakeholderForm(instance=current, account=account),
        done=lambda saved: (_("%(name)s saved.") % {"name": saved.name}, list_url),
    )


@login_required
@form_page
def stakeholder_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _stakeholder_form(request, account, None, title="Add a stakeholder")


@login_required
@form_page
def stakeholder_edit(request, account_id: int, stakeholder_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
    return _stakeholder_form(request, account, stakeholder, title=f"Edit {stakeholder.name}")


@login_required
@require_POST
def stakeholder_archive(request, account_id: int, stakeholder_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
    services.stakeholder_archive(stakeholder=stakeholder, acting_user=request.user)
    messages.success(request, f"{stakeholder.name} archived. Their history stays on record.")
    return redirect("discovery:stakeholders", account.pk)


@login_required
@require_POST
def stakeholder_restore(request, account_id: int, stakeholder_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
    services.stakeholder_restore(stakeholder=stakeholder, acting_user=request.user)
    messages.success(request, f"{stakeholder.name} is active again.")
    return redirect("discovery:stakeholders", account.pk)


# ---- interviews ---------------------------------------------------------------------------------


@login_required
@require_GET
def interviews(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    page = Paginator(selectors.interview_list(account=account), PAGE_SIZE)
    return render(
        request,
        "discovery/interviews.html",
        _context(request, account, page=page.get_page(request.GET.get("page"))),
    )


def _interview_form(request, account, interview, *, title):
    instance = interview or Interview(key_account=account)
    initial = {} if interview else {"interviewer": request.user.pk}

    def save(form):
        fields = dict(form.cleaned_data)
        return services.interview_save(
            account=account,
            interview=interview,
            fields=fields,
            stakeholders=fields.pop("stakeholders"),
            acting_user=request.user,
            revision=form.opened_at,
        )

    return edit_page(
        request,
        InterviewForm(posted(request), instance=instance, account=account, initial=initial),
        template=FORM_PAGE,
        context=_context(
            request,
            account,
            tab="Profile",
            title=title,
            cancel_url=reverse("discovery:interviews", args=[account.pk]),
            intro="Record who you met, what you learned and which profile statements held up. "
            "Add the opportunity ideas it revealed on the next page.",
        ),
        save=save,
        saved_form=lambda current: InterviewForm(instance=current, account=account),
        done=lambda saved: (
            _("Interview of %(date)s saved.") % {"date": f"{saved.held_on:%d %b %Y}"},
            reverse("discovery:interview_detail", args=[account.pk, saved.pk]),
        ),
    )


@login_required
@form_page
def interview_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _interview_form(request, account, None, title="Record an interview")


@login_required
@form_page
def interview_edit(request, account_id: int, interview_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    interview = get_object_or_404(Interview, pk=interview_id, key_account=account)
    return _interview_form(request, account, interview, title=f"Edit interview {interview.held_on}")


def _interview_page(request, account, interview, idea_form=None, status=200):
    interview = selectors.interview_list(account=account).get(pk=interview.pk)
    return render(
        request,
        "discovery/interview_detail.html",
        _context(request, account, interview=interview, idea_form=idea_form or IdeaForm()),
        status=status,
    )


@login_required
@require_GET
def interview_detail(request, account_id: int, interview_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    interview = get_object_or_404(Interview, pk=interview_id, key_account=account)
    return _interview_page(request, account, interview)


@login_required
@require_POST
def idea_add(request, account_id: int, interview_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    interview = get_object_or_404(Interview, pk=interview_id, key_account=account)
    form = IdeaForm(request.POST)
    if form.is_valid():
        try:
            idea = services.idea_add(
                interview=interview,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Idea “{idea.title}” added.")
            return redirect("discovery:interview_detail", account.pk, interview.pk)
    return _interview_page(request, account, interview, idea_form=form)


@login_required
@require_POST
def idea_delete(request, account_id: int, interview_id: int, idea_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    idea = get_object_or_404(
        OpportunityIdea, pk=idea_id, interview_id=interview_id, interview__key_account=account
    )
    try:
        services.idea_delete(idea=idea, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Idea “{idea.title}” removed.")
    return redirect("discovery:interview_detail", account.pk, interview_id)


# ---- relationship -------------------------------------------------------------------------------


def _relationship_page(request, account, form, status=200, conflict=None):
    history = RelationshipChange.objects.filter(key_account=account).select_related("changed_by")
    return render(
        request,
        "discovery/relationship.html",
        _context(
            request,
            account,
            form=form,
            history=history[:50],
            service_too_high=services.service_exceeds_stage(account),
            stages=RelationshipStage.choices,
            conflict=conflict,
        ),
        status=conflict.status if conflict else status,
    )


@login_required
@require_GET
def relationship(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    form = RelationshipForm(
        initial={
            "relationship_stage": account.relationship_stage,
            "buy_sell_position": account.buy_sell_position,
            "service_level": account.service_level,
            "changed_on": timezone.localdate(),
            "revision": account.revision,
        }
    )
    return _relationship_page(request, account, form)


@login_required
@require_POST
def relationship_update(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    form = RelationshipForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.relationship_update(
                account=account,
                stage=data["relationship_stage"],
                position=data["buy_sell_position"],
                service_level=data["service_level"],
                reason=data["reason"],
                changed_on=data["changed_on"],
                acting_user=request.user,
                revision=data["revision"],
            )
        except EditConflict as exc:
            current = exc.current
            saved_form = RelationshipForm(
                initial={
                    "relationship_stage": current.relationship_stage,
                    "buy_sell_position": current.buy_sell_position,
                    "service_level": current.service_level,
                    "revision": current.revision,
                }
            )
            conflict = describe_conflict(exc, form=form, saved=saved_form)
            return _relationship_page(request, account, form, conflict=conflict)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            changed = ", ".join(str(c.get_field_display()).lower() for c in changes)
            messages.success(request, f"Recorded the new {changed}.")
            return redirect("discovery:relationship", account.pk)
    return _relationship_page(request, account, form)


# ---- profitability ------------------------------------------------------------------------------


@login_required
@require_GET
def profitability(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    rows = selectors.profitability_rows(account)
    return render(
        request,
        "discovery/profitability.html",
        _context(
            request,
            account,
            rows=rows,
            table=selectors.profitability_table(rows),
            years_without_cogs=[r.year for r in rows if r.gross_sales and not r.cost_of_goods],
            chart=selectors.profitability_chart(rows),
            clv=selectors.account_lifetime_value(account, rows),
            currency=Programme.current().currency,
        ),
    )


def _year_form(request, account, row, *, title):
    initial = {} if row else {"year": timezone.localdate().year}
    list_url = reverse("discovery:profitability", args=[account.pk])
    return edit_page(
        request,
        ProfitabilityYearForm(
            posted(request), instance=row or ProfitabilityYear(), initial=initial
        ),
        template=FORM_PAGE,
        context=_context(
            request,
            account,
            tab="Profitability",
            title=title,
            cancel_url=list_url,
            intro=f"Amounts in {Programme.current().currency}, all positive. Gross margin = "
            "gross sales − cost of goods; cost to serve = the sum of the lines from discounts to "
            "other cost to serve; net account profit = gross margin − cost to serve.",
        ),
        save=save_fields(
            services.profitability_year_save, account=account, row=row, acting_user=request.user
        ),
        saved_form=lambda current: ProfitabilityYearForm(instance=current),
        done=lambda saved: (
            _("Profitability for %(year)s saved.") % {"year": saved.year},
            list_url,
        ),
    )


@login_required
@form_page
def year_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _year_form(request, account, None, title="Add a profitability year")


@login_required
@form_page
def year_edit(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    return _year_form(request, account, row, title=f"Edit profitability {row.year}")


@login_required
@require_POST
def year_delete(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    services.profitability_year_delete(row=row, acting_user=request.user)
    messages.success(request, f"Profitability for {row.year} removed.")
    return redirect("discovery:profitability", account.pk)


@login_required
@form_page
def lifetime_value_edit(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    assumption = LifetimeValueAssumption.objects.filter(key_account=account).first()
    instance = assumption or LifetimeValueAssumption(key_account=account)
    clv_url = f"{reverse('discovery:profitability', args=[account.pk])}#clv"
    return edit_page(
        request,
        # One row per account, edited even before it exists (revision 0 then: whoever saves
        # first creates it, and the other gets the conflict).
        LifetimeValueForm(
            posted(request), instance=instance, initial={"revision": instance.revision}
        ),
        template=FORM_PAGE,
        context=_context(
            request,
            account,
            tab="Profitability",
            title="Lifetime value assumptions",
            cancel_url=clv_url,
            intro="Customer lifetime value is the net present value of the expected yearly "
            "profits: year n's profit = year-1 profit × (1 + growth)^(n−1), discounted by "
            "(1 + discount rate)^n.",
        ),
        save=save_fields(
            services.lifetime_value_assumption_save, account=account, acting_user=request.user
        ),
        saved_form=lambda current: LifetimeValueForm(instance=current),
        done=lambda _saved: (_("Lifetime value assumptions saved."), clv_url),
    )
