"""What a timeline entry says, kept untranslated so that each reader sees it in their language.

A service records an entry with `EventText(gettext_noop("Plan %(period)s started"),
period=...)`: the message (an English msgid, found by makemessages) and its values are stored
on the entry, and pages render them in the reader's language (`AccountEvent.shown_summary`).
The English text is stored as well (`AccountEvent.summary`: the admin's search, older
entries). A value is plain text (a name, a title, a number as typed) or one of the marked
kinds below, which are rendered in the reader's language too: a label of the app's own
(`term`), a day or a moment (`day`, `moment`), a sum of money as the pages write it (`money`:
`common.formats.money`) and any other number (`amount`).

A message with a count is `EventText.ngettext("%(days)s day overdue", "%(days)s days
overdue", n, days=n)` (named after gettext's function, so that makemessages finds both forms):
each language picks its own form for `n` (French says "1 jour", "0 jour", "2 jours"). The
plural msgid and the count are stored among the values under `PLURAL` ("#plural" cannot be a
keyword argument's name), so they travel wherever the values go (a timeline entry's
`summary_args`, a value inside another text, a history note), and an entry stored before
plurals existed, which has no such key, renders as it always did.

A person's own words (a comment) are `EventText.verbatim(text)`: shown as they were written.
A value may itself be an `EventText` (a sentence inside a sentence), and an entry's reason may
be one where the app writes it (a check-in's report, an opportunity's source).

The note of an audit history row (django-simple-history's change reason, a text column) is
written by `note(text)`: a marker and the stored JSON, read back by `note_shown`, which shows
an older note of plain text as it was stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, ngettext

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
# Among a message's stored values: [plural msgid, the count that chooses the form].
PLURAL = "#plural"


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


def _values(args: dict) -> dict:
    # A whole number stays one, for a message that writes it with %(name)d (Django's).
    return {
        name: value if isinstance(value, int) else _shown(value)
        for name, value in args.items()
        if name != PLURAL
    }


def render(message: str, args: dict) -> str:
    """The message in the active language, its values filled in, in the form its count
    chooses if it has a plural (`KeyError`, `ValueError` or `TypeError` when message and values
    do not fit: callers fall back to the stored text)."""
    if PLURAL in args:
        plural, count = args[PLURAL]
        try:
            number = int(Decimal(str(count)))
        except (InvalidOperation, ArithmeticError) as error:
            raise ValueError(f"{count!r} is not a count") from error
        return ngettext(message, plural, number) % _values(args)
    return gettext(message) % _values(args)


@dataclass(frozen=True)
class EventText:
    message: str
    args: dict = field(default_factory=dict)
    typed: str = ""

    def __init__(self, message: str, /, **args) -> None:
        if len(message) > MESSAGE_MAX_CHARS:
            raise ValueError("A timeline message is a short sentence.")
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "args", {name: _stored(value) for name, value in args.items()})
        object.__setattr__(self, "typed", "")

    @classmethod
    def ngettext(cls, singular: str, plural: str, count: int, /, **args) -> EventText:
        """A message with a plural form, chosen by `count` in the reader's language (named
        after gettext's function, so that makemessages finds both forms); the count is also
        passed among `args` when the message shows it."""
        if len(plural) > MESSAGE_MAX_CHARS:
            raise ValueError("A timeline message is a short sentence.")
        entry = cls(singular, **args)
        entry.args[PLURAL] = [plural, int(count)]
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
        return {"m": self.message, "a": self.args}

    def text(self) -> str:
        """The text in the active language."""
        return _shown(self.stored())

    def english(self, max_chars: int = SUMMARY_MAX_CHARS) -> str:
        """The text in English, as `AccountEvent.summary` and `.reason` store it."""
        with translation.override("en"):
            text = self.text()
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def validation_text(error: ValidationError) -> EventText:
    """A ValidationError's messages as one text (joined by spaces, as `error.messages` are):
    a message marked for translation (a lazy one, as Django's validators give) kept with its
    values, so each reader reads it in their language; one already in a language as it is."""
    items = (
        [item for errors in error.error_dict.values() for item in errors]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    texts = []
    for item in items:
        params = item.params or {}
        with translation.override("en"):
            english = str(item.message % params if params else item.message)
        text = EventText.verbatim(english)
        if isinstance(item.message, Promise):
            with translation.override(None):
                msgid = str(item.message)  # "" for a message whose plural waits for a number
            if msgid and len(msgid) <= MESSAGE_MAX_CHARS:
                kept = EventText(msgid, **params)
                try:
                    if kept.english() == english:
                        text = kept
                except (KeyError, ValueError, TypeError):
                    pass
        texts.append(text)
    if not texts:
        return EventText.verbatim("")
    joined = texts[0]
    for text in texts[1:]:
        joined = EventText(gettext_noop("%(first)s %(second)s"), first=joined, second=text)
    return joined


def shown(stored: dict) -> str:
    """A text stored by `EventText.stored` in the active language."""
    return _shown(stored)


def shown_or(stored: dict, english: str) -> str:
    """A row's text kept both ways (`stored`, and its `english()` beside it): in the active
    language, else the English (a row written before texts were kept, or a message that no
    longer fits its values)."""
    if not stored:
        return english
    try:
        return _shown(stored)
    except (KeyError, ValueError, TypeError):
        return english


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
