"""A customer's country is picked from a list and named in the reader's language, everywhere it
shows; imports read a name (English or French) or an ISO code, and say which text names no
country; the customer list's search finds a country by its name in the reader's language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.countries import codes_named, country_code
from accounts.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
HEADER = "reference,name,sector,country,annual_revenue,potential_spend,notes\n"


def _text(response):
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Germany", "DE"),
        ("germany", "DE"),
        ("Allemagne", "DE"),
        ("DE", "DE"),
        ("deu", "DE"),
        ("UK", "GB"),
        ("Scotland", "GB"),
        ("United States", "US"),
        ("  The   Netherlands ", "NL"),
        ("", ""),
        ("Narnia", None),
    ],
)
def test_typed_text_to_a_code(typed, code):
    assert country_code(typed) == code


def test_the_overview_and_the_account_list_name_the_country_in_the_readers_language(
    client_for, people, account
):
    Customer.objects.filter(pk=account.customer_id).update(country="HU")
    client = client_for(people.director)
    overview = reverse("accounts:account_detail", args=[account.pk])
    assert "Hungary" in _text(client.get(overview))
    french = _text(client.get(overview, **FR))
    assert "Hongrie" in french and "Hungary" not in french
    listing = _text(client.get(reverse("accounts:account_list"), **FR))
    assert 'data-label="Pays">Hongrie</td>' in listing


def test_the_form_offers_the_list_in_french_and_stores_the_code(client_for, people):
    admin = client_for(people.programme_admin)
    page = admin.get(reverse("strategy:customer_add"), **FR).content.decode()
    assert '<option value="DE">Allemagne</option>' in page
    response = admin.post(
        reverse("strategy:customer_add"),
        {
            "reference": "C-77",
            "name": "Balaton Foods",
            "country": "HU",
            "annual_revenue": "0",
            "potential_spend": "0",
        },
    )
    assert response.status_code == 302
    assert Customer.objects.get(reference="C-77").country == "HU"
    bad = admin.post(
        reverse("strategy:customer_add"),
        {"reference": "C-78", "name": "Nowhere Ltd", "country": "Narnia"},
    )
    assert bad.status_code == 400 or "Narnia" in bad.content.decode()
    assert not Customer.objects.filter(reference="C-78").exists()


def test_the_import_reads_names_and_codes_and_names_the_text_it_cannot_place(client_for, people):
    admin = client_for(people.programme_admin)
    data = (
        HEADER + "C-1,Northwind Foods,Food,Allemagne,,,\n"
        "C-2,Helios Retail,Retail,fr,,,\n"
        "C-3,Atlantis Trading,Retail,Atlantis,,,\n"
    ).encode()
    response = admin.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile("customers.csv", data, content_type="text/csv")},
    )
    text = _text(response)
    # The preview names the countries it read; the bad row says why.
    assert '<td data-label="Country">Germany</td>' in text
    assert '<td data-label="Country">France</td>' in text
    assert (
        "country: 'Atlantis' is not a country we know: write its name or its two-letter ISO "
        "code (e.g. DE)" in text.replace("&#x27;", "'")
    )


def test_the_customer_list_finds_a_country_by_its_name_in_the_readers_language(client_for, people):
    CustomerFactory(name="Elbe Kunststoffe", country="DE")
    CustomerFactory(name="Loire Emballages", country="FR")
    admin = client_for(people.programme_admin)
    url = reverse("strategy:customer_list")
    french = _text(admin.get(url + "?q=allem", **FR))
    assert "Elbe Kunststoffe" in french and "Loire Emballages" not in french
    english = _text(admin.get(url + "?q=germ"))
    assert "Elbe Kunststoffe" in english and "Loire Emballages" not in english
    assert "DE" in codes_named("Deutsch") or "DE" in codes_named("germ")


def test_the_csv_export_writes_the_english_name_the_import_reads_back(client_for, people):
    CustomerFactory(reference="C-9", name="Elbe Kunststoffe", country="DE")
    admin = client_for(people.programme_admin)
    body = admin.get(reverse("strategy:customer_export")).content.decode("utf-8-sig")
    assert "C-9,Elbe Kunststoffe," in body and ",Germany," in body
