"""The timeline speaks the reader's language: an entry keeps its message and values, and each
page renders them in the language of whoever reads it (accounts.event_text)."""

from __future__ import annotations

import ast
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.event_text import PLURAL, EventText, amount, day, moment, term
from accounts.models import AccountEvent, Classification
from accounts.services import account_event_record
from strategy.services import key_account_reclassify
from tests.conftest import ROOT


def _in(language: str, text: EventText) -> str:
    with translation.override(language):
        return text.text()


def test_a_message_is_shown_in_each_language_with_its_values_in_that_language():
    text = EventText(
        gettext_noop("Classification changed from %(old)s to %(new)s"),
        old=term(Classification.STAR.label),
        new=term(Classification.STRATEGIC.label),
    )
    assert text.english() == "Classification changed from Star to Strategic"
    assert _in("fr", text) == "Classement changé de Étoile à Stratégique"
    # Stored as JSON: the English msgids, never a language's words.
    assert text.args == {"old": {"t": "Star"}, "new": {"t": "Strategic"}}


def test_days_moments_and_amounts_follow_the_readers_language():
    text = EventText(
        gettext_noop("Meeting scheduled: %(title)s on %(when)s %(zone)s"),
        title="QBR",
        when=moment(datetime(2027, 2, 3, 14, 30)),
        zone="Europe/Paris",
    )
    assert text.english() == "Meeting scheduled: QBR on 3 Feb 2027 14:30 Europe/Paris"
    # Month names as every French page shows them (Django's "M": "Fév", "Aoû").
    assert _in("fr", text) == "Réunion planifiée\u00a0: QBR le 3 févr. 2027 14:30 Europe/Paris"
    value = EventText(
        gettext_noop("Value delivered recorded: %(title)s (%(value)s, %(day)s)"),
        title="Waste cut",
        value=amount(Decimal("12500"), places=0, before="EUR "),
        day=day(date(2027, 8, 1)),
    )
    assert value.english() == "Value delivered recorded: Waste cut (EUR 12,500, 1 Aug 2027)"
    # French groups thousands with a no-break space.
    assert _in("fr", value) == (
        "Valeur délivrée enregistrée\u00a0: Waste cut (EUR 12\u00a0500, 1 août 2027)"
    )


def test_a_lowered_label_a_sentence_inside_a_sentence_and_a_persons_own_words():
    from opportunities.models import Opportunity

    status = EventText(
        gettext_noop("Opportunity %(title)s: now %(status)s"),
        title="Reusable crates",
        status=term(Opportunity.Status.WON.label, lower=True),
    )
    assert status.english() == "Opportunity Reusable crates: now won"
    assert _in("fr", status) == "Opportunité Reusable crates\u00a0: désormais gagnée"
    check_in = EventText(
        gettext_noop("%(check_in)s (applied by %(user)s)"),
        check_in=EventText(
            gettext_noop("Check-in of %(day)s by %(reporter)s"),
            day=day(date(2027, 3, 9)),
            reporter=term(gettext_lazy("someone who has left")),
        ),
        user="Dana Director",
    )
    assert check_in.english() == (
        "Check-in of 9 Mar 2027 by someone who has left (applied by Dana Director)"
    )
    assert _in("fr", check_in) == (
        "Point d'avancement du 9 mars 2027 par une personne partie depuis "
        "(appliqué par Dana Director)"
    )
    typed = EventText.verbatim("Ship the samples on Monday, not Tuesday.")
    assert _in("fr", typed) == typed.english() == "Ship the samples on Monday, not Tuesday."


def test_text_of_one_language_is_refused_where_a_message_is_expected(account):
    with pytest.raises(TypeError):
        account_event_record(account=account, kind="comment", summary="Plan FY2027 started")
    # A label already in some language (get_FOO_display()) cannot be translated again.
    with pytest.raises(TypeError):
        term("Star")


def test_a_long_english_text_is_cut_where_the_column_ends():
    text = EventText(gettext_noop("Opportunity added: %(title)s"), title="x" * 400)
    stored = text.english()
    assert len(stored) == 300 and stored.endswith("…")


def test_the_timeline_shows_a_class_change_in_the_readers_language(client_for, people, account):
    account.classification = Classification.STAR
    account.save(update_fields=["classification"])
    key_account_reclassify(
        account=account,
        classification=Classification.STRATEGIC,
        reason="Board-level contact.",
        acting_user=people.director,
    )
    event = AccountEvent.objects.get(key_account=account, kind=AccountEvent.Kind.CLASS_CHANGED)
    assert event.summary == "Classification changed from Star to Strategic"
    assert event.old_value == "star" and event.new_value == "strategic"  # codes, for selectors
    url = reverse("delivery:timeline", args=[account.pk])
    english = client_for(people.manager).get(url).content.decode()
    assert "Classification changed from Star to Strategic" in english
    # The words say what changed: the codes are not added after them.
    assert "(star → strategic)" not in english
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    french = client_for(people.manager).get(url).content.decode()
    assert "Classement changé de Étoile à Stratégique" in french
    assert "Classification changed" not in french
    overview = client_for(people.manager).get(reverse("accounts:account_detail", args=[account.pk]))
    assert "Classement changé de Étoile à Stratégique" in overview.content.decode()


