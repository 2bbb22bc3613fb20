"""What the plan pages share: finding the plan, its links, the refusal page, the printed
document's context."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import KeyAccount, Programme

from .. import rules, selectors
from ..models import (
    AccountPlan,
)
from ..presentation import stakeholder_map
from ..snapshot import (
    hydrate,
    load_plan,
    plan_to_dict,
    relabelled,
)

PAGE_SIZE = 25
# The last deletion from the plan editor, offered for undo once on the next plan page.
UNDO_SESSION_KEY = "planning_undo"


# ---- helpers ------------------------------------------------------------------------------


def _plan_or_404(account: KeyAccount) -> AccountPlan:
    plan = selectors.current_plan(account=account)
    if plan is None:
        raise Http404("This account has no current plan.")
    return plan


def _plan_url(account: KeyAccount, anchor: str = "") -> str:
    url = reverse("planning:plan", args=[account.pk])
    return f"{url}#{anchor}" if anchor else url


def _forbidden(request, account: KeyAccount, message: str):
    return render(
        request,
        "planning/forbidden.html",
        {"account": account, "message": message},
        status=403,
    )


def _live_snapshot(plan: AccountPlan, today) -> dict:
    """The live plan as of `today`, the reader's date (accounts.selectors.user_today)."""
    return plan_to_dict(load_plan(plan), today=today)


def _swot_rows(plan: dict) -> list[tuple[str, str]]:
    return [
        (_("Strengths"), plan["strengths"]),
        (_("Weaknesses"), plan["weaknesses"]),
        (_("Opportunities"), plan["opportunities_swot"]),
        (_("Threats"), plan["threats"]),
    ]


def _document_context(snapshot: dict, *, currency: str | None = None) -> dict:
    """What planning/_document.html needs, for the live plan and for frozen versions alike
    (`currency`: the programme's, when the caller has read it)."""
    doc = hydrate(relabelled(snapshot))
    return {
        "doc": doc,
        "swot_rows": _swot_rows(doc["plan"]),
        "stakeholder_map": stakeholder_map(snapshot["stakeholders"]),
        "target_rule": rules.TARGET_STATUS_RULE,
        "currency": currency or Programme.current().currency,
    }


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
