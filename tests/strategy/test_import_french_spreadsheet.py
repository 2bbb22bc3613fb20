"""A customer list saved as CSV by a French spreadsheet imports as written: semicolons, a
byte-order mark, no-break spaces between thousands and a decimal comma ('1 250 000,50'). Every
amount of such a file was refused ('is not a number'), so nothing of it could be imported. An
amount that reads two ways ('1,250') is refused at its row, saying both."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Customer

NBSP, NNBSP = "\u00a0", "\u202f"


def _upload(client, text: str):
    return client.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile("clients.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))},
    )


def test_a_french_spreadsheet_file_imports_its_amounts(client_for, people):
    admin = client_for(people.programme_admin)
    response = _upload(
        admin,
        "reference;name;country;annual_revenue;potential_spend\r\n"
        f"C-1;Délices d'Alsace;France;1{NBSP}250{NBSP}000,50;3{NNBSP}000{NNBSP}000\r\n"
        "C-2;Brasserie Nord;Belgique;12,5;1.250.000,75\r\n"
        "C-3;Northwind;Royaume-Uni;1,250,000.50;2000000\r\n",
    )
    assert response.context["bad_rows"] == []
    # The preview shows each amount as read, in the page's format; sector was not in the file.
    row = re.search(r"<tr><td>C-1</td>.*?</tr>", response.content.decode()).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == ["C-1", "Délices d&#x27;Alsace", "—", "France", "1,250,000.50", "3,000,000.00"]
    token = admin.session["accounts_customer_import"]["token"]
    admin.post(reverse("strategy:customer_import_confirm"), {"token": token})
    amounts = {
        c.reference: (c.annual_revenue, c.potential_spend, c.country.code)
        for c in Customer.objects.all()
    }
    assert amounts == {
        "C-1": (Decimal("1250000.50"), Decimal("3000000.00"), "FR"),
        "C-2": (Decimal("12.50"), Decimal("1250000.75"), "BE"),
        "C-3": (Decimal("1250000.50"), Decimal("2000000.00"), "GB"),
    }
    assert Customer.objects.get(reference="C-1").name == "Délices d'Alsace"


def test_an_amount_that_reads_two_ways_is_refused_at_its_row(client_for, people):
    admin = client_for(people.programme_admin)
    response = _upload(
        admin,
        "reference;name;annual_revenue\nC-1;Délices d'Alsace;1,250\nC-2;Nord;9,99\nC-3;Sud;1,2,3\n"
        "C-4;Est;1,25.5\n",
    )
    bad = {line: reason for line, _reference, reason in response.context["bad_rows"]}
    assert bad == {
        2: "annual revenue: '1,250' could be a whole number with a thousands comma or a decimal "
        "comma: write 1250 or 1.25",
        4: "annual revenue: '1,2,3' is not an amount: write digits with a decimal point or "
        "comma, e.g. 1250000.50 or 1 250 000,50",
        5: "annual revenue: '1,25.5' is not an amount: write digits with a decimal point or "
        "comma, e.g. 1250000.50 or 1 250 000,50",
    }
    assert response.context["good_count"] == 1  # C-2: 9.99


def test_in_french_the_reason_is_french(client_for, people):
    admin = client_for(people.programme_admin)
    admin.cookies["django_language"] = "fr"
    response = admin.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile("c.csv", b"reference;name;annual_revenue\nC-1;A;1,250\n")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert (
        "annual revenue\u00a0: «\u00a01,250\u00a0» peut être un nombre entier avec une virgule des "
        "milliers ou un nombre avec une virgule décimale\u00a0: écrivez 1250 ou 1.25"
    ) in response.content.decode()
