"""JSON errors, one shape everywhere: `{"detail": "...", "errors": {"field": ["..."]}}`.

`errors` appears for bad input and names each field (`non_field_errors` for the rest). Django's
own `Http404` and `PermissionDenied` (raised by `accounts/permissions.py`) keep their message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"
INVALID = _("The data sent was not accepted; see `errors`.")


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        "Send the revision you are changing: an If-Match header with the ETag you read "
        "(or a `revision` field)."
    )
    default_code = "precondition_required"


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if name == "__all__" else name): list(messages)
            for name, messages in error.message_dict.items()
        }
    return {NON_FIELD: list(error.messages)}


def invalid(errors: dict[str, list[str]]) -> Response:
    return Response({"detail": INVALID, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return invalid(field_errors(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or _("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("Your role does not allow this."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {NON_FIELD: exc.detail}
        response.data = {"detail": INVALID, "errors": data}
    return response


# Exempt from CSRF so that a stray POST answers this JSON 404 and not the site's HTML 403: the
# view writes nothing and reads no cookie-bound state, so there is nothing a forged request could
# change. The API's real endpoints keep their own checks (DRF's session authentication enforces
# CSRF on unsafe methods); this only covers addresses that match none of them.
@csrf_exempt
def no_such_endpoint(request, rest: str = "") -> HttpResponse:
    """Any other path under /api/v1/: a JSON 404, not the site's HTML page. A read of a path
    that only lacks its trailing slash is redirected to it, as everywhere on the site; a change
    is not (clients follow a 301 with a GET, so a POST or PATCH would have read the list,
    answered 200, and written nothing): its 404 names the address to send it to."""
    path = request.path
    slashed = f"{path}/"
    if not path.endswith("/") and _is_endpoint(f"{request.path_info}/"):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{slashed}?{query}" if query else slashed)
        detail = gettext(
            "There is no such endpoint: %(path)s. Every address of the API ends with a slash: "
            "send it to %(path)s/ (it is not redirected, so that a change is never turned into "
            "a read)."
        ) % {"path": path}
    else:
        detail = gettext("There is no such endpoint: %(path)s.") % {"path": path}
    return JsonResponse({"detail": detail, "code": "not_found"}, status=404)


def _is_endpoint(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is not no_such_endpoint
