"""The flow of a page that edits one thing through a form: form → service → redirect.

The view checks access first and builds the form (bound to the POST data on a POST: `posted`);
`edit_page` does the rest the same way for every app: a valid form is saved through the app's
service, then the page says so and redirects (POST/redirect/GET). An edit conflict
(`EditConflict`) shows the page again with HTTP 409, the user's input kept beside what the other
person saved (`common.conflicts`); a `ValidationError` from the service goes on the fields it
names.

This module imports no app of the project: the template and its context come from the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .conflicts import EditConflict, describe_conflict


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (else on the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def edit_page(
    request,
    form,
    *,
    save: Callable[[Any], Any],
    saved_form: Callable[[Any], Any],
    done: Callable[[Any], tuple[str, str]],
    template: str,
    context: dict,
    invalid_status: int = 200,
) -> HttpResponse:
    """`save(form)` writes the valid form through a service and returns what it saved;
    `saved_form(current)` is a form filled with the row as saved now (shown on a conflict);
    `done(saved)` gives the success message and the URL to go to. `context` is what the
    template shows besides `form` and `conflict` (title, cancel_url, submit, intro, …).
    `invalid_status` is the status of a POST sent back with its errors (some pages say 400)."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except EditConflict as exc:
            conflict = describe_conflict(exc, form=form, saved=saved_form(exc.current))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            message, url = done(saved)
            messages.success(request, message)
            return redirect(url)
    page = {"submit": _("Save"), "intro": "", **context, "form": form, "conflict": conflict}
    if conflict:
        status = conflict.status
    else:
        status = invalid_status if request.method == "POST" else 200
    return render(request, template, page, status=status)


def posted(request):
    """The data a form page's form is bound to: the POST data on a POST, else none."""
    return request.POST if request.method == "POST" else None


def save_fields(service: Callable[..., Any], **arguments) -> Callable[[Any], Any]:
    """`save` for a service that takes the form's cleaned data as `fields` and the revision the
    form was opened at as `revision` (the convention of `<entity>_save` services)."""

    def save(form):
        return service(**arguments, fields=form.cleaned_data, revision=form.opened_at)

    return save
