from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Classification
from .selectors import key_accounts_visible_to

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
