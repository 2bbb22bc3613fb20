"""Reading a customer CSV file: every bad row is reported with its line number and reason.

Nothing here writes; `accounts.services.customers_import` saves the good rows once the user
has seen the preview (and, if there were bad rows, agreed to skip them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .models import Customer

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = ["reference", "name", "sector", "country", "annual_revenue", "potential_spend", "notes"]
REQUIRED = {"reference", "name"}
MONEY_COLUMNS = {"annual_revenue", "potential_spend"}
MONEY_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2


class ImportFileError(Exception):
    """The file as a whole cannot be read (too big, wrong columns, not text)."""


@dataclass
class BadRow:
    line: int
    reference: str
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class ImportPreview:
    rows: list[dict] = field(default_factory=list)  # good rows, cleaned, in file order
    bad_rows: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    new_references: set[str] = field(default_factory=set)

    @property
    def is_clean(self) -> bool:
        return not self.bad_rows

    @property
    def new_count(self) -> int:
        return len(self.new_references)

    @property
    def update_count(self) -> int:
        return len(self.rows) - len(self.new_references)


def _max_length(name: str) -> int | None:
    return getattr(Customer._meta.get_field(name), "max_length", None)


def _money(text: str) -> Decimal:
    cleaned = text.replace(" ", "").replace("_", "")
    if not cleaned:
        return Decimal("0")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(
            f"'{text}' is not a number (use digits and an optional decimal point, e.g. 1250000.50)"
        ) from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    if value < 0:
        raise ValueError(f"'{text}' is negative")
    if value > MONEY_MAX:
        raise ValueError(f"'{text}' is too large")
    return value.quantize(Decimal("0.01"))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8'."
        ) from None


def read_customer_csv(data: bytes) -> ImportPreview:
    """Parse and validate an uploaded file. Raises ImportFileError for file-level problems."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    text = _decode(data)
    if not text.strip():
        raise ImportFileError("The file is empty.")
    first_line = text.splitlines()[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
    missing = [c for c in COLUMNS if c in REQUIRED and c not in header]
    if missing:
        raise ImportFileError(
            f"The header row lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. Expected columns: {', '.join(COLUMNS)}."
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    preview = ImportPreview(ignored_columns=[h for h in header if h and h not in COLUMNS])
    seen: dict[str, int] = {}
    data_rows = 0
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} customer rows. Split it into smaller files."
            )
        cleaned, reasons = _clean_row(row, index)
        reference = cleaned.get("reference", "")
        if reference and reference in seen:
            reasons.append(f"reference {reference} already appears on line {seen[reference]}")
        elif reference:
            seen[reference] = line
        if reasons:
            preview.bad_rows.append(BadRow(line=line, reference=reference, reasons=reasons))
        else:
            preview.rows.append(cleaned)
    if data_rows == 0:
        raise ImportFileError("The file has a header row but no customers.")
    known = set(
        Customer.objects.filter(reference__in=[r["reference"] for r in preview.rows]).values_list(
            "reference", flat=True
        )
    )
    preview.new_references = {r["reference"] for r in preview.rows} - known
    return preview


def _clean_row(row: list[str], index: dict[str, int]) -> tuple[dict, list[str]]:
    cleaned: dict = {}
    reasons: list[str] = []
    for name in COLUMNS:
        raw = row[index[name]].strip() if name in index and index[name] < len(row) else ""
        if name in MONEY_COLUMNS:
            try:
                cleaned[name] = _money(raw)
            except ValueError as error:
                reasons.append(f"{name.replace('_', ' ')}: {error}")
            continue
        if name in REQUIRED and not raw:
            reasons.append(f"{name} is empty")
        limit = _max_length(name)
        if limit and len(raw) > limit:
            reasons.append(f"{name} is longer than {limit} characters")
        cleaned[name] = raw
    return cleaned, reasons
