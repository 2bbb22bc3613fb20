"""In-place editing with htmx: what every page edited in place shares (issue #19).

A page edited in place is made of blocks: an element with an id that carries
`data-hx-target="this" data-hx-swap="outerHTML"` (htmx reads the data- prefix, which keeps the
HTML valid), drawn by a partial that the full page includes. Its "Edit"/"Add …" links and its
forms keep their plain `href`/`action` and also carry `data-hx-get`/`data-hx-post` to the same
URLs. The view answers:

- without JavaScript: the whole page (the form open in it) or, after a save, a redirect;
- to htmx (`HX-Request`, and `HX-Target` naming one of its blocks): that block alone, the
  same partial, with the form open (focus in its first field, or the first field in error),
  the errors and the typed text kept (HTTP 200), an edit conflict (HTTP 409), or after a save
  the block redrawn and the save announced in the page's live region (`HX-Trigger`, read by
  static/js/inplace.js).

`edit_in_place` plays that for one form; `page_or_fragment` answers with the whole page or the
block. The plan page (planning.views.page) has its own registry of editors and uses the pieces
below. The form is drawn by `common/_inplace_form.html`.

This module imports no app of the project.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from .conflicts import EditConflict, describe_conflict
from .form_pages import apply_errors

ANNOUNCE_EVENT = "kam:announce"
# The request headers that choose between a whole page and one of its blocks: every GET answer
# varies on them (kam.middleware.VaryOnFragmentMiddleware).
FRAGMENT_HEADERS = ("HX-Request", "HX-Target")


def fragment_target(request, blocks: Iterable[str]) -> str | None:
    """The block an htmx request asks for (one of `blocks`), or None for a whole page."""
    if request.headers.get("HX-Request") != "true":
        return None
    target = request.headers.get("HX-Target", "")  # both in FRAGMENT_HEADERS
    return target if target in blocks else None


def row_target(request, prefix: str) -> int | None:
    """The row an htmx request asks for, when its block is one row of a list (`HX-Target:
    <prefix><id>`, a `<tbody>` drawn by the row's own partial): that row's id, else None."""
    if request.headers.get("HX-Request") != "true":
        return None
    target = request.headers.get("HX-Target", "")  # both in FRAGMENT_HEADERS
    rest = target.removeprefix(prefix)
    return int(rest) if rest != target and rest.isdigit() else None


def current_query(request) -> dict[str, str]:
    """The query of the page an htmx request comes from (its list page, its filter), so that
    the block redrawn shows the same page of the list; a plain request's own query."""
    url = request.headers.get("HX-Current-URL") if request.headers.get("HX-Request") else None
    if not url:
        return {key: request.GET.get(key, "") for key in request.GET}
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def focus_first_field(form) -> None:
    """The form opens with focus in its first field (the first one in error after a failed
    save): `autofocus` works on a full page load without JavaScript and after an htmx swap."""
    # Not a group of radios or checkboxes: each of its inputs would carry `autofocus`, and a
    # page may have only one.
    names = [
        name
        for name, field in form.fields.items()
        if not field.widget.is_hidden and not isinstance(field.widget, forms.RadioSelect)
    ]
    first = next((name for name in names if name in form.errors), names[0] if names else None)
    if first is not None:
        form.fields[first].widget.attrs["autofocus"] = True


def editor(
    form,
    *,
    url: str,
    cancel_url: str = "",
    mode: str = "edit",
    pk: int | None = None,
    conflict=None,
    add_another: bool = False,
    focus: bool = True,
    **extra: Any,
) -> dict:
    """What `common/_inplace_form.html` draws: the form, where it posts, where Cancel goes."""
    if focus:
        focus_first_field(form)
    return {
        "form": form,
        "url": url,
        "cancel_url": cancel_url,
        "mode": mode,
        "pk": pk,
        "conflict": conflict,
        "add_another": add_another,
        **extra,
    }


def fragment_response(
    request,
    templates: Iterable[str],
    context: dict,
    *,
    status: int = 200,
    announce: str = "",
    events: dict | None = None,
) -> HttpResponse:
    """The partials of a block (and any parts swapped out of band), with the save announced.
    `events`: more client events for static/js/inplace.js (`HX-Trigger`), name → detail.

    A fragment has no page chrome, so it is drawn without the context processors (navigation,
    unread notifications): the one thing its forms need from them is the CSRF token."""
    context = {**context, "csrf_token": get_token(request), "announce": announce, "oob": True}
    html = "".join(render_to_string(template, context) for template in templates)
    response = HttpResponse(html, status=status)
    triggers = {**(events or {})}
    if announce:
        triggers[ANNOUNCE_EVENT] = str(announce)
    if triggers:
        response["HX-Trigger"] = json.dumps(triggers)
    return response


def page_or_fragment(
    request,
    page_template: str,
    partials: Iterable[str],
    context: dict,
    *,
    fragment: bool,
    status: int = 200,
    announce: str = "",
) -> HttpResponse:
    """What a page edited in place answers: with `fragment` (an htmx request for one of its
    blocks) the block's partials alone, the save announced; otherwise the whole page, which
    includes the same partials (a save without JavaScript is announced by a message)."""
    if fragment:
        return fragment_response(request, partials, context, status=status, announce=announce)
    return render(request, page_template, context, status=status)


# One home for putting a service's ValidationError on a form (common.form_pages).
add_service_errors = apply_errors


def edit_in_place(
    request,
    *,
    block: str,
    render: Callable[..., HttpResponse],
    form: Callable[..., Any],
    save: Callable[[Any], Any],
    done: Callable[[Any], str],
    redirect_to: Callable[[Any], str],
    cancel_url: str,
    saved_form: Callable[[Any], Any],
    mode: str,
    pk: int | None = None,
    add_another: bool = False,
    render_saved: Callable[[Any, str], HttpResponse] | None = None,
) -> HttpResponse:
    """One in-place editor's GET (the form open) and POST (the save), for pages built of
    blocks. `form(data=None)` builds the form (bound when `data` is given); `save(form)`
    writes through the app's service and returns what it saved, raising `EditConflict` or
    `ValidationError`; `saved_form(current)` is the form holding the other person's version
    (for the conflict answer); `done(saved)` is the sentence announced;
    `redirect_to(saved)` is where a save without JavaScript goes. `render(editing=, status=,
    announce=, fragment=)` draws the whole page, or the block alone when `fragment` is True.
    `render_saved(saved, announce)`, if given, answers a save in place instead of `render`:
    a block that is one row drawn from the row as saved (no list read again).
    """
    fragment = fragment_target(request, [block]) is not None
    conflict = None
    if request.method == "POST":
        bound = form(data=request.POST)
        if bound.is_valid():
            try:
                saved = save(bound)
            except EditConflict as error:
                theirs = saved_form(error.current)
                conflict = describe_conflict(error, form=bound, saved=theirs)
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                announce = done(saved)
                another = mode == "add" and add_another and "another" in request.POST
                if not fragment:
                    messages.success(request, announce)
                    if another:
                        return redirect(request.path)
                    return redirect(redirect_to(saved))
                if render_saved is not None and not another:
                    return render_saved(saved, announce)
                fresh = None
                if another:
                    fresh = editor(
                        form(), url=request.path, cancel_url=cancel_url, mode=mode,
                        add_another=True,
                    )  # fmt: skip
                return render(editing=fresh, status=200, announce=announce, fragment=True)
    else:
        bound = form()
    editing = editor(
        bound,
        url=request.path,
        cancel_url=cancel_url,
        mode=mode,
        pk=pk,
        conflict=conflict,
        add_another=add_another and mode == "add",
    )
    status = conflict.status if conflict else 200
    return render(editing=editing, status=status, announce="", fragment=fragment)
