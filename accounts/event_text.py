"""What a timeline entry says, kept untranslated so that each reader sees it in their language.

A service records an entry with `EventText(gettext_noop("Plan %(period)s started"),
period=...)`: the message (an English msgid, found by makemessages) and its values are stored
on the entry, and pages render them in the reader's language (`AccountEvent.shown_summary`).
The English text is stored as well (`AccountEvent.summary`: the admin's search, older
entries). A value is plain text (a name, a title, a number as typed) or one of the marked
kinds below, which are rendered in the reader's language too: a label of the app's own
(`term`), a day or a moment (`day`, `moment`), a sum of money as the pages write it (`money`:
`common.formats.money`) and any other number (`amount`).

A message with a count is `EventText(ngettext_noop("%(days)s day overdue", "%(days)s days
overdue", "days"), days=n)`: each language picks its own form from the value named (French
says "1 jour", "0 jour", "2 jours"). The plural msgid and that name are stored among the
values under `PLURAL` ("#plural" cannot be a keyword argument's name), so an entry stored before
plurals existed, which has no such key, renders as it always did.

A person's own words (a comment) are `EventText.verbatim(text)`: shown as they were written.
A value may itself be an `EventText` (a sentence inside a sentence), and an entry's reason may
be one where the app writes it (a check-in's report, an opportunity's source). A message with
a plural form is `EventText.ngettext(singular, plural, count, ...)`, its form chosen in the
reader's language.

The note of an audit history row (django-simple-history's change reason, a text column) is
written by `note(text)`: a marker and the stored JSON, read back by `note_shown`, which shows
an older note of plain text as it was stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

from common import formats

# Entries written before the named formats stored the pattern itself (English letters: 'Déc'
# in French); they are shown as the named format that replaced it.
STORED_PATTERNS = {
    "j M Y": "SHORT_DATE_FORMAT",
    "j M Y H:i": "SHORT_DATETIME_FORMAT",
    "j M": "MONTH_DAY_FORMAT",
}

SUMMARY_MAX_CHARS = 300
MESSAGE_MAX_CHARS = 200
# Among a message's stored values: [plural msgid, name of the value that chooses the form].
PLURAL = "#plural"


@dataclass(frozen=True)
class Plural:
    singular: str
    plural: str
    count: str


def ngettext_noop(singular: str, plural: str, count: str) -> Plural:
    """A message whose form is chosen, when it is shown, by the value named `count`. Marked for
    makemessages like `ngettext` (accounts/management/commands/makemessages.py adds the
    keyword), translated only when shown."""
    return Plural(singular, plural, count)


def term(label, *, lower: bool = False) -> dict:
    """A label of the app's own (a choice's label, a word marked for translation): stored as
    its English msgid, shown translated."""
    if not isinstance(label, Promise):
        # A str is already in some language (get_FOO_display() gives the active one's).
        raise TypeError("term() takes a lazy label, such as a choices enum's .label.")
    with translation.override(None):
        msgid = str(label)
    return {"t": msgid, "lower": True} if lower else {"t": msgid}


def day(value: date, fmt: str = "SHORT_DATE_FORMAT") -> dict:
    """A day, shown as the reader's language writes it: `fmt` is a named format (kam/formats)."""
    return {"dt": value.isoformat(), "f": fmt}


def moment(value: datetime, fmt: str = "SHORT_DATETIME_FORMAT") -> dict:
    """A wall-clock moment as the caller gives it (already in the zone it names); `fmt` is a
    named format (kam/formats)."""
    return {"dt": value.replace(tzinfo=None).isoformat(timespec="minutes"), "f": fmt}


def amount(value, *, places: int | None = None, before: str = "", after: str = "") -> dict:
    """A number shown with the reader's separators; `before` and `after` are kept as given
    (a currency code, a unit the user typed)."""
    return {"n": str(value), "dp": places, "before": before, "after": after}


def money(value, currency: str) -> dict:
    """A sum in whole units, written as every page writes money: 'EUR 96,000' in English,
    '96 000 €' in French."""
    return {"money": str(value), "cur": currency}


def capitalised(text: EventText) -> dict:
    """A sentence put at the start of another, its first letter a capital in every language
    ('weight of …' as the start of 'Weight of …: 3 customers re-scored')."""
    return {**text.stored(), "cap": True}


def _shown(value) -> str:
    if not isinstance(value, dict):
        return str(value)
    if "m" in value:
        if not value["m"]:
            return value.get("typed", "")
        if "pl" in value:
            text = render_plural(value["m"], value["pl"], value["c"], value.get("a", {}))
        else:
            text = render(value["m"], value.get("a", {}))
        return text[:1].upper() + text[1:] if value.get("cap") else text
    if "t" in value:
        text = gettext(value["t"])
        return text.lower() if value.get("lower") else text
    if "dt" in value:
        fmt = STORED_PATTERNS.get(value["f"], value["f"])
        return date_format(datetime.fromisoformat(value["dt"]), fmt)
    if "money" in value:
        return formats.money(value["money"], value["cur"])
    if "n" in value:
        try:
            shown = formats.number(Decimal(value["n"]), value.get("dp"))
        except InvalidOperation:
            shown = value["n"]
        return f"{value.get('before', '')}{shown}{value.get('after', '')}"
    return str(value)


