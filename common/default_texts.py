"""Texts the app itself writes into rows that people may reword later: the alignment review's
default questions (workspace), the default competences and job specifications (organisation).

They are stored in English, as written in the code (marked with `gettext_noop`, so that the
catalogue has them), and shown in the reader's language while the stored text is still one of
them; once someone has reworded one, it is shown as they typed it, in every language. Changing
a default in the code therefore leaves rows that still hold the old wording shown as stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext


def _same(typed: str, shown: str) -> bool:
    # A browser sends a textarea's lines with CR LF; the defaults have LF.
    return typed.replace("\r\n", "\n").strip() == shown.strip()


class DefaultTexts:
    """The default texts of one kind of row."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = frozenset(texts)

    def __contains__(self, text: str) -> bool:
        return text in self._texts

    def shown(self, text: str) -> str:
        """`text` in the reader's language if it is still a default, else as stored."""
        return gettext(text) if text in self._texts else text

    def kept(self, typed: str, stored: str) -> str:
        """What an edit stores: the default itself when the editor left it as the form showed
        it (in their language), so that a form saved untouched keeps a text every reader
        reads in their own; anything else as typed."""
        if stored in self._texts and _same(typed, self.shown(stored)):
            return stored
        return typed
