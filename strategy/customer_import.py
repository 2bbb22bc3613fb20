"""Checking a customer CSV file: every bad row is reported with its line number and reason.

The file itself is read by common.uploads.read_csv_upload, like every upload: its size and row
limits, encoding and column checks (and their messages) are the same as everywhere else.

Nothing here writes; `strategy.services.customers_import` saves the good rows once the user
has seen the preview (and, if there were bad rows, agreed to skip them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from accounts.models import Customer
from common.uploads import read_csv_upload

COLUMNS = ["reference", "name", "sector", "country", "annual_revenue", "potential_spend", "notes"]
REQUIRED = ("reference", "name")
MONEY_COLUMNS = {"annual_revenue", "potential_spend"}
MONEY_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
# Spreadsheets in many European locales save CSV with semicolons; some tools write tabs.
DELIMITERS = ",;\t"


def column_key(title: str) -> str:
    """`Annual Revenue` in a hand-made file names the `annual_revenue` column."""
    return title.strip().lower().replace(" ", "_")


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


def read_customer_csv(uploaded_file) -> ImportPreview:
    """Read and check an uploaded file. Problems with the file as a whole (too large, too many
    rows, not UTF-8, missing columns, no customers) raise ValidationError with the message to
    show; problems with single rows are listed in the preview."""
    upload = read_csv_upload(
        uploaded_file,
        required_columns=REQUIRED,
        delimiters=DELIMITERS,
        normalise_column=column_key,
    )
    if not upload.rows:
        raise ValidationError("The file has a header row but no customers.", code="no_rows")
    preview = ImportPreview(ignored_columns=[c for c in upload.columns if c and c not in COLUMNS])
    seen: dict[str, int] = {}
    for values, line in zip(upload.rows, upload.line_numbers, strict=True):
        cleaned, reasons = _clean_row(values)
        reference = cleaned.get("reference", "")
        if reference and reference in seen:
            reasons.append(f"reference {reference} already appears on line {seen[reference]}")
        elif reference:
            seen[reference] = line
        if reasons:
            preview.bad_rows.append(BadRow(line=line, reference=reference, reasons=reasons))
        else:
            preview.rows.append(cleaned)
    known = set(
        Customer.objects.filter(reference__in=[r["reference"] for r in preview.rows]).values_list(
            "reference", flat=True
        )
    )
    preview.new_references = {r["reference"] for r in preview.rows} - known
    return preview


def _clean_row(values: dict[str, str]) -> tuple[dict, list[str]]:
    cleaned: dict = {}
    reasons: list[str] = []
    for name in COLUMNS:
        raw = values.get(name, "").strip()
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
