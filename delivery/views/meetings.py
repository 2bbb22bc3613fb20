"""Meetings: the list, the meeting page, scheduling, notes, follow-ups, cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.permissions import SCHEDULE, VIEW
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
    describe_conflict,
)

from .. import selectors
from ..forms import (
    FollowUpForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingNotesForm,
)
from ..ics import calendar_for
from ..models import Meeting
from ..services import meetings
from .base import _account_context, _add_errors, _page


@login_required
@require_GET
def account_meetings(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    page = _page(request, selectors.account_meetings(account=account, when=when))
    return render(
        request,
        "delivery/meeting_list.html",
        {
            **_account_context(request, account),
            "page": page,
            "when": when,
            "grace_days": Meeting.FOLLOW_UP_GRACE_DAYS,
        },
    )


def _double_booking_rows(request, conflicts) -> list[dict]:
    """What the warning may say: titles only of meetings on accounts the user can see."""
    rows = []
    for user, meeting in conflicts:
        visible = permissions.can(request.user, VIEW, meeting.key_account_id)
        rows.append(
            {
                "user": user,
                "starts": meeting.local_starts_at,
                "ends": meeting.local_ends_at,
                "time_zone": meeting.time_zone,
                "what": f"{meeting.title} ({meeting.key_account.name})"
                if visible
                else _("a meeting on another account"),
            }
        )
    return rows


def _meeting_form_page(
    request, account, form, meeting=None, conflicts=None, conflict=None, status=200
):
    if conflicts:
        form.offer_double_booking()
    return render(
        request,
        "delivery/meeting_form.html",
        {
            **_account_context(request, account),
            "form": form,
            "meeting": meeting,
            "double_bookings": conflicts or [],
            "conflict": conflict,
        },
        status=status,
    )


@login_required
def meeting_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    if request.method != "POST":
        initial = {
            "time_zone": request.user.time_zone,
            **selectors.meeting_initial_for_engagement(
                account=account, pk=request.GET.get("engagement")
            ),
        }
        form = MeetingForm(account=account, initial=initial)
        return _meeting_form_page(request, account, form)
    form = MeetingForm(request.POST, account=account)
    if form.is_valid():
        try:
            meeting = meetings.meeting_schedule(
                account=account,
                details=form.details(),
                allow_double_booking=form.cleaned_data["confirm_double_booking"],
                acting_user=request.user,
            )
        except meetings.DoubleBooking as clash:
            rows = _double_booking_rows(request, clash.conflicts)
            return _meeting_form_page(request, account, form, conflicts=rows)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Meeting “%(title)s” scheduled.") % {"title": meeting.title}
            )
            return redirect(meeting.get_absolute_url())
    return _meeting_form_page(request, account, form, status=400)


@login_required
def meeting_edit(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    if meeting.is_cancelled:
        messages.error(request, _("A cancelled meeting cannot be changed."))
        return redirect(meeting.get_absolute_url())
    if request.method != "POST":
        form = MeetingForm(account=account, meeting=meeting)
        return _meeting_form_page(request, account, form, meeting)
    form = MeetingForm(request.POST, account=account, meeting=meeting)
    if form.is_valid():
        try:
            meeting = meetings.meeting_update(
                meeting=meeting,
                details=form.details(),
                revision=form.cleaned_data["revision"],
                allow_double_booking=form.cleaned_data["confirm_double_booking"],
                acting_user=request.user,
            )
        except meetings.DoubleBooking as clash:
            rows = _double_booking_rows(request, clash.conflicts)
            return _meeting_form_page(request, account, form, meeting, conflicts=rows)
        except EditConflict as conflict:
            current = selectors.meeting_for_account(account=account, pk=meeting_id)
            details = describe_conflict(
                conflict, form=form, saved=MeetingForm(account=account, meeting=current)
            )
            return _meeting_form_page(
                request, account, form, current, conflict=details, status=details.status
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Meeting “%(title)s” updated.") % {"title": meeting.title})
            return redirect(meeting.get_absolute_url())
    return _meeting_form_page(request, account, form, meeting, status=400)


def _render_meeting(
    request, account, meeting, *, notes_form=None, follow_up_form=None, conflict=None, status=200
):
    flags = permissions.account_flags(request.user, account)
    now = timezone.now()
    can_write_up = flags["can_schedule"] and not meeting.is_cancelled
    if can_write_up and notes_form is None and meeting.has_taken_place(now):
        notes_form = MeetingNotesForm(meeting=meeting)
    if can_write_up and follow_up_form is None:
        follow_up_form = FollowUpForm(account=account)
    return render(
        request,
        "delivery/meeting_detail.html",
        {
            **_account_context(request, account),
            "meeting": meeting,
            "taken_place": meeting.has_taken_place(now),
            "follow_up_missing": meeting.follow_up_missing(now),
            "follow_ups": meeting.follow_ups.select_related("owner").order_by("due_on"),
            "notes_form": notes_form if can_write_up else None,
            "follow_up_form": follow_up_form if can_write_up else None,
            "cancel_form": MeetingCancelForm() if can_write_up and not meeting.notes else None,
            "has_current_plan": account.plans.filter(is_current=True).exists(),
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_GET
def meeting_detail(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    return _render_meeting(request, account, meeting)


@login_required
@require_POST
def meeting_notes(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    form = MeetingNotesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meetings.meeting_record_notes(
                meeting=meeting,
                notes=data["notes"],
                decisions=data["decisions"],
                revision=data["revision"],
                acting_user=request.user,
            )
        except EditConflict as conflict:
            current = selectors.meeting_for_account(account=account, pk=meeting_id)
            details = describe_conflict(
                conflict, form=form, saved=MeetingNotesForm(meeting=current)
            )
            return _render_meeting(
                request, account, current, notes_form=form, conflict=details, status=details.status
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Meeting notes saved."))
            return redirect(meeting.get_absolute_url())
    return _render_meeting(request, account, meeting, notes_form=form, status=400)


@login_required
@require_POST
def meeting_follow_up(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    form = FollowUpForm(request.POST, account=account)
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = meetings.meeting_follow_up_create(
                meeting=meeting,
                title=data["title"],
                owner=data["owner"],
                due_on=data["due_on"],
                opportunity=data["opportunity"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Follow-up “%(title)s” added to the plan for %(owner)s.")
                % {"title": action.title, "owner": action.owner},
            )
            return redirect(meeting.get_absolute_url())
    return _render_meeting(request, account, meeting, follow_up_form=form, status=400)


# What the meeting page showed, compared when a cancellation comes from a stale page.
MEETING_SHOWN = (
    (gettext_lazy("Title"), lambda meeting: meeting.title),
    (gettext_lazy("Starts"), lambda meeting: meeting.starts_at),
    (gettext_lazy("Ends"), lambda meeting: meeting.ends_at),
    (gettext_lazy("Location"), lambda meeting: meeting.location),
    (gettext_lazy("Agenda"), lambda meeting: meeting.agenda),
    (gettext_lazy("Cancelled"), lambda meeting: meeting.cancelled_at),
    (gettext_lazy("Last change"), lambda meeting: meeting.updated_at),
)


@login_required
@require_POST
def meeting_cancel(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    form = MeetingCancelForm(request.POST)
    form.is_valid()
    seen = decision_revision(request)
    try:
        meetings.meeting_cancel(
            meeting=meeting,
            reason=form.cleaned_data.get("reason", ""),
            acting_user=request.user,
            revision=seen,
        )
    except EditConflict as conflict:
        return decision_conflict_response(
            request,
            conflict,
            seen_revision=seen,
            shown=MEETING_SHOWN,
            what=_("the meeting “%(title)s”") % {"title": conflict.current.title},
            back_url=conflict.current.get_absolute_url(),
            context={"account": account},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Meeting “%(title)s” cancelled.") % {"title": meeting.title})
    return redirect(meeting.get_absolute_url())


@login_required
@require_GET
def meeting_ics(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    response = HttpResponse(
        calendar_for([meeting], method="PUBLISH"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
