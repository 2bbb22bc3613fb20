"""Hostile and awkward CSV uploads: each gets a message a person can act on, never a 500.

First kam.uploads.read_csv_upload itself, then the same kinds of file through the customer
import page (/strategy/customers/import/), where a refused file keeps the user on the form with
the message next to the file field and nothing is imported."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kam.uploads import read_csv_upload


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
