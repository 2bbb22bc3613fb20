"""Reading an uploaded CSV file within limits, for any stage that imports data.

    from common.uploads import read_csv_upload

    def clean_file(self):
        self.upload = read_csv_upload(self.cleaned_data["file"], required_columns=["Name"])
        return self.cleaned_data["file"]

`read_csv_upload` raises django.core.exceptions.ValidationError with a message a person can act
on (too large, too many rows or columns, not UTF-8, missing columns), so a form shows it next to
the field.
Limits: settings.KAM_UPLOAD_MAX_BYTES and KAM_UPLOAD_MAX_ROWS (env UPLOAD_MAX_BYTES,
UPLOAD_MAX_ROWS), or per call. The file is read at most to its limit plus one byte, whatever size
the client claimed. Text is decoded as UTF-8, with or without the byte-order mark that Excel
writes. Values are returned as text exactly as written: an imported `=cmd` stays `=cmd` in the
database and is escaped on the way out by common.csv_export.

A caller that accepts other separators passes them (`delimiters=",;"`: spreadsheets in many
European locales save CSV with semicolons); the one used most often in the first line wins. A
caller whose column names may be spelt loosely passes `normalise_column` (e.g. lower case), and
required columns, duplicates and the row dicts' keys then use the normalised names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext

from common import formats

# One value may not exceed this many characters. (csv's own field_size_limit is process-wide
# state, so it is left alone and the length checked here.)
MAX_FIELD_CHARS = 10_000
# A header may not name more columns than this: every row is padded to the header's width, so
# 2 MB of column names and short rows would otherwise fill the memory.
MAX_COLUMNS = 200


@dataclass
class CsvUpload:
    """The header as written and one dict per data row (keys: the header's column names).
    `line_numbers[i]` is the file line where rows[i] starts, for messages such as
    "line 14: unknown stage"."""

    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)


def read_csv_upload(
    uploaded_file,
    *,
    required_columns: list[str] | tuple[str, ...] = (),
    max_bytes: int | None = None,
    max_rows: int | None = None,
    delimiters: str = ",",
    normalise_column: Callable[[str], str] = str.strip,
) -> CsvUpload:
    max_bytes = settings.KAM_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.KAM_UPLOAD_MAX_ROWS if max_rows is None else max_rows
    raw = _read_limited(uploaded_file, max_bytes)
    text = _decode(raw)
    if not text.strip():  # after decoding: Excel writes a byte-order mark even for no data
        raise ValidationError(gettext("The file is empty."), code="empty")
    if "\x00" in text:
        raise ValidationError(
            gettext(
                "The file contains NUL characters: it looks like a spreadsheet or other binary "
                "file, not CSV. Save it as “CSV UTF-8” and upload that."
            ),
            code="binary",
        )
    delimiter = _pick_delimiter(text, delimiters)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    return _parse(reader, required_columns, max_rows, normalise_column)


def _read_limited(uploaded_file, max_bytes: int) -> bytes:
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    raw = uploaded_file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    return raw


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        gettext("The file is larger than %(limit)s. Split it into smaller files."),
        code="too_large",
        params={"limit": filesizeformat(max_bytes)},
    )


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationError(
            gettext(
                "The file is not UTF-8 text (first problem on line %(line)s). In Excel choose "
                "“Save as… CSV UTF-8”; in LibreOffice tick “Edit filter settings” and pick UTF-8."
            ),
            code="encoding",
            params={"line": line},
        ) from None


def _pick_delimiter(text: str, delimiters: str) -> str:
    """The candidate found most often in the first line, the first one listed on a tie. Counting
    is enough for a line of column names, and takes linear time whatever the line holds (unlike
    csv.Sniffer's regular expressions)."""
    first_line = text.partition("\n")[0]
    return max(delimiters, key=first_line.count)


def _next_row(reader, start_line: int) -> list[str] | None:
    """The next record, or None at the end. A quoting error names the line where the record
    starts: an unclosed quote is only noticed at the end of the file."""
    try:
        return next(reader, None)
    except csv.Error as exc:
        raise ValidationError(
            gettext("Line %(line)s is not valid CSV (%(error)s)."),
            code="malformed",
            params={"line": start_line, "error": exc},
        ) from None


def _parse(reader, required_columns, max_rows: int, normalise_column) -> CsvUpload:
    header = _next_row(reader, 1)
    if header is None or not any(cell.strip() for cell in header):
        raise ValidationError(gettext("The first line must name the columns."), code="no_header")
    if len(header) > MAX_COLUMNS:
        raise ValidationError(
            gettext(
                "The first line names %(found)s columns; at most %(limit)s are allowed. Delete the "
                "columns you do not need."
            ),
            code="too_many_columns",
            params={"found": f"{len(header):,}", "limit": MAX_COLUMNS},
        )
    columns = [normalise_column(cell) for cell in header]
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise ValidationError(
            gettext("Column %(columns)s appears more than once."),
            code="duplicate_columns",
            params={"columns": ", ".join(duplicates)},
        )
    missing = [c for c in required_columns if c not in columns]
    if missing:
        raise ValidationError(
            gettext("Missing column(s): %(missing)s. The first line must name: %(required)s."),
            code="missing_columns",
            params={"missing": ", ".join(missing), "required": ", ".join(required_columns)},
        )
    upload = CsvUpload(columns=columns)
    while True:
        start_line = reader.line_num + 1
        row = _next_row(reader, start_line)
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue  # blank lines, common at the end of exported files
        if len(upload.rows) >= max_rows:
            raise ValidationError(
                ngettext(
                    "The file has more than %(limit)s row. Split it into smaller files.",
                    "The file has more than %(limit)s rows. Split it into smaller files.",
                    max_rows,
                ),
                code="too_many_rows",
                params={"limit": formats.number(max_rows)},
            )
        if len(row) > len(columns):
            raise ValidationError(
                gettext(
                    "Line %(line)s has %(found)s values but the header names %(expected)s columns."
                ),
                code="too_many_values",
                params={"line": start_line, "found": len(row), "expected": len(columns)},
            )
        if any(len(cell) > MAX_FIELD_CHARS for cell in row):
            raise ValidationError(
                gettext("Line %(line)s has a value longer than %(limit)s characters."),
                code="field_too_long",
                params={"line": start_line, "limit": f"{MAX_FIELD_CHARS:,}"},
            )
        values = row + [""] * (len(columns) - len(row))
        upload.rows.append(dict(zip(columns, values, strict=True)))
        upload.line_numbers.append(start_line)
    return upload


# ---- amounts as spreadsheets write them ------------------------------------------------------
# Between thousands a spreadsheet may write a space, a no-break space (French Excel), a narrow
# no-break space (recent Windows), an apostrophe (Swiss) or an underscore.
GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009'’_")


def spreadsheet_digits(text: str) -> str:
    """`text` without the marks a spreadsheet may put between thousands."""
    return text.translate(GROUPING)


def amount_text(text: str) -> str:
    """`text` as Python's Decimal reads it, or '' when it does not read as one amount. The
    decimal separator is a point or a comma, as spreadsheets write them in English or French
    ('1,250,000.50', '1 250 000,50', '1.250.000,50'): with both, the last one is the decimal
    separator; one comma alone is the decimal comma, unless three digits follow it, when it
    could as well group thousands ('1,250'): that one is refused."""
    cleaned = text.translate(GROUPING)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rindex(",") > cleaned.rindex(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _, fraction = cleaned.rpartition(decimal_mark)
        groups = whole.split(grouping)
        if decimal_mark in whole or any(len(g) != 3 for g in groups[1:]):
            return ""  # '1.250,5.0', or '1,25.5': not grouped in thousands
        return "".join(groups) + "." + fraction
    for mark in ",.":
        if cleaned.count(mark) > 1:  # only thousands can repeat: '1,250,000', '1.250.000'
            groups = cleaned.split(mark)
            if all(len(g) == 3 for g in groups[1:]):
                return "".join(groups)
            return ""
    if "," in cleaned:
        whole, _, fraction = cleaned.partition(",")
        if len(fraction) == 3:
            return ""  # '1,250': 1250 or 1.25?
        return whole + "." + fraction
    return cleaned


def amount_is_ambiguous(text: str) -> bool:
    """'1,250': a thousands comma (1250) or a decimal comma (1.25)? Refused rather than guessed."""
    return re.fullmatch(r"-?\d{1,3},\d{3}", spreadsheet_digits(text)) is not None
