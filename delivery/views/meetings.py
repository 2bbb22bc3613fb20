"""Meetings: the list, the meeting page, scheduling, notes, follow-ups, cancelling.

They are edited in place (common/inplace.py): the list's "Schedule a meeting" opens its form in
the list (`_meeting_list.html`); on a meeting's page its record ("Edit meeting": time,
attendees, agenda), its notes and decisions, and its follow-ups are blocks
(`_meeting_record.html`, `_meeting_notes.html`, `_meeting_follow_ups.html`). Without JavaScript
the same URLs answer with the whole page, the form open in it."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.permissions import SCHEDULE, VIEW
from common import inplace
from common.conflicts import EditConflict, decision_conflict_response, decision_revision

from .. import selectors
from ..forms import FollowUpForm, MeetingCancelForm, MeetingForm, MeetingNotesForm
from ..ics import calendar_for
from ..models import Meeting
from ..services import meetings
from ..services.shared import DESELECTED
from .base import PAGE_SIZE, _account_context, _add_errors, reader_times

MEETING_LIST, MEETING_RECORD, MEETING_NOTES, MEETING_FOLLOW_UPS = (
    "meeting-list",
    "meeting-record",
    "meeting-notes",
    "meeting-follow-ups",
)


def _refused(status: int, editing, double_bookings) -> int:
    """A form refused for its errors answers 400 (htmx swaps it in place all the same); a
    double-booking warning is a question, not an error: 200."""
    if status == 200 and editing and editing["form"].errors and not double_bookings:
        return 400
    return status


def _meeting_list_page(request, account, *, editing=None, status=200, announce="",
                       fragment=False, double_bookings=(), scheduled=None):  # fmt: skip
    """The meeting list; `scheduled`: the meeting just scheduled in place, shown above the list
    with who is invited and its invitation (the next thing a coordinator does)."""
    query = inplace.current_query(request)
    when = "past" if query.get("when") == "past" else "upcoming"
    meetings_shown = selectors.account_meetings(account=account, when=when)
    context = {
        **_account_context(request, account),
        "page": Paginator(meetings_shown, PAGE_SIZE).get_page(query.get("page")),
        "when": when,
        "grace_days": Meeting.FOLLOW_UP_GRACE_DAYS,
        "editing": editing,
        "editing_anchor": MEETING_LIST,
        "double_bookings": double_bookings,
        "scheduled": scheduled,
    }
    status = _refused(status, editing, double_bookings)
    if fragment:
        return inplace.fragment_response(
            request, ["delivery/_meeting_list.html"], context, status=status, announce=announce
        )
    return render(request, "delivery/meeting_list.html", context, status=status)


@login_required
@require_GET
def account_meetings(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    # "Cancel" in "Schedule a meeting" asks htmx for the list alone.
    fragment = inplace.fragment_target(request, [MEETING_LIST]) is not None
    return _meeting_list_page(request, account, fragment=fragment)


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


def _meeting_page(request, account, meeting, *, reload=False, block="", editing=None,
                  status=200, announce="", fragment=False, double_bookings=(),
                  cancel_form=None):  # fmt: skip
    """A meeting's page, or one of its blocks; `editing` is the form open in `block`. `reload`:
    read the meeting again (its record after a save or a conflict shows what is saved now).
    `cancel_form`: a cancellation refused, with what was typed and why."""
    if reload:
        meeting = selectors.meeting_for_account(account=account, pk=meeting.pk)
    flags = permissions.account_flags(request.user, account)
    reader_times([meeting], request.user)
    now = timezone.now()
    can_write_up = flags["can_schedule"] and not meeting.is_cancelled
    taken_place = meeting.has_taken_place(now)
    args = [account.pk, meeting.pk]
    notes_editor = editing if block == MEETING_NOTES else None
    if notes_editor is None and can_write_up and taken_place:
        # Notes are written in a form always open once the meeting has started.
        notes_editor = inplace.editor(
            MeetingNotesForm(meeting=meeting),
            url=reverse("delivery:meeting_notes", args=args),
            focus=False,
        )
    follow_up_editor = editing if block == MEETING_FOLLOW_UPS else None
    if follow_up_editor is None and can_write_up:
        follow_up_editor = inplace.editor(
            FollowUpForm(account=account),
            url=reverse("delivery:meeting_follow_up", args=args),
            mode="add",
            focus=False,
        )
    context = {
        "account": account,
        **flags,
        "meeting": meeting,
        "taken_place": taken_place,
        "follow_up_missing": meeting.follow_up_missing(now),
        "follow_ups": meeting.follow_ups.select_related("owner").order_by("due_on"),
        "editing": editing if block == MEETING_RECORD else None,
        "editing_anchor": MEETING_RECORD,
        "double_bookings": double_bookings,
        "notes_editor": notes_editor if can_write_up else None,
        "follow_up_editor": follow_up_editor if can_write_up else None,
        "cancel_form": (cancel_form or MeetingCancelForm())
        if can_write_up and not meeting.notes
        else None,
        # Only the follow-ups' form needs it.
        "has_current_plan": can_write_up
        and block in ("", MEETING_FOLLOW_UPS)
        and account.plans.filter(is_current=True).exists(),
    }
    status = _refused(status, editing, double_bookings)
    if fragment:
        partials = {
            MEETING_RECORD: "delivery/_meeting_record.html",
            MEETING_NOTES: "delivery/_meeting_notes.html",
            MEETING_FOLLOW_UPS: "delivery/_meeting_follow_ups.html",
        }
        return inplace.fragment_response(
            request, [partials[block]], context, status=status, announce=announce
        )
    return render(request, "delivery/meeting_detail.html", context, status=status)


def _meeting_editor(request, account, meeting):
    """Scheduling (in the list) or editing (in the meeting's record): one form, in place."""
    found = {"rows": (), "saved": None}  # the double bookings the last save found; what it saved

    def form(data=None):
        if meeting is not None:
            return MeetingForm(data, account=account, meeting=meeting)
        initial = {}
        if data is None:
            initial = {
                "time_zone": request.user.time_zone,
                **selectors.meeting_initial_for_engagement(
                    account=account, pk=request.GET.get("engagement")
                ),
            }
        return MeetingForm(data, account=account, initial=initial)

    def save(bound):
        allow = bound.cleaned_data["confirm_double_booking"]
        try:
            if meeting is None:
                found["saved"] = meetings.meeting_schedule(
                    account=account,
                    details=bound.details(),
                    allow_double_booking=allow,
                    acting_user=request.user,
                )
                return found["saved"]
            return meetings.meeting_update(
                meeting=meeting,
                details=bound.details(),
                revision=bound.cleaned_data["revision"],
                allow_double_booking=allow,
                acting_user=request.user,
            )
        except meetings.DoubleBooking as clash:
            found["rows"] = _double_booking_rows(request, clash.conflicts)
            bound.offer_double_booking()
            raise ValidationError(
                _("Some attendees are already booked at that time (see above).")
            ) from clash

    if meeting is None:
        block, cancel_url = MEETING_LIST, reverse("delivery:account_meetings", args=[account.pk])
        page = partial(_meeting_list_page, request, account)
        done = _("Meeting “%(title)s” scheduled.")
    else:
        block, cancel_url = MEETING_RECORD, meeting.get_absolute_url()
        reload = request.method == "POST"
        page = partial(_meeting_page, request, account, meeting, reload=reload, block=block)
        done = _("Meeting “%(title)s” updated.")

    def render_page(**kwargs):
        if kwargs.get("editing"):
            kwargs["editing"]["form"].note_empty_choices()
        if meeting is None:
            kwargs["scheduled"] = found["saved"]
        return page(double_bookings=found["rows"], **kwargs)

    render_saved = None
    if meeting is not None:
        # The record drawn from the meeting as the service saved it: its row as written, the
        # links it left as they were as the page read them, a changed link read once to draw it.
        def render_saved(saved, announce):
            return _meeting_page(
                request, account, saved, block=block, announce=announce, fragment=True
            )

    return inplace.edit_in_place(
        request,
        block=block,
        render=render_page,
        render_saved=render_saved,
        form=form,
        save=save,
        saved_form=lambda current: MeetingForm(account=account, meeting=current),
        done=lambda saved: done % {"title": saved.title},
        redirect_to=lambda saved: saved.get_absolute_url(),
        cancel_url=cancel_url,
        mode="edit" if meeting else "add",
        pk=meeting.pk if meeting else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    if not account.is_active and request.method == "GET":
        # Refused before anything is typed. A form sent anyway (the page was open when the
        # account was de-selected) comes back with the service's refusal and what was typed.
        messages.error(request, DESELECTED)
        return redirect("delivery:account_meetings", account.pk)
    return _meeting_editor(request, account, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    if meeting.is_cancelled:
        messages.error(request, _("A cancelled meeting cannot be changed."))
        return redirect(meeting.get_absolute_url())
    return _meeting_editor(request, account, meeting)


@login_required
@require_GET
def meeting_detail(request, account_id: int, meeting_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    # "Cancel" in the record's editor asks htmx for that block alone.
    block = inplace.fragment_target(request, [MEETING_RECORD, MEETING_NOTES, MEETING_FOLLOW_UPS])
    return _meeting_page(request, account, meeting, block=block or "", fragment=bool(block))


@login_required
@require_POST
def meeting_notes(request, account_id: int, meeting_id: int):
    """The notes form is always open on the meeting's page (once it has started)."""
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    saved = {"meeting": meeting}

    def save(bound):
        data = bound.cleaned_data
        saved["meeting"] = meetings.meeting_record_notes(
            meeting=meeting,
            notes=data["notes"],
            decisions=data["decisions"],
            revision=data["revision"],
            acting_user=request.user,
        )
        return saved["meeting"]

    def render_page(**kwargs):
        return _meeting_page(request, account, saved["meeting"], block=MEETING_NOTES, **kwargs)

    return inplace.edit_in_place(
        request,
        block=MEETING_NOTES,
        render=render_page,
        form=lambda data=None: MeetingNotesForm(data, meeting=meeting),
        save=save,
        saved_form=lambda current: MeetingNotesForm(meeting=current),
        done=lambda saved: _("Meeting notes saved."),
        redirect_to=lambda saved: f"{meeting.get_absolute_url()}#{MEETING_NOTES}",
        cancel_url="",
        mode="edit",
        pk=meeting.pk,
    )


@login_required
@require_POST
def meeting_follow_up(request, account_id: int, meeting_id: int):
    """Follow-ups are typed in a row: after a save the form is there again, empty, focused."""
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    meeting = selectors.meeting_for_account(account=account, pk=meeting_id)
    fragment = inplace.fragment_target(request, [MEETING_FOLLOW_UPS]) is not None
    page = partial(_meeting_page, request, account, meeting, block=MEETING_FOLLOW_UPS)
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
            done = _("Follow-up “%(title)s” added to the plan for %(owner)s.") % {
                "title": action.title,
                "owner": action.owner,
            }
            if fragment:
                fresh = inplace.editor(FollowUpForm(account=account), url=request.path, mode="add")
                return page(editing=fresh, announce=done, fragment=True)
            messages.success(request, done)
            return redirect(f"{meeting.get_absolute_url()}#{MEETING_FOLLOW_UPS}")
    editing = inplace.editor(form, url=request.path, mode="add")
    return page(editing=editing, fragment=fragment)


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
    if not form.is_valid():
        # A reason too long: nothing is cancelled, and the reason stays in its box (it was
        # dropped, and the meeting cancelled without it).
        form.fields["reason"].widget.attrs["autofocus"] = True
        return _meeting_page(request, account, meeting, status=400, cancel_form=form)
    seen = decision_revision(request)
    try:
        meetings.meeting_cancel(
            meeting=meeting,
            reason=form.cleaned_data["reason"],
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
            typed=form,
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
