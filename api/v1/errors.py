"""JSON errors, one shape everywhere: `{"detail": "...", "errors": {"field": ["..."]}}`.

`errors` appears for bad input and names each field (`non_field_errors` for the rest). Django's
own `Http404` and `PermissionDenied` (raised by `accounts/permissions.py`) keep their message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
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
