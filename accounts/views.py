from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import permissions
from .models import Classification, Role
from .selectors import account_team, key_accounts_visible_to

PAGE_SIZE = 25


@login_required
@require_GET
def account_list(request):
    show_deselected = request.GET.get("status") == "all"
    accounts = key_accounts_visible_to(user=request.user, include_deselected=show_deselected)
    classification = request.GET.get("class", "")
    if classification in Classification.values:
        accounts = accounts.filter(classification=classification)
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(customer__name__icontains=query)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {
            "page": page,
            "classification": classification,
            "query": query,
            "show_deselected": show_deselected,
            "classes": Classification.choices,
        },
    )


@login_required
@require_GET
def account_detail(request, account_id: int):
    account = permissions.get_account_for_user(request.user, account_id)
    events = account.events.select_related("actor")[:15]
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "team": account_team(account=account),
            "events": events,
            "my_role_label": Role(role).label
            if (role := permissions.role_on(request.user, account))
            else "",
            **permissions.account_flags(request.user, account),
        },
    )
