"""What the discovery pages share."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import permissions
from common import inplace

PAGE_SIZE = 25
form_page = require_http_methods(["GET", "POST"])


def _context(request, account, **extra) -> dict:
    return {"account": account, **permissions.account_flags(request.user, account), **extra}


_apply_errors = inplace.add_service_errors


def _render_form(
    request, account, form, *, tab, title, cancel_url, submit="", intro="", conflict=None
):
    """The form page; with `conflict` (common.conflicts.describe_conflict) it answers 409."""
    return render(
        request,
        "discovery/form_page.html",
        _context(
            request,
            account,
            form=form,
            tab=tab,
            title=title,
            cancel_url=cancel_url,
            submit=submit or _("Save"),
            intro=intro,
            conflict=conflict,
        ),
        status=conflict.status if conflict else 200,
    )
