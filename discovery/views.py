"""Stage 2 pages. Each view: access → form → service → redirect (POST/redirect/GET); the
profile, stakeholder and interview pages are edited in place (common/inplace.py)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.models import Programme, RelationshipStage
from accounts.permissions import EDIT, VIEW, get_account_for_user
from common import inplace
from common.conflicts import EditConflict, describe_conflict

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


_apply_errors = inplace.add_service_errors


def _render_form(
    request, account, form, *, tab, title, cancel_url, submit="", intro="", conflict=None
):
    """The form page; with `conflict` (common.conflicts.describe_conflict) it answers 409."""
    return render(
        request,
        "discovery/form_page.html",
        _context(
            request,
            account,
            form=form,
            tab=tab,
            title=title,
            cancel_url=cancel_url,
            submit=submit or _("Save"),
            intro=intro,
            conflict=conflict,
        ),
        status=conflict.status if conflict else 200,
    )


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


# The profile page is edited in place: each section's card, the ratios and the competitors are
# blocks (common/inplace.py) drawn by their partials, which profile.html includes.
RATIOS, COMPETITORS = "ratios", "competitors"


def _profile_page(request, account, *, block="", editing=None, status=200, announce="",
                  fragment=False):  # fmt: skip
    profile = selectors.profile_page(account)
    context = _context(
        request,
        account,
        profile=profile,
        stale_days=services.STALE_AFTER_DAYS,
        editing=editing,
        editing_block=block,
        editing_anchor=block,
    )
    partial_name = f"discovery/_{block}.html"
    if fragment and block in ProfileSection.Key.values:
        partial_name = "discovery/_profile_section.html"
        context["section"] = next(s for s in profile.sections if s.key == block)
    return inplace.page_or_fragment(
        request, "discovery/profile.html", [partial_name], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_GET
def profile(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    return _profile_page(request, account)


def _profile_url(account, anchor: str = "") -> str:
    url = reverse("discovery:profile", args=[account.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@form_page
def profile_section_edit(request, account_id: int, key: str):
    account = get_account_for_user(request.user, account_id, EDIT)
    if key not in ProfileSection.Key.values:
        raise Http404(_("No such profile section."))
    section = selectors.profile_section(account, key)

    def form(data=None):
        initial = {"content": section.content, "revision": section.revision}
        return ProfileSectionForm(data, initial=initial, label=section.label)

    def save(bound):
        return services.profile_section_save(
            account=account,
            key=key,
            content=bound.cleaned_data["content"],
            expected_revision=bound.cleaned_data["revision"],
            acting_user=request.user,
        )

    def saved_form(current):
        return ProfileSectionForm(
            initial={"content": current.content, "revision": current.revision},
            label=section.label,
        )

    return inplace.edit_in_place(
        request,
        block=key,
        render=partial(_profile_page, request, account, block=key),
        form=form,
        save=save,
        saved_form=saved_form,
        done=lambda saved: _("%(section)s saved.") % {"section": section.label},
        redirect_to=lambda saved: _profile_url(account, key),
        cancel_url=_profile_url(account),
        mode="edit",
    )


def _edit_row(request, account, obj, *, form_class, save, label, block):
    """Add or edit a key financial ratio or a competitor in place on the profile page."""
    anchor = "ratio" if block == RATIOS else "competitor"

    def write(bound):
        return save(
            account=account,
            fields=bound.cleaned_data,
            acting_user=request.user,
            revision=bound.opened_at,
            **{anchor: obj},
        )

    return inplace.edit_in_place(
        request,
        block=block,
        render=partial(_profile_page, request, account, block=block),
        form=lambda data=None: form_class(data, instance=obj),
        save=write,
        saved_form=lambda current: form_class(instance=current),
        done=lambda saved: _("%(label)s saved.") % {"label": label},
        redirect_to=lambda saved: _profile_url(account, block),
        cancel_url=_profile_url(account),
        mode="edit" if obj else "add",
        pk=obj.pk if obj else None,
        add_another=True,
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
        label=_("Financial ratio"),
        block=RATIOS,
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
        label=_("Financial ratio"),
        block=RATIOS,
    )


@login_required
@require_POST
def ratio_delete(request, account_id: int, ratio_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    ratio = get_object_or_404(FinancialRatio, pk=ratio_id, key_account=account)
    services.financial_ratio_delete(ratio=ratio, acting_user=request.user)
    done = _("Ratio %(name)s (%(year)s) removed.") % {"name": ratio.name, "year": ratio.year}
    if inplace.fragment_target(request, [RATIOS]):
        return _profile_page(request, account, block=RATIOS, announce=done, fragment=True)
    messages.success(request, done)
    return redirect(_profile_url(account, RATIOS))


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
        label=_("Competitor"),
        block=COMPETITORS,
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
        label=_("Competitor"),
        block=COMPETITORS,
    )


@login_required
@require_POST
def competitor_delete(request, account_id: int, competitor_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    competitor = get_object_or_404(Competitor, pk=competitor_id, key_account=account)
    services.competitor_delete(competitor=competitor, acting_user=request.user)
    done = _("Competitor %(name)s removed.") % {"name": competitor.name}
    if inplace.fragment_target(request, [COMPETITORS]):
        return _profile_page(request, account, block=COMPETITORS, announce=done, fragment=True)
    messages.success(request, done)
    return redirect(_profile_url(account, COMPETITORS))


# ---- stakeholders -------------------------------------------------------------------------------


# The stakeholder list is one block (common/inplace.py): "Add", "Edit", "Archive" and "Restore"
# answer htmx with the list alone (discovery/_stakeholder_list.html, which the page includes).
STAKEHOLDER_LIST = "stakeholder-list"


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
        archived=archived,
        contact_days=services.CONTACT_GAP_DAYS,
        editing=editing,
        editing_anchor=STAKEHOLDER_LIST,
    )
    return inplace.page_or_fragment(
        request, "discovery/stakeholders.html", ["discovery/_stakeholder_list.html"], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_GET
def stakeholders(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    return _stakeholder_page(request, account)


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

    return inplace.edit_in_place(
        request,
        block=STAKEHOLDER_LIST,
        render=partial(_stakeholder_page, request, account),
        # A new row each time: a bound form writes what was typed onto its instance.
        form=lambda data=None: StakeholderForm(
            data, instance=stakeholder or Stakeholder(key_account=account), account=account
        ),
        save=save,
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
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, key_account=account)
    return _stakeholder_form(request, account, stakeholder)


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


# ---- interviews ---------------------------------------------------------------------------------


# Interviews are edited in place: the list's "Record an interview" (discovery/_interview_list.html),
# and on an interview's page its record (_interview_record.html) and its ideas
# (_interview_ideas.html) are blocks (common/inplace.py).
INTERVIEW_LIST, INTERVIEW_RECORD, INTERVIEW_IDEAS = (
    "interview-list",
    "interview-record",
    "interview-ideas",
)


def _interview_list_page(request, account, *, editing=None, status=200, announce="",
                         fragment=False):  # fmt: skip
    page = Paginator(selectors.interview_list(account=account), PAGE_SIZE)
    context = _context(
        request,
        account,
        page=page.get_page(inplace.current_query(request).get("page")),
        editing=editing,
        editing_anchor=INTERVIEW_LIST,
    )
    return inplace.page_or_fragment(
        request, "discovery/interviews.html", ["discovery/_interview_list.html"], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_GET
def interviews(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    return _interview_list_page(request, account)


def _interview_page(request, account, interview, *, block="", editing=None, status=200,
                    announce="", fragment=False):  # fmt: skip
    interview = selectors.interview_list(account=account).get(pk=interview.pk)
    ideas_url = reverse("discovery:idea_add", args=[account.pk, interview.pk])
    idea_editor = editing if block == INTERVIEW_IDEAS else None
    if idea_editor is None:
        # The idea form is always open: it takes focus only when it answers a save.
        idea_editor = inplace.editor(IdeaForm(), url=ideas_url, mode="add", focus=False)
    context = _context(
        request,
        account,
        interview=interview,
        editing=editing if block == INTERVIEW_RECORD else None,
        editing_anchor=INTERVIEW_RECORD,
        idea_editor=idea_editor,
    )
    partial_name = "_interview_record" if block == INTERVIEW_RECORD else "_interview_ideas"
    return inplace.page_or_fragment(
        request, "discovery/interview_detail.html", [f"discovery/{partial_name}.html"], context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


def _interview_form(request, account, interview):
    def form(data=None):
        initial = {} if interview else {"interviewer": request.user.pk}
        instance = interview or Interview(key_account=account)
        return InterviewForm(data, instance=instance, account=account, initial=initial)

    def save(bound):
        fields = dict(bound.cleaned_data)
        return services.interview_save(
            account=account,
            interview=interview,
            fields=fields,
            stakeholders=fields.pop("stakeholders"),
            acting_user=request.user,
            revision=bound.opened_at,
        )

    if interview is None:
        block = INTERVIEW_LIST
        render_page = partial(_interview_list_page, request, account)
        cancel_url = reverse("discovery:interviews", args=[account.pk])
    else:
        block = INTERVIEW_RECORD
        render_page = partial(_interview_page, request, account, interview, block=block)
        cancel_url = reverse("discovery:interview_detail", args=[account.pk, interview.pk])
    return inplace.edit_in_place(
        request,
        block=block,
        render=render_page,
        form=form,
        save=save,
        saved_form=lambda current: InterviewForm(instance=current, account=account),
        done=lambda saved: (
            _("Interview of %(date)s saved.") % {"date": date_format(saved.held_on, "j M Y")}
        ),
        redirect_to=lambda saved: reverse(
            "discovery:interview_detail", args=[account.pk, saved.pk]
        ),
        cancel_url=cancel_url,
        mode="edit" if interview else "add",
        pk=interview.pk if interview else None,
    )


@login_required
@form_page
def interview_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _interview_form(request, account, None)


@login_required
@form_page
def interview_edit(request, account_id: int, interview_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    interview = get_object_or_404(Interview, pk=interview_id, key_account=account)
    return _interview_form(request, account, interview)


@login_required
@require_GET
def interview_detail(request, account_id: int, interview_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    interview = get_object_or_404(Interview, pk=interview_id, key_account=account)
    return _interview_page(request, account, interview)


@login_required
@require_POST
def idea_add(request, account_id: int, interview_id: int):
    """Ideas are typed in a row: after a save the form is there again, empty."""
    account = get_account_for_user(request.user, account_id, EDIT)
    interview = get_object_or_404(Interview, pk=interview_id, key_account=account)
    fragment = inplace.fragment_target(request, [INTERVIEW_IDEAS]) is not None
    page = partial(_interview_page, request, account, interview, block=INTERVIEW_IDEAS)
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
            _apply_errors(form, exc)
        else:
            done = _("Idea “%(title)s” added.") % {"title": idea.title}
            if fragment:  # the next idea is typed in the same form, empty
                fresh = inplace.editor(IdeaForm(), url=request.path, mode="add")
                return page(editing=fresh, announce=done, fragment=True)
            messages.success(request, done)
            return redirect("discovery:interview_detail", account.pk, interview.pk)
    editing = inplace.editor(form, url=request.path, mode="add")
    return page(editing=editing, fragment=fragment)


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
        done, failed = " ".join(exc.messages), True
    else:
        done, failed = _("Idea “%(title)s” removed.") % {"title": idea.title}, False
    if inplace.fragment_target(request, [INTERVIEW_IDEAS]):
        page = partial(_interview_page, request, account, idea.interview)
        return page(block=INTERVIEW_IDEAS, announce=done, fragment=True)
    (messages.error if failed else messages.success)(request, done)
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
            _apply_errors(form, exc)
        else:
            changed = ", ".join(str(c.get_field_display()).lower() for c in changes)
            messages.success(request, _("Recorded the new %(changed)s.") % {"changed": changed})
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
    conflict = None
    if request.method == "POST":
        form = ProfitabilityYearForm(request.POST, instance=row or ProfitabilityYear())
        if form.is_valid():
            try:
                saved = services.profitability_year_save(
                    account=account,
                    row=row,
                    fields=form.cleaned_data,
                    acting_user=request.user,
                    revision=form.opened_at,
                )
            except EditConflict as exc:
                saved_form = ProfitabilityYearForm(instance=exc.current)
                conflict = describe_conflict(exc, form=form, saved=saved_form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Profitability for %(year)s saved.") % {"year": saved.year}
                )
                return redirect("discovery:profitability", account.pk)
    else:
        initial = {} if row else {"year": timezone.localdate().year}
        form = ProfitabilityYearForm(instance=row, initial=initial)
    return _render_form(
        request,
        account,
        form,
        tab="Profitability",
        title=title,
        cancel_url=reverse("discovery:profitability", args=[account.pk]),
        conflict=conflict,
        intro=_(
            "Amounts in %(currency)s, all positive. Gross margin = gross "
            "sales − cost of goods; cost to serve = the sum of the lines from discounts to other "
            "cost to serve; net account profit = gross margin − cost to serve."
        )
        % {"currency": Programme.current().currency},
    )


@login_required
@form_page
def year_create(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    return _year_form(request, account, None, title=_("Add a profitability year"))


@login_required
@form_page
def year_edit(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    return _year_form(
        request, account, row, title=_("Edit profitability %(year)s") % {"year": row.year}
    )


@login_required
@require_POST
def year_delete(request, account_id: int, year_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    row = get_object_or_404(ProfitabilityYear, pk=year_id, key_account=account)
    services.profitability_year_delete(row=row, acting_user=request.user)
    messages.success(request, _("Profitability for %(year)s removed.") % {"year": row.year})
    return redirect("discovery:profitability", account.pk)


@login_required
@form_page
def lifetime_value_edit(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    assumption = LifetimeValueAssumption.objects.filter(key_account=account).first()
    instance = assumption or LifetimeValueAssumption(key_account=account)
    conflict = None
    if request.method == "POST":
        form = LifetimeValueForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                services.lifetime_value_assumption_save(
                    account=account,
                    fields=form.cleaned_data,
                    acting_user=request.user,
                    revision=form.opened_at,
                )
            except EditConflict as exc:
                saved_form = LifetimeValueForm(instance=exc.current)
                conflict = describe_conflict(exc, form=form, saved=saved_form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Lifetime value assumptions saved."))
                return redirect(f"{reverse('discovery:profitability', args=[account.pk])}#clv")
    else:
        # One row per account, edited even before it exists (revision 0 then: whoever saves
        # first creates it, and the other gets the conflict).
        form = LifetimeValueForm(instance=instance, initial={"revision": instance.revision})
    return _render_form(
        request,
        account,
        form,
        tab="Profitability",
        title=_("Lifetime value assumptions"),
        cancel_url=f"{reverse('discovery:profitability', args=[account.pk])}#clv",
        conflict=conflict,
        intro=_(
            "Customer lifetime value is the net present value of the expected yearly "
            "profits: year n's profit = year-1 profit × (1 + growth)^(n−1), discounted by "
            "(1 + discount rate)^n."
        ),
    )
