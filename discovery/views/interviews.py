"""Interviews, edited in place (common/inplace.py): the list's "Record an interview", an
interview's record and its ideas."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import EDIT, VIEW, get_account_for_user
from common import inplace

from .. import selectors, services
from ..forms import (
    IdeaForm,
    InterviewForm,
)
from ..models import (
    Interview,
    OpportunityIdea,
)
from .common import PAGE_SIZE, _apply_errors, _context, form_page

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
    # "Cancel" in "Record an interview" asks htmx for the list alone.
    fragment = inplace.fragment_target(request, [INTERVIEW_LIST]) is not None
    return _interview_list_page(request, account, fragment=fragment)


def _interview_page(request, account, interview, *, block="", editing=None, status=200,
                    announce="", fragment=False, reload=True):  # fmt: skip
    """`reload`: read the interview again as the page shows it (after a save, or when the view
    read it bare); False when the view already read it through selectors.interview_list."""
    if reload:
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
            _("Interview of %(date)s saved.")
            % {"date": date_format(saved.held_on, "SHORT_DATE_FORMAT")}
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
    interview = get_object_or_404(selectors.interview_list(account=account), pk=interview_id)
    # "Cancel" in the record's editor asks htmx for that block alone.
    block = inplace.fragment_target(request, [INTERVIEW_RECORD, INTERVIEW_IDEAS])
    return _interview_page(
        request, account, interview, block=block or "", fragment=bool(block), reload=False
    )


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
