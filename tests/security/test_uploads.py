"""Hostile and awkward CSV uploads: each gets a message a person can act on, never a 500.

First common.uploads.read_csv_upload itself, then the same kinds of file through the customer
import page (/strategy/customers/import/), where a refused file keeps the user on the form with
the message next to the file field and nothing is imported."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Customer
from common.uploads import read_csv_upload


def _read(data: bytes, **options):
    upload = SimpleUploadedFile("upload.csv", data, content_type="text/csv")
    return read_csv_upload(upload, required_columns=["Name"], **options)


def _refusal(data: bytes, **options) -> str:
    with pytest.raises(ValidationError) as refused:
        _read(data, **options)
    (message,) = refused.value.messages
    return message


def test_a_file_holding_only_excels_byte_order_mark_is_called_empty():
    assert _refusal(b"\xef\xbb\xbf") == "The file is empty."
    assert _refusal(b"\xef\xbb\xbf\r\n\r\n") == "The file is empty."


def test_a_header_with_hundreds_of_thousands_of_columns_is_refused_quickly():
    # Each short row would otherwise be padded to every column (memory), and the duplicate
    # check compared every column name with every other (minutes of CPU for 2 MB).
    header = ",".join(f"c{n}" for n in range(250_000)).encode()
    assert len(header) + 8000 < 2 * 1024 * 1024
    assert _refusal(b"Name," + header + b"\n" + b"x\n" * 4000) == (
        "The first line names 250,001 columns; at most 200 are allowed. Delete the columns "
        "you do not need."
    )


def test_two_hundred_columns_are_still_read():
    header = ",".join(["Name", *(f"c{n}" for n in range(199))])
    upload = _read(f"{header}\nNorthwind\n".encode())
    assert len(upload.columns) == 200
    assert upload.rows[0]["Name"] == "Northwind"


# ---- read_csv_upload: one file each, with the message a person sees ------------------------

NOT_UTF8 = (
    "The file is not UTF-8 text (first problem on line {line}). In Excel choose “Save as… CSV "
    "UTF-8”; in LibreOffice tick “Edit filter settings” and pick UTF-8."
)
BINARY = (
    "The file contains NUL characters: it looks like a spreadsheet or other binary file, not "
    "CSV. Save it as “CSV UTF-8” and upload that."
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def _xlsx() -> bytes:
    """A spreadsheet saved as .xlsx (a zip) and renamed .csv. The entry's time is fixed: with
    the clock's, the zip header held a newline byte at some minutes (0x0a), and the first
    undecodable byte then fell on line 2 instead of 1."""
    buffer = io.BytesIO()
    entry = zipfile.ZipInfo("xl/workbook.xml", date_time=(2026, 1, 1, 9, 30, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(entry, "<workbook><sheets><sheet name='Customers'/></sheets>")
    return buffer.getvalue()


REFUSED_FILES = [
    pytest.param(b"", "The file is empty.", id="empty"),
    pytest.param(b" \r\n\r\n\t\n", "The file is empty.", id="only-blank-lines"),
    pytest.param(
        "Name,Sector\nSociété,Food\n".encode("utf-16"), NOT_UTF8.format(line=1), id="utf-16"
    ),
    pytest.param("Name,Sector\nNorthwind,Food\n".encode("utf-16-le"), BINARY, id="utf-16-no-bom"),
    pytest.param(
        "Name,Sector\nSociété Générale,Banking\n".encode("latin-1"),
        NOT_UTF8.format(line=2),
        id="latin-1",
    ),
    pytest.param(
        "Name,Sector\nNorthwind,Food\nHelios – Retail,Shops\n".encode("cp1252"),
        NOT_UTF8.format(line=3),
        id="cp1252-dash",
    ),
    pytest.param(PNG, NOT_UTF8.format(line=1), id="png-image"),
    pytest.param(_xlsx(), NOT_UTF8.format(line=1), id="xlsx-renamed"),
    pytest.param(b"Name,Sector\nNorth\x00wind,Food\n", BINARY, id="nul-byte"),
    pytest.param(
        b"Sector,Country\nFood,UK\n",
        "Missing column(s): Name. The first line must name: Name.",
        id="missing-column",
    ),
    pytest.param(
        b"Name,Sector, Name \nNorthwind,Food,Helios\n",
        "Column Name appears more than once.",
        id="repeated-column",
    ),
    pytest.param(
        b",,\nNorthwind,Food,UK\n", "The first line must name the columns.", id="no-header"
    ),
    pytest.param(
        b"Name,Sector\nNorthwind,Food\n" + b"x" * 10_001 + b",Food\n",
        "Line 3 has a value longer than 10,000 characters.",
        id="long-value",
    ),
    pytest.param(
        b"Name,Sector\n" + b"x" * 200_000 + b",Food\n",
        "Line 2 is not valid CSV (field larger than field limit (131072)).",
        id="very-long-line",
    ),
    pytest.param(
        b'Name,Sector\n"North"wind,Food\n',
        "Line 2 is not valid CSV (',' expected after '\"').",
        id="stray-quote",
    ),
    pytest.param(
        b'Name,"Sec\ntor\nNorthwind,Food\n',
        "Line 1 is not valid CSV (unexpected end of data).",
        id="unclosed-quote-in-header",
    ),
    pytest.param(
        b'Name,Sector\n"Northwind,Food\nHelios,Retail\nCastello,Hotels\n',
        "Line 2 is not valid CSV (unexpected end of data).",
        id="unclosed-quote",
    ),
    pytest.param(
        b"Name,Sector\nNorthwind,Food,UK\n",
        "Line 2 has 3 values but the header names 2 columns.",
        id="too-many-values",
    ),
]


@pytest.mark.parametrize(("data", "message"), REFUSED_FILES)
def test_an_unreadable_file_is_refused_with_a_message(data, message):
    assert _refusal(data) == message


def test_the_byte_limit_refuses_one_byte_more():
    data = b"Name\n" + b"Northwind\n" * 10  # 105 bytes
    assert len(_read(data, max_bytes=105).rows) == 10
    assert _refusal(data, max_bytes=104) == (
        "The file is larger than 104\xa0bytes. Split it into smaller files."
    )


class _CountingFile(io.BytesIO):
    """An upload that claims to be small and records how much was read from it."""

    size = 10
    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_a_file_that_lies_about_its_size_is_read_only_to_the_limit():
    upload = _CountingFile(b"Name\n" + b"Northwind\n" * 300_000)  # 3 MB
    with pytest.raises(ValidationError) as refused:
        read_csv_upload(upload)
    assert refused.value.messages == [
        "The file is larger than 2.0\xa0MB. Split it into smaller files."
    ]
    assert upload.bytes_read == 2 * 1024 * 1024 + 1


def test_the_row_limit_counts_data_rows_not_blank_lines(settings):
    settings.KAM_UPLOAD_MAX_ROWS = 3
    assert len(_read(b"Name\nA\n\nB\n\nC\n\n").rows) == 3
    assert _refusal(b"Name\nA\nB\nC\nD\n") == (
        "The file has more than 3 rows. Split it into smaller files."
    )


def test_excels_byte_order_mark_is_not_part_of_the_first_column_name():
    upload = _read("\ufeffName,Sector\r\nNorthwind,Food\r\n".encode())
    assert upload.columns == ["Name", "Sector"]
    assert upload.rows == [{"Name": "Northwind", "Sector": "Food"}]


def test_a_header_only_file_has_no_rows():
    upload = _read(b"Name,Sector\n\n")
    assert (upload.columns, upload.rows) == (["Name", "Sector"], [])


def test_semicolons_separate_values_only_where_the_caller_allows_them():
    data = b'Name;Sector\n"Northwind; UK";Food\n'
    assert _refusal(data) == "Missing column(s): Name. The first line must name: Name."
    upload = _read(data, delimiters=",;")
    assert upload.rows == [{"Name": "Northwind; UK", "Sector": "Food"}]
    # A comma file with semicolons in its values stays a comma file.
    upload = _read(b"Name,Sector\nNorthwind; UK,Food; drink\n", delimiters=",;")
    assert upload.rows == [{"Name": "Northwind; UK", "Sector": "Food; drink"}]


def test_values_are_kept_as_written_with_the_line_each_row_starts_on():
    data = b'Name,Notes\n=HYPERLINK("http://x"),"two\nlines"\n@SUM(A1),-2+3\n'
    upload = _read(data)
    assert upload.rows == [
        {"Name": '=HYPERLINK("http://x")', "Notes": "two\nlines"},
        {"Name": "@SUM(A1)", "Notes": "-2+3"},
    ]
    assert upload.line_numbers == [2, 4]


# ---- the customer import page --------------------------------------------------------------

CUSTOMERS = "reference,name,sector,country,annual_revenue,potential_spend,notes\n"

PAGE_REFUSALS = [
    pytest.param(b"", "The submitted file is empty.", id="empty"),
    pytest.param(b"\xef\xbb\xbf\r\n", "The file is empty.", id="only-byte-order-mark"),
    pytest.param(
        CUSTOMERS.encode() + "C-1,Société Générale,,,,,\n".encode("cp1252"),
        NOT_UTF8.format(line=2),
        id="cp1252",
    ),
    pytest.param(
        (CUSTOMERS + "C-1,Northwind,,,,,\n").encode("utf-16"), NOT_UTF8.format(line=1), id="utf-16"
    ),
    pytest.param(PNG, NOT_UTF8.format(line=1), id="png-image"),
    pytest.param(_xlsx(), NOT_UTF8.format(line=1), id="xlsx-renamed"),
    pytest.param(CUSTOMERS.encode() + b"C-1,North\x00wind,,,,,\n", BINARY, id="nul-byte"),
    pytest.param(
        b"reference,sector\nC-1,Food\n",
        "Missing column(s): name. The first line must name: reference, name.",
        id="missing-name-column",
    ),
    pytest.param(
        b"Reference,Name,NAME\nC-1,Northwind,Helios\n",
        "Column name appears more than once.",
        id="repeated-column-in-other-case",
    ),
    pytest.param(
        CUSTOMERS.encode(), "The file has a header row but no customers.", id="header-only"
    ),
    pytest.param(
        CUSTOMERS.encode() + b"C-1,Northwind,,,,," + b"x" * 10_001 + b"\n",
        "Line 2 has a value longer than 10,000 characters.",
        id="long-value",
    ),
    pytest.param(
        CUSTOMERS.encode() + b'C-1,"Northwind,,,,,\nC-2,Helios,,,,,\n',
        "Line 2 is not valid CSV (unexpected end of data).",
        id="unclosed-quote",
    ),
]


def _import(client, data: bytes):
    return client.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile("customers.csv", data, content_type="text/csv")},
    )


def _assert_refused_on_the_form(response, message: str) -> None:
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "strategy/customer_import.html"
    assert list(response.context["form"].errors["file"]) == [message]
    assert escape(message) in response.content.decode()
    assert "accounts_customer_import" not in response.wsgi_request.session
    assert not Customer.objects.exists()


@pytest.mark.parametrize(("data", "message"), PAGE_REFUSALS)
def test_the_import_page_shows_why_a_file_is_refused(client_for, people, data, message):
    response = _import(client_for(people.programme_admin), data)
    _assert_refused_on_the_form(response, message)


def test_the_import_page_applies_the_configured_size_and_row_limits(client_for, people, settings):
    client = client_for(people.programme_admin)
    rows = CUSTOMERS + "".join(f"C-{n},Customer {n},,,,,\n" for n in range(4))
    settings.KAM_UPLOAD_MAX_ROWS = 3
    _assert_refused_on_the_form(
        _import(client, rows.encode()),
        "The file has more than 3 rows. Split it into smaller files.",
    )
    settings.KAM_UPLOAD_MAX_ROWS = 5000
    settings.KAM_UPLOAD_MAX_BYTES = 100
    _assert_refused_on_the_form(
        _import(client, rows.encode()),
        "The file is larger than 100\xa0bytes. Split it into smaller files.",
    )
    response = client.get(reverse("strategy:customer_import"))
    assert "Up to 100\xa0bytes and 5,000 rows." in response.content.decode()
