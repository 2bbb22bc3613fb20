"""Two writers: one archives a selection criterion while the other has its edit form open. The
archive moves the criterion's revision, so the edit is refused as stale (409) with the archive
named, both versions shown and what was typed kept — on the whole page and in place — although
the tables list only criteria that count (the archived one's editor comes back above them)."""

import re
from html import unescape

from django.urls import reverse

from strategy.models import SelectionCriterion
from tests.common.in_place import block_only, htmx
from tests.factories import CriterionFactory
from tests.html_checks import page_problems

from .in_place_cases import criterion_data

ARCHIVED_MEANWHILE = "Someone archived this criterion while you were editing"


def _archive(client, criterion, archived=True):
    url = reverse("strategy:criterion_archive", args=[criterion.pk])
    return client.post(url, {"archived": "1" if archived else "0"})


def _revision_in(page) -> int:
    """The revision the refused form now carries (its own ids: `criterion_revision`)."""
    tag = re.search(r'<input[^>]*name="revision"[^>]*id="criterion_revision"[^>]*>', page)
    tag = tag or re.search(r'<input[^>]*id="criterion_revision"[^>]*name="revision"[^>]*>', page)
    return int(re.search(r'value="(\d+)"', tag.group(0)).group(1))


def _conflict_rows(page) -> tuple[str, str]:
    theirs = re.search(r'<dl class="mb-0 conflict-theirs">(.*?)</dl>', page, re.S).group(1)
    yours = re.search(r'<dl class="mb-0 conflict-yours">(.*?)</dl>', page, re.S).group(1)
    return _text(theirs), _text(yours)


def _text(html) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _typed(criterion, seen):
    return criterion_data(
        name="Growth outlook",
        weight="1",
        scale_1="Shrinking",
        scale_3="Flat",
        scale_5="Doubling in two years",
        revision=seen,
    )


def test_archiving_and_restoring_move_the_revision_and_a_second_click_changes_nothing(
    client_for, people
):
    criterion = CriterionFactory(name="Growth")
    client = client_for(people.programme_admin)
    _archive(client, criterion)
    criterion.refresh_from_db()
    archived_at = criterion.archived_at
    assert archived_at is not None and criterion.revision == 1
    _archive(client, criterion)  # clicked twice (another tab): nothing moves
    criterion.refresh_from_db()
    assert (criterion.archived_at, criterion.revision) == (archived_at, 1)
    _archive(client, criterion, archived=False)
    criterion.refresh_from_db()
    assert criterion.archived_at is None and criterion.revision == 2


def test_an_edit_opened_before_the_archive_is_refused_on_the_whole_page_with_the_text_kept(
    client_for, people
):
    criterion = CriterionFactory(name="Growth", scale_5="High")
    seen = criterion.revision
    admin = client_for(people.programme_admin)
    _archive(admin, criterion)
    url = reverse("strategy:criterion_edit", args=[criterion.pk])
    response = admin.post(url, _typed(criterion, seen))
    assert response.status_code == 409
    page = response.content.decode()
    assert "<nav" in page  # the whole page, the form open in it
    assert ARCHIVED_MEANWHILE in page
    assert "Edit archived criterion: Growth" in page
    theirs, yours = _conflict_rows(page)
    assert "Growth" in theirs and "High" in theirs
    assert "Growth outlook" in yours and "Doubling in two years" in yours
    assert 'value="Doubling in two years"' in page  # the typed text, in the form
    criterion.refresh_from_db()
    assert (criterion.name, criterion.scale_5, criterion.revision) == ("Growth", "High", seen + 1)

    # Saving again from that page changes the archived criterion knowingly; it stays archived.
    response = admin.post(url, _typed(criterion, _revision_in(page)))
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name, criterion.scale_5) == ("Growth outlook", "Doubling in two years")
    assert criterion.archived_at is not None


def test_an_edit_opened_before_the_archive_is_refused_in_place_with_the_text_kept(
    client_for, people
):
    criterion = CriterionFactory(name="Growth", scale_5="High")
    seen = criterion.revision
    admin = client_for(people.programme_admin)
    _archive(admin, criterion)
    url = reverse("strategy:criterion_edit", args=[criterion.pk])
    response = admin.post(url, _typed(criterion, seen), headers=htmx("criteria-tables"))
    assert response.status_code == 409
    page = response.content.decode()
    block_only(page, "criteria-tables")
    assert ARCHIVED_MEANWHILE in page
    theirs, yours = _conflict_rows(page)
    assert "High" in theirs and "Doubling in two years" in yours
    assert 'value="Doubling in two years"' in page
    assert f'data-hx-post="{url}"' in page  # the editor is open in the block, to save again
    assert SelectionCriterion.objects.get(pk=criterion.pk).name == "Growth"

    response = admin.post(
        url, _typed(criterion, _revision_in(page)), headers=htmx("criteria-tables")
    )
    assert response.status_code == 200
    criterion.refresh_from_db()
    assert criterion.scale_5 == "Doubling in two years" and criterion.archived_at is not None


def test_an_edit_opened_before_a_restore_is_refused_too(client_for, people):
    criterion = CriterionFactory(name="Growth")
    admin = client_for(people.programme_admin)
    _archive(admin, criterion)
    criterion.refresh_from_db()
    seen = criterion.revision
    _archive(admin, criterion, archived=False)
    url = reverse("strategy:criterion_edit", args=[criterion.pk])
    response = admin.post(url, _typed(criterion, seen), headers=htmx("criteria-tables"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this while you were editing." in page
    assert 'value="Doubling in two years"' in page


def test_an_archived_criterions_editor_opens_above_the_tables_on_a_valid_page(client_for, people):
    criterion = CriterionFactory(name="Growth", scale_5="High")
    admin = client_for(people.programme_admin)
    _archive(admin, criterion)
    page = admin.get(reverse("strategy:criterion_edit", args=[criterion.pk])).content.decode()
    assert "Edit archived criterion: Growth" in page
    assert "This criterion is archived: it does not count" in page
    assert page_problems(page) == []
    refused = admin.post(
        reverse("strategy:criterion_edit", args=[criterion.pk]), _typed(criterion, 0)
    )
    assert page_problems(refused.content.decode()) == []
