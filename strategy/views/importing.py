"""Importing customers from a CSV file: upload, preview, confirm (once)."""

import secrets
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import permissions

from .. import services
from ..customer_import import MONEY_COLUMNS, read_customer_csv
from ..forms import CustomerImportForm
from .base import _rescore_message

IMPORT_SESSION_KEY = "accounts_customer_import"
IMPORT_DONE_SESSION_KEY = "accounts_customer_import_done"  # the last confirmed preview


def _preview_to_session(preview, filename: str) -> dict:
    return {
        "token": secrets.token_urlsafe(16),
        "filename": filename,
        # Scores stay numbers (JSON keys become text: criterion ids are read back as ints).
        "rows": [
            {k: v if k == "scores" else str(v) for k, v in row.items()} for row in preview.rows
        ],
        "score_columns": preview.score_columns,
        "absent_columns": preview.absent_columns,
        "bad_rows": [[b.line, b.reference, b.reason] for b in preview.bad_rows],
        "same_names": [
            [n.line, n.reference, n.name, n.existing_reference, n.earlier_line]
            for n in preview.same_names
        ],
        "ignored_columns": preview.ignored_columns,
        "unknown_score_columns": preview.unknown_score_columns,
        "new_count": preview.new_count,
        "update_count": preview.update_count,
    }


def _rows_from_session(stored: dict) -> list[dict]:
    rows = []
    for stored_row in stored["rows"]:
        row = {k: Decimal(v) if k in MONEY_COLUMNS else v for k, v in stored_row.items()}
        row["scores"] = {int(pk): score for pk, score in stored_row.get("scores", {}).items()}
        rows.append(row)
    return rows


@login_required
def customer_import(request):
    """Upload: read and check the file, keep the good rows in the session, show the preview."""
    permissions.require(permissions.can_manage_customers(request.user))
    form = CustomerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = read_customer_csv(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            stored = _preview_to_session(preview, upload.name)
            request.session[IMPORT_SESSION_KEY] = stored
            return _render_preview(request, stored)
    return render(request, "strategy/customer_import.html", {"form": form})


def _render_preview(request, stored: dict, error: str = ""):
    return render(
        request,
        "strategy/customer_import_preview.html",
        {
            "stored": stored,
            "good_count": len(stored["rows"]),
            "sample": _rows_from_session({"rows": stored["rows"][:10]}),
            "bad_rows": stored["bad_rows"],
            "error": error,
        },
    )


def _import_still_pending(request, token: str) -> bool:
    """Is this preview still waiting, as the session is saved now (not as this request read it
    when it began: a first click on confirm may have imported it since)?"""
    saved = type(request.session)(request.session.session_key).get(IMPORT_SESSION_KEY)
    return bool(saved) and saved["token"] == token


def _import_gone(request, token: str | None):
    """The preview is no longer waiting: imported by an earlier click, or expired."""
    saved = type(request.session)(request.session.session_key)
    done = saved.get(IMPORT_DONE_SESSION_KEY)
    if token and done and done["token"] == token:
        messages.info(
            request,
            _(
                "%(filename)s was already imported (confirmed twice?): nothing more was "
                "changed. The customers are listed below."
            )
            % {"filename": done["filename"]},
        )
        return redirect("strategy:customer_list")
    messages.error(request, _("That import preview has expired. Upload the file again."))
    return redirect("strategy:customer_import")


@login_required
@require_POST
def customer_import_confirm(request):
    """Import the previewed rows, once: a second click (double-click, reload) while or after
    the first runs waits for it and then says the file was already imported."""
    permissions.require(permissions.can_manage_customers(request.user))
    token = request.POST.get("token")
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or token != stored["token"]:
        return _import_gone(request, token)
    if stored["bad_rows"] and request.POST.get("skip_bad") != "1":
        return _render_preview(
            request,
            stored,
            error=_(
                "Tick 'Skip the bad rows' to import the good rows, or fix the file and "
                "upload it again."
            ),
        )
    with transaction.atomic():
        # Imports take turns; the session (saved in the database) says whether an earlier click
        # imported this preview while this one waited. The preview leaves the session in the
        # same transaction as the import, so the two cannot disagree.
        services.customers_import_serialise()
        if not _import_still_pending(request, token):
            return _import_gone(request, token)
        try:
            result = services.customers_import(
                rows=_rows_from_session(stored),
                acting_user=request.user,
                source=stored["filename"],
            )
        except ValidationError as error:
            del request.session[IMPORT_SESSION_KEY]
            request.session.save()
            messages.error(request, " ".join(error.messages))
            return redirect("strategy:customer_import")
        del request.session[IMPORT_SESSION_KEY]
        request.session[IMPORT_DONE_SESSION_KEY] = {"token": token, "filename": stored["filename"]}
        request.session.save()
    skipped = len(stored["bad_rows"])
    counts = {
        "filename": stored["filename"],
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": skipped,
    }
    if skipped:
        text = ngettext(
            "Imported %(filename)s: %(created)s new, %(updated)s updated, %(unchanged)s "
            "unchanged, %(skipped)s bad row skipped.",
            "Imported %(filename)s: %(created)s new, %(updated)s updated, %(unchanged)s "
            "unchanged, %(skipped)s bad rows skipped.",
            skipped,
        )
    else:
        text = _(
            "Imported %(filename)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged."
        )
    text = text % counts
    if stored.get("score_columns"):
        text += " " + ngettext(
            "Selection scores changed for %(count)s customer; %(result)s",
            "Selection scores changed for %(count)s customers; %(result)s",
            result.scores_changed,
        ) % {"count": result.scores_changed, "result": _rescore_message(result.rescore)}
    messages.success(request, text)
    return redirect("strategy:customer_list")
