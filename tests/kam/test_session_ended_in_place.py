"""A save from an editor in place (htmx) after the session ended: a 401 with a short text and
a link to log in in a new tab (static/js/inplace.js shows it beside Save and keeps the form),
not the log-in page swapped into the editor's block over what was typed."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROOT

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "interview-list"}


def _typed():
    return {"held_on": timezone.localdate().isoformat(), "notes": "Twenty minutes of notes"}


def test_an_htmx_save_without_a_session_is_a_401_with_a_log_in_link(account):
    url = reverse("discovery:interview_create", args=[account.pk])
    response = Client().post(url, _typed(), **HTMX)
    assert response.status_code == 401
    text = response.content.decode()
    assert "Not saved: your session has ended. What you typed is still here" in text
    assert f'<a href="{reverse("login")}" target="_blank" rel="noopener">' in text
    assert "<form" not in text  # not the log-in page


def test_in_french_too(account):
    url = reverse("discovery:interview_create", args=[account.pk])
    response = Client().post(url, _typed(), HTTP_ACCEPT_LANGUAGE="fr", **HTMX)
    assert response.status_code == 401
    assert "Non enregistré" in response.content.decode()


def test_a_plain_post_still_goes_to_the_log_in_page(account):
    url = reverse("discovery:interview_create", args=[account.pk])
    response = Client().post(url, _typed())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_signed_in_htmx_save_is_answered_as_before(client_for, people, account):
    url = reverse("discovery:interview_create", args=[account.pk])
    data = {**_typed(), "interviewer": people.manager.pk}
    response = client_for(people.manager).post(url, data, **HTMX)
    assert response.status_code == 200
    assert "Interview of" in response.content.decode()  # saved, the list answered in place


def test_the_in_place_script_reports_what_is_not_swapped_and_refreshes_the_token():
    script = (ROOT / "static" / "js" / "inplace.js").read_text()
    assert '"htmx:responseError"' in script and '"htmx:sendError"' in script
    assert 'formData.set("csrfmiddlewaretoken"' in script
