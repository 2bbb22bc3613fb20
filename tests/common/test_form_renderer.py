"""The form renderer draws `<select>`, `<input>` and `<textarea>` in Python
(common/form_renderer.py, bench/README.md finding 57): the markup must be Django's, byte for
byte. Pinned here on hand-made widgets (groups, attributes, escaping, safe text, lazy and
localized labels, several values, empty values) and, generated, on every widget of every form
of the project and of the admin, in English and in French."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from common.form_renderer import FormRenderer

from .form_catalogue import admin_forms, instantiate, objects, project_form_classes

DJANGO = DjangoTemplates()
OURS = FormRenderer()


def test_the_project_draws_forms_with_its_renderer():
    assert settings.FORM_RENDERER == "common.form_renderer.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


def test_a_select_is_drawn_without_a_template(monkeypatch):
    """The cause of finding 57: two template includes per option."""
    drawn = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda *args, **kw: drawn.append(args))
    widget = forms.Select(choices=[(str(n), f"Zone {n}") for n in range(600)])
    html = widget.render("time_zone", "7", renderer=OURS)
    assert html.count("<option") == 600 and '<option value="7" selected>Zone 7</option>' in html
    assert drawn == []


class Custom(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


LABELS = [
    ("", "---------"),
    ("a&b", 'Tom & "Jerry" <b>'),
    (mark_safe("<safe>"), mark_safe("<em>kept</em>")),
    (3, 1234567),
    (Decimal("2.50"), Decimal("1234.5")),
    ("d", date(2026, 12, 6)),
    ("lazy", gettext_lazy("Notes")),
    ("none", None),
    (
        gettext_lazy("Group"),
        [("g1", "In a group"), ("g2", gettext_lazy("Title"))],
    ),
    ("", [("g3", "Unnamed group")]),
    (0, [("g4", "Falsy group name")]),
]

WIDGETS = [
    ("plain", forms.Select(choices=LABELS), "a&b"),
    ("nothing picked", forms.Select(choices=LABELS), None),
    ("number picked", forms.Select(choices=LABELS), 3),
    ("several", forms.SelectMultiple(choices=LABELS), ["g1", "lazy", "<safe>"]),
    ("empty", forms.Select(choices=[]), ""),
    (
        "attributes",
        forms.Select(
            choices=LABELS,
            attrs={
                "class": "form-select is-invalid",
                "required": True,
                "disabled": False,
                "data-x": 'q"<&',
                "data-safe": mark_safe("<ok>"),
                "data-n": 12345,
                "aria-describedby": gettext_lazy("Notes"),
            },
        ),
        "g2",
    ),
    ("boolean", forms.NullBooleanSelect(), True),
    ("custom option template", Custom(choices=LABELS), "a&b"),
]


ATTRS = {"class": "form-control", "required": True, "disabled": False, "data-x": 'q"<&'}
VALUES = [None, "", 0, 1234.5, Decimal("1234.50"), 'Tom & "Jerry" <b>', mark_safe("<em>")]
VALUES += [gettext_lazy("Notes"), date(2026, 12, 6)]
for kind in (
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.HiddenInput,
    forms.PasswordInput,
    forms.URLInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.Textarea,
):
    WIDGETS += [(f"{kind.__name__} {value!r}", kind(attrs=ATTRS), value) for value in VALUES]
WIDGETS += [
    ("checkbox ticked", forms.CheckboxInput(), True),
    ("checkbox not ticked", forms.CheckboxInput(attrs=ATTRS), False),
    ("password shown", forms.PasswordInput(render_value=True), "secret"),
    ("file", forms.FileInput(attrs=ATTRS), None),
]


def test_inputs_and_textareas_are_drawn_without_a_template(monkeypatch):
    drawn = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda *args, **kw: drawn.append(args))
    for widget in (forms.TextInput(), forms.HiddenInput(), forms.DateInput(), forms.Textarea()):
        assert widget.render("note", "Hello", renderer=OURS).endswith(("Hello</textarea>", ">"))
    assert drawn == []


@pytest.mark.parametrize("language", ["en-gb", "fr"])
@pytest.mark.parametrize(("label", "widget", "value"), WIDGETS, ids=[w[0] for w in WIDGETS])
def test_a_select_is_drawn_as_django_draws_it(label, widget, value, language):
    with translation.override(language):
        expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=DJANGO)
        assert widget.render("field", value, attrs={"id": "id_field"}, renderer=OURS) == expected


def _drawn(form, renderer) -> dict[str, str]:
    form.renderer = renderer
    return {bound.name: str(bound) for bound in form}


def _compare(label, form, problems):
    for language in ("en-gb", "fr"):
        with translation.override(language):
            expected, got = _drawn(form, DJANGO), _drawn(form, OURS)
        problems += [
            f"{label}.{name} ({language})" for name in expected if expected[name] != got[name]
        ]


@pytest.mark.django_db
def test_every_project_form_is_drawn_as_django_draws_it(people, account):
    o = objects(account, people)
    problems = []
    selects = 0
    for form_class in project_form_classes():
        form = instantiate(form_class, o)
        selects += sum(isinstance(f.widget, forms.Select) for f in form.fields.values())
        _compare(f"{form_class.__module__}.{form_class.__qualname__}", form, problems)
    assert selects > 40, selects
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_admin_form_is_drawn_as_django_draws_it(people, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "x" * 12)
    problems = []
    for label, form in admin_forms(superuser):
        _compare(label, form, problems)
    assert not problems, "\n".join(problems)