def test_an_entry_recorded_before_messages_were_kept_shows_its_stored_text(
    client_for, people, account
):
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.CLASS_CHANGED,
        summary="Class changed from Star to Strategic",
        old_value="star",
        new_value="strategic",
        occurred_at=timezone.now(),
    )
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    page = client_for(people.manager).get(reverse("delivery:timeline", args=[account.pk]))
    html = page.content.decode()
    assert "Class changed from Star to Strategic" in html
    assert "(star → strategic)" in html


def test_a_message_that_no_longer_fits_its_values_falls_back_to_the_stored_text(account):
    event = AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.PLAN,
        summary="Plan FY2027 started",
        summary_message="Plan %(period)s started",
        summary_args={"year": "FY2027"},  # a value renamed since
        occurred_at=timezone.now(),
    )
    with translation.override("fr"):
        assert event.shown_summary == "Plan FY2027 started"


# ---- messages with a count ----------------------------------------------------------------

ESCALATED = (
    "Customer issue escalated to the director, %(days)s day overdue: %(title)s",
    "Customer issue escalated to the director, %(days)s days overdue: %(title)s",
)


@pytest.mark.parametrize(
    ("days", "english", "french"),
    [
        (
            0,
            "Customer issue escalated to the director, 0 days overdue: Late pallets",
            # French counts 0 in the singular.
            "Problème client remonté au directeur, en retard de 0 jour\u00a0: Late pallets",
        ),
        (
            1,
            "Customer issue escalated to the director, 1 day overdue: Late pallets",
            "Problème client remonté au directeur, en retard de 1 jour\u00a0: Late pallets",
        ),
        (
            2,
            "Customer issue escalated to the director, 2 days overdue: Late pallets",
            "Problème client remonté au directeur, en retard de 2 jours\u00a0: Late pallets",
        ),
    ],
)
def test_a_counted_message_takes_the_form_its_count_asks_in_each_language(days, english, french):
    text = EventText.ngettext(*ESCALATED, days, title="Late pallets", days=days)
    assert text.english() == english
    assert _in("fr", text) == french
    # Stored as the singular msgid, its values, and the plural msgid with the count.
    assert text.message == ESCALATED[0]
    assert text.args == {"title": "Late pallets", "days": days, PLURAL: [ESCALATED[1], days]}
    # A sentence inside a sentence keeps its form too.
    outer = EventText(
        gettext_noop("%(check_in)s (applied by %(user)s)"), check_in=text, user="Dana"
    )
    assert outer.english() == f"{english} (applied by Dana)"


def test_a_counted_message_read_from_the_timeline_takes_its_form(account):
    event = account_event_record(
        account=account,
        kind=AccountEvent.Kind.ISSUE,
        summary=EventText.ngettext(*ESCALATED, 1, title="X", days=1),
    )
    event.refresh_from_db()
    assert event.summary == "Customer issue escalated to the director, 1 day overdue: X"
    with translation.override("fr"):
        assert event.shown_summary == (
            "Problème client remonté au directeur, en retard de 1 jour\u00a0: X"
        )


def test_an_entry_stored_before_plurals_were_kept_still_reads_in_each_language(account):
    # Escalations recorded before the entry counted its days: a plain message and its values.
    event = AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.ISSUE,
        summary="Customer issue escalated to the director: Late pallets",
        summary_message="Customer issue escalated to the director: %(title)s",
        summary_args={"title": "Late pallets"},
        occurred_at=timezone.now(),
    )
    with translation.override("fr"):
        assert event.shown_summary == "Problème client remonté au directeur\u00a0: Late pallets"
    with translation.override("en-gb"):
        assert event.shown_summary == "Customer issue escalated to the director: Late pallets"


def test_a_counted_message_needs_its_count():
    with pytest.raises(TypeError):
        EventText.ngettext(*ESCALATED, title="Late pallets")


# ---- every call site records a message, and says it in words the catalogue knows ----------


def _not_source(path: Path) -> bool:
    """A folder or a file the catalogue test's makemessages writes while it runs alongside
    (".i18n-check-…/", "x.html.py"), gone by the time it is read."""
    parts = path.relative_to(ROOT).parts
    return (
        parts[0].startswith(".")
        or (len(path.suffixes) > 1 and path.suffixes[-2] in {".html", ".txt"})
        or not path.exists()
    )


