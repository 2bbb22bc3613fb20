"""My work and action progress."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.permissions import SCHEDULE, VIEW
from accounts.selectors import user_today
from common import inplace
from notifications.selectors import unread_count
from outcomes.selectors import issues_owned_by
from planning.models import Action
from planning.rules import MEASURE_EVERY_DAYS, OVERDUE_RULE, action_is_overdue

from .. import selectors
from ..forms import (
    ActionProgressForm,
)
from ..models import Quote
from ..services import progress as progress_services
from ..signals import work_waiting
from .base import _account_context, _page, _safe_next, reader_times


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
    # "List them all" on one of the short lists (?all=<list>): that one shows every row, up to
    # MY_WORK_ALL_ROWS.
    listed_all = request.GET.get("all", "")

    def limit(name: str) -> int:
        return selectors.MY_WORK_ALL_ROWS if listed_all == name else selectors.MY_WORK_ROWS

    quotes = selectors.my_quotes_to_follow_up(user=user, limit=limit("quotes"))
    # A quote's validity ends in the programme's time zone (the expiry job's and the accept
    # rule's day), not the reader's.
    programme_today = timezone.localdate()
    for quote in quotes:
        quote.lapsed = quote.status == Quote.Status.SENT and quote.valid_until < programme_today
        quote.can_renew = quote.status == Quote.Status.EXPIRED and permissions.can(
            user, SCHEDULE, quote.key_account_id
        )
    meetings = selectors.my_upcoming_meetings(user=user, limit=limit("meetings"))
    reader_times(meetings, user)
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
            "meetings": meetings,
            "missing_follow_up": selectors.my_meetings_missing_follow_up(
                user=user, limit=limit("unwritten")
            ),
            "reviews": selectors.my_reviews_due(user=user, limit=limit("reviews")),
            "to_measure": selectors.my_targets_to_measure(
                user=user, today=today, limit=limit("targets")
            ),
            "listed_all": listed_all,
            "measure_every_days": MEASURE_EVERY_DAYS,
            "issues": issues_owned_by(user=user),
            "quotes": quotes,
            "unread": unread_count(user=user),
            "waiting": work_waiting(user),
        },
    )


def _action_for(account, action_id) -> Action:
    return get_object_or_404(
        Action.objects.select_related(
            "plan", "owner", "customer_owner", "opportunity", "objective"
        ),
        pk=action_id,
        plan__key_account=account,
    )


# An action's progress is edited in place (common/inplace.py): the block under the page title
# (`_action_progress.html`: the action, its always-open progress form and its history) is
# redrawn by a save. A follow-up from a meeting is completed here ("Done").
ACTION_PROGRESS = "action-progress"


def _action_page(request, account, action_id, *, editing=None, status=200, announce="",
                 fragment=False):  # fmt: skip
    action = _action_for(account, action_id)
    can_progress = permissions.can_update_action(request.user, account, action.owner_id)
    if editing is None and can_progress:
        url = reverse("delivery:action_progress", args=[account.pk, action.pk])
        back = request.POST.get("next") or request.GET.get("next", "")
        if back:  # where a save without JavaScript goes back to (My work)
            url = f"{url}?{urlencode({'next': back})}"
        editing = inplace.editor(ActionProgressForm(action=action), url=url, focus=False)
    history = action.updates.select_related("updated_by").order_by("-created_at", "-pk")
    today = user_today(request.user)
    context = {
        **_account_context(request, account),
        "action": action,
        "editing": editing if can_progress else None,
        "editing_anchor": ACTION_PROGRESS,
        "can_progress_this": can_progress,
        "history": _page(request, history),
        "source_meetings": action.source_meetings.all(),
        "today": today,
        "overdue": action_is_overdue(status=action.status, due_on=action.due_on, today=today),
    }
    if status == 200 and editing and editing["form"].errors:
        status = 400
    if fragment:
        return inplace.fragment_response(
            request, ["delivery/_action_progress.html"], context, status=status, announce=announce
        )
    return render(request, "delivery/action_detail.html", context, status=status)


@login_required
@require_GET
def action_detail(request, account_id: int, action_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    return _action_page(request, account, action_id)


@login_required
@require_POST
def action_progress(request, account_id: int, action_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    action = _action_for(account, action_id)
    if not permissions.can_update_action(request.user, account, action.owner_id):
        raise PermissionDenied(_("Team members update progress on their own actions only."))

    def save(bound):
        data = bound.cleaned_data
        progress_services.action_progress_update(
            action=action,
            status=data["status"],
            progress_percent=data["progress_percent"],
            note=data["note"],
            revision=data["revision"],
            acting_user=request.user,
        )
        return action

    detail_url = reverse("delivery:action_detail", args=[account.pk, action.pk])
    return inplace.edit_in_place(
        request,
        block=ACTION_PROGRESS,
        render=partial(_action_page, request, account, action.pk),
        form=lambda data=None: ActionProgressForm(data, action=action),
        save=save,
        saved_form=lambda current: ActionProgressForm(action=current),
        done=lambda saved: _("Progress saved on “%(title)s”.") % {"title": saved.title},
        redirect_to=lambda saved: _safe_next(request, f"{detail_url}#{ACTION_PROGRESS}"),
        cancel_url="",
        mode="edit",
        pk=action.pk,
    )
