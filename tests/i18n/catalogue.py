"""Reading a gettext catalogue (.po) well enough to list what is missing from it.

`entries(path)` yields one `Entry` per live message (obsolete `#~` entries are skipped): its
msgid (with msgctxt and plural), its translations, its flags (`fuzzy`, `python-format`) and
the files that use it (the `#:` references, without line numbers).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def name(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"{context}{self.msgid!r}"


def _string(line: str) -> str:
    return ast.literal_eval(line)


def entries(path: Path):
    entry, key = Entry(), None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry.msgid or entry.msgstr:
                yield entry
            entry, key = Entry(), None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#:"):
            entry.files.update(ref.rsplit(":", 1)[0] for ref in line[2:].split())
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = _string(line)
            if key == "msgstr":
                entry.msgstr[-1] += text
            elif key is not None:
                setattr(entry, key, (getattr(entry, key) or "") + text)
        else:
            word, _, rest = line.partition(" ")
            if word.startswith("msgstr"):
                key = "msgstr"
                entry.msgstr.append(_string(rest))
            elif word in ("msgid", "msgid_plural", "msgctxt"):
                key = word
                setattr(entry, word, _string(rest))
    # the header (msgid "") is not a message
    return


def app_of(reference: str) -> str:
    """'accounts/templates/accounts/x.html' -> 'accounts'; 'templates/base.html' -> 'templates'."""
    return Path(reference).parts[0]
