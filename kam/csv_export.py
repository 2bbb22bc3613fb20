"""CSV downloads that spreadsheets cannot turn into formulas (CSV injection)."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text that starts like a formula gets a leading apostrophe, so Excel shows it as text.
    Plain numbers (including negative ones) are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, int | float) or _is_number(value):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _is_number(value) -> bool:
    from decimal import Decimal

    return isinstance(value, Decimal)


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # BOM so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
