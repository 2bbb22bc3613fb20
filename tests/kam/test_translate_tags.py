"""kam/translate_tags.py: a `{% translate %}` of a constant is looked up once per language and
autoescaping (finding 44), and renders exactly as Django's tag; the other forms are not kept."""

import pytest
from django.template import Context, engines
from django.templatetags.i18n import TranslateNode
from django.test import override_settings
from django.utils import translation

from kam import translate_tags

ENGINE = engines["django"].engine


@pytest.fixture
def lookups(monkeypatch):
    """The catalogue look-ups made (a template's `{% translate %}` through gettext_lazy)."""
    made = []
    original = translation._trans.gettext
    monkeypatch.setattr(
        translation._trans, "gettext", lambda message: made.append(message) or original(message)
    )
    return made


def test_it_is_installed_at_start_up():
    assert TranslateNode._kam_memoised


def test_a_constant_is_looked_up_once_per_language(lookups):
    template = ENGINE.from_string('{% load i18n %}{% translate "Edit" %}|{% translate "Due" %}')
    with translation.override("en-gb"):
        first = template.render(Context({}))
        assert template.render(Context({})) == first == "Edit|Due"
    assert lookups == ["Edit", "Due"]  # the second render made none
    with translation.override("fr"):
        french = template.render(Context({}))
        assert template.render(Context({})) == french
    assert french == translation.trans_real.translation("fr").gettext("Edit") + "|" + (
        translation.trans_real.translation("fr").gettext("Due")
    )
    assert french != "Edit|Due"
    assert lookups == ["Edit", "Due", "Edit", "Due"]


def test_the_same_text_as_djangos_own_tag():
    source = (
        '{% load i18n %}{% translate "A <b> & 50%% off" %}|{% translate "Edit" noop %}|'
        '{% translate "Before this plan can be submitted, add:" %}'
    )
    kept, django = ENGINE.from_string(source), ENGINE.from_string(source)
    for node in django.nodelist:
        if isinstance(node, TranslateNode):
            node._kam_memo = False  # Django's own render
    for language in ("en-gb", "fr"):
        with translation.override(language):
            for autoescape in (True, False, True):
                expected = django.render(Context({}, autoescape=autoescape))
                assert kept.render(Context({}, autoescape=autoescape)) == expected
    assert all(node._kam_memo for node in kept.nodelist if isinstance(node, TranslateNode))


def test_variables_filters_as_and_contexts_render_each_time(lookups):
    source = (
        "{% translate word %}|{% translate 'Edit'|upper %}|"
        "{% translate 'Edit' as label %}{{ label }}|{% translate 'May' context 'month name' %}"
    )
    template = ENGINE.from_string("{% load i18n %}" + source)
    with translation.override("en-gb"):
        assert template.render(Context({"word": "Due"})) == "Due|EDIT|Edit|May"
        assert template.render(Context({"word": "Owner"})) == "Owner|EDIT|Edit|May"
    nodes = [node for node in template.nodelist if isinstance(node, TranslateNode)]
    assert [node.__dict__.get("_kam_memo") for node in nodes] == [False] * 4


def test_a_change_of_catalogue_settings_starts_again(settings):
    template = ENGINE.from_string('{% load i18n %}{% translate "Edit" %}')
    with translation.override("en-gb"):
        template.render(Context({}))
        before = translate_tags._generation
        with override_settings(LOCALE_PATHS=[*settings.LOCALE_PATHS]):
            assert translate_tags._generation == before + 1
            assert template.render(Context({})) == "Edit"
    [node] = [node for node in template.nodelist if isinstance(node, TranslateNode)]
    assert len(node._kam_memo) == 2  # one per generation
