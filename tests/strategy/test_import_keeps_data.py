"""A customer import changes what the file says and nothing else, and a customer form opened
before the import cannot silently write over what it changed."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Customer
from tests.factories import CustomerFactory


def _import(client, text: str):
    client.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile("update.csv", text.encode(), content_type="text/csv")},
    )
    token = client.session["accounts_customer_import"]["token"]
    return client.post(reverse("strategy:customer_import_confirm"), {"token": token})


def test_a_file_without_some_columns_keeps_those_values(client_for, people):
    admin = client_for(people.programme_admin)
    CustomerFactory(
        reference="C-1",
        name="Northwind",
        sector="Food",
        country="GB",
        annual_revenue=Decimal("1250000.00"),
        potential_spend=Decimal("3000000.00"),
        notes="Met the buyer in May",
    )
    _import(admin, "reference,name,potential_spend\nC-1,Northwind Foods,3500000\n")
    northwind = Customer.objects.get(reference="C-1")
    assert northwind.name == "Northwind Foods"
    assert northwind.potential_spend == Decimal("3500000.00")
    assert (northwind.sector, northwind.country, northwind.notes) == (
        "Food",
        "GB",
        "Met the buyer in May",
    )
    assert northwind.annual_revenue == Decimal("1250000.00")


def test_the_preview_names_the_columns_the_file_leaves_alone(client_for, people):
    admin = client_for(people.programme_admin)
    response = admin.post(
        reverse("strategy:customer_import"),
        {
            "file": SimpleUploadedFile(
                "update.csv", b"reference,name,potential_spend\nC-1,Northwind,10\n"
            )
        },
    )
    assert (
        "Columns not in the file: sector, country, annual_revenue, notes. Existing customers "
        "keep what they have there; new customers start without them"
    ) in response.content.decode()


def test_a_new_customer_from_a_short_file_starts_with_the_defaults(client_for, people):
    admin = client_for(people.programme_admin)
    _import(admin, "reference,name\nC-9,Aurora Dairy\n")
    aurora = Customer.objects.get(reference="C-9")
    assert (aurora.sector, aurora.notes, aurora.annual_revenue, aurora.potential_spend) == (
        "",
        "",
        Decimal("0"),
        Decimal("0"),
    )


def test_a_customer_form_opened_before_an_import_is_refused_with_both_versions(client_for, people):
    admin = client_for(people.programme_admin)
    northwind = CustomerFactory(reference="C-1", name="Northwind", sector="Food")
    edit_url = reverse("strategy:customer_edit", args=[northwind.pk])
    opened = admin.get(edit_url).context["form"]["revision"].value()

    _import(admin, "reference,name,sector\nC-1,Northwind,Frozen food\n")

    response = admin.post(
        edit_url,
        {
            "revision": opened,
            "reference": "C-1",
            "name": "Northwind",
            "sector": "Food & drink",
            "country": "",
            "annual_revenue": "0",
            "potential_spend": "0",
            "notes": "",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Frozen food" in body  # the import's version
    assert "Food &amp; drink" in body  # what was typed, kept
    assert Customer.objects.get(reference="C-1").sector == "Frozen food"
