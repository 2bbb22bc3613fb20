"""Revisions over HTTP, on the project's one edit-conflict mechanism (`common/conflicts.py`).

Every object the API returns carries its `revision`, also sent as the response's ETag
(`"<revision>"`). A change (PATCH, or a progress update) must say which revision it changes:
`If-Match: "<revision>"` (the ETag as read), or a `revision` field in the body. The services
check it under the row lock, exactly as for a form opened on the page; a stale one raises
`EditConflict`, answered here with 412 Precondition Failed and the version saved now, so a
client can merge and send again with the new revision. Nothing is written. A change without
a revision is refused with 428 Precondition Required: never a blind overwrite.
"""

from __future__ import annotations

from rest_framework.response import Response

from common.conflicts import EditConflict

from .errors import PreconditionRequired

STALE_STATUS = 412


def etag(revision: int) -> str:
    return f'"{revision}"'


def with_etag(response: Response, revision: int) -> Response:
    response["ETag"] = etag(revision)
    return response


def _parse(value) -> int:
    """`"3"`, `W/"3"`, `3` -> 3; anything else -> -1 (no row has it, so it is refused)."""
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    try:
        number = int(text)
    except ValueError:
        return -1
    return number if number >= 0 else -1


def revision_from(request, data: dict) -> int:
    """The revision a change starts from: If-Match, else the body's `revision`; 428 if none."""
    header = request.headers.get("If-Match")
    if header and header.strip() != "*":
        return _parse(header.split(",")[0])
    if data.get("revision") not in (None, ""):
        return _parse(data["revision"])
    raise PreconditionRequired()


def stale_response(conflict: EditConflict, current_data: dict) -> Response:
    body = {
        "detail": f"{conflict.message} Nothing was saved: merge with the current version "
        "and send it again with its revision.",
        "code": "stale_revision",
        "current_revision": conflict.revision,
        "current": current_data,
    }
    return with_etag(Response(body, status=STALE_STATUS), conflict.revision)
