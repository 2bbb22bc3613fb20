"""Checking a customer CSV file: every bad row is reported with its line number and reason.

The file itself is read by common.uploads.read_csv_upload, like every upload: its size and row
limits, encoding and column checks (and their messages) are the same as everywhere else.

Nothing here writes; `strategy.services.customers_import` saves the good rows once the user
has seen the preview (and, if there were bad rows, agreed to skip them).

Selection scores travel with the customers: the export has one column per active criterion,
titled `score: <criterion> (<axis>)` (`score_column`), and the import reads the same columns
back. A score cell holds 1-5, or nothing for "not scored"; a criterion whose column is not in
the file keeps the scores it has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.countries import country_code, unknown_country
from accounts.models import Customer, Programme
from common.csv_export import safe_cell
from common.formats import labelled, listed
from common.uploads import (
    amount_is_ambiguous,
    amount_text,
    read_csv_upload,
    spreadsheet_digits,
)

from .models import Axis, SelectionCriterion
from .services import SCALE_MAX, SCALE_MIN

COLUMNS = ["reference", "name", "sector", "country", "annual_revenue", "potential_spend", "notes"]
REQUIRED = ("reference", "name")
MONEY_COLUMNS = {"annual_revenue", "potential_spend"}
MONEY_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
# Spreadsheets in many European locales save CSV with semicolons; some tools write tabs.
DELIMITERS = ",;\t"


SCORE_PREFIX = "score: "
AXIS_WORDS = {Axis.ATTRACTIVENESS: "attractiveness", Axis.STRENGTH: "strength"}


def column_key(title: str) -> str:
    """`Annual Revenue` in a hand-made file names the `annual_revenue` column."""
    return title.strip().lower().replace(" ", "_")


def score_column(criterion: SelectionCriterion) -> str:
    """The export's title of a criterion's score column, e.g. `score: Growth (attractiveness)`."""
    return f"{SCORE_PREFIX}{criterion.name} ({AXIS_WORDS[criterion.axis]})"


def score_columns(programme: Programme) -> list[tuple[str, SelectionCriterion]]:
    """(column title, criterion) for every active criterion, in the criteria page's order.
    Two active criteria with the same name and axis get their number added, so that each
    column names exactly one criterion."""
    if programme.pk is None:
        return []
    criteria = list(
        SelectionCriterion.objects.filter(
            programme_id=programme.pk, archived_at__isnull=True
        ).order_by("axis", "position", "pk")
    )
    titles = [score_column(c) for c in criteria]
    return [
        (title if titles.count(title) == 1 else f"{title} #{c.pk}", c)
        for title, c in zip(titles, criteria, strict=True)
    ]


def _score_keys(programme: Programme) -> dict[str, SelectionCriterion]:
    """Normalised column name -> criterion, for the titles as written and as the export's
    formula-safe writer may have escaped them."""
    keys = {}
    for title, criterion in score_columns(programme):
        keys[column_key(title)] = criterion
        keys[column_key(safe_cell(title))] = criterion
    return keys


def _looks_like_score(column: str) -> bool:
    """A column titled like the export's score columns (`column` normalised by column_key)."""
    return column.lstrip("'").startswith(column_key(SCORE_PREFIX))


