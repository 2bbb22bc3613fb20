"""Progress monitoring (check-ins, measurements) and the timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.models import AccountEvent
from accounts.permissions import SCHEDULE, VIEW
from accounts.selectors import user_today
from common.conflicts import (
    CONFLICT_STATUS,
    EditConflict,
    decision_conflict_response,
    decision_revision,
)
from opportunities import rules as opportunity_rules
from opportunities.models import Opportunity
from planning.models import Target

from .. import selectors
from ..forms import (
    CheckInForm,
    CommentForm,
    MeasurementForm,
)
from ..services import comments, monitoring
from .base import _account_context, _add_errors, _page


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _render_progress(request, account, *, bound=None, status=200):
    """bound: ("check_in", opportunity_pk, form) or ("measurement", target_pk, form)."""
    flags = permissions.account_flags(request.user, account)
    given_back = bound[1] if bound and bound[0] == "check_in" else None
    opportunities = list(selectors.progress_opportunities(account=account, including=given_back))
    targets = list(selectors.progress_targets(account=account))
    today = user_today(request.user)  # the date a check-in or measurement starts from
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
                    initial={
                        "checked_on": today,
                        "status": opportunity.status,
                        "revision": opportunity.revision,
                    },
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
            # "?measure=<target>" (My work's "Targets to measure again"): that target's
            # measurement form is drawn open.
            "open_target": _int_or_none(request.GET.get("measure")),
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
                revision=data["revision"],
            )
        except EditConflict as conflict:
            # What was typed stays; the form now carries the opportunity as it is, so sending
            # it again records the check-in knowingly.
            form.data = form.data.copy()
            form.data[form.add_prefix("revision")] = conflict.revision
            form.add_error("status", conflict.message)
            return _render_progress(
                request,
                account,
                bound=("check_in", opportunity.pk, form),
                status=CONFLICT_STATUS,
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
