"""The workspace pages open in the stakeholder's language (the one our e-mails to them are
written in), whatever the browser says; the visitor may pick another language on the page (a
plain form, no JavaScript), kept for that link's session. A stakeholder without a language
reads the browser's."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from planning.models import Review
from tests import factories as f
from workspace.services import joint_review_open

from .helpers import approved_plan, customer, invite, joint_action, open_link

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
FRENCH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}
HOME = "/workspace/"


@pytest.fixture
def plan(account, people):
    return approved_plan(account, people)


@pytest.fixture
def pierre(account):
    return customer(account, name="Pierre Martin", email="pierre@client.example", language="fr")


def _page(client, url=HOME, status=200, **headers) -> str:
    response = client.get(url, **(headers or ENGLISH_BROWSER))
    assert response.status_code == status, response.status_code
    return response.content.decode()


def _linked(account, stakeholder, people) -> Client:
    client = Client(**ENGLISH_BROWSER)
    assert open_link(client, invite(account, stakeholder, people)).status_code == 302
    return client


def test_a_french_stakeholder_reads_french_though_the_browser_asks_for_english(
    account, people, plan, pierre
):
    joint_action(plan, pierre, title="Partager les données")
    client = _linked(account, pierre, people)
    page = _page(client)
    assert '<html lang="fr">' in page
    assert "Bienvenue, Pierre Martin" in page and "Plan de compte partagé" in page
    assert "Quitter l'espace sur cet appareil" in page
    assert "Welcome, Pierre Martin" not in page and "Leave the workspace" not in page
    # The other pages of the link too.
    proposals = _page(client, reverse("workspace:proposals"))
    assert '<html lang="fr">' in proposals and "Proposer une opportunité" in proposals
    # And what a step there says back.
    response = client.post(
        reverse("workspace:comment"), {"text": "Merci pour le plan"}, follow=True
    )
    assert f"Merci{NBSP}: votre commentaire est transmis" in response.content.decode()


def test_a_stakeholder_without_a_language_follows_the_browser(account, people, plan):
    clara = customer(account)
    assert clara.language == ""
    client = _linked(account, clara, people)
    assert "Welcome, Clara Customer" in _page(client, **ENGLISH_BROWSER)
    assert "Bienvenue, Clara Customer" in _page(client, **FRENCH_BROWSER)


def test_the_page_offers_the_language_choice_as_a_plain_form(account, people, plan, pierre):
    page = _page(_linked(account, pierre, people))
    form = page[page.index('<form method="post" action="/workspace/language/"') :]
    form = form[: form.index("</form>")]
    assert 'aria-label="Langue de ces pages"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/workspace/">' in form
    # Each language named in itself, with its lang; the current one marked.
    assert 'value="fr" lang="fr" class="btn btn-sm btn-light" aria-current="true">Français' in form
    assert 'value="en-gb" lang="en-gb" class="btn btn-sm btn-outline-light">English' in form


def test_the_visitor_switches_to_english_for_this_links_session(account, people, plan, pierre):
    client = _linked(account, pierre, people)
    proposals = reverse("workspace:proposals")
    response = client.post(
        reverse("workspace:page_language"), {"language": "en-gb", "next": proposals}
    )
    assert response.status_code == 302 and response["Location"] == proposals
    page = _page(client, proposals, **FRENCH_BROWSER)  # the pick beats the browser too
    assert '<html lang="en-gb">' in page and "Propose an opportunity" in page
    assert "Welcome, Pierre Martin" in _page(client)
    # The stakeholder's own language (that of our e-mails) is unchanged.
    pierre.refresh_from_db()
    assert pierre.language == "fr"
    # Leaving ends the link's session and its pick: a new link opens in French again.
    client.post(reverse("workspace:leave"))
    assert open_link(client, invite(account, pierre, people)).status_code == 302
    assert "Bienvenue, Pierre Martin" in _page(client)


def test_the_pick_belongs_to_the_link_it_was_made_on(account, people, plan, pierre):
    client = _linked(account, pierre, people)
    client.post(reverse("workspace:page_language"), {"language": "en-gb", "next": HOME})
    # Another stakeholder's link opened in the same browser: their own language again.
    marie = customer(account, name="Marie Durand", email="marie@client.example", language="fr")
    assert open_link(client, invite(account, marie, people)).status_code == 302
    assert "Bienvenue, Marie Durand" in _page(client)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/accounts/", "/workspace/comment/", ""],
)
def test_the_choice_goes_back_only_to_a_workspace_page(account, people, plan, pierre, next_url):
    client = _linked(account, pierre, people)
    response = client.post(
        reverse("workspace:page_language"), {"language": "en-gb", "next": next_url}
    )
    assert response.status_code == 302 and response["Location"] == HOME


def test_a_language_not_offered_is_refused_and_the_page_stays_french(account, people, plan, pierre):
    client = _linked(account, pierre, people)
    response = client.post(reverse("workspace:page_language"), {"language": "de", "next": HOME})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez l’une des langues proposées." in page and "Bienvenue" in page


def test_without_a_live_link_the_choice_is_the_link_gone_page(client):
    response = client.post(reverse("workspace:page_language"), {"language": "fr", "next": HOME})
    assert response.status_code == 404


def test_the_review_questions_are_in_french_too(account, people, plan, pierre):
    client = _linked(account, pierre, people)
    review = Review.objects.create(
        plan=plan, quarter="2027-Q1", opened_on=date(2027, 1, 4), due_on=date(2027, 1, 4)
    )
    joint = joint_review_open(
        review=review, participants=[pierre], acting_user=people.manager, send=False
    )
    page = _page(client, reverse("workspace:review_answer", args=[joint.pk]))
    assert '<html lang="fr">' in page
    assert "Envoyer mes réponses" in page, page


def test_a_team_members_stakeholder_page_is_not_touched(client_for, people, account, pierre):
    """The team's pages keep the team member's language; the stakeholder's form says what
    their language does."""
    page = client_for(people.manager).get(
        reverse("discovery:stakeholder_edit", args=[account.pk, pierre.pk]), **ENGLISH_BROWSER
    )
    html = page.content.decode()
    assert '<html lang="en-gb">' in html
    # The team is told the language also opens the workspace.
    assert "Also the language their workspace pages open in." in html


def test_factories_make_a_stakeholder_without_a_language(account):
    assert f.StakeholderFactory(key_account=account).language == ""


def test_behind_a_script_prefix_the_choice_goes_back_to_the_page_it_was_made_on():
    """A site served under /kam/ (SCRIPT_NAME) writes its pages' paths with the prefix."""
    from django.urls import set_script_prefix

    from workspace.views import _language_return

    set_script_prefix("/kam/")
    try:
        assert _language_return("/kam/workspace/proposals/") == "/kam/workspace/proposals/"
        assert _language_return("/workspace/proposals/") == "/kam/workspace/"
        assert _language_return("/kam/workspace/comment/") == "/kam/workspace/"
    finally:
        set_script_prefix("/")
