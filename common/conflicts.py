"""Edit conflicts: one revision convention, one exception, one 409 page.

The convention
--------------
Every row people edit from a form carries an integer ``revision`` (0 when created). A form
opened on it carries that number in a hidden ``RevisionField``. The service that saves the edit

1. re-reads the row under a lock and compares: ``current = lock_for_edit(row, revision)``,
   which raises ``EditConflict`` when the form was opened at another revision;
2. writes, moving the counter on in the same transaction: ``bump_revision(current)``.

The lock (``SELECT ... FOR UPDATE``) makes two saves at the same moment take turns on
PostgreSQL: the second waits, then finds the counter moved and gets the conflict, so nobody's
edit is lost silently. ``revision=None`` means "not started from a form" (demo data, jobs, the
API) and skips the check. A row edited in parts with their own counters (the sections of a
plan) passes the part's counter to ``check_revision(..., saved=...)``.

The page
--------
A view catching ``EditConflict`` answers with ``conflict_response`` (or, when the page has its
own renderer, passes ``describe_conflict(...)`` and its ``status`` to it). The page is shown
again with HTTP 409: the user's input stays in the form, now carrying the saved revision so a
second save replaces the other version knowingly, and ``common/_conflict.html`` lists each
field that differs: what the other person saved beside what this user typed.

This module imports no app of the project.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models.query import MAX_GET_RESULTS
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .compiled import CompiledOnce
from .formats import number as format_number

CONFLICT_STATUS = 409
REVISION_FIELD = "revision"
DEFAULT_MESSAGE = _("Someone else saved this while you were editing.")
EMPTY = "—"

Message = str | Callable[[Any], str]


class EditConflict(Exception):
    """Someone saved the same thing after this user's form was opened. Nothing was written.

    `current` is the row as it is saved now, `revision` its revision (what a form must carry
    to replace it knowingly), `message` the sentence shown to the user.
    """

    def __init__(self, current, *, revision: int, message: str = DEFAULT_MESSAGE):
        message = str(message)  # a lazy text is read in the language of the request
        super().__init__(message)
        self.current = current
        self.revision = revision
        self.message = message


class RevisionField(forms.IntegerField):
    """The revision a form was opened at, sent back hidden. Empty: the save is not checked."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class RevisionFormMixin:
    """For a ModelForm that declares a `RevisionField`: opened on a saved row it carries the
    row's revision (a form for a new row carries none); `opened_at` is what it was opened at."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            name = revision_field_name(self)
            self.initial.setdefault(name, getattr(instance, REVISION_FIELD))

    @property
    def opened_at(self) -> int | None:
        return self.cleaned_data.get(revision_field_name(self))


# ---- services --------------------------------------------------------------------------------


def check_revision(
    current, revision: int | None, *, saved: int | None = None, message: Message = DEFAULT_MESSAGE
) -> None:
    """Raise `EditConflict` unless `revision` (what the form started from) is the saved one.

    `current` must have been read under a lock in this transaction (see `lock_for_edit`).
    `saved` overrides `current.revision` for things edited in parts with their own counters.
    """
    saved = getattr(current, REVISION_FIELD) if saved is None else saved
    if revision is not None and int(revision) != saved:
        text = message(current) if callable(message) else message
        raise EditConflict(current, revision=saved, message=text)


def lock_for_edit(
    instance: models.Model,
    revision: int | None,
    *,
    queryset: models.QuerySet | None = None,
    message: Message = DEFAULT_MESSAGE,
):
    """The saved row of `instance`, locked until the transaction ends, if nobody saved it
    since `revision`; otherwise `EditConflict`. `queryset` may add `select_related`."""
    model = type(instance)
    if queryset is None and _lockable_compiled(model, instance.pk):
        rows = _locked_row(model)(instance.pk)
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        [current] = rows
    else:
        if queryset is None:
            queryset = model._default_manager.all()
        current = queryset.select_for_update(of=("self",)).get(pk=instance.pk)
    check_revision(current, revision, message=message)
    return current


def _lockable_compiled(model: type[models.Model], pk) -> bool:
    """Whether the plain lock of `model`'s row `pk` may be sent precompiled (_locked_row): an
    integer key inside a transaction (outside one, the ORM answers as it always did)."""
    return (
        type(pk) is int
        and isinstance(model._meta.pk, models.AutoField)
        and not connections[router.db_for_write(model)].get_autocommit()
    )


@functools.cache
def _locked_row(model: type[models.Model]):
    """lock_for_edit's statement for `model` (as `.select_for_update(of=("self",)).get(pk=)`
    on its default manager), compiled once per process: compiling it was two thirds of the
    lock's CPU (bench/README.md, finding 43)."""

    def build(pk: int) -> models.QuerySet:
        rows = model._default_manager.select_for_update(of=("self",)).filter(pk=pk).order_by()
        features = connections[rows.db].features
        return rows[:MAX_GET_RESULTS] if features.supports_select_for_update_with_limit else rows

    return CompiledOnce(model, build, params=lambda pk: (pk,))


