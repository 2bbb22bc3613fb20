"""My work and action progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.permissions import VIEW
from accounts.selectors import user_today
from common.conflicts import (
    EditConflict,
    describe_conflict,
)
from notifications.selectors import unread_count
from outcomes.selectors import issues_owned_by
from planning.models import Action
from planning.rules import OVERDUE_RULE, action_is_overdue

from .. import selectors
from ..forms import (
    ActionProgressForm,
)
from ..services import progress as progress_services
from .base import _account_context, _add_errors, _page, _safe_next


@login_required
@require_GET
def index(request):
    """My work: my open actions across all my accounts, my meetings, reviews due."""
    user = request.user
    today = user_today(user)
    bucket = request.GET.get("show", "all")
    if bucket not in selectors.WORK_BUCKETS:
        bucket = "all"
    page = _page(request, selectors.my_work_actions(user=user, bucket=bucket, today=today))
    for action in page:
        action.can_progress = permissions.can_update_action(
            user, action.plan.key_account_id, action.owner_id
        )
    return render(
        request,
        "delivery/my_work.html",
        {
            "page": page,
            "bucket": bucket,
            "counts": selectors.my_work_counts(user=user, today=today),
            "today": today,
            "overdue_rule": OVERDUE_RULE,
            "status_choices": ActionProgressForm.base_fields["status"].choices,
            "meetings": selectors.my_upcoming_meetings(user=user),
            "missing_follow_up": selectors.my_meetings_missing_follow_up(user=user),
            "reviews": selectors.my_reviews_due(user=user),
            "issues": issues_owned_by(user=user),
            "unread": unread_count(user=user),
        },
    )


def _action_for(account, action_id) -> Action:
    return get_object_or_404(
        Action.objects.select_related("plan", "owner", "opportunity", "objective"),
        pk=action_id,
        plan__key_account=account,
    )


def _render_action(request, account, action, form=None, conflict=None, status=200):
    can_progress = permissions.can_update_action(request.user, account, action.owner_id)
    if form is None and can_progress:
        form = ActionProgressForm(action=action)
    history = action.updates.select_related("updated_by").order_by("-created_at", "-pk")
    today = user_today(request.user)
    return render(
        request,
        "delivery/action_detail.html",
        {
            **_account_context(request, account),
            "action": action,
            "form": form,
            "can_progress_this": can_progress,
            "conflict": conflict,
            "history": _page(request, history),
            "source_meetings": action.source_meetings.all(),
            "today": today,
            "overdue": action_is_overdue(status=action.status, due_on=action.due_on, today=today),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )


@login_required
@require_GET
def action_detail(request, account_id: int, action_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    return _render_action(request, account, _action_for(account, action_id))


@login_required
@require_POST
def action_progress(request, account_id: int, action_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    action = _action_for(account, action_id)
    if not permissions.can_update_action(request.user, account, action.owner_id):
        raise PermissionDenied(_("Team members update progress on their own actions only."))
    form = ActionProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            progress_services.action_progress_update(
                action=action,
                status=data["status"],
                progress_percent=data["progress_percent"],
                note=data["note"],
                revision=data["revision"],
                acting_user=request.user,
            )
        except EditConflict as conflict:
            current = conflict.current
            details = describe_conflict(
                conflict, form=form, saved=ActionProgressForm(action=current)
            )
            return _render_action(
                request, account, current, form, conflict=details, status=details.status
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Progress saved on “%(title)s”.") % {"title": action.title})
            return redirect(
                _safe_next(request, reverse("delivery:action_detail", args=[account.pk, action.pk]))
            )
    return _render_action(request, account, action, form, status=400)
