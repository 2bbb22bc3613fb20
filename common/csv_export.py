"""CSV downloads that spreadsheets cannot turn into formulas (CSV injection).

A spreadsheet treats a cell as a formula when its text starts with `=`, `+`, `-` or `@` (and some
also after leading blanks or control characters, or with the full-width forms `＝＋－＠`); a
formula can fetch URLs, and old Excel's DDE (`cmd|' /C calc'!A0`) can start programs. Every text
cell that could be read that way gets a leading apostrophe, which spreadsheets show as text and
hide. A spreadsheet that splits the file on `;` or tabs starts a cell inside a value, so a formula
character right after a `;` or tab gets one too (`x;'=1+1`). Numbers stay numbers (a negative
Decimal is not a formula).
"""

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# Kept for callers that imported it: the characters that start a formula at position 0.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_STARTERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Characters some spreadsheets skip before looking for a formula: whitespace and C0 controls.
_LEADING_IGNORED = re.compile(r"[\s\x00-\x1f]*")
# DDE: program|'arguments'!cell, e.g. cmd|' /C calc'!A0, or DDE("cmd";"/C calc";"A0"). Escaped
# wherever it appears in a cell; ordinary text with a `|` is left alone. The program name is
# matched from the start of a word only: tried at every letter, a long word cost quadratic time.
_DDE = re.compile(r"(?<!\w)\w+\s*\|\s*'[^']*'\s*!|\bDDE\s*\(", re.IGNORECASE)
# Excel in many European locales splits a .csv file on `;`, and import dialogs on tabs, whatever
# the file's own commas and quotes say: `x;=1+1` becomes a cell `=1+1` there. A formula
# character right after such a separator gets an apostrophe too.
_STARTS_AFTER_SEPARATOR = re.compile(r"(?<=[;\t])(?=[=+\-@\uff1d\uff0b\uff0d\uff20])")


def safe_cell(value) -> str:
    """Text that a spreadsheet could read as a formula gets a leading apostrophe.
    Numbers (int, float, Decimal; negative ones included) and dates are written as they are."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal | date | datetime):
        return str(value)
    text = str(value)
    escaped = _STARTS_AFTER_SEPARATOR.sub("'", text)
    if _looks_like_formula(text):
        return "'" + escaped
    return escaped


def _looks_like_formula(text: str) -> bool:
    if not text:
        return False
    if text.startswith(FORMULA_PREFIXES):
        return True
    rest = text[_LEADING_IGNORED.match(text).end() :]
    if rest[:1] in FORMULA_STARTERS:
        return True
    return bool(_DDE.search(text))


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A UTF-8 CSV download. The header row is escaped like every other row: column titles
    can carry user text too (e.g. criterion names)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # Quoted safely even when the name holds quotes or non-ASCII letters (an account name).
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response.write("\ufeff")  # BOM so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