def bump_revision(instance: models.Model) -> str:
    """Move the revision on (the row is locked, so a plain increment loses nothing; an F()
    expression would also reach the history row, which cannot store one). Returns the field
    name, for `save(update_fields=[...])`."""
    setattr(instance, REVISION_FIELD, getattr(instance, REVISION_FIELD) + 1)
    return REVISION_FIELD


# ---- the Django admin ------------------------------------------------------------------------


class RevisionAdminMixin:
    """Put before `admin.ModelAdmin` for a model with a `revision`: admin saves take part in
    the same check as the app's forms.

    The change form carries the revision it was opened at (hidden, like the app's forms); the
    counters themselves (`revision_fields`) are not editable, so nobody can move one back. A
    save from a form opened before someone else saved is refused with a form error that lists
    their saved values (the input stays, now carrying the saved revision: saving again replaces
    theirs knowingly). A save moves the revision on, so an app form open meanwhile gets the
    conflict. The admin saves inside a transaction, so the row stays locked from the check to
    the write. Counters of a row edited in parts: override `revisions_moved`.
    """

    revision_fields: tuple[str, ...] = (REVISION_FIELD,)

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), *self.revision_fields)

    def get_readonly_fields(self, request, obj=None):
        shown = super().get_readonly_fields(request, obj)
        return [name for name in shown if name not in self.revision_fields]

    def get_fieldsets(self, request, obj=None):
        """Declared fieldsets get the hidden revision too (the admin renders only those)."""
        fieldsets = list(super().get_fieldsets(request, obj))
        names = {
            name
            for _title, options in fieldsets
            for entry in options.get("fields", ())
            for name in (entry if isinstance(entry, list | tuple) else (entry,))
        }
        if obj is not None and fieldsets and REVISION_FIELD not in names:
            title, options = fieldsets[0]
            fields = (*options.get("fields", ()), REVISION_FIELD)
            fieldsets[0] = (title, {**options, "fields": fields})
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (_AdminRevisionForm, form), {})

    def save_model(self, request, obj, form, change):
        if change:
            self.revisions_moved(obj, getattr(form, "saved_row", None) or obj)
        super().save_model(request, obj, form, change)

    def revisions_moved(self, obj, saved) -> None:
        """Set the counters of `obj` (about to be saved) past those of `saved` (the row as
        saved now, locked)."""
        setattr(obj, REVISION_FIELD, getattr(saved, REVISION_FIELD) + 1)


class RevisionInlineMixin:
    """Put before `admin.TabularInline` (or StackedInline) for a model with a `revision`: each
    row carries the revision it was opened at (hidden) and is checked like a change form — a
    row changed or deleted on a stale page is refused with a form error listing the saved
    values (rows left alone are not checked: they are not saved). Its counters are not
    editable, and a changed row moves its revision on, so an app form open on it gets the
    conflict."""

    revision_fields: tuple[str, ...] = (REVISION_FIELD,)

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), *self.revision_fields)

    def get_readonly_fields(self, request, obj=None):
        shown = super().get_readonly_fields(request, obj)
        return [name for name in shown if name not in self.revision_fields]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (_InlineRevisionForm, formset.form), {})
        return formset


class _AdminRevisionForm(forms.ModelForm):
    revision = RevisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault(REVISION_FIELD, getattr(self.instance, REVISION_FIELD))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        saved = rows.first()
        if saved is None:
            raise ValidationError(gettext("Someone else deleted this while you were editing."))
        self.saved_row = saved
        try:
            check_revision(saved, cleaned.get(REVISION_FIELD))
        except EditConflict as conflict:
            theirs = type(self)(instance=saved)
            rows = _differing_rows(self, theirs)
            carry_revision(self, conflict.revision)
            # "Title: Grow share; Due: 1 Mar 2027" (French: no-break spaces before : and ;).
            listed = pgettext("between the items of a list", "; ").join(
                gettext("%(name)s: %(value)s") % {"name": row.label, "value": row.theirs}
                for row in rows
            )
            raise ValidationError(
                gettext(
                    "%(message)s Their saved values: %(values)s. "
                    "Your input is kept: save again to replace their version."
                )
                % {
                    "message": conflict.message,
                    "values": listed or gettext("the same as yours"),
                }
            ) from None
        return cleaned