def _event_calls():
    """(path, line, summary argument) of every account_event_record call in the project."""
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", "tests", "bench"} or "migrations" in parts:
            continue
        if _not_source(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {
                "account_event_record",
                "event_fields",
            }:
                summary = next((k.value for k in node.keywords if k.arg == "summary"), None)
                if summary is None and node.args:
                    summary = node.args[0]
                yield Path(*parts), node.lineno, summary


def test_no_timeline_entry_is_written_as_text_of_one_language():
    calls = list(_event_calls())
    assert len(calls) > 50
    written = [
        f"{path}:{line}"
        for path, line, summary in calls
        if isinstance(summary, ast.Constant | ast.JoinedStr | ast.BinOp)
    ]
    assert written == [], "Record an EventText, so that each reader sees their language"


def _source_calls():
    """Every call in the project's own Python code (not its tests, the bench or packages)."""
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", "tests", "bench"} or _not_source(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield node


def test_every_timeline_message_is_translated_and_keeps_its_placeholders():
    import re

    messages = {
        node.args[0].value
        for node in _source_calls()
        if getattr(node.func, "id", "") == "gettext_noop" and isinstance(node.args[0], ast.Constant)
    }
    assert len(messages) > 60
    untranslated, broken = [], []
    with translation.override("fr"):
        catalogue = translation.trans_real.translation("fr")._catalog
        for message in sorted(messages):
            french = translation.gettext(message)
            if message not in catalogue:
                untranslated.append(message)
            elif sorted(re.findall(r"%\(\w+\)s", french)) != sorted(
                re.findall(r"%\(\w+\)s", message)
            ):
                broken.append(message)
    assert untranslated == [] and broken == []


def test_every_counted_timeline_message_has_both_french_forms_with_its_placeholders():
    import re

    pairs = {
        (node.args[0].value, node.args[1].value)
        for node in _source_calls()
        if getattr(node.func, "attr", "") == "ngettext"
        and getattr(node.func.value, "id", "") == "EventText"
    }
    assert pairs, "the escalation of a customer issue counts its days"
    catalogue = translation.trans_real.translation("fr")._catalog
    problems = []
    for singular, plural in sorted(pairs):
        wanted = sorted(re.findall(r"%\(\w+\)s", plural))
        for form in (0, 1):
            french = catalogue.get((singular, form))
            if not french or sorted(re.findall(r"%\(\w+\)s", french)) != wanted:
                problems.append((singular, form))
    assert problems == []


def test_a_count_chooses_its_form_in_the_readers_language_and_a_note_falls_back():
    from accounts.event_text import NOTE_MARKER, capitalised, note, note_shown

    for count, english, french in (
        (1, "1 changed class", "1 a changé de classe"),
        (3, "3 changed class", "3 ont changé de classe"),
    ):
        text = EventText.ngettext(
            "%(count)s changed class", "%(count)s changed class", count, count=count
        )
        assert (text.english(), _in("fr", text)) == (english, french)
    change = EventText(gettext_noop("'%(name)s' added"), name="Share of wallet")
    stored = note(EventText(gettext_noop("%(change)s: %(result)s"), change=capitalised(change),
                            result=EventText(gettext_noop("no class changed"))))  # fmt: skip
    with translation.override("fr"):
        assert note_shown(stored) == (
            "«\u00a0Share of wallet\u00a0» ajouté\u00a0: aucune classe n'a changé"
        )
    # A message renamed since: its English; a note of plain English: as stored.
    broken = NOTE_MARKER + '{"m":"Re-scored: %(reason)s","a":{},"en":"Re-scored: x"}'
    with translation.override("fr"):
        assert note_shown(broken) == "Re-scored: x"
        assert note_shown("Re-scored: weight of 'A' 3 → 1") == "Re-scored: weight of 'A' 3 → 1"
        assert note_shown("Restored from history") == "Restauré depuis l’historique"
        assert note_shown("") == ""


def test_a_validation_error_keeps_djangos_message_to_be_read_in_each_language():
    from django.core.exceptions import ValidationError
    from django.core.validators import MaxLengthValidator, validate_email

    from accounts.event_text import validation_text

    errors = []
    for check, value in ((validate_email, "not-an-address"), (MaxLengthValidator(3), "abcd")):
        try:
            check(value)
        except ValidationError as error:
            errors.extend(error.error_list)
    text = validation_text(ValidationError(errors))
    assert text.english() == (
        "Enter a valid email address. Ensure this value has at most 3 characters (it has 4)."
    )
    # The e-mail message is Django's, read in French; the length one (its plural waits for
    # a number) is kept in the language it was raised in.
    assert _in("fr", text) == (
        "Saisissez une adresse e-mail valide. "
        "Ensure this value has at most 3 characters (it has 4)."
    )
