"""A colon, semicolon, question or exclamation mark that a template writes between two translated
or user-supplied parts goes through the language: French puts a no-break space before it, and
a literal "; " or ": " outside the catalogue printed "au 6 déc. 2026; les chiffres" on the
French dashboard. Templates use `{% colon %}` and `{% list_separator %}` (kam_tags) instead, or
put the mark inside the `{% blocktranslate %}`. This test reads every app template's text
outside translation blocks and fails on such a mark followed by a space."""

from __future__ import annotations

import re

from django.template.base import Lexer, TokenType

from tests.conftest import ROOT

SKIPPED = {".venv", "node_modules", "tests", "bench", "static", "locale"}
MARK = re.compile(r"[;:!?]\s")

# Marks that are symbols rather than punctuation; each says why.
ALLOWED = {
    # The stakeholder map's "!" before a name flags a gap in coverage (the legend says so).
    ("discovery/templates/discovery/_stakeholder_map_svg.html", "!"),
}


def _templates():
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        relative = path.relative_to(ROOT)
        if not SKIPPED.intersection(relative.parts):
            yield relative, path.read_text(encoding="utf-8")


def _marks_outside_translations(source: str):
    """(line, text) of each text token outside a blocktranslate that has a mark and a space."""
    depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                depth -= 1
            continue
        if token.token_type != TokenType.TEXT or depth:
            continue
        text = re.sub(r"<[^>]*>", " ", token.contents)  # whole tags and their attributes
        # Words outside the catalogue are another test's (untranslated text); here: glue that is
        # only punctuation between a tag's output and the next one.
        if MARK.search(text) and not re.search(r"[^\W\d_]{2,}", re.sub(r"&\w+;", "", text)):
            yield token.lineno, token.contents.strip()


def test_no_literal_colon_or_semicolon_between_template_parts():
    problems = [
        f"{relative}:{line}: {text!r}"
        for relative, source in _templates()
        for line, text in _marks_outside_translations(source)
        if (str(relative), text) not in ALLOWED
    ]
    assert not problems, (
        "use {% colon %} or {% list_separator %} (kam_tags), or move the mark into the "
        "translated message:\n" + "\n".join(problems)
    )


def test_the_french_dashboard_says_how_old_its_figures_are_in_a_sentence_of_its_own(
    client_for, people, account, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.PORTFOLIO_CACHE_SECONDS = 60
    people.executive.language = "fr"
    people.executive.save(update_fields=["language"])
    html = client_for(people.executive).get("/portfolio/").content.decode()
    page = re.sub(r"[ \t\n]+", " ", html)  # str.split() would take the no-break spaces too
    assert "Les chiffres peuvent dater de 60\u00a0secondes." in page
    assert "; les chiffres" not in page
