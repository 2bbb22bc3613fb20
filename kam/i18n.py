"""The translation catalogues, made cheap to miss in (bench/README.md, finding 28).

Our msgids are English, so an English page's look-ups nearly all miss, and Django 5.2 makes a
miss walk far: the `en-gb` translation keeps each app's catalogue as a dictionary of its own
(`TranslationCatalog.update` compares a code object with a function, so catalogues with the
same plural rule are never merged: seven dictionaries, each asked for the message and again
for its plural form), and then asks six fallback `en` catalogues that hold nothing but their
header (gettext loads `en` behind `en_GB` from every locale directory that has both: Django's
own and its contrib apps'). A French look-up mostly hits the first dictionary (ours).

`settle_catalogues()` joins neighbouring dictionaries that share a plural rule (the first one
found still wins) and drops the empty fallbacks, in the translations of `LANGUAGES` as Django
caches them: every look-up answers as before. Called once at start-up (kam.apps); a test
that changes LANGUAGES, LANGUAGE_CODE or LOCALE_PATHS has Django build them afresh, unjoined,
which costs time only.
"""

from __future__ import annotations

import gettext

from django.conf import settings
from django.utils.translation import trans_real


def settle_catalogues() -> None:
    """Join and prune the catalogues of every language of `LANGUAGES` (builds them if need be)."""
    if not settings.USE_I18N:
        return
    for code, _name in settings.LANGUAGES:
        translation = trans_real.translation(code)
        join_catalogues(translation)
        drop_empty_fallbacks(translation)


def _same_rule(one, other) -> bool:
    """Two plural functions that compute the same (gettext compiles each catalogue's
    Plural-Forms header into a function of its own; only spacing may differ)."""
    a, b = one.__code__, other.__code__
    return (a.co_code, a.co_consts, a.co_names) == (b.co_code, b.co_consts, b.co_names)


def join_catalogues(translation) -> None:
    """Merge neighbouring dictionaries of a DjangoTranslation's catalogue that share a plural
    rule. Only neighbours: a message is then found in the same place as before, whatever
    the dictionaries further on hold."""
    catalog = getattr(translation, "_catalog", None)
    if not isinstance(catalog, trans_real.TranslationCatalog):
        return
    catalogs, plurals = [], []
    for cat, plural in zip(catalog._catalogs, catalog._plurals, strict=True):
        if plurals and _same_rule(plurals[-1], plural):
            # The earlier dictionary wins: it is looked at first.
            catalogs[-1] = {**cat, **catalogs[-1]}
        else:
            catalogs.append(cat)
            plurals.append(plural)
    catalog._catalogs, catalog._plurals = catalogs, plurals


def _empty(translation) -> bool:
    """A plain gettext catalogue with no message (its header only)."""
    return type(translation) is gettext.GNUTranslations and not any(
        key != "" for key in translation._catalog
    )


def drop_empty_fallbacks(translation) -> None:
    """Unlink the fallbacks that cannot answer anything (asking them only costs time)."""
    node = translation
    while node._fallback is not None:
        if _empty(node._fallback):
            node._fallback = node._fallback._fallback
        else:
            node = node._fallback
