"""The one edit-conflict mechanism (common/conflicts.py): the revision check, the lock, the
form that keeps the user's input with the saved revision, and the 409 page with both versions."""

import ast
import threading
from pathlib import Path

import pytest
from django import forms
from django.db import connection, transaction
from django.test import RequestFactory

from common import conflicts
from common.conflicts import (
    CONFLICT_STATUS,
    EditConflict,
    RevisionField,
    bump_revision,
    check_revision,
    conflict_response,
    describe_conflict,
    lock_for_edit,
)
from organisation.models import JobSpecification
from rhythm.models import DigestPreference
from tests.conftest import ROOT, require_service
from tests.factories import UserFactory


class Row:
    """Anything with a revision: the check needs nothing else."""

    def __init__(self, revision=0, title=""):
        self.revision = revision
        self.title = title


class BriefForm(forms.Form):
    title = forms.CharField(label="Title")
    status = forms.ChoiceField(choices=[("open", "Open"), ("done", "Done")])
    urgent = forms.BooleanField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    revision = RevisionField()


# ---- the revision check -------------------------------------------------------------------


def test_the_revision_the_form_started_from_passes():
    check_revision(Row(revision=3), 3)
    check_revision(Row(revision=3), "3")  # as posted


def test_no_revision_means_not_started_from_a_form_and_is_not_checked():
    check_revision(Row(revision=3), None)


def test_a_stale_revision_is_a_conflict_carrying_the_saved_row_and_its_revision():
    saved = Row(revision=4, title="Theirs")
    with pytest.raises(EditConflict) as caught:
        check_revision(saved, 3, message="Someone else changed this brief.")
    assert caught.value.current is saved
    assert caught.value.revision == 4
    assert caught.value.message == str(caught.value) == "Someone else changed this brief."


def test_a_part_with_its_own_counter_is_checked_against_that_counter():
    plan = Row(revision=10)  # the plan as a whole moved on; this section did not
    check_revision(plan, 2, saved=2)
    with pytest.raises(EditConflict) as caught:
        check_revision(plan, 1, saved=2)
    assert caught.value.revision == 2


def test_the_message_may_describe_the_saved_row():
    with pytest.raises(EditConflict, match="it is now Theirs"):
        check_revision(Row(1, "Theirs"), 0, message=lambda saved: f"it is now {saved.title}")


def test_bump_moves_the_counter_on_and_names_the_field_for_update_fields():
    row = Row(revision=7)
    assert bump_revision(row) == "revision"
    assert row.revision == 8


def test_revision_field_is_hidden_optional_and_not_negative():
    form_field = RevisionField()
    assert form_field.widget.is_hidden and not form_field.required
    assert form_field.clean("") is None and form_field.clean("2") == 2
    with pytest.raises(forms.ValidationError):
        form_field.clean("-1")


@pytest.mark.django_db
def test_lock_for_edit_returns_the_saved_row_or_refuses_a_stale_revision():
    spec = JobSpecification.objects.get(role="manager")
    JobSpecification.objects.filter(pk=spec.pk).update(revision=5, skills="Theirs")
    with transaction.atomic():
        current = lock_for_edit(spec, 5)
    assert (current.skills, current.revision) == ("Theirs", 5)
    with transaction.atomic(), pytest.raises(EditConflict) as caught:
        lock_for_edit(spec, 4, message="Stale.")
    assert caught.value.current.skills == "Theirs" and caught.value.revision == 5


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_take_turns_and_the_second_gets_the_conflict():
    """On PostgreSQL the row lock makes the second save wait for the first to commit; it
    then finds the counter moved. (SQLite has no row locks: this needs DATABASE_URL.)"""
    require_service(connection.vendor == "postgresql", "row locks need PostgreSQL (DATABASE_URL)")
    preference = DigestPreference.objects.create(user=UserFactory())
    first_has_the_lock = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                row = lock_for_edit(preference, 0)
                first_has_the_lock.set()
                threading.Event().wait(0.5)  # hold the lock while the second one arrives
                row.frequency = DigestPreference.Frequency.WEEKLY
                row.save(update_fields=["frequency", bump_revision(row)])
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second():
        first_has_the_lock.wait(5)
        try:
            with transaction.atomic():
                row = lock_for_edit(preference, 0)
                row.save(update_fields=[bump_revision(row)])
            outcome["second"] = "saved"
        except EditConflict as conflict:
            outcome["second"] = ("conflict", conflict.revision, conflict.current.frequency)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcome == {"first": "saved", "second": ("conflict", 1, "weekly")}
    assert DigestPreference.objects.get(pk=preference.pk).revision == 1


# ---- the page -----------------------------------------------------------------------------


def _conflict(revision=2, **saved_values):
    saved = Row(revision=revision, **saved_values)
    return EditConflict(saved, revision=revision, message="Someone else changed this brief.")


def _typed(**over):
    data = {"title": "My title", "status": "open", "notes": "Same notes", "revision": "1"}
    data.update(over)
    form = BriefForm(data)
    assert form.is_valid()
    return form


def _saved_form(**initial):
    values = {"title": "Their title", "status": "done", "notes": "Same notes", "revision": 2}
    values.update(initial)
    return BriefForm(initial=values)


def test_the_form_keeps_the_typed_input_and_now_carries_the_saved_revision():
    form = _typed()
    describe_conflict(_conflict(), form=form, saved=_saved_form())
    assert form["title"].value() == "My title"
    assert form["revision"].value() == 2


def test_only_the_fields_that_differ_are_listed_with_labels_and_readable_values():
    details = describe_conflict(_conflict(), form=_typed(), saved=_saved_form())
    assert [(r.label, r.theirs, r.yours) for r in details.rows] == [
        ("Title", "Their title", "My title"),
        ("Status", "Done", "Open"),
    ]
    assert details.status == CONFLICT_STATUS == 409
    assert details.message == "Someone else changed this brief."


def test_whitespace_and_line_endings_alone_are_not_a_difference():
    form = _typed(title="Their title", status="done", notes="Same notes\r\n")
    details = describe_conflict(_conflict(), form=form, saved=_saved_form())
    assert details.rows == []


def test_extra_rows_cover_what_the_fields_do_not_hold_and_only_when_they_differ():
    details = describe_conflict(
        _conflict(),
        form=_typed(),
        saved=_saved_form(),
        extra_rows=[("Lines", "Boxes: 2", "Boxes: 3"), ("Attachments", "none", "none")],
    )
    assert ("Lines", "Boxes: 2", "Boxes: 3") in [(r.label, r.theirs, r.yours) for r in details.rows]
    assert "Attachments" not in [r.label for r in details.rows]


def test_conflict_response_is_a_409_page_with_theirs_beside_yours():
    request = RequestFactory().post("/brief/")
    form = _typed()
    response = conflict_response(
        request,
        "common/_conflict.html",
        {},
        conflict=_conflict(),
        form=form,
        saved=_saved_form(),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Edit conflict." in html and "Someone else changed this brief." in html
    theirs = html.split('id="conflict-title"')[1].split("</section>")[0]
    yours = html.split('id="conflict-yours-title"')[1].split("</section>")[0]
    assert "Their title" in theirs and "My title" not in theirs
    assert "My title" in yours and "Their title" not in yours


# ---- where it lives -----------------------------------------------------------------------


def test_the_mechanism_imports_no_app_of_the_project():
    project_apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()} - {"common"}
    tree = ast.parse(Path(conflicts.__file__).read_text())
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not imported & project_apps, imported & project_apps
