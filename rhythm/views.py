"""Pages of the programme rhythm. Each view: access → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.models import KeyAccount, Programme
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
)
from common.form_pages import edit_page, posted
from common.queueing import enqueue
from notifications.selectors import email_outbox
from planning import rules as plan_rules
from planning.models import Review

from . import forms, selectors, services
from .models import PlanExport

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _tools(user) -> dict:
    """Which rhythm pages the user may open (links on the rhythm pages)."""
    return {
        "can_export": permissions.is_director(user),
        "is_programme_admin": permissions.is_programme_admin(user),
    }


def _require_programme_admin(user) -> None:
    if not permissions.is_programme_admin(user):
        raise PermissionDenied(_("Only programme admins may open this page."))


def _require_director(user) -> None:
    if not permissions.is_director(user):
        raise PermissionDenied(
            _("Only key account directors export their portfolio's plans; you direct no account.")
        )


# ---- quarterly reviews --------------------------------------------------------------------


@login_required
@require_GET
def review_list(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    return render(
        request,
        "rhythm/review_list.html",
        {
            "account": account,
            "page": _page(request, selectors.account_reviews(account=account)),
            "today": timezone.localdate(),
        },
    )


def _proposal_done(account: KeyAccount, review) -> bool:
    """The review's proposal has been carried out (the account's state says so)."""
    if review.decision == Review.Decision.DESELECT:
        return not account.is_active
    return account.classification == review.proposed_class


def _render_review(request, account: KeyAccount, review, form=None, status: int = 200):
    flags = permissions.account_flags(request.user, account)
    can_complete = flags["can_edit"] and review.completed_at is None and review.plan.is_current
    if form is None and can_complete:
        form = forms.ReviewCompleteForm(current_class=account.classification)
    proposal = review.completed_at is not None and review.decision in (
        Review.Decision.CHANGE_CLASS,
        Review.Decision.DESELECT,
    )
    context = {
        "account": account,
        "review": review,
        "proposal": proposal,
        "proposal_done": proposal and _proposal_done(account, review),
        "can_act_on_proposal": proposal
        and account.is_active
        and permissions.can_change_selection(request.user, account),
        "form": form if can_complete else None,
        "can_complete": can_complete,
        "today": timezone.localdate(),
        "review_days": selectors.REVIEW_COMPLETE_WITHIN_DAYS,
        **flags,
        **selectors.review_walkthrough(review),
    }
    return render(request, "rhythm/review_detail.html", context, status=status)


@login_required
@require_GET
def review_detail(request, account_id: int, review_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    review = selectors.review_for_account(account=account, review_id=review_id)
    return _render_review(request, account, review)


@login_required
@require_POST
def review_complete(request, account_id: int, review_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    review = selectors.review_for_account(account=account, review_id=review_id)
    if review.completed_at is not None:
        messages.error(
            request,
            _("This review was already completed by %(who)s.") % {"who": review.completed_by},
        )
        return redirect(reverse("rhythm:review", args=[account.pk, review.pk]))
    form = forms.ReviewCompleteForm(request.POST, current_class=account.classification)
    if form.is_valid():
        seen = decision_revision(request)
        try:
            outcome = services.review_complete(
                review=review,
                decision=form.cleaned_data["decision"],
                proposed_class=form.cleaned_data["proposed_class"],
                comments=form.cleaned_data["comments"],
                acting_user=request.user,
                plan_revision=seen,
            )
        except EditConflict as conflict:
            return decision_conflict_response(
                request,
                conflict,
                seen_revision=seen,
                shown=plan_rules.DECISION_SHOWN,
                what=_("the plan %(period)s of %(account)s")
                % {"period": conflict.current.period, "account": account},
                back_url=reverse("rhythm:review", args=[account.pk, review.pk]),
                context={"account": account},
                typed=form,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Review %(quarter)s completed; the plan as it stands is saved as review "
                    "snapshot %(number)s (a review is not an approval)."
                )
                % {"quarter": outcome.review.quarter, "number": outcome.version.number},
            )
            return redirect(reverse("rhythm:review", args=[account.pk, review.pk]))
    return _render_review(request, account, review, form=form, status=400)


# ---- reminders ----------------------------------------------------------------------------


@login_required
@require_GET
def digest(request):
    current = selectors.digest_for(request.user)
    return render(
        request,
        "rhythm/digest.html",
        {
            "digest": current,
            "sections": current.sections(),
            "preference": selectors.preference_of(current.user),
            "rule": selectors.DIGEST_RULE,
            **_tools(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request):
    preference = selectors.preference_of(request.user)

    def save(form):
        return services.digest_preference_save(
            user=request.user, data=form.cleaned_data, revision=form.cleaned_data.get("revision")
        )

    return edit_page(
        request,
        forms.DigestPreferenceForm(posted(request), instance=preference),
        save=save,
        saved_form=lambda current: forms.DigestPreferenceForm(instance=current),
        done=lambda _saved: (_("Your reminder settings are saved."), reverse("rhythm:digest")),
        template="rhythm/digest_settings.html",
        context={
            "rule": selectors.DIGEST_RULE,
            "time_zone": request.user.time_zone,
            **_tools(request.user),
        },
        invalid_status=400,
    )


# ---- bulk export --------------------------------------------------------------------------


@login_required
@require_GET
def export_list(request):
    _require_director(request.user)
    return render(
        request,
        "rhythm/export_list.html",
        {
            "page": _page(request, selectors.my_exports(user=request.user)),
            "plans": selectors.exportable_plans(user=request.user),
            "keep_hours": PlanExport.KEEP_HOURS,
            "now": timezone.now(),
            **_tools(request.user),
        },
    )


@login_required
@require_POST
def export_create(request):
    _require_director(request.user)
    try:
        export = services.plan_export_request(acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rhythm:exports")
    if export.status == PlanExport.Status.FAILED:  # the job queue did not take it
        messages.error(request, _(export.error))
        return redirect("rhythm:exports")
    messages.success(request, _("Your export is on its way; this page shows its progress."))
    return redirect(reverse("rhythm:export", args=[export.pk]))


def _own_export(request, export_id) -> PlanExport:
    """Exports are their requester's only: anyone else gets 404."""
    return get_object_or_404(PlanExport, pk=export_id, requested_by=request.user)


