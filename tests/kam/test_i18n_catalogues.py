"""The translation catalogues joined and pruned at start-up (kam/i18n.py) answer every look-up
as Django's own do, with one dictionary and no fallback for English."""

import pytest
from django.conf import settings
from django.utils.translation import trans_real
from django_countries import EmptyFallbackTranslator

from kam.i18n import drop_empty_fallbacks, join_catalogues, settle_catalogues


def _chain(translation) -> list:
    """The catalogues a look-up asks, in order. django-countries puts a translator of its own
    behind a language's catalogue the first time it names a country with an older name; it
    holds no message and passes every look-up on (except inside its own "no fallback" block,
    where it answers "" so that the older name is tried), so it is not one of them."""
    found = []
    while translation is not None:
        if not isinstance(translation, EmptyFallbackTranslator):
            found.append(translation)
        translation = translation._fallback
    return found


def _every_message(translation) -> set:
    """Every msgid (singular) and (msgid, plural) pair known anywhere along the chain."""
    keys = set()
    for node in _chain(translation):
        keys.update(key for key in node._catalog.keys() if key != "")
    return keys


def _answers(translation, keys) -> dict:
    answers = {}
    for key in keys:
        if isinstance(key, tuple):
            singular = key[0]
            for n in (0, 1, 2, 5, 11, 21, 101):
                answers[key, n] = translation.ngettext(singular, singular + " (plural)", n)
        else:
            answers[key] = translation.gettext(key)
    answers["not a message of any catalogue"] = translation.gettext(
        "not a message of any catalogue"
    )
    return answers


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_joined_and_pruned_catalogues_answer_as_djangos(code):
    django_own = trans_real.DjangoTranslation(code)  # built afresh: neither joined nor pruned
    settled = trans_real.DjangoTranslation(code)
    join_catalogues(settled)
    drop_empty_fallbacks(settled)
    keys = _every_message(django_own)
    assert len(keys) > 500
    assert _answers(settled, keys) == _answers(django_own, keys)


def test_english_misses_look_in_one_dictionary_and_no_fallback():
    # Done at start-up (kam.apps); again here, as a test that changed LANGUAGES or LOCALE_PATHS
    # before this one had Django build the catalogues afresh.
    settle_catalogues()
    english = trans_real.translation(settings.LANGUAGE_CODE)  # as a request gets it
    assert len(english._catalog._catalogs) == 1
    assert _chain(english) == [english]
    assert english.gettext("Edit action") == "Edit action"
    # Django's own British wording is kept.
    assert english.gettext("Enter a valid date.") == trans_real.DjangoTranslation(
        settings.LANGUAGE_CODE
    ).gettext("Enter a valid date.")


def test_french_keeps_english_behind_it():
    settle_catalogues()
    french = trans_real.translation("fr")
    assert [type(node).__name__ for node in _chain(french)] == [
        "DjangoTranslation",
        "DjangoTranslation",
    ]
    assert french.gettext("Action updated.") != "Action updated."