class _InlineRevisionForm(_AdminRevisionForm):
    def _touched(self) -> bool:
        return any(name != REVISION_FIELD for name in self.changed_data)

    def clean(self):
        if self.instance.pk is not None and not self._touched():
            return super(_AdminRevisionForm, self).clean()  # left alone: not saved, not checked
        return super().clean()

    def save(self, commit=True):
        if self.instance.pk is not None and self._touched():
            saved = getattr(self, "saved_row", None) or self.instance
            setattr(self.instance, REVISION_FIELD, getattr(saved, REVISION_FIELD))
            bump_revision(self.instance)
        return super().save(commit)


# ---- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    yours: str


@dataclass
class ConflictDetails:
    """What `common/_conflict.html` shows."""

    message: str
    current: Any
    revision: int
    rows: list[ConflictRow] = field(default_factory=list)
    saved_by: Any = None
    saved_at: datetime | None = None
    status: int = CONFLICT_STATUS
    theirs_title: str = _("Their saved version")
    yours_title: str = _("What you typed (not saved yet)")
    same_text: str = _("They saved the same values you typed.")
    advice: str = _(
        "Your input is kept in the form. Merge what you need from their version, then save "
        "again to replace it, or cancel to keep theirs."
    )


def describe_conflict(
    conflict: EditConflict,
    *,
    form: forms.BaseForm,
    saved: forms.BaseForm,
    extra_rows: Iterable[tuple[str, str, str]] = (),
) -> ConflictDetails:
    """Prepare `form` (the user's input) for a knowing second save and compare it with `saved`
    (the same form opened on the version saved now).

    `extra_rows` are (label, theirs, yours) texts for what the form's fields do not hold
    (e.g. a quote's lines); like the fields, only those that differ are listed.
    """
    carry_revision(form, conflict.revision)
    rows = _differing_rows(form, saved)
    rows += [ConflictRow(*row) for row in extra_rows if _norm(row[1]) != _norm(row[2])]
    current = conflict.current
    return ConflictDetails(
        message=conflict.message,
        current=current,
        revision=conflict.revision,
        rows=rows,
        saved_by=getattr(current, "updated_by", None),
        saved_at=getattr(current, "updated_at", None),
    )


def conflict_response(
    request,
    template_name: str,
    context: dict,
    *,
    conflict: EditConflict,
    form: forms.BaseForm,
    saved: forms.BaseForm,
    extra_rows: Iterable[tuple[str, str, str]] = (),
):
    """The edit page again, with HTTP 409 and the conflict in the context as `conflict`."""
    details = describe_conflict(conflict, form=form, saved=saved, extra_rows=extra_rows)
    return render(request, template_name, {**context, "conflict": details}, status=details.status)


# ---- decisions -------------------------------------------------------------------------------
# A decision button (approve, refuse, return, decide, cancel, complete…) acts on something
# another person can change. Its form carries the revision its page showed (hidden
# `revision`); the service checks it under the row lock like an edit (`lock_for_edit` /
# `check_revision`), and a decision taken from a page that no longer shows what is stored
# is refused: nothing is applied, and the answer shows what the page showed beside what is
# stored now, so the decision is always of the version the person saw.

DECISION_MESSAGE = _(
    "This changed after your page was loaded, so your decision was not applied: look at "
    "the version saved now and decide again."
)
NOT_RECORDED = _("(not recorded)")


