"""Two programme admins: one archives an offering while the other has its edit page open. The
archive moves the offering's revision, so the edit is refused as stale (409) with the archive
named, both versions shown and what was typed kept, instead of saving onto an archived offering
unaware."""

import re
from html import unescape

from django.urls import reverse

from opportunities.models import Offering
from tests.html_checks import page_problems

from .factories import OfferingFactory


def _archive(client, offering, archive=True):
    url = reverse("opportunities:offering_archive", args=[offering.pk])
    return client.post(url, {"archive": "1" if archive else "0"})


def _conflict_rows(page) -> tuple[str, str]:
    theirs = re.search(r'<dl class="mb-0 conflict-theirs">(.*?)</dl>', page, re.S).group(1)
    yours = re.search(r'<dl class="mb-0 conflict-yours">(.*?)</dl>', page, re.S).group(1)
    return _text(theirs), _text(yours)


def _text(html) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_archiving_and_restoring_move_the_revision_and_a_second_click_changes_nothing(
    client_for, people
):
    offering = OfferingFactory(name="Cold-chain logistics")
    client = client_for(people.programme_admin)
    _archive(client, offering)
    offering.refresh_from_db()
    archived_at = offering.archived_at
    assert archived_at is not None and offering.revision == 1
    _archive(client, offering)
    offering.refresh_from_db()
    assert (offering.archived_at, offering.revision) == (archived_at, 1)
    _archive(client, offering, archive=False)
    offering.refresh_from_db()
    assert offering.archived_at is None and offering.revision == 2


def test_an_edit_opened_before_the_archive_is_refused_with_both_versions_and_the_text_kept(
    client_for, people
):
    offering = OfferingFactory(name="Cold-chain logistics", description="Reefer trucks")
    seen = offering.revision
    admin = client_for(people.programme_admin)
    _archive(admin, offering)
    url = reverse("opportunities:offering_edit", args=[offering.pk])
    typed = {"name": "Cold-chain logistics", "description": "Reefer trucks and cold stores"}
    response = admin.post(url, {**typed, "revision": seen})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone archived this offering while you were editing" in page
    assert "This offering is archived: it is not on the white-space grids" in page
    theirs, yours = _conflict_rows(page)
    assert theirs == "Description Reefer trucks"
    assert yours == "Description Reefer trucks and cold stores"
    assert "Reefer trucks and cold stores</textarea>" in page  # kept in the form
    assert f'name="revision" value="{seen + 1}"' in page
    offering.refresh_from_db()
    assert offering.description == "Reefer trucks"

    # Saved again from that page: the archived offering changes knowingly and stays archived.
    response = admin.post(url, {**typed, "revision": seen + 1})
    assert response.status_code == 302
    offering = Offering.objects.get(pk=offering.pk)
    assert offering.description == "Reefer trucks and cold stores"
    assert offering.archived_at is not None


def test_an_edit_opened_before_a_restore_is_refused_too(client_for, people):
    offering = OfferingFactory(name="Cold-chain logistics", archived_at=None)
    admin = client_for(people.programme_admin)
    _archive(admin, offering)
    offering.refresh_from_db()
    seen = offering.revision
    _archive(admin, offering, archive=False)
    response = admin.post(
        reverse("opportunities:offering_edit", args=[offering.pk]),
        {"name": "Cold-chain", "description": "", "revision": seen},
    )
    assert response.status_code == 409
    assert "Someone else saved this while you were editing." in response.content.decode()


def test_the_refusal_page_is_valid(client_for, people):
    offering = OfferingFactory(name="Cold-chain logistics")
    admin = client_for(people.programme_admin)
    _archive(admin, offering)
    response = admin.post(
        reverse("opportunities:offering_edit", args=[offering.pk]),
        {"name": "Cold chain", "description": "", "revision": 0},
    )
    assert response.status_code == 409
    assert page_problems(response.content.decode()) == []