def _count(value) -> int:
    if isinstance(value, dict):
        value = value["n"]
    return int(Decimal(str(value)))


def render(message: str, args: dict) -> str:
    """The message in the active language, its values filled in (`KeyError`, `ValueError` or
    `TypeError` when message and values do not fit: callers fall back to the stored text)."""
    values = {name: _shown(value) for name, value in args.items() if name != PLURAL}
    if PLURAL in args:
        plural, count = args[PLURAL]
        try:
            number = _count(args[count])
        except (InvalidOperation, ArithmeticError) as error:
            raise ValueError(f"{count} is not a count") from error
        return ngettext(message, plural, number) % values
    return gettext(message) % values


def render_plural(singular: str, plural: str, count: int, args: dict) -> str:
    """`render` for a message with a plural form, chosen by `count` in the active language."""
    return ngettext(singular, plural, count) % {name: _shown(value) for name, value in args.items()}


@dataclass(frozen=True)
class EventText:
    message: str
    args: dict = field(default_factory=dict)
    typed: str = ""
    plural: str = ""
    count: int = 0

    def __init__(self, message: str | Plural, /, **args) -> None:
        stored = {name: _stored(value) for name, value in args.items()}
        if isinstance(message, Plural):
            if message.count not in args:
                raise TypeError(f"A plural message needs its count, {message.count}=.")
            stored[PLURAL] = [message.plural, message.count]
            if len(message.plural) > MESSAGE_MAX_CHARS:
                raise ValueError("A timeline message is a short sentence.")
            message = message.singular
        if len(message) > MESSAGE_MAX_CHARS:
            raise ValueError("A timeline message is a short sentence.")
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "args", stored)
        object.__setattr__(self, "typed", "")
        object.__setattr__(self, "plural", "")
        object.__setattr__(self, "count", 0)

    @classmethod
    def ngettext(cls, singular: str, plural: str, count: int, /, **args) -> EventText:
        """A message with a plural form, chosen by `count` in the reader's language (named
        after gettext's function, so that makemessages finds both forms); the count is also
        passed among `args` when the message shows it."""
        entry = cls(singular, **args)
        object.__setattr__(entry, "plural", plural)
        object.__setattr__(entry, "count", count)
        return entry

    @classmethod
    def verbatim(cls, text: str) -> EventText:
        """A person's own words: shown as written, in every language."""
        entry = cls("")
        object.__setattr__(entry, "typed", text)
        return entry

    def stored(self) -> dict:
        """The text as a JSON value: a message and its values, or a person's own words."""
        if not self.message:
            return {"m": "", "typed": self.typed}
        if self.plural:
            return {"m": self.message, "pl": self.plural, "c": self.count, "a": self.args}
        return {"m": self.message, "a": self.args}

    def text(self) -> str:
        """The text in the active language."""
        return _shown(self.stored())

    def english(self, max_chars: int = SUMMARY_MAX_CHARS) -> str:
        """The text in English, as `AccountEvent.summary` and `.reason` store it."""
        with translation.override("en"):
            text = self.text()
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def shown(stored: dict) -> str:
    """A text stored by `EventText.stored` in the active language."""
    return _shown(stored)


NOTE_MARKER = "event-text:"


def note(text: EventText) -> str:
    """An audit history row's note that each reader reads in their language: the marker, then
    the text as stored, with its English (the fallback, and what a search of the column
    finds). For a note column that is a text field: it is never cut."""
    stored = {**text.stored(), "en": text.english(max_chars=10**6)}
    return NOTE_MARKER + json.dumps(stored, ensure_ascii=False, separators=(",", ":"))


def note_shown(stored: str) -> str:
    """A history row's note in the active language: one `note` wrote is rendered (its English
    if its message no longer fits its values); an older note of plain text is shown as stored
    (the catalogue's translation when it is one of the app's own messages, as a restore's)."""
    if not stored:
        return ""
    if not stored.startswith(NOTE_MARKER):
        return gettext(stored)
    try:
        value = json.loads(stored[len(NOTE_MARKER) :])
    except ValueError:
        return stored
    try:
        return _shown(value)
    except (KeyError, ValueError, TypeError):
        return value.get("en", "")


def _stored(value):
    if isinstance(value, EventText):
        return value.stored()
    if isinstance(value, dict | int | float):
        return value
    if isinstance(value, Promise):
        return term(value)
    if isinstance(value, Decimal):
        return amount(value)
    return str(value)
