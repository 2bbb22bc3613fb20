"""Programme organisation pages. Each view: access → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions as account_permissions
from accounts.models import Membership, Role
from common.conflicts import EditConflict, conflict_response, describe_conflict
from common.form_pages import apply_errors, edit_page
from common.pdf import render_pdf
from planning.models import AccountPlan

from . import permissions, selectors, services
from .forms import (
    JobSpecificationForm,
    MentoringSessionForm,
    ReassignForm,
    SkillsAssessmentForm,
    SponsorForm,
    TeamMemberAddForm,
    TeamMemberChangeForm,
)
from .models import AllocationDecision, JobSpecification, MentoringNextStep

PAGE_SIZE = 25


# ---- programme team (landing page) --------------------------------------------------------


@login_required
@require_GET
def index(request):
    managers = selectors.managers_visible_to(user=request.user)
    page = Paginator(managers, PAGE_SIZE).get_page(request.GET.get("page"))
    latest = selectors.latest_assessments(manager_ids=[m.pk for m in page.object_list])
    for manager in page.object_list:
        manager.latest = latest.get(manager.pk)
    return render(
        request,
        "organisation/index.html",
        {
            "page": page,
            "my_accounts": selectors.my_team_accounts(user=request.user),
            **permissions.index_flags(request.user),
        },
    )


# ---- account teams ------------------------------------------------------------------------


def _team_page(
    request, account, *, add_form=None, sponsor_form=None, status=200, sponsor_conflict=None
):
    people = selectors.people_to_add()
    sponsor = selectors.executive_sponsor_of(account=account)
    flags = permissions.team_flags(request.user, account)
    if flags["can_edit_team"]:
        add_form = add_form or TeamMemberAddForm(people=people)
        sponsor_form = sponsor_form or SponsorForm(
            executives=selectors.executives(),
            initial={
                "user": sponsor.user if sponsor else None,
                "revision": account.sponsor_revision,
            },
        )
    members = selectors.team_members(account=account)
    return render(
        request,
        "organisation/team.html",
        {
            "account": account,
            "members": members,
            "former_members": selectors.former_team_members(account=account),
            # Managers' names link to their profiles only for those who may open them.
            "profile_ids": {
                m.user_id
                for m in members
                if m.role == Role.MANAGER and permissions.can_view_manager(request.user, m.user)
            },
            "sponsor": sponsor,
            "add_form": add_form,
            "sponsor_form": sponsor_form,
            "conflict": sponsor_conflict,
            "max_share": services.MAX_TIME_SHARE_PERCENT,
            **flags,
        },
        status=sponsor_conflict.status if sponsor_conflict else status,
    )


@login_required
@require_GET
def team(request, account_id: int):
    account = account_permissions.get_account_for_user(
        request.user, account_id, account_permissions.VIEW_TEAM
    )
    return _team_page(request, account)


def _after_team_change(request, account):
    """Back to the team page, unless the change (a hand-over) took the user's access away."""
    account_permissions.forget_cached_roles(request.user)
    if account_permissions.can_view_team(request.user, account):
        return redirect("organisation:team", account.pk)
    return redirect("organisation:index")


@login_required
@require_POST
def team_add(request, account_id: int):
    account = account_permissions.get_account_for_user(
        request.user, account_id, account_permissions.EDIT_TEAM
    )
    form = TeamMemberAddForm(request.POST, people=selectors.people_to_add())
    if form.is_valid():
        try:
            membership = services.team_member_add(
                account=account, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s is now on the %(account)s team.")
                % {"user": membership.user, "account": account},
            )
            return _after_team_change(request, account)
    return _team_page(request, account, add_form=form)