@login_required
@require_GET
def export_detail(request, export_id):
    export = _own_export(request, export_id)
    return render(
        request,
        "rhythm/export_detail.html",
        {
            "export": export,
            "expired": export.is_expired(),
            "refresh_seconds": 3 if export.in_progress else None,
            # Why it failed, when the reason was written for the director (not an exception).
            "reason": _(export.error) if export.error in services.EXPORT_REASONS else "",
            "keep_hours": PlanExport.KEEP_HOURS,
        },
    )


@login_required
@require_GET
def export_download(request, export_id):
    export = _own_export(request, export_id)
    if export.is_expired():
        return render(request, "rhythm/export_gone.html", {"export": export}, status=410)
    if export.status != PlanExport.Status.READY:
        messages.info(request, _("The export is not ready yet."))
        return redirect(reverse("rhythm:export", args=[export.pk]))
    path = services.export_path(export)
    if path is None or not path.is_file():
        return render(request, "rhythm/export_gone.html", {"export": export}, status=410)
    local = timezone.localtime(export.finished_at)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"account-plans-{local:%Y-%m-%d-%H%M}.zip",
        content_type="application/zip",
    )


# ---- programme admin pages ----------------------------------------------------------------


@login_required
@require_GET
def annual_review(request):
    _require_programme_admin(request.user)
    return _annual_review_page(request)


def _annual_review_page(request, form=None, status: int = 200):
    today = timezone.localdate()
    return render(
        request,
        "rhythm/annual_review.html",
        {
            **selectors.annual_review_summary(),
            **_tools(request.user),
            "form": form
            or forms.AnnualReviewCompleteForm(today=today, starts_on=Programme.current().starts_on),
        },
        status=status,
    )


@login_required
@require_POST
def annual_review_complete(request):
    _require_programme_admin(request.user)
    form = forms.AnnualReviewCompleteForm(
        request.POST, today=timezone.localdate(), starts_on=Programme.current().starts_on
    )
    if not form.is_valid():
        return _annual_review_page(request, form=form, status=400)
    programme = services.annual_review_complete(
        next_review_on=form.cleaned_data["next_review_on"], acting_user=request.user
    )
    messages.success(
        request,
        _("Annual review recorded. The next one is due on %(date)s.")
        % {"date": dateformat.format(programme.annual_review_on, "d F Y")},
    )
    return redirect("rhythm:annual_review")


@login_required
@require_GET
def job_runs(request):
    _require_programme_admin(request.user)
    return render(
        request,
        "rhythm/job_runs.html",
        {"jobs": selectors.latest_runs(), "outbox": email_outbox(), **_tools(request.user)},
    )


@login_required
@require_POST
def job_runs_start(request):
    """Run every periodic job now (queued on the worker; in-process on the embedded default)."""
    _require_programme_admin(request.user)
    from .tasks import run_due_jobs

    if enqueue(run_due_jobs, f"page:{request.user.username}"):
        messages.success(request, _("The due jobs were started; their runs appear below."))
    else:
        messages.error(
            request,
            _(
                "The jobs were not started: the job queue (Redis) did not answer, so nothing was "
                "queued. Beat runs them on schedule once the queue is back; meanwhile an operator "
                "can run `python manage.py run_due_jobs` on the server."
            ),
        )
    return redirect("rhythm:job_runs")
