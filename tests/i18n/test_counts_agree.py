"""A count and its noun agree, in English and in French (where 0 and 1 take the singular):
one of each kind of message, planted with the count at 1 and then at 2, read on the page the
user sees. A service's message (discovery's stakeholder gaps), a template's
`{% blocktranslate count %}` (the stakeholder list's caption), a digest's detail written later
in each reader's language (rhythm), a timeline entry stored untranslated (accounts.event_text)
and a text that reads a configured number (WORKSPACE_LINK_DAYS)."""

import html
import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from delivery.models import CheckIn
from discovery import services as discovery_services
from outcomes.services import customer_issue_save, customer_issues_escalate_overdue
from rhythm.selectors import digests as rhythm_selectors
from tests.factories import OpportunityFactory, StakeholderFactory
from workspace.services import invitation_create

from ..workspace.helpers import customer

TODAY = timezone.localdate()


def _page(client_for, user, language: str, url: str) -> str:
    user.language = language
    user.save(update_fields=["language"])
    response = client_for(user).get(url)
    assert response.status_code == 200
    # Spaces and line breaks folded (not the no-break spaces French typography writes).
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(response.content.decode()))


# ---- a service's message and a template's caption ------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "days_ago", "expected"),
    [
        (
            0,
            1,
            {
                "en-gb": ("Not contacted for 1 day", "no contact for 0 days."),
                "fr": ("Pas contacté depuis 1 jour", "aucun contact depuis 0 jour."),
            },
        ),
        (
            1,
            2,
            {
                "en-gb": ("Not contacted for 2 days", "no contact for 1 day."),
                "fr": ("Pas contacté depuis 2 jours", "aucun contact depuis 1 jour."),
            },
        ),
        (
            2,
            3,
            {
                "en-gb": ("Not contacted for 3 days", "no contact for 2 days."),
                "fr": ("Pas contacté depuis 3 jours", "aucun contact depuis 2 jours."),
            },
        ),
    ],
)
def test_stakeholder_gaps_and_the_lists_rule_count_their_days(
    client_for, people, account, monkeypatch, threshold, days_ago, expected
):
    monkeypatch.setattr(discovery_services, "CONTACT_GAP_DAYS", threshold)
    StakeholderFactory(
        key_account=account,
        name="Petra Lange",
        owner=people.manager,
        influence="low",
        last_contact_on=TODAY - timedelta(days=days_ago),
    )
    url = reverse("discovery:stakeholders", args=[account.pk])
    for language, (gap, rule) in expected.items():
        page = _page(client_for, people.manager, language, url)
        assert gap in page
        assert rule in page


# ---- a digest's detail, written in each reader's language ----------------------------------


@pytest.mark.parametrize(
    ("days", "english", "french"),
    [
        (1, "No check-in for 1 day", "Aucun point d'étape depuis 1 jour"),
        (2, "No check-in for 2 days", "Aucun point d'étape depuis 2 jours"),
    ],
)
def test_a_digest_detail_counts_its_days_in_the_readers_language(
    client_for, people, account, monkeypatch, days, english, french
):
    # A threshold of 0 (a month in the app) lets an opportunity be one day late.
    monkeypatch.setattr(rhythm_selectors, "CHECK_IN_DAYS", 0)
    quiet = OpportunityFactory(key_account=account, status="pursuing", title="Shelf-life trays")
    CheckIn.objects.create(
        opportunity=quiet, checked_on=TODAY - timedelta(days=days), status="pursuing"
    )
    url = reverse("rhythm:digest")
    assert english in _page(client_for, people.manager, "en-gb", url)
    assert french in _page(client_for, people.manager, "fr", url)


# ---- a timeline entry, stored untranslated ---------------------------------------------------


def _escalated(account, people, days_overdue: int) -> None:
    customer_issue_save(
        account=account,
        issue=None,
        fields={
            "title": "Late deliveries",
            "severity": "high",
            "owner": people.manager,
            "raised_on": TODAY - timedelta(days=days_overdue + 3),
            "due_on": TODAY - timedelta(days=days_overdue),
            "status": "open",
            "resolution": "",
            "customer_visible": False,
            "description": "",
        },
        acting_user=None,
    )
    customer_issues_escalate_overdue(today=TODAY)


@pytest.mark.parametrize(
    ("days", "english", "french"),
    [
        (
            1,
            "Customer issue escalated to the director, 1 day overdue: Late deliveries",
            "Problème client remonté au directeur, en retard de 1 jour\u00a0: Late deliveries",
        ),
        (
            2,
            "Customer issue escalated to the director, 2 days overdue: Late deliveries",
            "Problème client remonté au directeur, en retard de 2 jours\u00a0: Late deliveries",
        ),
    ],
)
def test_the_timeline_counts_an_escalations_days_in_the_readers_language(
    client_for, people, account, days, english, french
):
    _escalated(account, people, days)
    url = reverse("delivery:timeline", args=[account.pk])
    assert english in _page(client_for, people.manager, "en-gb", url)
    assert french in _page(client_for, people.manager, "fr", url)


# ---- a configured number -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link_days", "english", "french"),
    [
        (1, "valid 1 day)", "valable 1 jour)"),
        (2, "valid 2 days)", "valable 2 jours)"),
    ],
)
def test_the_invitations_page_and_mail_count_the_configured_link_days(
    client_for,
    people,
    account,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
    link_days,
    english,
    french,
):
    settings.WORKSPACE_LINK_DAYS = link_days
    url = reverse("workspace_team:invitations", args=[account.pk])
    assert f"(no account, {english}" in _page(client_for, people.manager, "en-gb", url)
    assert f"(sans compte, {french}" in _page(client_for, people.manager, "fr", url)
    # The e-mail, in the inviting user's language.
    clara = customer(account)
    for language, text in (("en-gb", "it works for {} {}):"), ("fr", "il est valable {} {})")):
        words = {"en-gb": ("day", "days"), "fr": ("jour", "jours")}[language]
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            invitation_create(account=account, stakeholder=clara, acting_user=people.manager)
        word = words[0] if link_days == 1 else words[1]
        assert text.format(link_days, word) in mailoutbox[-1].body


def test_a_digest_built_at_a_moment_reads_the_same_count(people, account, monkeypatch):
    """The digest's detail is a lazy text: rendered for each recipient, it still picks the
    form from its own count (ngettext_lazy through notifications.for_recipient)."""
    monkeypatch.setattr(rhythm_selectors, "CHECK_IN_DAYS", 0)
    quiet = OpportunityFactory(key_account=account, status="pursuing", title="Deli range")
    CheckIn.objects.create(
        opportunity=quiet, checked_on=TODAY - timedelta(days=1), status="pursuing"
    )
    now = timezone.make_aware(datetime.combine(TODAY, time(10)))
    digest = rhythm_selectors.build_digests(users=[people.manager], now=now)[people.manager.pk]
    (detail,) = [item.detail for _k, _l, items in digest.sections() for item in items]
    with translation.override("fr"):
        assert str(detail) == "Aucun point d'étape depuis 1 jour"
    with translation.override("en-gb"):
        assert str(detail) == "No check-in for 1 day"
