"""Every date a person types is inside the window (common.dates: years 1900–2199).

Generated: every form class of the project and every admin form of a project model is built
(tests/common/form_catalogue.py), and each of its date and date-time fields is given
9999-12-31 and 0999-12-31 alone: the form must refuse each with the window's message at that
field. A new form or model date field without the check fails here.
"""

import pytest
from django import forms

from common.dates import OUT_OF_WINDOW

from .form_catalogue import admin_forms, instantiate, objects, project_form_classes

pytestmark = pytest.mark.django_db

OUTSIDE = {
    forms.DateTimeField: ("9999-12-31T10:00", "0999-12-31T10:00"),
    forms.DateField: ("9999-12-31", "0999-12-31"),
}


def _date_fields(form):
    for name, field in form.fields.items():
        if isinstance(field, forms.SplitDateTimeField):
            yield name, field, (["9999-12-31", "10:00"], ["0999-12-31", "10:00"])
            continue
        for kind, values in OUTSIDE.items():
            if isinstance(field, kind):
                yield name, field, values
                break


def _refused(build, name, value) -> list[str]:
    form = build({name: value} if not isinstance(value, list) else _split(name, value))
    form.is_valid()
    return [str(message) for message in form.errors.get(name, [])]


def _split(name, value):
    return {f"{name}_0": value[0], f"{name}_1": value[1]}


def _check(label, form_factory, problems):
    """Both values refused at the field; the window's message for at least one (a field with a
    rule of its own, such as "not in the future", may refuse one side with that rule first)."""
    form = form_factory(None)
    for name, _field, values in _date_fields(form):
        answers = {str(value): _refused(form_factory, name, value) for value in values}
        accepted = [value for value, errors in answers.items() if not errors]
        windowed = [value for value, errors in answers.items() if OUT_OF_WINDOW in errors]
        if accepted or not windowed:
            problems.append(f"{label}.{name}: {answers}")
    return form


def test_every_project_form_refuses_dates_outside_the_window(people, account):
    o = objects(account, people)
    problems, checked = [], 0
    for form_class in project_form_classes():
        label = f"{form_class.__module__}.{form_class.__qualname__}"
        built = instantiate(form_class, o)
        init_kwargs = built._catalogue_kwargs

        def factory(data, form_class=form_class, init_kwargs=init_kwargs, built=built):
            return form_class(data, **init_kwargs) if data is not None else built

        _check(label, factory, problems)
        checked += sum(1 for _ in _date_fields(built))
    assert checked > 20
    assert not problems, "\n".join(problems)


def test_every_admin_form_refuses_dates_outside_the_window(people, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "x" * 12)
    problems = []
    for label, form in admin_forms(superuser):
        form_class = type(form)

        def factory(data, form_class=form_class, form=form):
            return form_class(data) if data is not None else form

        _check(label, factory, problems)
    assert not problems, "\n".join(problems)
