"""The customer's "Done / Not done yet" form carries the revision its page showed: a save from a
page drawn before the team marked the action done is refused (HTTP 409, nothing written), with
the version saved now beside what the customer picked and typed, in the customer's language,
and their note kept in the form. Before, the stale "Not done yet" put the action back in
progress and silently undid the team's "done"."""

import re

import pytest
from django.urls import reverse

from delivery.services.progress import action_progress_update
from planning.models import Action
from tests.common.test_conflict_pages import form_data, parse_forms, section_of

from .helpers import approved_plan, customer, invite, joint_action, open_link

pytestmark = pytest.mark.django_db

NOTE = "Our IT still has to open the port"


def _tick_form(html, action):
    url = reverse("workspace:action_tick", args=[action.pk])
    return next(form for form in parse_forms(html).forms if form["action"] == url)


def _team_marks_done(action, people):
    action.refresh_from_db()
    action_progress_update(
        action=action,
        status=Action.Status.DONE,
        progress_percent=100,
        note="Delivered by our team",
        revision=action.revision,
        acting_user=people.manager,
    )


def test_a_stale_not_done_yet_is_refused_and_the_team_s_done_stays(client, people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    action = joint_action(plan, clara)
    open_link(client, invite(account, clara, people))
    page = client.get(reverse("workspace:home")).content.decode()
    form = _tick_form(page, action)
    assert form_data(form)["revision"] == ["0"] and form_data(form)["done"] == ["0"]

    _team_marks_done(action, people)  # revision 0 -> 1, while Clara's page says "Not done yet"

    url = reverse("workspace:action_tick", args=[action.pk])
    refused = client.post(url, form_data(form, note=NOTE))
    assert refused.status_code == 409
    action.refresh_from_db()
    assert (action.status, action.progress_percent, action.revision) == ("done", 100, 1)
    assert action.updates.count() == 1  # the team's only
    html = refused.content.decode()
    assert "Edit conflict." in html
    assert (
        "Your account team updated this action after your page was loaded: it is now “Done”. "
        "Nothing was saved." in html
    )
    theirs = section_of(html, "conflict-title")
    yours = section_of(html, "conflict-yours-title")
    assert "Done" in theirs and "Not done yet" not in theirs
    assert "Not done yet" in yours and NOTE in yours
    # What Clara picked and typed stays in the form, which now carries the saved revision.
    again = _tick_form(html, action)
    assert form_data(again)["note"] == [NOTE]
    assert form_data(again)["done"] == ["0"]
    assert form_data(again)["revision"] == ["1"]

    # Saving that form again is a knowing save: it goes through.
    assert client.post(url, form_data(again)).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress_percent, action.revision) == ("in_progress", 90, 2)
    assert action.updates.first().note == f"Clara Customer: {NOTE}"


def test_a_fresh_page_saves(client, people, account):
    plan = approved_plan(account, people)
    clara = customer(account)
    action = joint_action(plan, clara)
    open_link(client, invite(account, clara, people))
    _team_marks_done(action, people)
    page = client.get(reverse("workspace:home")).content.decode()
    form = _tick_form(page, action)
    assert form_data(form)["revision"] == ["1"] and form_data(form)["done"] == ["1"]
    url = reverse("workspace:action_tick", args=[action.pk])
    response = client.post(url, form_data(form, done="0", note=NOTE))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.revision) == ("in_progress", 2)


def test_the_refusal_reads_in_the_customer_s_language(client, people, account):
    plan = approved_plan(account, people)
    pierre = customer(account, name="Pierre Martin", email="pierre@client.example", language="fr")
    action = joint_action(plan, pierre)
    open_link(client, invite(account, pierre, people))
    form = _tick_form(client.get(reverse("workspace:home")).content.decode(), action)
    _team_marks_done(action, people)
    refused = client.post(
        reverse("workspace:action_tick", args=[action.pk]), form_data(form, note=NOTE)
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert '<html lang="fr">' in html
    assert (
        "Votre équipe de compte a mis à jour cette action après le chargement de votre page\u00a0: "
        "elle est maintenant «\u00a0Fait\u00a0». Rien n’a été enregistré." in html
    )
    assert "Pas encore fait" in section_of(html, "conflict-yours-title")
    assert NOTE in re.search(r"<textarea[^>]*name=\"note\"[^>]*>([^<]*)<", html).group(1)
