"""A user who chose no language reads their own pages in their browser's language; what is
written for them outside a request (notification e-mails, digests, the calendar feed, PDFs made
by jobs, a password reset asked from another browser) is in the language their browser last
asked for, remembered on the user (`browser_language`) by kam.middleware.UserLanguageMiddleware;
one who never browsed gets the site's (LANGUAGE_CODE)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from accounts.models import User
from accounts.selectors import account_team_languages, user_language
from delivery import receivers
from delivery.models import CalendarFeed
from rhythm.services import digests_send

from ..factories import AccountPlanFactory, ActionFactory, MeetingFactory

NBSP = "\u00a0"
SETTINGS = "/settings/"


def _browse(client, language: str):
    response = client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split(" ", 1)[0] in ("UPDATE", "INSERT")]


def test_the_browsers_language_is_remembered_with_one_update_only_when_it_changes(
    client_for, people
):
    client = client_for(people.manager)
    assert SETTINGS == reverse("accounts:user_settings")
    # Both languages' pages once, so that what is cached per language costs the same below.
    _browse(client, "fr")
    _browse(client, "en-GB,en;q=0.9")
    with CaptureQueriesContext(connection) as same:
        _browse(client, "en-GB,en;q=0.9")
    with CaptureQueriesContext(connection) as changed:
        _browse(client, "fr-FR,fr;q=0.9,en;q=0.5")
    with CaptureQueriesContext(connection) as same_again:
        _browse(client, "fr-FR,fr;q=0.9,en;q=0.5")
    # An ordinary request writes nothing; a change of language is one UPDATE of the user.
    assert _writes(same.captured_queries) == []
    assert _writes(same_again.captured_queries) == []
    [update] = _writes(changed.captured_queries)
    assert update.startswith('UPDATE "accounts_user" SET "browser_language"'), update
    assert len(changed) == len(same) + 1
    assert len(same_again) == len(same)
    assert User.objects.get(pk=people.manager.pk).browser_language == "fr"


def test_a_request_that_names_no_language_changes_nothing(client_for, people):
    client = client_for(people.manager)
    _browse(client, "fr")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SETTINGS).status_code == 200  # a script: no Accept-Language
    assert _writes(queries.captured_queries) == []
    assert User.objects.get(pk=people.manager.pk).browser_language == "fr"


def test_a_browser_asking_for_a_language_we_lack_reads_and_is_remembered_as_the_sites(
    client_for, people
):
    client = client_for(people.manager)
    _browse(client, "fr")
    page = _browse(client, "de-DE,de;q=0.9").content.decode()
    assert '<html lang="en-gb">' in page
    assert User.objects.get(pk=people.manager.pk).browser_language == "en-gb"


def test_the_remembered_language_is_kept_even_with_a_choice_but_the_choice_wins(client_for, people):
    people.manager.language = "en-gb"
    people.manager.save(update_fields=["language"])
    _browse(client_for(people.manager), "fr")
    manager = User.objects.get(pk=people.manager.pk)
    assert manager.browser_language == "fr"
    assert user_language(manager) == "en-gb"
    manager.language = ""
    assert user_language(manager) == "fr"


def _plan_submitted(people, account, django_capture_on_commit_callbacks):
    plan = AccountPlanFactory(key_account=account, period="FY2027")
    # The manager's request is English; the director reads their own language.
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        receivers.tell_directors_plan_submitted(None, plan=plan, acting_user=people.manager)
    [message] = [m for m in mail.outbox if m.to == [people.director.email]]
    return message


def test_a_user_who_last_browsed_in_french_gets_a_french_notification_email(
    client_for, people, account, django_capture_on_commit_callbacks
):
    assert people.director.language == ""
    _browse(client_for(people.director), "fr-FR,fr;q=0.9")
    message = _plan_submitted(people, account, django_capture_on_commit_callbacks)
    assert message.subject.startswith(f"KAM Programme{NBSP}: "), message.subject
    assert "Max Manager a soumis le plan" in message.body, message.body
    assert "submitted the" not in message.body


def test_a_user_who_never_browsed_gets_the_sites_language(
    people, account, django_capture_on_commit_callbacks
):
    assert people.director.language == "" and people.director.browser_language == ""
    with translation.override("fr"):  # even when a French request or worker writes it
        plan = AccountPlanFactory(key_account=account, period="FY2027")
        with django_capture_on_commit_callbacks(execute=True):
            receivers.tell_directors_plan_submitted(None, plan=plan, acting_user=people.manager)
    [message] = mail.outbox
    assert message.subject.startswith("KAM Programme: "), message.subject
    assert "Max Manager submitted the" in message.body, message.body


@pytest.mark.parametrize(
    ("browsed", "words", "unwanted"),
    [
        ("fr", "votre attention", "your attention"),
        (None, "your attention", "votre attention"),
    ],
)
def test_the_digest_follows_the_browser_last_seen(
    client_for, people, account, django_capture_on_commit_callbacks, browsed, words, unwanted
):
    if browsed:
        _browse(client_for(people.director), browsed)
    today = timezone.localdate()
    ActionFactory(
        plan=AccountPlanFactory(key_account=account, period="FY2027"),
        title="Call Ana",
        owner=people.director,
        due_on=today - timedelta(days=3),
    )
    worker = "en-gb" if browsed else "fr"  # the worker's language never decides
    with translation.override(worker), django_capture_on_commit_callbacks(execute=True):
        digests_send(now=datetime.combine(today, time(10, 0), tzinfo=ZoneInfo("Europe/London")))
    [message] = [m for m in mail.outbox if m.to == [people.director.email]]
    assert words in message.body and unwanted not in message.body, message.body
    assert "Call Ana" in message.body


def test_the_plan_pdf_is_drawn_ahead_in_each_members_browser_language(client_for, people, account):
    assert account_team_languages(account_id=account.pk) == ["en-gb"]
    _browse(client_for(people.team_member), "fr")
    assert account_team_languages(account_id=account.pk) == ["en-gb", "fr"]


def test_the_calendar_feed_is_in_its_owners_language_not_the_calendar_apps(
    client_for, client, people, account
):
    meeting = MeetingFactory(key_account=account, title="Pilot review", agenda="Results")
    meeting.attendees.add(people.manager)
    owner = client_for(people.manager)
    _browse(owner, "fr")
    owner.post(reverse("delivery:calendar_create"))
    client.logout()
    url = reverse("delivery:calendar_feed", args=[CalendarFeed.objects.get().token])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en").content
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Réunions KAM — Max Manager"
    [event] = calendar.walk("VEVENT")
    assert f"Ordre du jour{NBSP}:" in str(event["DESCRIPTION"])


def test_a_password_reset_asked_from_an_english_browser_follows_the_owners_last_one(
    client_for, client, people
):
    _browse(client_for(people.manager), "fr")
    client.logout()
    client.post(
        reverse("password_reset"), {"email": people.manager.email}, HTTP_ACCEPT_LANGUAGE="en"
    )
    [message] = mail.outbox
    assert message.subject == "Réinitialiser votre mot de passe KAM Programme"


@pytest.mark.parametrize(
    ("browser", "label", "note"),
    [
        (
            "fr",
            f"Suivre mon navigateur (actuellement{NBSP}: Français)",
            f"(actuellement{NBSP}: Français)",
        ),
        ("en-GB,en", "Follow my browser (now: English)", "(now: English)."),
    ],
)
def test_the_settings_page_says_which_language_emails_are_in_without_a_choice(
    client_for, people, browser, label, note
):
    page = _browse(client_for(people.manager), browser).content.decode()
    assert label in page, page
    assert note in page
