"""The customer's pages (namespace `workspace`, no login: a personal link) and the team's
pages about the workspace (namespace `workspace_team`, logged in, through
accounts/permissions.py). Access → form → service → redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
    describe_conflict,
)
from common.form_pages import edit_page
from outcomes.models import ValueDelivered
from outcomes.selectors import customer_visible_issues, value_for_customer
from outcomes.services import confirm_value_delivered
from planning.models import Action, PlanVersion, Review

from . import selectors, services
from .access import (
    bind,
    current_invitation,
    over_limit,
    pick_language,
    too_many,
    unbind,
    use_page_language,
)
from .forms import (
    ActionTickForm,
    AlignmentQuestionForm,
    CommentForm,
    InviteForm,
    JointReviewForm,
    PageLanguageForm,
    ProposalDecisionForm,
    ProposalForm,
    ReviewAnswerForm,
    words_sent,
)
from .models import AlignmentQuestion, CustomerProposal, Invitation, JointReview
from .services import proposals as proposal_services

# The workspace page is made of sections, drawn in this order; each is a template given the
# page's context. Later features (confirm value, customer-visible issues) add theirs here.
WORKSPACE_SECTIONS = [
    "workspace/sections/_plan.html",
    "workspace/sections/_actions.html",
    "workspace/sections/_meetings.html",
    "workspace/sections/_reviews.html",
    "workspace/sections/_value.html",
    "workspace/sections/_issues.html",
    "workspace/sections/_proposals.html",
]

# Every value entry, when the customer asks for them all (?all=value).
WORKSPACE_VALUE_ALL = 500


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _link_gone(request, state: str = "ended", typed: list[str] | None = None):
    """A clear page, with no data, for a link that does not (or no longer) open anything;
    `typed`: the words the person had just sent, given back so that nothing they wrote is
    lost."""
    status = 410 if state in ("expired", "revoked") else 404
    context = {"state": state, "typed": typed or []}
    return render(request, "workspace/link_invalid.html", context, status=status)


def customer_view(view):
    """The link holder's pages: rate-limited per invitation and per address; a session with
    no live link gets the "link no longer works" page (404)."""

    def wrapped(request, *args, **kwargs):
        try:
            invitation = current_invitation(request)
        except Http404:
            typed = words_sent(request.POST) if request.method == "POST" else []
            return _link_gone(request, typed=typed)
        use_page_language(request, invitation)
        if over_limit(request, f"inv{invitation.pk}"):
            return too_many(request)
        return view(request, invitation, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# ---- the customer's side ----------------------------------------------------------------------


@require_GET
def enter(request, token: str):
    """The personal link: checks the token, binds this browser's session to the invitation,
    and opens the workspace."""
    if over_limit(request, f"tok{token[: services.TOKEN_PREFIX_CHARS]}"):
        return too_many(request)
    invitation, state = services.invitation_for_token(token)
    if invitation is None:
        unbind(request)
        return _link_gone(request, state)
    bind(request, invitation)
    services.workspace_visit(invitation=invitation)
    # The link in a joint review's e-mail opens its questions (the view checks the holder is
    # asked to answer it; only an id is read, so the link cannot lead anywhere else).
    joint_id = request.GET.get(services.REVIEW_PARAM, "")
    if joint_id.isdigit():
        return redirect("workspace:review_answer", int(joint_id))
    return redirect("workspace:home")


def _home_context(invitation: Invitation, *, listed_all: str = "", **extra) -> dict:
    """`listed_all`: "value" when the customer asked to see every value entry."""
    return {
        "invitation": invitation,
        "stakeholder": invitation.stakeholder,
        "account": invitation.key_account,
        "sections": WORKSPACE_SECTIONS,
        "tick_form": ActionTickForm(),
        "comment_form": CommentForm(),
        **selectors.workspace_for(invitation=invitation),
        "value_entries": value_for_customer(
            account_id=invitation.key_account_id,
            limit=WORKSPACE_VALUE_ALL if listed_all == "value" else None,
        ),
        "listed_all": listed_all,
        "customer_issues": list(customer_visible_issues(account=invitation.key_account_id)),
        "proposals": selectors.proposals_of(invitation=invitation),
        **extra,
    }


@require_GET
@customer_view
def home(request, invitation: Invitation):
    return render(
        request,
        "workspace/home.html",
        _home_context(invitation, listed_all=request.GET.get("all", "")),
    )


@require_POST
@customer_view
def action_tick(request, invitation: Invitation, action_id: int):
    action = Action.objects.select_related("plan").filter(pk=action_id).first()
    if action is None or not permissions.customer_owns_action(invitation, action):
        raise Http404("No such action in your workspace.")
    form = ActionTickForm(request.POST)
    if form.is_valid():
        try:
            services.customer_action_tick(
                invitation=invitation,
                action=action,
                done=form.cleaned_data["done"] == ActionTickForm.DONE,
                note=form.cleaned_data["note"],
                revision=form.cleaned_data["revision"],
            )
        except EditConflict as conflict:
            # Nothing saved: what the team saved beside what the customer picked and typed,
            # which stays in the form (now at the saved revision, so a second save is meant).
            details = describe_conflict(
                conflict, form=form, saved=ActionTickForm.as_saved(conflict.current)
            )
            context = _home_context(
                invitation, failed_action=action.pk, failed_tick=form, tick_conflict=details
            )
            return render(request, "workspace/home.html", context, status=details.status)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved: “%(title)s”. Your account team is told.") % {"title": action.title},
            )
            return redirect(reverse("workspace:home") + f"#action-{action.pk}")
    context = _home_context(invitation, failed_action=action.pk, failed_tick=form)
    return render(request, "workspace/home.html", context, status=400)


@require_POST
@customer_view
def comment(request, invitation: Invitation):
    """A comment on the shared plan (`version`) or on one of the holder's actions (`action`)."""
    form = CommentForm(request.POST)
    action = plan_version = None
    action_id = request.POST.get("action", "")
    if action_id.isdigit():
        action = Action.objects.select_related("plan").filter(pk=int(action_id)).first()
        if action is None or not permissions.customer_owns_action(invitation, action):
            raise Http404("No such action in your workspace.")
    if form.is_valid() and action is None:
        plan_version = selectors.last_approved_version(invitation.key_account_id)
        if plan_version is None:
            raise Http404("No agreed plan yet.")
    if form.is_valid():
        try:
            services.customer_comment(
                invitation=invitation,
                text=form.cleaned_data["text"],
                plan_version=plan_version,
                action=action,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you: your comment is sent to your account team."))
            anchor = f"#action-{action.pk}" if action else "#plan"
            return redirect(reverse("workspace:home") + anchor)
    context = _home_context(
        invitation,
        failed_comment=form,
        failed_action=action.pk if action else None,
    )
    return render(request, "workspace/home.html", context, status=400)


@require_POST
@customer_view
def accept(request, invitation: Invitation, version_id: int):
    version = PlanVersion.objects.select_related("plan").filter(pk=version_id).first()
    if version is None or version.plan.key_account_id != invitation.key_account_id:
        raise Http404("No such plan version in your workspace.")
    try:
        services.customer_accept_plan(invitation=invitation, plan_version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You accepted the plan (%(label)s). Thank you.") % {"label": version.label}
        )
    return redirect(reverse("workspace:home") + "#plan")


@require_POST
@customer_view
def value_confirm(request, invitation: Invitation, value_id: int):
    """The customer confirms value we delivered to them (outcomes' service), as the page
    showed it (`revision`)."""
    entry = ValueDelivered.objects.filter(
        pk=value_id, key_account_id=invitation.key_account_id
    ).first()
    if entry is None:
        raise Http404("No such value in your workspace.")
    revision = request.POST.get("revision", "")
    try:
        confirm_value_delivered(
            entry,
            stakeholder=invitation.stakeholder,
            revision=int(revision) if revision.isdigit() else None,
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "Your account team changed this entry after the page was loaded: look at it again "
                "before you confirm it."
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Thank you: you confirmed “%(title)s”.") % {"title": entry.title}
        )
    return redirect(reverse("workspace:home") + f"#value-{entry.pk}")


@customer_view
def review_answer(request, invitation: Invitation, joint_id: int):
    joint = JointReview.objects.select_related("review__plan").filter(pk=joint_id).first()
    if joint is None or not permissions.customer_may_answer(invitation, joint):
        raise Http404("No such review in your workspace.")
    questions = services.questions_asked()
    answered = joint.responses.filter(stakeholder=invitation.stakeholder).exists()
    form = ReviewAnswerForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST" and not answered:
        status = 400
        if form.is_valid():
            try:
                services.review_answer(
                    invitation=invitation, joint_review=joint, answers=form.answers()
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you: your answers are sent to your account team.")
                )
                return redirect(reverse("workspace:home") + "#reviews")
    context = {
        "invitation": invitation,
        "account": invitation.key_account,
        "stakeholder": invitation.stakeholder,
        "joint": joint,
        "form": form,
        "answered": answered,
    }
    return render(request, "workspace/review_answer.html", context, status=status)


@customer_view
def proposals(request, invitation: Invitation):
    """The customer proposes a value opportunity, and follows the ones they proposed."""
    form = ProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                proposal = proposal_services.proposal_submit(
                    invitation=invitation, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you: “%(title)s” is sent to your account team, who will answer here.")
                    % {"title": proposal.title},
                )
                return redirect(reverse("workspace:proposals") + f"#proposal-{proposal.pk}")
    return render(
        request, "workspace/proposals.html", _proposals_context(invitation, form), status=status
    )


def _proposals_context(invitation: Invitation, form=None) -> dict:
    return {
        "invitation": invitation,
        "account": invitation.key_account,
        "stakeholder": invitation.stakeholder,
        "form": form or ProposalForm(),
        "proposals": selectors.proposals_of(invitation=invitation),
    }


@require_POST
@customer_view
def proposal_withdraw(request, invitation: Invitation, pk: int):
    proposal = CustomerProposal.objects.filter(pk=pk).first()
    if proposal is None or not permissions.customer_owns_proposal(invitation, proposal):
        raise Http404("No such proposal in your workspace.")
    try:
        proposal_services.proposal_withdraw(
            invitation=invitation, proposal=proposal, revision=decision_revision(request)
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You withdrew “%(title)s”.") % {"title": proposal.title})
    return redirect(reverse("workspace:proposals") + f"#proposal-{proposal.pk}")


# The pages a language choice may go back to (GET pages of the link holder's).
LANGUAGE_RETURNS = {"home", "proposals", "review_answer"}


def _language_return(path: str) -> str:
    """`path` when it is a workspace page the holder reads (a local path, no host, under the
    site's script prefix); else home."""
    prefix = get_script_prefix()
    if path.startswith(prefix) and not path.startswith("//") and "\\" not in path:
        try:
            match = resolve("/" + urlsplit(path).path.removeprefix(prefix))
        except Resolver404:
            match = None
        if match and match.namespace == "workspace" and match.url_name in LANGUAGE_RETURNS:
            return path
    return reverse("workspace:home")


@require_POST
@customer_view
def page_language(request, invitation: Invitation):
    """The visitor picks the language of the workspace pages, for this link's session (the
    stakeholder's own language, that of our e-mails to them, stays as the team set it)."""
    form = PageLanguageForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return render(request, "workspace/home.html", _home_context(invitation), status=400)
    pick_language(request, invitation, form.cleaned_data["language"])
    return redirect(_language_return(form.cleaned_data["next"]))


@require_POST
def leave(request):
    # The goodbye page in the language the pages were in (while the link still works).
    try:
        use_page_language(request, current_invitation(request))
    except Http404:
        pass
    unbind(request)
    return render(request, "workspace/link_invalid.html", {"state": "left"})


# ---- the team's side ---------------------------------------------------------------------------


@login_required
def invitations(request, account_id: int):
    account = permissions.get_account_for_user(
        request.user,
        account_id,
        permissions.INVITE_CUSTOMER,
        refusal=_("Only the account's manager or director invites customers to the workspace."),
    )
    form = InviteForm(request.POST or None, account=account)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            stakeholder = form.cleaned_data["stakeholder"]
            again = selectors.is_invited(account=account, stakeholder=stakeholder)
            try:
                invitation, _token = services.invitation_create(
                    account=account, stakeholder=stakeholder, acting_user=request.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                names = {
                    "name": invitation.stakeholder.name,
                    "email": invitation.stakeholder.email,
                }
                messages.success(
                    request,
                    (
                        _(
                            "%(name)s was invited already: a new link is on its way to "
                            "%(email)s; the old one no longer works."
                        )
                        if again
                        else _(
                            "%(name)s is invited: their personal link is on its way to %(email)s."
                        )
                    )
                    % names,
                )
                return redirect("workspace_team:invitations", account.pk)
    context = {
        "account": account,
        "form": form,
        "invitations": selectors.invitations_of(account=account),
        "deselected_note": None if account.is_active else services.DESELECTED,
        "link_days": settings.WORKSPACE_LINK_DAYS,
    }
    return render(request, "workspace/invitations.html", context, status=status)


def _invitation(request, account_id: int, pk: int) -> Invitation:
    account = permissions.get_account_for_user(
        request.user,
        account_id,
        permissions.INVITE_CUSTOMER,
        refusal=_("Only the account's manager or director manages workspace invitations."),
    )
    return get_object_or_404(
        Invitation.objects.select_related("stakeholder", "key_account"),
        pk=pk,
        key_account=account,
    )


@login_required
@require_POST
def invitation_revoke(request, account_id: int, pk: int):
    invitation = _invitation(request, account_id, pk)
    services.invitation_revoke(invitation=invitation, acting_user=request.user)
    messages.success(
        request,
        _("The link of %(name)s no longer works.") % {"name": invitation.stakeholder.name},
    )
    return redirect("workspace_team:invitations", account_id)


@login_required
@require_POST
def invitation_resend(request, account_id: int, pk: int):
    invitation = _invitation(request, account_id, pk)
    try:
        services.invitation_resend(invitation=invitation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link is on its way to %(email)s; the old one no longer works.")
            % {"email": invitation.stakeholder.email},
        )
    return redirect("workspace_team:invitations", account_id)


@login_required
@require_GET
def satisfaction(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    context = {
        "account": account,
        "can_invite": permissions.can_invite_customer(request.user, account),
        "reviews": Review.objects.filter(
            plan__key_account=account, plan__is_current=True
        ).select_related("joint")[:8],
        **selectors.satisfaction_results(account=account, listed_all=request.GET.get("all", "")),
        "listed_all": request.GET.get("all", ""),
    }
    return render(request, "workspace/satisfaction.html", context)


@login_required
def joint_review(request, account_id: int, review_id: int):
    account = permissions.get_account_for_user(
        request.user,
        account_id,
        permissions.INVITE_CUSTOMER,
        refusal=_("Only the account's manager or director holds a review with the customer."),
    )
    review = get_object_or_404(
        Review.objects.select_related("plan"), pk=review_id, plan__key_account=account
    )
    form = JointReviewForm(request.POST or None, review=review)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.joint_review_open(
                    review=review,
                    participants=form.cleaned_data["participants"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Review %(quarter)s is held with the customer: each participant gets "
                        "an e-mail with a personal link to answer it."
                    )
                    % {"quarter": review.quarter},
                )
                return redirect("workspace_team:satisfaction", account.pk)
    context = {"account": account, "review": review, "form": form}
    return render(request, "workspace/joint_review.html", context, status=status)


@login_required
def questions(request):
    permissions.require(
        permissions.is_programme_admin(request.user),
        _("Only programme admins edit the alignment review's questions."),
    )
    form = AlignmentQuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.question_save(
                    question=None, data=form.cleaned_data, revision=None, acting_user=request.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Question added."))
                return redirect("workspace_team:questions")
    context = {"questions": services.questions_ensure_defaults(), "form": form}
    return render(request, "workspace/questions.html", context, status=status)


@login_required
def question_edit(request, pk: int):
    permissions.require(
        permissions.is_programme_admin(request.user),
        _("Only programme admins edit the alignment review's questions."),
    )
    question = get_object_or_404(AlignmentQuestion, pk=pk)

    def save(form):
        return services.question_save(
            question=question,
            data=form.cleaned_data,
            revision=form.opened_at,
            acting_user=request.user,
        )

    return edit_page(
        request,
        AlignmentQuestionForm(request.POST or None, instance=question),
        save=save,
        saved_form=lambda current: AlignmentQuestionForm(instance=current),
        done=lambda _saved: (_("Question saved."), reverse("workspace_team:questions")),
        template="workspace/question_edit.html",
        context={"question": question},
        invalid_status=400,
    )


# ---- customer proposals, the team's side ------------------------------------------------------


@login_required
@require_GET
def team_proposals(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    context = {
        "account": account,
        "can_decide": permissions.can_decide_customer_proposal(request.user, account),
        **selectors.proposals_for_account(account=account),
    }
    return render(request, "workspace/team_proposals.html", context)


def _team_proposal(account, pk: int) -> CustomerProposal:
    return get_object_or_404(
        CustomerProposal.objects.select_related("stakeholder", "decided_by", "opportunity"),
        pk=pk,
        key_account=account,
    )


def _proposal_page(request, account, proposal, *, form=None, status=200):
    context = {
        "account": account,
        "proposal": proposal,
        "can_decide": permissions.can_decide_customer_proposal(request.user, account),
        "form": form or ProposalDecisionForm(),
    }
    return render(request, "workspace/team_proposal.html", context, status=status)


@login_required
@require_GET
def team_proposal(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(request.user, account_id)
    return _proposal_page(request, account, _team_proposal(account, pk))


# What a stale decision's page lists: the proposal as the page showed it beside it now.
PROPOSAL_SHOWN = (
    (gettext_lazy("Status"), lambda proposal: proposal.get_status_display()),
    (gettext_lazy("Your answer to the customer"), lambda proposal: proposal.team_reply),
    (gettext_lazy("Decided by"), lambda proposal: proposal.decided_by),
    (gettext_lazy("Opportunity"), lambda proposal: proposal.opportunity),
)


@login_required
@require_POST
def proposal_decide(request, account_id: int, pk: int):
    account = permissions.get_account_for_user(
        request.user,
        account_id,
        permissions.DECIDE_CUSTOMER_PROPOSAL,
        refusal=permissions.CUSTOMER_PROPOSAL_REFUSAL,
    )
    proposal = _team_proposal(account, pk)
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, account, proposal, form=form, status=400)
    seen = decision_revision(request)
    try:
        decided = proposal_services.proposal_decide(
            proposal=proposal,
            decision=form.cleaned_data["decision"],
            reply=form.cleaned_data["reply"],
            acting_user=request.user,
            revision=seen,
        )
    except EditConflict as conflict:
        # What the page showed comes from the proposal's history (at the revision it sent).
        return decision_conflict_response(
            request,
            conflict,
            seen_revision=seen,
            shown=PROPOSAL_SHOWN,
            what=f"“{conflict.current.title}”",
            back_url=reverse("workspace_team:proposal", args=[account.pk, proposal.pk]),
            context={"account": account},
            typed=form,
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _proposal_page(request, account, proposal, form=form, status=400)
    if decided.opportunity_id:
        messages.success(
            request,
            _("“%(title)s” is now an opportunity, not scored yet: quantify and score it.")
            % {"title": decided.title},
        )
        return redirect("opportunities:opportunity_detail", account.pk, decided.opportunity_id)
    messages.success(
        request,
        _("You declined “%(title)s”; the customer reads your reason in their workspace.")
        % {"title": decided.title},
    )
    return redirect("workspace_team:proposals", account.pk)
