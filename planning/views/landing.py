"""The Plans stage landing page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import rules, selectors
from ..models import (
    AccountPlan,
)
from .common import PAGE_SIZE

# ---- the Plans stage landing page ---------------------------------------------------------


@login_required
@require_GET
def index(request):
    status = request.GET.get("status", "")
    plans = selectors.plans_visible_to(user=request.user, status=status)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    health = selectors.health_for_plans(page.object_list)
    for plan in page.object_list:
        plan.health = health[plan.pk]
    return render(
        request,
        "planning/index.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                (v, label)
                for v, label in AccountPlan.Status.choices
                if v != AccountPlan.Status.ARCHIVED
            ],
            "without_plan": selectors.accounts_without_plan_count(user=request.user),
            "health_rules": rules.HEALTH_RULES,
        },
    )
