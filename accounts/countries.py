"""A customer's country is an ISO 3166 code (django-countries' `CountryField`): the form offers
the list in the reader's language and every page names it in that language. Text from outside
(a CSV import, a CRM's export, the data typed before the list existed) is read here, in one
place: a two- or three-letter code, or the country's name in English or French, or one of the
everyday names below."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

# Names people type that are not the ISO list's own (compared in lower case).
EVERYDAY_NAMES = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "royaume uni": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "us": "US",
    "u.s.": "US",
    "united states of america": "US",
    "united states": "US",
    "america": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "south korea": "KR",
    "russia": "RU",
}


def country_code(text: str) -> str | None:
    """The ISO code `text` names; "" for no text; None when it names no country."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    if text.lower() in EVERYDAY_NAMES:
        return EVERYDAY_NAMES[text.lower()]
    if len(text) in (2, 3) and text.isalpha():
        code = countries.alpha2(text)
        if code:
            return code
    for language in ("en", "fr"):
        code = countries.by_name(text, language=language)
        if code:
            return code
    return None


def codes_named(query: str) -> list[str]:
    """The codes of the countries whose name, in the active language or in English, contains
    `query` (a list's search box: "allem" finds Germany for a French reader)."""
    query = " ".join((query or "").split()).lower()
    if not query:
        return []
    found = {code for code, name in countries if query in name.lower()}
    with translation.override("en"):
        found |= {code for code, name in countries if query in name.lower()}
    exact = country_code(query)
    if exact:
        found.add(exact)
    return sorted(found)


def unknown_country(text: str) -> str:
    """What an import says about text that names no country."""
    return _(
        "'%(text)s' is not a country we know: write its name or its two-letter ISO code (e.g. DE)"
    ) % {"text": text[:80]}


def english_name(country) -> str:
    """The English name of a country (a code or a `Country`), for files other systems read (a
    CRM's import) and what an import's preview compares."""
    if not country:
        return ""
    code = country.code if isinstance(country, Country) else country
    with translation.override("en"):
        return str(countries.name(code))
