"""The form renderer (settings.FORM_RENDERER): Django's own, with its `<select>`, `<input>` and
`<textarea>` drawn in Python.

Django draws a select through its template, and each option through an `{% include %}` of
`select_option.html`, which includes `attrs.html`: two templates per option. That is ~0.1 ms
per option on the bench host, so the meeting editor's time-zone list (597 zones) cost more
than the whole meeting page, and the stakeholder form's five short lists (roles, the owner,
the reports-to person) two fifths of drawing it; an input is three templates (`text.html`,
`input.html`, `attrs.html`), ~0.3 ms (bench/README.md, finding 57). This renderer writes the
same markup, byte for byte, from the same context (`widget.optgroups`, its value and
attributes, escaped and localized as the templates do); any other widget, and a select whose
options use another template, is drawn by Django's templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Select, Textarea
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = Select.template_name  # django/forms/widgets/select.html
OPTION_TEMPLATE = Select.option_template_name  # django/forms/widgets/select_option.html
TEXTAREA_TEMPLATE = Textarea.template_name  # django/forms/widgets/textarea.html
# The input widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


class FormRenderer(DjangoTemplates):
    """Django's default renderer (its own engine, templates cached once per process), with
    `<select>`, `<input>` and `<textarea>` drawn in Python."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"]).strip()
        if template_name == TEXTAREA_TEMPLATE:
            return _textarea(context["widget"]).strip()
        if template_name == SELECT_TEMPLATE:
            groups = context["widget"]["optgroups"]
            options = (option for _, group, _ in groups for option in group)
            if all(option["template_name"] == OPTION_TEMPLATE for option in options):
                return _select(context["widget"], groups).strip()
        return super().render(template_name, context, request=request)


# What the templates' `{{ … }}` does: localize, then escape unless marked safe. The renderer's
# templates render with a plain Context (autoescape on, no request), as below.
_CONTEXT = Context(autoescape=True)


def _value(value) -> str:
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe (is_safe=True)."""
    text = stringformat(value, "s")
    # Only text that was already safe stays unescaped, as in the template.
    return _value(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_value(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict, groups) -> str:
    """django/forms/widgets/select.html, its options drawn as select_option.html draws them
    (each include keeps the template's closing newline)."""
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (and the templates that only include it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    return (
        f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_value(value) if value else ''}</textarea>\n"
    )
