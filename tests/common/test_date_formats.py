"""Short dates are named formats, one module per language (kam/formats): English keeps Django's
`M` and `D` ('6 Dec 2026', 'Sun 6 Dec, 14:00'), French writes its abbreviations lower case with
their full stop ('6 déc. 2026', 'dim. 6 déc., 14:00'), where Django's `M` wrote 'Déc', 'Aoû',
'Fév'. Every template and every call in code writes a short date by name: a pattern with `M` or
`D` in a template or in a call brings the title-cased abbreviation back to French pages."""

import ast
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, get_format

from kam.formats import NAMES

ROOT = Path(__file__).resolve().parent.parent.parent
SKIPPED = {".venv", "node_modules", "staticfiles", "tests", "bench", ".git"}
MOMENT = datetime(2026, 12, 6, 14, 0, 5)


def test_every_language_of_the_site_writes_every_named_format():
    missing = [
        f"{code}: {name}"
        for code, _name in settings.LANGUAGES
        for name in NAMES
        if get_format(name, lang=code) == name
    ]
    assert not missing, "add kam/formats/<language>/formats.py with: " + ", ".join(missing)


@pytest.mark.parametrize(
    ("name", "english", "french"),
    [
        ("SHORT_DATE_FORMAT", "6 Dec 2026", "6 déc. 2026"),
        ("SHORT_DATETIME_FORMAT", "6 Dec 2026 14:00", "6 déc. 2026 14:00"),
        ("SHORT_DATETIME_SECONDS_FORMAT", "6 Dec 2026 14:00:05", "6 déc. 2026 14:00:05"),
        ("SHORT_DATE_COMMA_TIME_FORMAT", "6 Dec 2026, 14:00", "6 déc. 2026, 14:00"),
        ("MONTH_DAY_FORMAT", "6 Dec", "6 déc."),
        ("MONTH_DAY_TIME_FORMAT", "6 Dec 14:00", "6 déc. 14:00"),
        ("YEAR_MONTH_FORMAT", "Dec 2026", "déc. 2026"),
        ("WEEKDAY_DATE_COMMA_TIME_FORMAT", "Sun 6 Dec 2026, 14:00", "dim. 6 déc. 2026, 14:00"),
        ("WEEKDAY_MONTH_DAY_TIME_FORMAT", "Sun 6 Dec 14:00", "dim. 6 déc. 14:00"),
        ("WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT", "Sun 6 Dec, 14:00", "dim. 6 déc., 14:00"),
        ("PADDED_DATE_FORMAT", "06 Dec 2026", "06 déc. 2026"),
        ("PADDED_DATE_COMMA_TIME_FORMAT", "06 Dec 2026, 14:00", "06 déc. 2026, 14:00"),
        ("PADDED_MONTH_DAY_FORMAT", "06 Dec", "06 déc."),
        ("PADDED_WEEKDAY_MONTH_DAY_FORMAT", "Sun 06 Dec", "dim. 06 déc."),
        ("PADDED_WEEKDAY_MONTH_DAY_COMMA_TIME_FORMAT", "Sun 06 Dec, 14:00", "dim. 06 déc., 14:00"),
        (
            "PADDED_WEEKDAY_DATE_COMMA_TIME_FORMAT",
            "Sun 06 Dec 2026, 14:00",
            "dim. 06 déc. 2026, 14:00",
        ),
    ],
)
def test_a_named_format_in_english_and_french(name, english, french):
    assert name in NAMES
    with translation.override("en-gb"):
        assert date_format(MOMENT, name) == english
    with translation.override("fr"):
        assert date_format(MOMENT, name) == french


def test_every_month_and_weekday_abbreviated_as_each_language_writes_it():
    days = [date(2027, month, 1) for month in range(1, 13)]
    with translation.override("en-gb"):
        assert [date_format(d, "MONTH_DAY_FORMAT") for d in days] == [
            "1 Jan", "1 Feb", "1 Mar", "1 Apr", "1 May", "1 Jun",
            "1 Jul", "1 Aug", "1 Sep", "1 Oct", "1 Nov", "1 Dec",
        ]  # fmt: skip
    with translation.override("fr"):
        # CLDR's abbreviations: 'janv.' and 'févr.' are ours (Django's catalogue says 'jan.'
        # and 'fév.'), the ten others Django's.
        assert [date_format(d, "MONTH_DAY_FORMAT") for d in days] == [
            "1 janv.", "1 févr.", "1 mars", "1 avr.", "1 mai", "1 juin",
            "1 juil.", "1 août", "1 sept.", "1 oct.", "1 nov.", "1 déc.",
        ]  # fmt: skip
    week = [datetime(2026, 12, day, 9, 30) for day in range(7, 14)]  # Monday to Sunday
    with translation.override("en-gb"):
        assert [date_format(d, "PADDED_WEEKDAY_MONTH_DAY_FORMAT")[:3] for d in week] == [
            "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
        ]  # fmt: skip
    with translation.override("fr"):
        assert [date_format(d, "PADDED_WEEKDAY_MONTH_DAY_FORMAT")[:4] for d in week] == [
            "lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.",
        ]  # fmt: skip


# ---- no pattern with M or D outside kam/formats ------------------------------------------

DATE_FILTER = re.compile(r"""\|\s*date\s*:\s*(["'])(.*?)\1""")
NAME = re.compile(r"[A-Z_]+")
# Django's own names that are not short dates (full month names read right in French).
DJANGO_NAMES = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT"}


def _wrong(pattern: str) -> str | None:
    """Why a format given to the date filter or a formatting call is refused, or None."""
    if NAME.fullmatch(pattern):
        return None if pattern in NAMES or pattern in DJANGO_NAMES else "no such named format"
    if re.search(r"(?<!\\)[MD]", pattern):
        return "a pattern with M or D: use a named format (kam/formats)"
    return None


def _project_files(suffixes):
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if path.suffix in suffixes and path.is_file() and not SKIPPED.intersection(parts):
            yield path


def test_no_template_writes_a_date_with_a_pattern_of_m_or_d():
    found, seen = [], 0
    for path in _project_files({".html", ".txt", ".svg", ".xml"}):
        if "templates" not in path.relative_to(ROOT).parts:
            continue
        seen += 1
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in DATE_FILTER.finditer(line):
                reason = _wrong(match.group(2))
                if reason:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}: {reason}")
    assert seen > 200
    assert not found, "\n".join(found)


# A call that formats a date for a person: Django's date_format and dateformat.format, the
# template filter called from Python, and the timeline's day() and moment().
FORMATTING_CALLS = {"date_format", "format", "date_filter", "day", "moment", "_lazy_format"}


def test_no_code_writes_a_date_with_a_pattern_of_m_or_d():
    found = []
    for path in _project_files({".py"}):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called not in FORMATTING_CALLS:
                continue
            if called == "format" and not (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "dateformat"
            ):
                continue  # str.format and friends
            for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    reason = _wrong(arg.value)
                    if reason:
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.append(f"{where}: {arg.value!r}: {reason}")
    assert not found, "\n".join(found)
