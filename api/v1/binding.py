"""The pages' forms, bound to JSON: a write through the API is validated by the very form the
page uses (text limits, the date window, choices, the account's own people and stakeholders),
then saved by the very service the page calls. No second rule set.

The form starts from what the page shows before anyone types (the object as saved, or a new
object's defaults) and the fields sent replace those values; fields the form does not have are
refused by name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext

from common.conflicts import REVISION_FIELD, RevisionField

from .errors import NON_FIELD


class BoundInput:
    def __init__(self, form: forms.BaseForm, unknown: list[str], *, not_an_object=False):
        self.form = form
        self.unknown = unknown
        self.not_an_object = not_an_object

    def errors(self) -> dict[str, list[str]] | None:
        """Field -> messages, or None when the input is valid."""
        if self.not_an_object:
            return {NON_FIELD: [gettext("Send a JSON object of fields.")]}
        problems: dict[str, list[str]] = {}
        for name in self.unknown:
            problems[name] = [gettext("There is no such field here.")]
        if not self.form.is_valid():
            for name, messages in self.form.errors.items():
                problems[NON_FIELD if name == "__all__" else name] = list(messages)
        return problems or None

    @property
    def cleaned_data(self) -> dict:
        return self.form.cleaned_data


def editable_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields a client may send (the revision travels in If-Match)."""
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if not isinstance(field, RevisionField)
    }


def _as_saved(form: forms.BaseForm) -> dict:
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, RevisionField):
            continue
        value = form[name].value()
        if isinstance(field, forms.ModelMultipleChoiceField):
            value = [getattr(item, "pk", item) for item in (value or [])]
        elif value is None:
            value = ""
        data[name] = value
    return data


def bind(
    form_class: type[forms.BaseForm],
    payload,
    *,
    revision: int | None = None,
    instance=None,
    **form_kwargs,
) -> BoundInput:
    """`form_class` bound to `payload` (a JSON object), on top of `instance` as saved."""
    not_an_object = not isinstance(payload, dict)
    if not_an_object:
        payload = {}
    if instance is not None:
        form_kwargs["instance"] = instance
    opened = form_class(**form_kwargs)
    allowed = {name for name, f in opened.fields.items() if not isinstance(f, RevisionField)}
    unknown = sorted(set(payload) - allowed - {REVISION_FIELD})
    # What the page's form shows before anyone types: the saved object, or a new one's
    # defaults (as a browser would send them).
    data = _as_saved(opened)
    for name in allowed & set(payload):
        value = payload[name]
        data[name] = "" if value is None else value
    if revision is not None:
        data[REVISION_FIELD] = revision
    return BoundInput(form_class(data=data, **form_kwargs), unknown, not_an_object=not_an_object)