def _score(text: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise ValueError(
            _("'%(text)s' is not a whole number from %(low)s to %(high)s")
            % {"text": text, "low": SCALE_MIN, "high": SCALE_MAX}
        )
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(
            _("'%(text)s' is outside the scale of %(low)s to %(high)s")
            % {"text": text, "low": SCALE_MIN, "high": SCALE_MAX}
        )
    return int(value)


@dataclass
class BadRow:
    line: int
    reference: str
    reasons: list[str]

    @property
    def reason(self) -> str:
        return listed(self.reasons)


@dataclass
class SameName:
    """A new row named as an existing customer (its `reference`) or an earlier row (`line`)."""

    line: int
    reference: str
    name: str
    existing_reference: str | None
    earlier_line: int | None


@dataclass
class ImportPreview:
    rows: list[dict] = field(default_factory=list)  # good rows, cleaned, in file order
    bad_rows: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # Titled as a score column but naming no active criterion (renamed or archived since the
    # export?): their scores are not read, and the preview says so apart from other columns.
    unknown_score_columns: list[str] = field(default_factory=list)
    score_columns: list[str] = field(default_factory=list)  # criteria whose scores are read
    # Customer columns the file does not have: an existing customer keeps what it has there.
    absent_columns: list[str] = field(default_factory=list)
    new_references: set[str] = field(default_factory=set)
    same_names: list[SameName] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return len(self.new_references)

    @property
    def update_count(self) -> int:
        return len(self.rows) - len(self.new_references)


def _max_length(name: str) -> int | None:
    return getattr(Customer._meta.get_field(name), "max_length", None)


def _money(text: str) -> Decimal:
    if not spreadsheet_digits(text):
        return Decimal("0")
    if amount_is_ambiguous(text):
        raise ValueError(
            _(
                "'%(text)s' could be a whole number with a thousands comma or a decimal comma: "
                "write %(whole)s or %(decimal)s"
            )
            % {
                "text": text,
                "whole": spreadsheet_digits(text).replace(",", ""),
                "decimal": format(
                    Decimal(spreadsheet_digits(text).replace(",", ".")).normalize(), "f"
                ),
            }
        )
    try:
        value = Decimal(amount_text(text))
    except InvalidOperation:
        raise ValueError(
            _(
                "'%(text)s' is not an amount: write digits with a decimal point or comma, "
                "e.g. 1250000.50 or 1 250 000,50"
            )
            % {"text": text}
        ) from None
    if not value.is_finite():
        raise ValueError(_("'%(text)s' is not a number") % {"text": text})
    if value < 0:
        raise ValueError(_("'%(text)s' is negative") % {"text": text})
    if value > MONEY_MAX:
        raise ValueError(_("'%(text)s' is too large") % {"text": text})
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
        raise ValidationError(_("The file has a header row but no customers."), code="no_rows")
    score_keys = _score_keys(Programme.current())
    read_scores = {c: score_keys[c] for c in upload.columns if c in score_keys}
    preview = ImportPreview(
        ignored_columns=[
            c
            for c in upload.columns
            if c and c not in COLUMNS and c not in read_scores and not _looks_like_score(c)
        ],
        unknown_score_columns=[  # as titled, but for the case column_key lowered
            c.replace("_", " ")
            for c in upload.columns
            if c not in read_scores and _looks_like_score(c)
        ],
        score_columns=[score_column(c) for c in read_scores.values()],
        absent_columns=[c for c in COLUMNS if c not in upload.columns],
    )
    present = [c for c in COLUMNS if c in upload.columns]
    seen: dict[str, int] = {}
    lines: dict[str, int] = {}  # reference -> line, of the good rows
    for values, line in zip(upload.rows, upload.line_numbers, strict=True):
        cleaned, reasons = _clean_row(values, read_scores, present)
        reference = cleaned.get("reference", "")
        if reference and reference in seen:
            reasons.append(
                _("reference %(reference)s already appears on line %(line)s")
                % {"reference": reference, "line": seen[reference]}
            )
        elif reference:
            seen[reference] = line
        if reasons:
            preview.bad_rows.append(BadRow(line=line, reference=reference, reasons=reasons))
        else:
            preview.rows.append(cleaned)
            lines[reference] = line
    known = set(
        Customer.objects.filter(reference__in=[r["reference"] for r in preview.rows]).values_list(
            "reference", flat=True
        )
    )
    preview.new_references = {r["reference"] for r in preview.rows} - known
    preview.same_names = _same_names(preview, lines)
    return preview


def _same_names(preview: ImportPreview, lines: dict[str, int]) -> list[SameName]:
    """New customers named as an existing customer or as an earlier new row (case and outer
    spaces aside): most likely one customer under two references, which the import would make
    twice. They are imported all the same (two companies may share a name); the preview lists
    them so that the user can look."""
    new_rows = [r for r in preview.rows if r["reference"] in preview.new_references]
    existing: dict[str, str] = {}
    if new_rows:  # one query for every customer's name: casefold() is Python's, not SQL's
        for name, reference in Customer.objects.order_by("reference").values_list(
            "name", "reference"
        ):
            existing.setdefault(name.strip().casefold(), reference)
    found, earlier = [], {}
    for row in new_rows:
        key, line = row["name"].strip().casefold(), lines[row["reference"]]
        if key in existing:
            found.append(SameName(line, row["reference"], row["name"], existing[key], None))
        elif key in earlier:
            found.append(SameName(line, row["reference"], row["name"], None, earlier[key]))
        else:
            earlier[key] = line
    return found


def _clean_row(
    values: dict[str, str], score_columns: dict[str, SelectionCriterion], present: list[str]
) -> tuple[dict, list[str]]:
    """The row's values for the customer columns the file has (`present`): a column the file
    leaves out is not in the cleaned row, so the import leaves that field alone."""
    cleaned: dict = {}
    reasons: list[str] = []
    for name in present:
        raw = values.get(name, "").strip()
        if name in MONEY_COLUMNS:
            try:
                cleaned[name] = _money(raw)
            except ValueError as error:
                reasons.append(labelled(name.replace("_", " "), error))
            continue
        if name in REQUIRED and not raw:
            reasons.append(_("%(column)s is empty") % {"column": name})
        if name == "country":
            cleaned[name] = country_code(raw)
            if cleaned[name] is None:
                reasons.append(labelled("country", unknown_country(raw)))
            continue
        limit = _max_length(name)
        if limit and len(raw) > limit:
            reasons.append(
                _("%(column)s is longer than %(limit)s characters")
                % {"column": name, "limit": limit}
            )
        cleaned[name] = raw
    # criterion id -> 1..5, or None for "not scored"; only the criteria the file has a column for.
    cleaned["scores"] = {}
    for column, criterion in score_columns.items():
        try:
            cleaned["scores"][criterion.pk] = _score(values.get(column, ""))
        except ValueError as error:
            reasons.append(labelled(score_column(criterion), error))
    return cleaned, reasons
