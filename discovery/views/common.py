"""What the discovery pages share."""

from django.views.decorators.http import require_http_methods

from accounts import permissions
from common import inplace

PAGE_SIZE = 25
form_page = require_http_methods(["GET", "POST"])


def _context(request, account, **extra) -> dict:
    return {"account": account, **permissions.account_flags(request.user, account), **extra}


_apply_errors = inplace.add_service_errors
