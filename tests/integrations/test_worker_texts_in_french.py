"""What the import and the webhook deliveries record for people to read — a failed row's
reason, why an import stopped, why a delivery failed — is kept as message and values
(accounts.event_text), so a programme admin reads it in their language whoever (or whichever
worker) wrote it; a network error's own text and an older row's English read as stored."""

import csv
import io
import socket

from django.urls import reverse

from integrations import crm, services
from integrations.models import Event, ImportRun, WebhookDelivery

from .test_crm_exchange import ACCOUNTS, CONTACTS, admin_client, import_file, upload  # noqa: F401
from .test_webhooks import receiver, subscription  # noqa: F401

NBSP = "\u00a0"
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
NOT_KEY_FR = (
    f"Globex Foods GmbH n’est pas un compte clé{NBSP}: les contacts et les opportunités ne "
    "sont conservés que pour les comptes clés (sélectionnez-le d’abord)."
)
NOT_KEY_EN = (
    "Globex Foods GmbH is not a key account: contacts and opportunities are kept only for key "
    "accounts (select it first)."
)


def test_a_file_checked_in_english_reads_in_french(admin_client):  # noqa: F811
    import_file(admin_client, ACCOUNTS, object_type="account")
    run = upload(admin_client, CONTACTS, object_type="contact")  # checked in English
    url = reverse("integrations:import_detail", args=[run.pk])
    english = admin_client.get(url).content.decode()
    assert NOT_KEY_EN in english
    french = admin_client.get(url, **FR).content.decode()
    assert NOT_KEY_FR in french
    assert f"Le compte 001A000099 est inconnu ici{NBSP}: importez d’abord les comptes." in french
    assert "not a key account" not in french
    failed = admin_client.get(reverse("integrations:import_failed_rows", args=[run.pk]), **FR)
    rows = list(csv.reader(io.StringIO(failed.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Ligne", "Raison"]
    assert [row[1] for row in rows[1:] if row[2] == "003A000006"] == [
        f"Le compte 001A000099 est inconnu ici{NBSP}: importez d’abord les comptes."
    ]


def test_an_import_that_stopped_says_so_in_each_language(admin_client):  # noqa: F811
    run = upload(admin_client, ACCOUNTS, object_type="account")
    url = reverse("integrations:import_detail", args=[run.pk])
    crm.import_not_queued(run_id=run.pk)
    assert "The task queue did not answer; nothing was applied. Try again." in (
        admin_client.get(url).content.decode()
    )
    assert f"La file de tâches n’a pas répondu{NBSP}; rien n’a été appliqué. Réessayez." in (
        admin_client.get(url, **FR).content.decode()
    )
    crm.import_failed(run_id=run.pk, error=RuntimeError("database is locked"))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "The import stopped: database is locked"
    assert f"L’import s’est arrêté{NBSP}: database is locked" in (
        admin_client.get(url, **FR).content.decode()
    )
    # A run written before the texts were kept: its English.
    ImportRun.objects.filter(pk=run.pk).update(error_text={}, error="The import stopped: boom")
    assert "The import stopped: boom" in admin_client.get(url, **FR).content.decode()


def test_a_failed_delivery_says_why_in_each_language(
    receiver,  # noqa: F811
    subscription,  # noqa: F811
    client_for,
    people,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        (answered,) = services.event_emit(event=Event.PLAN_APPROVED, key="p:1", data={})
    url = reverse("integrations:webhook_detail", args=[subscription.pk])
    admin = client_for(people.programme_admin)
    assert "The receiver answered HTTP 500." in admin.get(url).content.decode()
    assert "Le destinataire a répondu HTTP 500." in admin.get(url, **FR).content.decode()

    subscription.url = "https://hooks.example.com/kam"
    subscription.save()
    settings.KAM_WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))],
    )
    with django_capture_on_commit_callbacks(execute=True):
        (refused,) = services.event_emit(event=Event.PLAN_APPROVED, key="p:2", data={})
    refused.refresh_from_db()
    assert refused.last_error == (
        "Refused: hooks.example.com resolves to a private or reserved address (10.0.0.7); "
        "webhooks are only sent to public addresses."
    )
    french = admin.get(url, **FR).content.decode()
    assert (
        f"Refusé{NBSP}: hooks.example.com correspond à une adresse privée ou réservée "
        f"(10.0.0.7){NBSP}; les " in french
    )
    # A network error's own text, and an older row's English, read as they were stored.
    WebhookDelivery.objects.filter(pk=answered.pk).update(
        last_error="ConnectionError: the receiver did not answer", last_error_text={}
    )
    assert "ConnectionError: the receiver did not answer" in admin.get(url, **FR).content.decode()