def decision_revision(request, name: str = REVISION_FIELD) -> int | None:
    """The revision a decision's page showed, as its form sent it back. Missing: None (the
    caller did not start from a page). Unreadable: -1, which no row has, so it is refused."""
    raw = (request.POST.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return -1


def seen_version(current: models.Model, revision: int | None):
    """The row as it was when it reached `revision` (its first history row at that revision,
    for a model with django-simple-history), or None when history does not hold it. The first:
    a save that writes first and moves the counter after (a plan section) leaves a row of the
    new text still at the old revision."""
    history = getattr(current, "history", None)
    if revision is None or history is None or not hasattr(history, "filter"):
        return None
    record = history.filter(**{REVISION_FIELD: revision}).order_by("history_date", "pk").first()
    return None if record is None else record.instance


def decision_conflict_response(
    request,
    conflict: EditConflict,
    *,
    seen_revision: int | None,
    shown: Iterable[tuple[str, Callable[[Any], Any]]],
    what: str,
    back_url: str,
    context: dict | None = None,
    seen: Any = None,
    typed: forms.BaseForm | None = None,
):
    """HTTP 409 for a stale decision: `shown` are (label, value of a row) of what the page
    showed; each that differs is listed as the page showed it (from history, or `seen` when the
    caller knows it better) beside what is stored now. `what` names the thing ("the plan",
    "quote Q-2026-0003"). `typed`: the decision's bound form, whose words (a comment, a
    reason) the page gives back to copy, since nothing was applied."""
    details = describe_decision_conflict(
        conflict, seen_revision=seen_revision, shown=shown, seen=seen
    )
    return render(
        request,
        "common/decision_conflict.html",
        {
            **(context or {}),
            "conflict": details,
            "what": what,
            "back_url": back_url,
            "typed": typed_in(typed) if typed is not None else [],
        },
        status=details.status,
    )


def typed_in(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(label, value) of each visible field the person filled on a bound form, as the form
    showed it: its label, a choice by its label, a chosen record by its name."""
    typed = []
    for bound in form:
        if bound.is_hidden:
            continue
        value = str(form.data.get(bound.html_name, "") or "")
        if not value.strip():
            continue
        field = bound.field
        if isinstance(field, forms.ModelChoiceField):
            chosen = field.queryset.filter(pk=value).first() if value.isdigit() else None
            value = str(chosen) if chosen is not None else value
        elif isinstance(field, forms.ChoiceField):
            value = str(dict(field.choices).get(value, value))
        typed.append((str(bound.label), value))
    return typed


def describe_decision_conflict(
    conflict: EditConflict,
    *,
    seen_revision: int | None,
    shown: Iterable[tuple[str, Callable[[Any], Any]]],
    seen: Any = None,
) -> ConflictDetails:
    """What a stale decision's answer lists (decision_conflict_response's page, or the block
    of a page edited in place, common/inplace.py). `seen`: the row as the page showed it, when
    the caller knows it (a value that moved without moving the revision); else from history."""
    current = conflict.current
    if seen is None:
        seen = seen_version(current, seen_revision)
    rows = []
    for label, value in shown:
        now = _plain(value(current))
        then = str(NOT_RECORDED) if seen is None else _plain(value(seen))
        if _norm(now) != _norm(then):
            rows.append(ConflictRow(label=label, theirs=now, yours=then))
    details = ConflictDetails(
        message=conflict.message,
        current=current,
        revision=conflict.revision,
        rows=rows,
        saved_by=getattr(current, "updated_by", None),
        saved_at=getattr(current, "updated_at", None),
        theirs_title=gettext("Saved now"),
        yours_title=gettext("What your page showed"),
        same_text=gettext("What your page showed looks the same, but it was saved again since."),
        advice=gettext("Nothing was applied. Open the version saved now and decide again."),
    )
    return details


def _plain(value) -> str:
    if value in (None, "", [], ()):
        return EMPTY
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(shown, "SHORT_DATE_COMMA_TIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        # As the pages write it, in the reader's format: '45' and '1,250.5' ('1 250,5' in
        # French), not the stored '45.00' (a plan's conflict page read '45.00 %').
        return format_number(value.quantize(1) if value == value.to_integral_value() else value)
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def revision_field_name(form: forms.BaseForm) -> str:
    for name, form_field in form.fields.items():
        if isinstance(form_field, RevisionField):
            return name
    return REVISION_FIELD


def carry_revision(form: forms.BaseForm, revision: int) -> None:
    """Keep what the user typed, with the saved revision in place of the stale one."""
    data = form.data.copy()
    data[form.add_prefix(revision_field_name(form))] = revision
    form.data = data


def _differing_rows(form: forms.BaseForm, saved: forms.BaseForm) -> list[ConflictRow]:
    rows = []
    for name, form_field in form.fields.items():
        if form_field.widget.is_hidden or name not in saved.fields:
            continue
        theirs = _cleaned(form_field, saved[name].value())
        yours = _cleaned(form_field, form[name].value())
        if _norm(theirs) != _norm(yours):
            rows.append(
                ConflictRow(
                    label=str(form[name].label),
                    theirs=_shown(form_field, theirs),
                    yours=_shown(form_field, yours),
                )
            )
    return rows


def _cleaned(form_field: forms.Field, value):
    """The value as the field would save it, so "3" and 3, or a pk and its row, compare equal."""
    try:
        return form_field.clean(value)
    except (ValidationError, TypeError, ValueError):
        return value


def _norm(value):
    if value in (None, "", [], ()):
        return None
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip() or None
    if isinstance(value, models.Model):
        return (type(value), value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(_norm(item)) for item in value) or None
    return value


def _shown(form_field: forms.Field, value) -> str:
    is_choice = isinstance(form_field, forms.ChoiceField) and not isinstance(
        form_field, forms.ModelChoiceField
    )
    if is_choice:
        labels = _choice_labels(form_field)
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(v), str(v)) for v in value) or EMPTY
        return labels.get("" if value is None else str(value)) or (
            EMPTY if value in (None, "") else str(value)
        )
    if value in (None, "", [], ()):
        empty_label = getattr(form_field, "empty_label", None)  # e.g. "No sponsor"
        return str(empty_label) if empty_label and "-" not in str(empty_label) else EMPTY
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(str(item) for item in value) or EMPTY
    return _plain(value)


def _choice_labels(form_field: forms.ChoiceField) -> dict[str, str]:
    labels = {}
    for key, label in form_field.choices:
        if isinstance(label, list | tuple):  # a group of choices
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels
