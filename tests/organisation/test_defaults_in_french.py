"""The competences and job specifications the app seeds (organisation.defaults) read in each
reader's language while nobody has changed them, and as typed once someone has."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from organisation.models import Competence, JobSpecification

from .factories import SkillsAssessmentFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _in_french(user):
    user.language = "fr"
    user.save(update_fields=["language"])
    return user


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_roles_page_and_the_handbook_read_the_default_specification_in_french(
    client_for, people, account
):
    english = client_for(people.manager).get("/roles/").content.decode()
    assert "<li>Compiles customer quotes with head office.</li>" in english
    assert "Supports the key account manager in running the account day to day" in english
    _in_french(people.manager)
    client = client_for(people.manager)
    french = client.get("/roles/").content.decode()
    assert "<li>Établit les devis clients avec le siège.</li>" in french
    assert "Aide le responsable de compte clé à gérer le compte au quotidien" in french
    assert "Compiles customer quotes" not in french
    handbook = client.get("/handbook/").content.decode()
    assert "<li>Établit les devis clients avec le siège.</li>" in handbook
    pdf = _pdf_text(client.get("/handbook.pdf"))
    assert "Établit les devis clients avec le siège." in pdf
    assert "Compiles customer quotes" not in pdf


def test_an_edited_specification_reads_as_typed_in_every_language(client_for, people):
    spec = JobSpecification.objects.get(role="coordinator")
    admin = client_for(_in_french(people.programme_admin))
    url = reverse("organisation:job_spec_edit", args=["coordinator"])
    form = admin.get(url).content.decode()
    # The editor shows the default in the admin's language...
    assert "Établit les devis clients avec le siège." in form
    with_french_form = {
        "purpose": (
            "Aide le responsable de compte clé à gérer le compte au quotidien pour qu'il "
            "puisse passer du temps avec le client."
        ),
        "skills": "Knows the price lists by heart.",
        # ...and a text saved as shown (the browser's CR LF lines) stays the default.
        "day_to_day": (
            "Organise les rendez-vous client, les ordres du jour et les comptes rendus.\r\n"
            "Établit les devis clients avec le siège.\r\n"
            "Veille à ce que les responsables d'actions de l'équipe du compte tiennent le cap."
        ),
        "long_term": spec.long_term,
        "revision": spec.revision,
    }
    assert admin.post(url, with_french_form).status_code == 302
    spec.refresh_from_db()
    assert spec.skills == "Knows the price lists by heart."
    assert spec.day_to_day == (
        "Sets up customer meetings, agendas and follow-up notes.\n"
        "Compiles customer quotes with head office.\n"
        "Keeps action owners in the account team on track."
    )
    assert spec.purpose.startswith("Supports the key account manager")
    french = admin.get("/roles/").content.decode()
    assert "<li>Knows the price lists by heart.</li>" in french
    assert "<li>Établit les devis clients avec le siège.</li>" in french
    english = client_for(people.manager).get("/roles/").content.decode()
    assert "<li>Knows the price lists by heart.</li>" in english
    assert "<li>Compiles customer quotes with head office.</li>" in english


def test_the_manager_profile_and_assessment_read_default_competences_in_french(
    client_for, people, account
):
    SkillsAssessmentFactory(manager=people.manager, assessed_by=people.director)
    Competence.objects.filter(code="negotiation").update(name="Negotiating with buyers")
    profile = reverse("organisation:manager_profile", args=[people.manager.pk])
    assess = reverse("organisation:manager_assess", args=[people.manager.pk])
    english = client_for(people.director).get(profile).content.decode()
    assert ">Strategic thinking and planning</th>" in english
    assert ">Negotiating with buyers</th>" in english
    _in_french(people.director)
    client = client_for(people.director)
    french = client.get(profile).content.decode()
    assert ">Réflexion stratégique et planification</th>" in french
    assert ">Aisance relationnelle</th>" in french
    assert ">Negotiating with buyers</th>" in french  # edited: as typed
    assert "Strategic thinking and planning" not in french
    # The skills chart's bars are labelled the same way.
    assert ">Réflexion stratégique et planification</text>" in french
    form = client.get(assess).content.decode()
    assert "Réflexion stratégique et planification (1–5)" in form
    assert "Lit les rapports annuels et les ratios" + NBSP + "; connaît la rentabilité" in form
    assert "Negotiating with buyers (1–5)" in form
