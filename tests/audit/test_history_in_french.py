"""The account history read in French: the kind of change, the field names, the values (choice
labels, dates with French month names, amounts with a decimal comma), the names the history
makes up ("Entretien du …"), the filters and the author of a change made by no one."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from discovery.models import Competitor
from tests.factories import InterviewFactory, QuoteLineFactory

NBSP = "\u00a0"


def test_the_account_history_speaks_french(client_for, people, account, history_url):
    competitor = Competitor.objects.create(key_account=account, name="Arctic", strength="medium")
    client_for(people.manager).post(
        reverse("discovery:competitor_edit", args=[account.pk, competitor.pk]),
        {"name": "Arctic", "offering": "", "strength": "high", "threat_level": "medium"},
    )
    InterviewFactory(key_account=account, held_on=date(2026, 2, 3), interviewer=people.manager)
    line = QuoteLineFactory(quote__key_account=account, description="Audit", quantity=2)
    line.quantity = Decimal("1234.5")
    line.save()

    page = client_for(people.director).get(history_url, HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()

    assert ">Modifié</td>" in html
    assert ">Créé</td>" in html
    assert f"<strong>Force</strong>{NBSP}: <del>Moyenne</del> → <ins>Élevée</ins>" in html
    assert f"<strong>Quantité</strong>{NBSP}: <del>2,00</del> → <ins>1{NBSP}234,50</ins>" in html
    assert "Entretien du 3 févr. 2026" in html
    assert "Système (aucun utilisateur)" in html
    assert '<th scope="col">Changement</th>' in html
    for option in ("Tout changement", "Tout", "N&#x27;importe qui", "Modifié", "Supprimé"):
        assert f">{option}</option>" in html, option
    for english in (
        ">Changed<",
        ">Created<",
        "Any change",
        "Everything",
        "Anyone",
        "System (no user)",
        "Interview of",
        "<strong>Strength</strong>",
        "Variation",
    ):
        assert english not in html, english


def test_the_programme_history_refuses_a_manager_in_french(client_for, people):
    response = client_for(people.manager).get(
        reverse("audit:programme_history"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 403
    assert (
        "Seuls les administrateurs du programme et les dirigeants voient l’historique des "
        "changements du programme." in response.content.decode()
    )


# Words French writes as English does: a field with one of these names reads the same.
SAME_IN_FRENCH = {
    "Cadence", "Description", "Impact", "Influence", "KPI", "Notes", "Plan", "Programme",
    "Quadrant", "Source", "Transport",
}  # fmt: skip


def test_every_recorded_field_has_a_french_name():
    """Fields no form labels were named by Django from their names ("discount refused at") and
    shown in English on a French history page (70 of them); audit.field_labels names them."""
    from django.utils import translation

    from audit import registry
    from audit.selectors import HIDDEN_FIELDS, field_label

    english = []
    for history in (v for v in vars(registry).values() if isinstance(v, registry.History)):
        for tracked in history.tracked:
            recorded = {f.name for f in tracked.model.history.model._meta.concrete_fields}
            for model_field in tracked.model._meta.concrete_fields:
                if model_field.name in HIDDEN_FIELDS or model_field.name not in recorded:
                    continue
                with translation.override("en"):
                    name = field_label(model_field)
                with translation.override("fr"):
                    nom = field_label(model_field)
                if nom == name and name not in SAME_IN_FRENCH:
                    english.append(f"{tracked.model.__name__}.{model_field.name}: {name!r}")
    assert not english, "\n".join(english)


def test_an_action_completed_reads_its_french_field_names(client_for, people, account, history_url):
    from tests.factories import ActionFactory

    action = ActionFactory(plan__key_account=account, status="open", progress_percent=0)
    action.status = "done"
    action.progress_percent = 100
    action.completed_on = date(2026, 11, 30)
    action.save()
    html = client_for(people.director).get(history_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"<strong>Avancement (%)</strong>{NBSP}: <del>0</del> → <ins>100</ins>" in html
    assert f"<strong>Terminée le</strong>{NBSP}: <del>—</del> → <ins>30 nov. 2026</ins>" in html
    assert "Completed on" not in html and "Progress percent" not in html
