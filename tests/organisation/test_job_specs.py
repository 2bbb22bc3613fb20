"""Job specifications: everyone reads them, programme admins edit, edits never collide."""

import pytest
from django.urls import reverse

from organisation.models import JobSpecification

ROLES = "/roles/"


def edit_url(role="manager"):
    return reverse("organisation:job_spec_edit", args=[role])


def edit_data(spec, **overrides):
    data = {
        "purpose": spec.purpose,
        "skills": "Strategic thinking\nFinancial awareness",
        "day_to_day": spec.day_to_day,
        "long_term": spec.long_term,
        "revision": spec.revision,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["manager", "team_member", "executive", "outsider"])
def test_everyone_logged_in_reads_the_seeded_job_specifications(client_for, people, persona):
    html = client_for(getattr(people, persona)).get(ROLES).content.decode()
    assert "Key account director" in html
    assert "Key account manager" in html
    assert "Key account coordinator" in html
    assert "Compiles customer quotes with head office." in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(ROLES)
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("persona", ["director", "manager", "executive", "outsider"])
def test_only_programme_admins_edit(client_for, people, persona):
    spec = JobSpecification.objects.get(role="manager")
    client = client_for(getattr(people, persona))
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url(), edit_data(spec)).status_code == 403
    spec.refresh_from_db()
    assert spec.revision == 0


def test_programme_admin_edits_a_specification(client_for, people):
    spec = JobSpecification.objects.get(role="manager")
    response = client_for(people.programme_admin).post(edit_url(), edit_data(spec), follow=True)
    spec.refresh_from_db()
    assert spec.skills == "Strategic thinking\nFinancial awareness"
    assert (spec.revision, spec.updated_by) == (1, people.programme_admin)
    assert "Job specification for Key account manager saved." in response.content.decode()


def test_an_unknown_role_is_404(client_for, people):
    assert client_for(people.programme_admin).get(edit_url("astronaut")).status_code == 404


def test_a_concurrent_edit_shows_their_version_and_keeps_mine(client_for, people):
    spec = JobSpecification.objects.get(role="manager")
    stale = edit_data(spec, skills="My version of the skills")
    JobSpecification.objects.filter(pk=spec.pk).update(skills="Their version", revision=1)
    response = client_for(people.programme_admin).post(edit_url(), stale)
    html = response.content.decode()
    assert "saved this job specification while you were editing" in html
    assert "Their version" in html and "My version of the skills" in html
    spec.refresh_from_db()
    assert spec.skills == "Their version"


def test_an_empty_text_is_refused(client_for, people):
    spec = JobSpecification.objects.get(role="manager")
    response = client_for(people.programme_admin).post(edit_url(), edit_data(spec, purpose=""))
    assert "This field is required." in response.content.decode()
