"""The plan page's rendered document, cached: the status and health boxes, the contents bar and
the plan's sections (planning/_plan_body.html), never the menu, the account's tabs, flash
messages or the undo offer around it.

Why it is safe to serve:

- The key holds the plan's `content_version`, read in the same query as the plan
  (`selectors.current_plan_for_page`). Every write to something the page shows moves it, in
  the transaction of the write (planning/receivers.py and the receivers later stages connect;
  writes that bypass model signals call `services.plan_content_invalidate`). So the version
  lives in the database, and a gunicorn worker with its own memory cache can never serve a
  document older than the plan it has just read.
- It also holds a digest of the plan's row and of the facts read with it (latest approval,
  latest completed review, the programme's currency), the viewer (user id and every flag the
  page asks the permission module), the language, the time zone and today's date (health,
  overdue actions, missed engagements and target status move with the date: the reader's own,
  as on My work), and a digest of
  the project's code and templates (`common.cache.code_digest`): a document the code before
  a deploy cached is not served by the code after it, whose markup may differ.
- The forms' CSRF token is never cached: the document is rendered with a placeholder that each
  response replaces with its own token.
- The page shows no relative time ("3 minutes ago"); what moves with the clock alone (a
  workspace invitation expiring) is bounded by the entry's lifetime, PLAN_PAGE_CACHE_SECONDS.

Only the page as a plain GET is cached: an editor opened by the query string (`?edit=…`), a
form with errors or a conflict, and the quick start are rendered every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import user_time_zone, user_today
from common.cache import cache_get, cache_set, code_digest

from .models import AccountPlan

# What the plan's query reads beside its row (selectors.current_plan_for_page).
PAGE_FACTS = ("page_latest_approval_number", "page_completed_review_at", "page_currency")

_bypassed: ContextVar[bool] = ContextVar("plan_page_cache_bypassed", default=False)


@contextmanager
def bypassed() -> Iterator[None]:
    """Render the plan page as a cache miss would, neither reading nor filling the cache (the
    in-place bench compares a save with the page as it is drawn after one; the tests compare a
    cached page with a fresh one)."""
    token = _bypassed.set(True)
    try:
        yield
    finally:
        _bypassed.reset(token)


def enabled() -> bool:
    return settings.PLAN_PAGE_CACHE_SECONDS > 0 and not _bypassed.get()


def csrf_placeholder() -> str:
    """What the cached document carries for the CSRF token: derived from the secret key, so
    no text a user types can forge it (and typed text is escaped besides)."""
    return "csrf-" + salted_hmac("planning.page_cache", "csrf").hexdigest()[:32]


def cache_key(*, plan: AccountPlan, user, flags: dict[str, bool]) -> str:
    """See the module docstring."""
    row = [getattr(plan, field.attname) for field in plan._meta.concrete_fields]
    facts = [getattr(plan, name, None) for name in PAGE_FACTS]
    viewer = sorted(flags.items())
    parts = (
        row,
        facts,
        viewer,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        # The date the page is drawn for: the reader's own (accounts.selectors.user_today),
        # which a change of their time zone or midnight where they are moves.
        user_today(user).isoformat(),
        # The times it shows are the reader's clock's ("last changed"), named when not London's.
        user_time_zone(user).key,
        code_digest(),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"plan-page:{plan.pk}:{plan.content_version}:{user.pk}:{digest}"


def plan_document(request, *, plan: AccountPlan, flags: dict[str, bool], render: Callable) -> str:
    """The plan's document as HTML for this request: from the cache when it holds this key,
    else `render(csrf_token)` (kept for the next request). The request's CSRF token is put in
    either way."""
    placeholder = csrf_placeholder()
    if not enabled():
        html = render(placeholder)
    else:
        key = cache_key(plan=plan, user=request.user, flags=flags)
        html = cache_get(key)
        if html is None:
            html = render(placeholder)
            cache_set(key, html, settings.PLAN_PAGE_CACHE_SECONDS)
    return with_csrf_token(html, get_token(request))


def with_csrf_token(html: str, token: str) -> SafeString:
    # The document was rendered by our own template from escaped data: still safe.
    return mark_safe(html.replace(f'value="{csrf_placeholder()}"', f'value="{token}"'))  # noqa: S308
