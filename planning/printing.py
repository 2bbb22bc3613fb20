"""The plan PDF: drawn for a request, and drawn ahead by a worker after a change.

Drawing a plan takes WeasyPrint ~140 ms of CPU on a fast host, whatever we cut from the document
(bench/README.md, findings 30–38); a PDF drawn from the same HTML is kept and served again
(common.pdf.render_pdf, `PLAN_PDF_KEEP_SECONDS`; finding 39). So that the first request after a
change finds it kept too, every step that changes a plan (its row locked by a planning service)
asks for the working plan's PDF to be drawn ahead, after the commit, on a Celery worker:
`PLAN_PDF_PREDRAW_SECONDS` after the last change of a burst (each change replaces the previous
request's token, and a task whose token was replaced draws nothing), in each language the
account's team reads. The worker draws exactly what the request would: the same template, data
and language give the same HTML, and the kept PDF is found under a digest of that HTML. Anything
else that moves what the PDF prints (a meeting, the date) is another HTML, drawn on request.

It only helps where a worker runs and the cache is shared (CACHE_URL): on the embedded default,
tasks run in the request itself, and drawing ahead would make every save wait for the PDFs.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation

from accounts.models import KeyAccount
from accounts.selectors import account_team_languages
from common.cache import cache_get, cache_is_shared, cache_set
from common.pdf import render_pdf

from . import selectors
from .models import AccountPlan
from .presentation import PRINT_STYLESHEET, PRINT_USER_AGENT_STYLESHEET, print_layout
from .signals import plan_print_lines
from .snapshot import hydrate, load_plan, plan_to_dict, relabelled

log = logging.getLogger(__name__)


def render_plan_pdf(snapshot: dict, *, lines: list[str] = ()) -> bytes:
    """The PDF of a plan snapshot (live, approved version, review snapshot or customer version).
    `lines`: facts of later stages for the header (signals.plan_print_lines), internal PDFs
    only."""
    snapshot = relabelled(snapshot)  # a frozen version's labels in the reader's language
    layout = print_layout(snapshot)
    return render_pdf(
        "planning/plan_print.html",
        {
            "doc": hydrate(snapshot),
            "layout": hydrate(layout),
            "lines": [] if layout["customer"] else list(lines),
        },
        stylesheets=(PRINT_STYLESHEET,),
        user_agent_stylesheet=PRINT_USER_AGENT_STYLESHEET,
        keep_seconds=settings.PLAN_PDF_KEEP_SECONDS,
    )


def working_plan_pdf(plan: AccountPlan, *, today: date | None = None) -> bytes:
    """The working plan's PDF (`/accounts/<id>/plan.pdf`, no version asked), in the active
    language, "as of" `today`: the reader's date (accounts.selectors.user_today), as the plan
    page draws it; the worker that draws it ahead uses the programme's, so a reader on another
    date gets a PDF of their own (kept PDFs are keyed by their HTML)."""
    today = today or timezone.localdate()
    lines = plan_print_lines(account_id=plan.key_account_id, today=today)
    return render_plan_pdf(plan_to_dict(load_plan(plan), today=today), lines=lines)


# ---- drawing ahead ------------------------------------------------------------------------


def predraw_enabled() -> bool:
    """Drawing ahead needs a worker of its own (not tasks run in the request), a cache the web
    servers share with it, and kept PDFs."""
    return (
        settings.PLAN_PDF_PREDRAW_SECONDS > 0
        and settings.PLAN_PDF_KEEP_SECONDS > 0
        and not current_app.conf.task_always_eager
        and cache_is_shared()
    )


def _token_key(plan_id: int) -> str:
    return f"plan-pdf-predraw:{plan_id}"


# Sent after the commit of a step that changed a plan (plan_id): planning.tasks queues the
# drawing (the tasks call this module, never the other way round).
plan_pdf_changed = Signal()


def plan_pdf_predraw_after_commit(plan_id: int) -> None:
    """A step is changing this plan: once it commits, have its PDF drawn ahead. Nothing when
    the step rolls back, nor when drawing ahead is off (predraw_enabled)."""
    if predraw_enabled():
        transaction.on_commit(
            lambda: plan_pdf_changed.send(sender=AccountPlan, plan_id=plan_id), robust=True
        )


def plan_pdf_predraw_token(plan_id: int) -> str:
    """A new token for the plan's next drawing ahead: a task queued for an earlier change of
    the burst then sees its own replaced and draws nothing. Kept past the task's delay with
    room for a busy queue."""
    token = secrets.token_hex(8)
    cache_set(
        _token_key(plan_id),
        token,
        settings.PLAN_PDF_PREDRAW_SECONDS + settings.PLAN_PDF_KEEP_SECONDS,
    )
    return token


def plan_pdf_predraw(*, plan_id: int, token: str) -> int:
    """The worker's task: plan_pdf_draw_ahead, unless a later change queued its own drawing
    (`token` replaced). Returns how many languages were drawn."""
    if cache_get(_token_key(plan_id)) != token:
        return 0
    return plan_pdf_draw_ahead(plan_id=plan_id)


def plan_pdf_draw_ahead(*, plan_id: int) -> int:
    """Draw the working plan's PDF in each language its account's team reads, so that their
    requests find it kept; nothing when the plan is no longer its account's current plan.
    Returns how many languages were drawn (a PDF already kept costs its HTML only)."""
    account = (
        KeyAccount.objects.select_related("customer")
        .filter(plans__pk=plan_id, plans__is_current=True)
        .first()
    )
    plan = selectors.current_plan(account=account) if account is not None else None
    if plan is None or plan.pk != plan_id:
        return 0
    languages = account_team_languages(account_id=account.pk)
    for language in languages:
        with translation.override(language):
            working_plan_pdf(plan)
    log.info("plan %s: PDF drawn ahead in %s", plan_id, ", ".join(languages))
    return len(languages)