@login_required
def team_change(request, account_id: int, membership_id: int):
    account = account_permissions.get_account_for_user(
        request.user, account_id, account_permissions.EDIT_TEAM
    )
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, key_account=account
    )
    if request.method == "POST":
        form = TeamMemberChangeForm.for_membership(membership, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.team_member_change(
                    membership=membership,
                    role=data["role"],
                    function=data["function"],
                    time_share_percent=data["time_share_percent"],
                    hand_over=data["hand_over"],
                    revision=data["revision"],
                    acting_user=request.user,
                )
            except EditConflict as conflict:
                return conflict_response(
                    request,
                    "organisation/team_change.html",
                    {"account": account, "membership": conflict.current, "form": form},
                    conflict=conflict,
                    form=form,
                    saved=TeamMemberChangeForm.for_membership(conflict.current),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(user)s's entry on the team is updated.") % {"user": membership.user},
                )
                return _after_team_change(request, account)
    else:
        form = TeamMemberChangeForm.for_membership(membership)
    return render(
        request,
        "organisation/team_change.html",
        {"account": account, "membership": membership, "form": form},
    )


@login_required
@require_POST
def team_remove(request, account_id: int, membership_id: int):
    account = account_permissions.get_account_for_user(
        request.user, account_id, account_permissions.EDIT_TEAM
    )
    membership = get_object_or_404(
        Membership.objects.select_related("user", "key_account"),
        pk=membership_id,
        key_account=account,
    )
    try:
        released = services.team_member_remove(membership=membership, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(user)s has left the %(account)s team.")
            % {"user": membership.user, "account": account},
        )
        if released:
            messages.warning(
                request,
                ngettext(
                    "%(count)s stakeholder they owned has no owner now: give the relationship "
                    "to someone on the team.",
                    "%(count)s stakeholders they owned have no owner now: give each "
                    "relationship to someone on the team.",
                    released,
                )
                % {"count": released},
            )
    return _after_team_change(request, account)


@login_required
@require_POST
def sponsor_set(request, account_id: int):
    account = account_permissions.get_account_for_user(
        request.user, account_id, account_permissions.EDIT_TEAM
    )
    form = SponsorForm(request.POST, executives=selectors.people_to_add())
    if form.is_valid():
        try:
            sponsor = services.executive_sponsor_set(
                account=account,
                user=form.cleaned_data["user"],
                acting_user=request.user,
                revision=form.cleaned_data["revision"],
            )
        except EditConflict as conflict:
            current = conflict.current
            saved = SponsorForm(
                executives=selectors.executives(),
                initial={"user": current.user if current else None, "revision": conflict.revision},
            )
            details = describe_conflict(conflict, form=form, saved=saved)
            return _team_page(request, account, sponsor_form=form, sponsor_conflict=details)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s is the executive sponsor of %(account)s.")
                % {"user": sponsor.user, "account": account}
                if sponsor
                else _("%(account)s has no executive sponsor now.") % {"account": account},
            )
            return redirect("organisation:team", account.pk)
    return _team_page(request, account, sponsor_form=form)


# ---- manager profiles ---------------------------------------------------------------------


@login_required
@require_GET
def manager_profile(request, user_id: int):
    manager = permissions.get_manager_for_user(request.user, user_id)
    history = selectors.assessment_history(manager=manager)
    latest = history[0] if history else None
    return render(
        request,
        "organisation/manager_profile.html",
        {
            "manager": manager,
            "latest": latest,
            "history": selectors.assessment_history_table(history),
            "skills_chart": selectors.skills_chart(latest) if latest else None,
            "grid_chart": selectors.sales_grid_chart(latest) if latest else None,
            "accounts": selectors.managed_accounts(manager=manager),
            **permissions.manager_flags(request.user, manager),
        },
    )


@login_required
def manager_assess(request, user_id: int):
    manager = permissions.get_manager_for_user(request.user, user_id, assess=True)
    competences = selectors.active_competences()
    form = SkillsAssessmentForm(request.POST or None, competences=competences)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.skills_assessment_record(
                manager=manager,
                assessed_on=data["assessed_on"],
                scores=form.scores(),
                concern_for_customer=data["concern_for_customer"],
                concern_for_sale=data["concern_for_sale"],
                comment=data["comment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Assessment of %(manager)s saved.") % {"manager": manager})
            return redirect("organisation:manager_profile", manager.pk)
    return render(request, "organisation/manager_assess.html", {"manager": manager, "form": form})


# ---- allocation ---------------------------------------------------------------------------


@login_required
@require_GET
def allocation(request):
    permissions.check_allocation(request.user)
    accounts = selectors.allocation_accounts(user=request.user)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.allocation_rows(user=request.user, accounts=list(page.object_list))
    decisions = AllocationDecision.objects.filter(
        key_account__in=[row["account"] for row in rows]
    ).select_related("key_account__customer", "previous_manager", "new_manager", "decided_by")[:10]
    return render(
        request,
        "organisation/allocation.html",
        {
            "page": page,
            "rows": rows,
            "decisions": decisions,
            "rules": services.ALLOCATION_RULES,
            "max_accounts": services.MAX_ACCOUNTS_PER_MANAGER,
            "max_actions": services.MAX_OPEN_ACTIONS_PER_MANAGER,
        },
    )


