"""Frozen records (approved versions, review snapshots, comparisons) and the plan PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts.models import AccountEvent
from accounts.selectors import user_today
from common.rows import first_rows

from .. import selectors
from ..models import (
    AccountPlan,
    PlanVersion,
)
from ..printing import render_plan_pdf, working_plan_pdf
from ..signals import plan_print_lines
from ..snapshot import (
    customer_version,
    diff_snapshots,
    diff_summary,
    relabelled,
)
from .common import _document_context, _live_snapshot, _plan_or_404

# ---- frozen records: approved versions and review snapshots -------------------------------
# Approvals and quarterly review snapshots are numbered apart and never called by each other's
# name. Compare and the PDF name a record by its token: "2" is approved version 2, "r1" review
# snapshot 1, "0" the live plan.

VERSIONS_EVENT_ROWS = 20


def _version_or_404(plan: AccountPlan, number: int, kind=PlanVersion.Kind.APPROVAL) -> PlanVersion:
    return get_object_or_404(
        PlanVersion.objects.select_related("created_by"), plan=plan, kind=kind, number=number
    )


def _record_for_token(plan: AccountPlan, token: str) -> PlanVersion | None:
    """None for the live plan ("0"); 404 for a token that names nothing."""
    token = token.strip().lower()
    if token in ("0", "live"):
        return None
    kind = PlanVersion.Kind.REVIEW if token.startswith("r") else PlanVersion.Kind.APPROVAL
    digits = token[1:] if token.startswith("r") else token
    if not digits.isdigit():
        raise Http404("Pick two versions to compare.")
    return _version_or_404(plan, int(digits), kind)


def _record_label(record: PlanVersion | None) -> str:
    return gettext("the live plan") if record is None else record.label.lower()


def compare_defaults(tokens: list[str]) -> tuple[str, str]:
    """What a comparison opens with, from the records' tokens newest first: the newest two,
    the older on the left; the only record against the live plan ("0"); the live plan alone."""
    if len(tokens) > 1:
        return tokens[1], tokens[0]
    if tokens:
        return tokens[0], "0"
    return "0", "0"


@login_required
@require_GET
def version_list(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    records = list(plan.versions.select_related("created_by").order_by("created_at", "pk"))
    previous_approval = previous = None
    for record in records:
        # An approval is compared with the approval before it; a review snapshot with whatever
        # was frozen just before it.
        base = previous_approval if record.is_approval else previous
        record.compared_with = base.label if base else ""
        record.change_summary = (
            diff_summary(diff_snapshots(base.snapshot, record.snapshot)) if base else ""
        )
        # The plan's status then, named in the reader's language (the snapshot keeps the
        # language of whoever froze it).
        record.status_then = relabelled(record.snapshot).get("plan", {}).get("status_label")
        previous = record
        if record.is_approval:
            previous_approval = record
    records.reverse()
    compare_a, compare_b = compare_defaults([r.token for r in records])
    # The latest; the timeline lists them all (its plan and review filters).
    events = first_rows(
        account.events.filter(
            kind__in=[AccountEvent.Kind.PLAN, AccountEvent.Kind.REVIEW]
        ).select_related("actor"),
        VERSIONS_EVENT_ROWS,
    )
    return render(
        request,
        "planning/versions.html",
        {
            "account": account,
            "plan": plan,
            "approvals": [r for r in records if r.is_approval],
            "snapshots": [r for r in records if not r.is_approval],
            "records": records,
            "compare_a": compare_a,
            "compare_b": compare_b,
            "events": events,
        },
    )


def _frozen_page(request, account, plan, record: PlanVersion):
    return render(
        request,
        "planning/version_detail.html",
        {
            "account": account,
            "plan": plan,
            "version": record,
            "customer_version": selectors.latest_approved_version(plan=plan),
            "editable": False,
            **_document_context(record.snapshot),
        },
    )


@login_required
@require_GET
def version_detail(request, account_id: int, number: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    return _frozen_page(request, account, plan, _version_or_404(plan, number))


@login_required
@require_GET
def review_snapshot_detail(request, account_id: int, number: int):
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    return _frozen_page(
        request, account, plan, _version_or_404(plan, number, PlanVersion.Kind.REVIEW)
    )


@login_required
@require_GET
def version_compare(request, account_id: int):
    """Compare two frozen records (or one with the live plan, token "0")."""
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    records = list(plan.versions.select_related("created_by").order_by("-created_at", "-pk"))
    # By default the newest two, newest last; with a single record, that record and the live
    # plan after it (never one record beside itself).
    default_a, default_b = compare_defaults([r.token for r in records])
    a = _record_for_token(plan, request.GET.get("a", default_a))
    b = _record_for_token(plan, request.GET.get("b", default_b))

    def snapshot(record: PlanVersion | None) -> dict:
        return _live_snapshot(plan, user_today(request.user)) if record is None else record.snapshot

    sections = diff_snapshots(snapshot(a), snapshot(b))
    return render(
        request,
        "planning/version_compare.html",
        {
            "account": account,
            "plan": plan,
            "records": records,
            "a": a.token if a else "0",
            "b": b.token if b else "0",
            "a_label": _record_label(a),
            "b_label": _record_label(b),
            "sections": sections,
            "summary": diff_summary(sections),
        },
    )


# ---- PDF ----------------------------------------------------------------------------------


@login_required
@require_GET
def plan_pdf(request, account_id: int):
    """Two A4 pages. `?version=N` prints approved version N, `?review=N` review snapshot N;
    `?audience=customer` prints the customer version of the last approved version (never a
    draft or a review snapshot), or a page saying there is none."""
    account = permissions.get_account_for_user(request.user, account_id)
    plan = _plan_or_404(account)
    if request.GET.get("audience") == "customer":
        version = selectors.latest_approved_version(plan=plan)
        if version is None:
            return render(
                request,
                "planning/no_customer_version.html",
                {"account": account, "plan": plan},
                status=404,
            )
        pdf = render_plan_pdf(customer_version(version.snapshot))
        filename = f"plan-{account.pk}-{plan.period}-v{version.number}-customer.pdf"
        return _pdf_response(pdf, filename)
    number = request.GET.get("version", "")
    review_number = request.GET.get("review", "")
    for value in (number, review_number):
        if value and not value.isdigit():
            raise Http404("No such version.")
    today = user_today(request.user)  # "as of" the reader's date, as the plan page is drawn
    if number:
        snapshot = _version_or_404(plan, int(number)).snapshot
        suffix = f"-v{number}"
    elif review_number:
        snapshot = _version_or_404(plan, int(review_number), PlanVersion.Kind.REVIEW).snapshot
        suffix = f"-review{review_number}"
    else:
        # The working plan: as the worker draws it ahead after a change (planning.printing).
        return _pdf_response(
            working_plan_pdf(plan, today=today), f"plan-{account.pk}-{plan.period}.pdf"
        )
    lines = plan_print_lines(account_id=account.pk, today=today)
    return _pdf_response(
        render_plan_pdf(snapshot, lines=lines), f"plan-{account.pk}-{plan.period}{suffix}.pdf"
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = filename.replace(" ", "_")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
