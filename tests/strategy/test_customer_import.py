"""The candidate customer CSV import at /strategy/customers/import/: preview, line-numbered
problems, skipping bad rows on purpose, re-import by reference, and the file limits."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Customer
from tests.factories import CustomerFactory

HEADER = "reference,name,sector,country,annual_revenue,potential_spend,notes\n"


def _upload(client, text: str | bytes, name: str = "customers.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def _confirm(client, **extra):
    token = client.session["accounts_customer_import"]["token"]
    return client.post(reverse("strategy:customer_import_confirm"), {"token": token, **extra})


def _file_errors(response) -> list[str]:
    """The problems shown next to the file field; none when the preview was shown instead."""
    assert response.status_code == 200
    if "form" not in response.context:
        return []
    return list(response.context["form"].errors.get("file", []))


@pytest.fixture
def admin(client_for, people):
    return client_for(people.programme_admin)


def test_a_clean_file_is_previewed_and_imported_only_on_confirm(admin):
    response = _upload(
        admin,
        HEADER + "C-1,Northwind Foods,Food,UK,1250000.50,2000000,\n"
        "C-2,Helios Retail,Retail,France,,,Big stores\n",
    )
    assert response.status_code == 200
    assert "strategy/customer_import_preview.html" in [t.name for t in response.templates]
    assert response.context["stored"]["new_count"] == 2
    assert not Customer.objects.exists()

    response = _confirm(admin)
    assert response.status_code == 302
    northwind = Customer.objects.get(reference="C-1")
    assert northwind.name == "Northwind Foods"
    assert northwind.annual_revenue == Decimal("1250000.50")
    assert Customer.objects.get(reference="C-2").annual_revenue == Decimal("0")
    page = admin.get(response["Location"])
    assert "Imported customers.csv: 2 new, 0 updated, 0 unchanged." in page.content.decode()


def test_bad_rows_are_listed_with_their_line_and_reason(admin):
    response = _upload(
        admin,
        HEADER + "C-1,Northwind Foods,,,,,\n"  # line 2: fine
        "C-2,,,,,,\n"  # line 3: no name
        "C-3,Castello Hotels,,,-5,,\n"  # line 4: negative money
        "C-4,Delta Ltd,,,lots,,\n"  # line 5: not a number
        "C-1,Northwind again,,,,,\n",  # line 6: repeated reference
    )
    bad = {line: (reference, reason) for line, reference, reason in response.context["bad_rows"]}
    assert bad == {
        3: ("C-2", "name is empty"),
        4: ("C-3", "annual revenue: '-5' is negative"),
        5: (
            "C-4",
            "annual revenue: 'lots' is not an amount: write digits with a decimal point or "
            "comma, e.g. 1250000.50 or 1 250 000,50",
        ),
        6: ("C-1", "reference C-1 already appears on line 2"),
    }
    body = response.content.decode()
    assert "Rows with problems" in body
    assert "name is empty" in body


def test_bad_rows_are_imported_around_only_when_the_user_agrees_to_skip_them(admin):
    _upload(admin, HEADER + "C-1,Northwind Foods,,,,,\nC-2,,,,,,\n")

    response = _confirm(admin)
    assert response.status_code == 200
    assert "Tick &#x27;Skip the bad rows&#x27;" in response.content.decode()
    assert not Customer.objects.exists()

    response = _confirm(admin, skip_bad="1")
    assert response.status_code == 302
    assert list(Customer.objects.values_list("reference", flat=True)) == ["C-1"]
    page = admin.get(response["Location"])
    assert "1 new, 0 updated, 0 unchanged, 1 bad row skipped." in page.content.decode()


def test_importing_again_updates_customers_matched_on_reference(admin):
    CustomerFactory(reference="C-1", name="Northwind", sector="Food")
    response = _upload(admin, HEADER + "C-1,Northwind Foods plc,Food,,,,\nC-2,Helios,,,,,\n")
    assert response.context["stored"]["new_count"] == 1
    assert response.context["stored"]["update_count"] == 1

    page = admin.get(_confirm(admin)["Location"])
    assert "1 new, 1 updated, 0 unchanged." in page.content.decode()
    assert Customer.objects.count() == 2
    assert Customer.objects.get(reference="C-1").name == "Northwind Foods plc"


def test_an_exported_customer_list_imports_again_unchanged(admin):
    CustomerFactory(reference="C-1", name="Northwind Foods", notes="Line one\nline two")
    CustomerFactory(reference="C-2", name="Helios Retail")
    exported = admin.get(reverse("strategy:customer_export")).content

    response = _upload(admin, exported, name="export.csv")
    stored = response.context["stored"]
    assert (stored["new_count"], stored["update_count"]) == (0, 2)
    assert "classification" in stored["ignored_columns"]
    page = admin.get(_confirm(admin)["Location"])
    assert "0 new, 0 updated, 2 unchanged." in page.content.decode()


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(admin, separator):
    text = HEADER.replace(",", separator) + separator.join(
        ["C-1", "Northwind, Foods", "Food", "UK", "1200", "", ""]
    )
    _upload(admin, text)
    _confirm(admin)
    customer = Customer.objects.get(reference="C-1")
    assert customer.name == "Northwind, Foods"
    assert customer.annual_revenue == Decimal("1200")


def test_column_names_may_use_capitals_and_spaces_and_any_order(admin):
    _upload(admin, "Name,Annual Revenue,Reference\nNorthwind Foods,99,C-1\n")
    _confirm(admin)
    customer = Customer.objects.get(reference="C-1")
    assert (customer.name, customer.annual_revenue) == ("Northwind Foods", Decimal("99"))


def test_an_expired_preview_cannot_be_confirmed(admin):
    _upload(admin, HEADER + "C-1,Northwind Foods,,,,,\n")
    response = admin.post(reverse("strategy:customer_import_confirm"), {"token": "guessed"})
    assert response["Location"] == reverse("strategy:customer_import")
    assert not Customer.objects.exists()


def test_the_file_limits_are_2_mb_and_5000_rows(admin):
    # 5,000 rows of about 419 bytes, the last one padded: exactly 2 MiB is accepted.
    row = "C-{:04d},Customer,,,,,{}\n"
    rows = "".join(row.format(n, "x" * 398) for n in range(5000))
    text = HEADER + rows
    text = text[:-1] + "x" * (2 * 1024 * 1024 - len(text.encode())) + "\n"
    assert len(text.encode()) == 2 * 1024 * 1024
    response = _upload(admin, text)
    assert _file_errors(response) == []
    assert response.context["stored"]["new_count"] == 5000

    # The messages are common.uploads' own, the same for every upload in the app.
    assert _file_errors(_upload(admin, text + "x")) == [
        "The file is larger than 2.0\xa0MB. Split it into smaller files."
    ]
    too_many = HEADER + "".join(row.format(n, "") for n in range(5001))
    assert _file_errors(_upload(admin, too_many)) == [
        "The file has more than 5,000 rows. Split it into smaller files."
    ]


def test_confirming_the_same_preview_twice_imports_it_once_and_says_so(admin):
    _upload(admin, HEADER + "C-1,Northwind Foods,Food,UK,1250000.50,2000000,\n")
    token = admin.session["accounts_customer_import"]["token"]
    url = reverse("strategy:customer_import_confirm")
    first = admin.post(url, {"token": token}, follow=True)
    assert "Imported customers.csv: 1 new, 0 updated, 0 unchanged." in first.content.decode()
    again = admin.post(url, {"token": token}, follow=True)  # a second click, or a reload
    assert again.status_code == 200
    page = again.content.decode()
    assert "customers.csv was already imported (confirmed twice?): nothing more was changed." in (
        page
    )
    assert "Imported customers.csv" not in page
    assert Customer.objects.filter(reference="C-1").count() == 1
    # Another (stale) token is still the expired preview.
    stale = admin.post(url, {"token": "something-else"}, follow=True)
    assert "That import preview has expired. Upload the file again." in stale.content.decode()


def test_a_french_reader_reads_each_reason_with_french_punctuation(client_for, people):
    """A reason names its column and a problem, and a row's reasons are listed: in French a
    no-break space comes before the colon and the semicolon (common.formats.labelled, listed)."""
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    response = _upload(client_for(people.programme_admin), HEADER + "C-3,,,,-5,,\n")
    ((line, reference, reason),) = response.context["bad_rows"]
    assert (line, reference) == (2, "C-3")
    parts = reason.split("\u00a0; ")
    assert len(parts) == 2, reason
    assert parts[1].startswith("annual revenue\u00a0: "), reason