@login_required
def reassign(request, account_id: int):
    account = permissions.get_allocation_account_for_user(request.user, account_id)
    form = ReassignForm(
        request.POST or None,
        account=account,
        candidates=selectors.reassign_candidates(account=account),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_manager_reassign(
                account=account,
                outgoing=data["outgoing"],
                new_manager=data["new_manager"],
                reason=data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(manager)s now manages %(account)s; the reason is recorded.")
                % {"manager": data["new_manager"], "account": account},
            )
            return redirect("organisation:allocation")
    return render(request, "organisation/reassign.html", {"account": account, "form": form})


# ---- job specifications -------------------------------------------------------------------


@login_required
@require_GET
def job_specs(request):
    return render(
        request,
        "organisation/job_specs.html",
        {
            "specs": JobSpecification.objects.select_related("updated_by"),
            "can_edit_job_specs": permissions.can_edit_job_specs(request.user),
            "can_view_programme_history": account_permissions.can_view_programme_history(
                request.user
            ),
        },
    )


@login_required
def job_spec_edit(request, role: str):
    permissions.check_edit_job_specs(request.user)
    spec = get_object_or_404(JobSpecification, role=role)

    def save(form):
        data = form.cleaned_data
        return services.job_specification_update(
            spec=spec,
            purpose=data["purpose"],
            skills=data["skills"],
            day_to_day=data["day_to_day"],
            long_term=data["long_term"],
            revision=data["revision"],
            acting_user=request.user,
        )

    return edit_page(
        request,
        JobSpecificationForm(request.POST or None, instance=spec),
        save=save,
        saved_form=lambda current: JobSpecificationForm(instance=current),
        done=lambda _saved: (
            _("Job specification for %(role)s saved.") % {"role": spec.get_role_display()},
            reverse("organisation:job_specs"),
        ),
        template="organisation/job_spec_edit.html",
        context={"spec": spec},
    )


# ---- mentoring ----------------------------------------------------------------------------


@login_required
@require_GET
def mentoring_list(request):
    sessions = selectors.mentoring_sessions_for(user=request.user)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisation/mentoring_list.html",
        {"page": page, "can_write_mentoring": permissions.can_write_mentoring(request.user)},
    )


@login_required
def mentoring_new(request):
    permissions.check_write_mentoring(request.user)
    accounts, managers = selectors.mentoring_choices(director=request.user)
    form = MentoringSessionForm(request.POST or None, accounts=accounts, managers=managers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.mentoring_session_record(
                manager=data["manager"],
                account=data["key_account"],
                held_on=data["held_on"],
                topics=data["topics"],
                notes=data["notes"],
                next_steps=form.steps(),
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Mentoring session with %(manager)s logged.") % {"manager": session.manager},
            )
            return redirect("organisation:mentoring_detail", session.pk)
    return render(request, "organisation/mentoring_new.html", {"form": form})


@login_required
@require_GET
def mentoring_detail(request, pk: int):
    session = permissions.get_mentoring_session_for_user(request.user, pk)
    return render(
        request,
        "organisation/mentoring_detail.html",
        {
            "session": session,
            "steps": session.next_steps.select_related("action"),
            "can_write": request.user.pk == session.director_id,
        },
    )


@login_required
@require_POST
def mentoring_step_action(request, pk: int, step_id: int):
    session = permissions.get_mentoring_session_for_user(request.user, pk, write=True)
    step = get_object_or_404(MentoringNextStep, pk=step_id, session=session)
    try:
        added = services.mentoring_step_to_action(step=step, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        action = added.action
        text = _("“%(title)s” is now an action for %(manager)s on the plan.") % {
            "title": action.title,
            "manager": session.manager,
        }
        if added.plan_was != action.plan.status:
            text += " " + _(
                "The plan %(period)s was %(status)s: it is back to draft until it is submitted "
                "and approved again."
            ) % {
                "period": action.plan.period,
                "status": AccountPlan.Status(added.plan_was).label.lower(),
            }
        messages.success(request, text)
    return redirect("organisation:mentoring_detail", session.pk)


# ---- handbook -----------------------------------------------------------------------------


@login_required
@require_GET
def handbook(request):
    permissions.check_read_handbook(request.user)
    return render(request, "organisation/handbook.html", selectors.handbook())


@login_required
@require_GET
def handbook_pdf(request):
    permissions.check_read_handbook(request.user)
    context = {**selectors.handbook(), "generated_on": timezone.localdate()}
    pdf = render_pdf("organisation/handbook_print.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="programme-handbook.pdf"'
    return response
