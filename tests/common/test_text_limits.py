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


# ---- over-long text posted to representative pages --------------------------------------


def _long_text(limit: int) -> str:
    """One character over `limit`, ending with a marker that shows the tail was kept."""
    tail = " END-OF-WHAT-I-TYPED"
    body = ("Our partnership grows with every order. " * (limit // 40 + 2))[: limit + 1 - len(tail)]
    return body + tail


def _assert_refused_and_kept(response, text: str, limit: int):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert f"Ensure this value has at most {limit} characters (it has {len(text)})." in page
    # Every character is back in the form, the tail included.
    assert text in page


def test_a_plan_section_over_its_limit_is_refused_with_the_text_kept(client_for, people, account):
    from tests.factories import AccountPlanFactory

    plan = AccountPlanFactory(key_account=account)
    text = _long_text(limits.TEXT_MAX_CHARS)
    response = client_for(people.manager).post(
        f"/accounts/{account.pk}/plan/sections/swot/",
        {
            "strengths": text,
            "weaknesses": "",
            "opportunities_swot": "",
            "threats": "",
            "revision": 0,
        },
    )
    _assert_refused_and_kept(response, text, limits.TEXT_MAX_CHARS)
    plan.refresh_from_db()
    assert plan.strengths != text


def test_a_profile_section_over_its_limit_is_refused_with_the_text_kept(
    client_for, people, account
):
    text = _long_text(limits.LONG_TEXT_MAX_CHARS)
    response = client_for(people.manager).post(
        f"/accounts/{account.pk}/profile/sections/needs/edit/", {"content": text, "revision": 0}
    )
    _assert_refused_and_kept(response, text, limits.LONG_TEXT_MAX_CHARS)


def test_a_form_of_nearly_three_megabytes_gets_the_field_error_not_a_bare_400(client_for, people):
    """The issue's case: a 2.6 MB programme text answered 'Bad Request (400)' and lost it."""
    from accounts.models import Programme
    from tests.strategy.test_programme_edit import URL, programme_post

    programme = Programme.ensure()
    text = "Why we run the programme. " * 100_000 + "The end."  # 2.6 MB
    response = client_for(people.programme_admin).post(
        URL, programme_post(programme, rationale=text)
    )
    _assert_refused_and_kept(response, text, limits.TEXT_MAX_CHARS)
    programme.refresh_from_db()
    assert programme.rationale != text


def test_a_body_over_the_request_limit_gets_a_page_that_says_the_text_is_still_in_the_form(
    client_for, people, settings
):
    from tests.strategy.test_programme_edit import URL

    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client_for(people.programme_admin).post(URL, {"rationale": text})
    assert response.status_code == 413
    page = response.content.decode()
    assert "Too much to save at once" in page
    assert "it is still in the form in your browser" in page
    assert f"larger than the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB" in page
    assert 'class="navbar' in page  # the site's layout, not a bare "Bad Request (400)"
