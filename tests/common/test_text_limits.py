"""Every text a person types has a limit, and going over it is a form error that keeps the text.

Generated: every form class of the project (tests/common/form_catalogue.py) and every admin
form of a project model is built, and each of its text fields must have a `max_length` — a new
form or model text field without one fails here. Textareas must not carry the `maxlength`
attribute (browsers cut a paste at it without a word; common.limits.Textarea). Then over-long
text is posted to representative pages: the page answers with the error at the field and
every character of the text still in the form.
"""

import pytest
from django import forms

from common import limits

from .form_catalogue import admin_forms, instantiate, objects, project_form_classes

pytestmark = pytest.mark.django_db


def _text_fields(form):
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField) and not isinstance(
            field, (forms.UUIDField, forms.JSONField)
        ):
            yield name, field


def test_every_project_form_text_field_has_a_limit(people, account):
    o = objects(account, people)
    problems = []
    classes = project_form_classes()
    assert len(classes) > 40, [c.__name__ for c in classes]
    for form_class in classes:
        form = instantiate(form_class, o)
        label = f"{form_class.__module__}.{form_class.__qualname__}"
        for name, field in _text_fields(form):
            if field.max_length is None:
                problems.append(f"{label}.{name}: no max_length")
            elif isinstance(field.widget, forms.Textarea) and not isinstance(
                field.widget, limits.Textarea
            ):
                problems.append(f"{label}.{name}: use common.limits.Textarea (no maxlength)")
    assert not problems, "\n".join(problems)


# Django's own password fields (the admin's "add user" form): a long password costs one HMAC
# pre-hash, and capping it would tell people their password manager's output is wrong.
UNBOUNDED_BY_DESIGN = {("admin accounts.User", "password1"), ("admin accounts.User", "password2")}


def test_every_admin_form_text_field_has_a_limit(people, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "x" * 12)
    problems = [
        f"{label}.{name}: no max_length"
        for label, form in admin_forms(superuser)
        for name, field in _text_fields(form)
        if field.max_length is None and (label, name) not in UNBOUNDED_BY_DESIGN
    ]
    assert not problems, "\n".join(problems)


def test_textareas_render_without_maxlength_but_say_their_limit(people, account):
    from planning.forms import SectionForm

    rendered = str(SectionForm(section="swot")["strengths"])
    assert "maxlength" not in rendered
    assert f'data-max-chars="{limits.TEXT_MAX_CHARS}"' in rendered
