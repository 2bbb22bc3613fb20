"""Stage 5 pages: my work, action progress, meetings, calendar feeds, quotes, check-ins,
and the timeline. Access -> form -> service -> redirect, every time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import AccountEvent, Programme
from accounts.permissions import APPROVE, SCHEDULE, VIEW
from accounts.selectors import user_today
from common.conflicts import (
    EditConflict,
    decision_conflict_response,
    decision_revision,
    describe_conflict,
)
from common.pdf import render_pdf
from notifications.selectors import unread_count
from opportunities import rules as opportunity_rules
from opportunities.models import Opportunity
from opportunities.selectors import list_prices_on
from outcomes.selectors import issues_owned_by
from planning.models import Action, Target
from planning.rules import OVERDUE_RULE, action_is_overdue

from . import selectors
from .forms import (
    ActionProgressForm,
    CheckInForm,
    CommentForm,
    FollowUpForm,
    MeasurementForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingNotesForm,
    QuoteForm,
    QuoteLineFormSet,
    QuoteStatusForm,
    quote_line_initial,
)
from .ics import FEED_REFRESH, calendar_for
from .models import CalendarFeed, Meeting, Quote, QuoteTotals
from .services import calendar, comments, meetings, monitoring, quotes
from .services import progress as progress_services

PAGE_SIZE = 25


# ---- helpers ------------------------------------------------------------------------------


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors where they belong."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _account_context(request, account) -> dict:
    return {"account": account, **permissions.account_flags(request.user, account)}


# ---- my work and action progress ----------------------------------------------------------


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


# ---- meetings -----------------------------------------------------------------------------


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


# ---- calendar feed ------------------------------------------------------------------------


@login_required
@require_GET
def calendar_settings(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("delivery:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "delivery/calendar_settings.html", {"feed": feed, "feed_url": feed_url})


@login_required
@require_POST
def calendar_create(request):
    calendar.calendar_feed_get_or_create(user=request.user)
    messages.success(request, _("Your private calendar feed is ready. Keep its address secret."))
    return redirect("delivery:calendar_settings")


@login_required
@require_POST
def calendar_revoke(request):
    calendar.calendar_feed_revoke(user=request.user)
    messages.success(
        request,
        _("The old feed address no longer works. Subscribe your calendar app to the new one."),
    )
    return redirect("delivery:calendar_settings")


@require_GET
def calendar_feed(request, token: str):
    """No login: the secret token in the URL is the credential (calendar apps cannot log in)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None or not token:
        raise Http404("No such calendar feed.")
    feed_meetings = selectors.feed_meetings(user=feed.user)
    body = calendar_for(
        feed_meetings,
        name=_("KAM meetings — %(user)s") % {"user": feed.user},
        refresh=FEED_REFRESH,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# ---- quotes -------------------------------------------------------------------------------


@login_required
@require_GET
def account_quotes(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    status = request.GET.get("status", "")
    page = _page(request, selectors.account_quotes(account=account, status=status))
    limit = quotes.quote_discount_limit()
    for quote in page:
        quote.computed = quote.totals(quote.lines.all())
        quote.awaiting_approval = (
            quote.is_editable
            and quote.computed.needs_approval(limit)
            and not quote.is_discount_approved
        )
    return render(
        request,
        "delivery/quote_list.html",
        {
            **_account_context(request, account),
            "page": page,
            "status": status,
            "statuses": Quote.Status.choices,
            "limit": limit,
            "today": timezone.localdate(),
        },
    )


def _quote_for(account, quote_id) -> Quote:
    return get_object_or_404(
        Quote.objects.select_related(
            "opportunity", "prepared_by", "discount_approved_by", "key_account__customer"
        ).prefetch_related("lines__offering"),
        pk=quote_id,
        key_account=account,
    )


def _lines_text(lines) -> str:
    """Quote lines (saved or typed) as text, one a line, to compare the two versions."""

    def number(value) -> str:
        return format(value.normalize(), "f")

    return "\n".join(
        _("%(description)s: %(quantity)s × %(price)s less %(discount)s %%")
        % {
            "description": line.description,
            "quantity": number(line.quantity),
            "price": number(line.unit_price) if line.unit_price is not None else _("list price"),
            "discount": number(line.discount_percent),
        }
        for line in lines
    )


def _quote_form_page(request, account, form, formset, quote=None, conflict=None, status=200):
    currency = quote.currency if quote else Programme.current().currency
    prices = list_prices_on(currency=currency, on=timezone.localdate())
    for line_form in formset:
        line_form.show_list_prices(prices, currency)
    return render(
        request,
        "delivery/quote_form.html",
        {
            **_account_context(request, account),
            "form": form,
            "formset": formset,
            "quote": quote,
            "conflict": conflict,
            "limit": quotes.quote_discount_limit(),
            "currency": currency,
        },
        status=status,
    )


@login_required
def quote_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    if request.method != "POST":
        form = QuoteForm(account=account)
        return _quote_form_page(request, account, form, QuoteLineFormSet(prefix="lines"))
    form = QuoteForm(request.POST, account=account)
    formset = QuoteLineFormSet(request.POST, prefix="lines")
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            quote = quotes.quote_create(
                account=account,
                title=data["title"],
                valid_until=data["valid_until"],
                overall_discount_percent=data["overall_discount_percent"],
                opportunity=data["opportunity"],
                notes=data["notes"],
                lines=formset.lines(),
                acting_user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Quote %(number)s drafted.") % {"number": quote.number})
            return redirect(quote.get_absolute_url())
    return _quote_form_page(request, account, form, formset, status=400)


@login_required
def quote_edit(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    quote = _quote_for(account, quote_id)
    if not quote.is_editable:
        messages.error(request, _("Only draft quotes can be edited."))
        return redirect(quote.get_absolute_url())
    if request.method != "POST":
        form = QuoteForm(account=account, quote=quote)
        formset = QuoteLineFormSet(prefix="lines", initial=quote_line_initial(quote))
        return _quote_form_page(request, account, form, formset, quote)
    form = QuoteForm(request.POST, account=account, quote=quote)
    formset = QuoteLineFormSet(request.POST, prefix="lines")
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            quote = quotes.quote_update(
                quote=quote,
                revision=data["revision"],
                title=data["title"],
                valid_until=data["valid_until"],
                overall_discount_percent=data["overall_discount_percent"],
                opportunity=data["opportunity"],
                notes=data["notes"],
                lines=formset.lines(),
                acting_user=request.user,
            )
        except EditConflict as conflict:
            current = _quote_for(account, quote_id)
            details = describe_conflict(
                conflict,
                form=form,
                saved=QuoteForm(account=account, quote=current),
                extra_rows=[
                    ("Lines", _lines_text(current.lines.all()), _lines_text(formset.lines()))
                ],
            )
            return _quote_form_page(
                request, account, form, formset, current, conflict=details, status=details.status
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Quote %(number)s saved.") % {"number": quote.number})
            return redirect(quote.get_absolute_url())
    return _quote_form_page(request, account, form, formset, quote, status=400)


def _quote_context(request, account, quote) -> dict:
    lines = list(quote.lines.all())
    totals = quote.totals(lines)
    limit = quotes.quote_discount_limit()
    above_limit = totals.needs_approval(limit)
    return {
        **_account_context(request, account),
        "quote": quote,
        "lines": lines,
        "totals": totals,
        "limit": limit,
        "above_limit": above_limit,
        "awaiting_approval": above_limit and not quote.is_discount_approved,
        "next_statuses": [Quote.Status(s) for s in quote.next_statuses()],
        "expired_validity": quote.valid_until < timezone.localdate(),
        "rule": QuoteTotals.__doc__,
    }


@login_required
@require_GET
def quote_detail(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    quote = _quote_for(account, quote_id)
    return render(request, "delivery/quote_detail.html", _quote_context(request, account, quote))


# What a decision's page showed of a quote, compared when it changed meanwhile.
QUOTE_SHOWN = (
    (gettext_lazy("Status"), lambda quote: quote.get_status_display()),
    (gettext_lazy("Title"), lambda quote: quote.title),
    (gettext_lazy("Overall discount"), lambda quote: f"{quote.overall_discount_percent} %"),
    (gettext_lazy("Valid until"), lambda quote: quote.valid_until),
    (gettext_lazy("Discount approved"), lambda quote: quote.discount_approved_at),
    (gettext_lazy("Discount refused"), lambda quote: quote.discount_refused_at),
    (gettext_lazy("Last change"), lambda quote: quote.updated_at),
)


def _quote_decision_conflict(request, account, conflict: EditConflict, seen):
    return decision_conflict_response(
        request,
        conflict,
        seen_revision=seen,
        shown=QUOTE_SHOWN,
        what=_("quote %(number)s") % {"number": conflict.current.number},
        back_url=conflict.current.get_absolute_url(),
        context={"account": account},
    )


@login_required
@require_POST
def quote_approve(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, APPROVE)
    quote = _quote_for(account, quote_id)
    seen = decision_revision(request)
    try:
        quotes.quote_approve_discount(quote=quote, acting_user=request.user, revision=seen)
    except EditConflict as conflict:
        return _quote_decision_conflict(request, account, conflict, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Discount on %(number)s approved; it can now be sent.") % {"number": quote.number},
        )
    return redirect(quote.get_absolute_url())


@login_required
@require_POST
def quote_refuse(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, APPROVE)
    quote = _quote_for(account, quote_id)
    seen = decision_revision(request)
    try:
        quotes.quote_refuse_discount(
            quote=quote,
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
            revision=seen,
        )
    except EditConflict as conflict:
        return _quote_decision_conflict(request, account, conflict, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Discount on %(number)s refused; the author is told why.") % {"number": quote.number},
        )
    return redirect(quote.get_absolute_url())


@login_required
@require_POST
def quote_status(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    quote = _quote_for(account, quote_id)
    form = QuoteStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid next status for the quote."))
        return redirect(quote.get_absolute_url())
    seen = decision_revision(request)
    try:
        quote = quotes.quote_change_status(
            quote=quote,
            status=form.cleaned_data["status"],
            mark_opportunity_won=form.cleaned_data["mark_opportunity_won"],
            acting_user=request.user,
            revision=seen,
        )
    except EditConflict as conflict:
        return _quote_decision_conflict(request, account, conflict, seen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Quote %(number)s is now %(status)s.")
            % {"number": quote.number, "status": quote.get_status_display()},
        )
    return redirect(quote.get_absolute_url())


@login_required
@require_GET
def quote_pdf(request, account_id: int, quote_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    quote = _quote_for(account, quote_id)
    context = _quote_context(request, account, quote)
    context["programme"] = Programme.current()
    context["lines"] = context["lines"][:QUOTE_PDF_MAX_LINES]
    context["more_lines"] = max(0, len(quote.lines.all()) - QUOTE_PDF_MAX_LINES)
    pdf = render_pdf("delivery/quote_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.number}.pdf"'
    return response


# A one-page quote: longer quotes list the first lines and say "+N more lines".
QUOTE_PDF_MAX_LINES = 18


# ---- progress monitoring ------------------------------------------------------------------


def _render_progress(request, account, *, bound=None, status=200):
    """bound: ("check_in", opportunity_pk, form) or ("measurement", target_pk, form)."""
    flags = permissions.account_flags(request.user, account)
    opportunities = list(selectors.progress_opportunities(account=account))
    targets = list(selectors.progress_targets(account=account))
    today = timezone.localdate()
    for opportunity in opportunities:
        latest = next(iter(opportunity.latest_check_ins), None)
        proposal = monitoring.check_in_proposal(opportunity, latest)
        opportunity.proposal = Opportunity.Status(proposal) if proposal else None
    if flags["can_schedule"]:
        for opportunity in opportunities:
            if bound and bound[0] == "check_in" and bound[1] == opportunity.pk:
                opportunity.form = bound[2]
            else:
                opportunity.form = CheckInForm(
                    prefix=f"opp{opportunity.pk}",
                    initial={"checked_on": today, "status": opportunity.status},
                )
        for target in targets:
            if bound and bound[0] == "measurement" and bound[1] == target.pk:
                target.form = bound[2]
            else:
                target.form = MeasurementForm(
                    prefix=f"target{target.pk}", initial={"measured_on": today}
                )
    return render(
        request,
        "delivery/progress.html",
        {
            **_account_context(request, account),
            "opportunities": opportunities,
            "targets": targets,
        },
        status=status,
    )


@login_required
@require_GET
def progress(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    return _render_progress(request, account)


@login_required
@require_POST
def check_in_create(request, account_id: int, opportunity_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    opportunity = get_object_or_404(Opportunity, pk=opportunity_id, key_account=account)
    form = CheckInForm(request.POST, prefix=f"opp{opportunity.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = monitoring.check_in_record(
                opportunity=opportunity,
                checked_on=data["checked_on"],
                status=data["status"],
                next_step=data["next_step"],
                blockers=data["blockers"],
                may_decide=permissions.can(request.user, permissions.EDIT, account),
                acting_user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            names = {"title": opportunity.title}
            if result.applied:
                names["status"] = result.opportunity.get_status_display()
                done = _("Check-in on “%(title)s” recorded; the opportunity is now %(status)s.")
            elif result.proposed:
                names["status"] = opportunity.get_status_display().lower()
                done = _(
                    "Check-in on “%(title)s” recorded; the opportunity stays %(status)s until "
                    "its manager or director applies the change (they have been told)."
                )
            else:
                done = _("Check-in on “%(title)s” recorded.")
            messages.success(request, done % names)
            return redirect(reverse("delivery:progress", args=[account.pk]))
    return _render_progress(request, account, bound=("check_in", opportunity.pk, form), status=400)


@login_required
@require_POST
def check_in_apply(request, account_id: int, opportunity_id: int):
    account = permissions.get_account_for_user(request.user, account_id, permissions.EDIT)
    opportunity = get_object_or_404(Opportunity, pk=opportunity_id, key_account=account)
    seen = decision_revision(request)
    try:
        opportunity = monitoring.check_in_apply(
            opportunity=opportunity,
            acting_user=request.user,
            revision=seen,
            proposal=request.POST.get("proposal") or None,
        )
    except EditConflict as conflict:
        return decision_conflict_response(
            request,
            conflict,
            seen_revision=seen,
            shown=opportunity_rules.DECISION_SHOWN,
            what=_("“%(title)s”") % {"title": conflict.current.title},
            back_url=reverse("delivery:progress", args=[account.pk]),
            context={"account": account},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": opportunity.title, "status": opportunity.get_status_display()},
        )
    return redirect(reverse("delivery:progress", args=[account.pk]))


@login_required
@require_POST
def measurement_create(request, account_id: int, target_id: int):
    account = permissions.get_account_for_user(request.user, account_id, SCHEDULE)
    target = get_object_or_404(
        Target, pk=target_id, objective__plan__key_account=account, objective__plan__is_current=True
    )
    form = MeasurementForm(request.POST, prefix=f"target{target.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            monitoring.measurement_record(
                target=target,
                measured_on=data["measured_on"],
                actual=data["actual"],
                comment=data["comment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Measurement for “%(kpi)s” recorded.") % {"kpi": target.kpi}
            )
            return redirect(reverse("delivery:progress", args=[account.pk]))
    return _render_progress(request, account, bound=("measurement", target.pk, form), status=400)


# ---- timeline -----------------------------------------------------------------------------


def _can_comment(user, account) -> bool:
    """Comments: anyone with a role on the account. Executives read the timeline only."""
    return permissions.is_on_team(user, account)


def _render_timeline(request, account, form=None, status=200):
    kind = request.GET.get("kind", "")
    page = _page(request, selectors.timeline_events(account=account, kind=kind))
    can_comment = _can_comment(request.user, account)
    return render(
        request,
        "delivery/timeline.html",
        {
            **_account_context(request, account),
            "page": page,
            "kind": kind,
            "kinds": AccountEvent.Kind.choices,
            "can_comment": can_comment,
            "form": (form or CommentForm()) if can_comment else None,
            "team": [m.user for m in account.memberships.select_related("user")],
        },
        status=status,
    )


@login_required
@require_GET
def timeline(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    return _render_timeline(request, account)


@login_required
@require_POST
def comment_create(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id, VIEW)
    if not _can_comment(request.user, account):
        raise PermissionDenied(_("Only the account team comments on the timeline."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            result = comments.comment_post(
                account=account, text=form.cleaned_data["text"], acting_user=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            text = _("Comment posted.")
            if result.notified:
                notified = ", ".join(str(u) for u in result.notified)
                text += " " + _("Notified: %(people)s.") % {"people": notified}
            messages.success(request, text)
            if result.not_on_team:
                names = ", ".join(f"@{n}" for n in result.not_on_team)
                messages.warning(
                    request,
                    _("Not on the account team, so not notified: %(names)s.") % {"names": names},
                )
            return redirect(reverse("delivery:timeline", args=[account.pk]))
    return _render_timeline(request, account, form, status=400)
