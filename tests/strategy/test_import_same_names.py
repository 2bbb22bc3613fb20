"""A customer file that names a customer we have under another reference (or names one twice
under two references) is shown before the import: it would make the customer twice, and every
count of customers (the key-account share among them) would count it twice."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Customer
from tests.factories import CustomerFactory


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_new_rows_named_as_another_customer_are_listed_and_still_imported(client_for, people):
    admin = client_for(people.programme_admin)
    CustomerFactory(reference="C-1001", name="Délices d'Alsace")
    CustomerFactory(reference="C-1002", name="Helios Retail")
    response = admin.post(
        reverse("strategy:customer_import"),
        {
            "file": SimpleUploadedFile(
                "c.csv",
                "reference,name\n"
                "C-1002,Helios Retail\n"  # line 2: the same customer, updated: fine
                "ERP-7,DÉLICES D'ALSACE \n"  # line 3: C-1001 again under an ERP number
                "ERP-8,Nordic Fish\n"  # line 4: new
                "ERP-9,nordic fish\n"  # line 5: line 4 again
                "ERP-10,Atlas\n".encode(),
            )
        },
    )
    assert response.context["stored"]["same_names"] == [
        [3, "ERP-7", "DÉLICES D'ALSACE", "C-1001", None],
        [5, "ERP-9", "nordic fish", None, 4],
    ]
    text = _text(response)
    assert "New customers with the name of another" in text
    assert "3 ERP-7 DÉLICES D&#x27;ALSACE customer C-1001" in text
    assert "5 ERP-9 nordic fish line 4 of the file" in text

    token = admin.session["accounts_customer_import"]["token"]
    admin.post(reverse("strategy:customer_import_confirm"), {"token": token})
    assert Customer.objects.count() == 6  # listed, not refused: two companies may share a name


def test_a_file_without_such_rows_shows_no_list(client_for, people):
    admin = client_for(people.programme_admin)
    CustomerFactory(reference="C-1", name="Northwind")
    response = admin.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile("c.csv", b"reference,name\nC-1,Northwind\nC-2,Atlas\n")},
    )
    assert response.context["stored"]["same_names"] == []
    assert "with the name of another" not in response.content.decode()
