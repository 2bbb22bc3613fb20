"""Webhooks and CRM exchange read in French by a programme admin: the forms' buttons, a file
refused for its columns, the preview's field names and row reasons, the failed rows' CSV, and
the page that refuses someone who is not a programme admin."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integrations.models import ImportRun

from .test_crm_exchange import ACCOUNTS, CONTACTS, admin_client, import_file  # noqa: F401

NBSP = "\u00a0"
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _upload_in_french(client, text, object_type):
    response = client.post(
        reverse("integrations:import_start"),
        {
            "source": "salesforce",
            "object_type": object_type,
            "file": SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv"),
        },
        **FR,
    )
    return response


def test_the_forms_and_the_export_links_speak_french(admin_client):  # noqa: F811
    index = admin_client.get(reverse("integrations:index"), **FR).content.decode()
    assert f"Salesforce{NBSP}: comptes (CSV)" in index
    form = admin_client.get(reverse("integrations:import_start"), **FR).content.decode()
    assert 'value="Vérifier le fichier (rien n’est encore enregistré)"' in form
    hook = admin_client.get(reverse("integrations:webhook_add"), **FR).content.decode()
    assert 'value="Enregistrer l’abonnement"' in hook
    for english in ("Check the file", "Save subscription", "Salesforce: "):
        assert english not in form + hook + index, english


def test_a_file_without_the_columns_is_refused_in_french(admin_client):  # noqa: F811
    response = _upload_in_french(admin_client, "Name,Email\nA,a@b.c\n", "contact")
    assert response.status_code == 200
    assert (
        "Il manque au fichier les colonnes Id, AccountId, LastName d’un export Salesforce "
        "(contacts)." in response.content.decode()
    )


def test_the_preview_and_the_failed_rows_speak_french(admin_client):  # noqa: F811
    import_file(admin_client, ACCOUNTS, object_type="account")
    changed = ACCOUNTS.replace("Germany", "Austria")
    assert _upload_in_french(admin_client, changed, "account").status_code == 302
    run = ImportRun.objects.latest("pk")
    page = admin_client.get(reverse("integrations:import_detail", args=[run.pk]), **FR)
    assert f"Pays{NBSP}: Germany → Austria" in page.content.decode()

    assert _upload_in_french(admin_client, CONTACTS, "contact").status_code == 302
    run = ImportRun.objects.latest("pk")
    page = admin_client.get(reverse("integrations:import_detail", args=[run.pk]), **FR)
    html = page.content.decode()
    assert (
        f"Globex Foods GmbH n’est pas un compte clé{NBSP}: les contacts et les opportunités ne "
        "sont conservés que pour les comptes clés (sélectionnez-le d’abord)." in html
    )
    assert f"Le compte 001A000099 est inconnu ici{NBSP}: importez d’abord les comptes." in html
    assert "not a key account" not in html

    failed = admin_client.get(reverse("integrations:import_failed_rows", args=[run.pk]), **FR)
    rows = list(csv.reader(io.StringIO(failed.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Ligne", "Raison", "Id"]


def test_someone_else_is_refused_in_french(client_for, people):
    response = client_for(people.director).get(reverse("integrations:index"), **FR)
    assert response.status_code == 403
    assert (
        "Seuls les administrateurs du programme gèrent les webhooks et l’échange avec le CRM."
        in response.content.decode()
    )
