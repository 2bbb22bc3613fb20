"""French typography in the catalogue: a no-break space (U+00A0, or the narrow U+202F) before
: ; ! ? and inside « », as the README's glossary says. A plain space there lets the line break
before the colon or the closing guillemet (85 messages had one)."""

import re
from pathlib import Path

from tests.conftest import ROOT

from .catalogue import entries

PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
NBSP = "\u00a0"
# A plain space before the mark, or a guillemet with a plain space inside it.
PLAIN_SPACE = re.compile(r" [:;!?](?=[\s<\"»)%.,]|$)|« | »")


def _problems(po: Path) -> list[str]:
    return [
        f"{entry.name()}: {text!r}"
        for entry in entries(po)
        if entry.msgid
        for text in entry.msgstr
        if PLAIN_SPACE.search(text)
    ]


def test_no_plain_space_before_french_punctuation():
    problems = _problems(PO)
    assert not problems, f"{len(problems)} messages:\n" + "\n".join(problems)


def test_the_login_page_asks_with_a_no_break_space(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"Mot de passe oublié{NBSP}?" in page
    assert "Mot de passe oublié ?" not in page
