"""The stakeholder list edited row by row (issue #22): "Edit", "Cancel" and a save in place
answer with the stakeholder's row alone (its own <tbody>, discovery/_stakeholder_row.html, the
partial the full page draws each row with), never the list; what the row shows after the swap
is what a fresh full page shows for it, in English and in French; the save reads each link once
(the form's choices, not the model's checks again) and its statements are pinned."""

import re

import pytest
from django.urls import reverse

from accounts.models import Membership
from discovery.models import Stakeholder
from tests.common.in_place import block_only, field_tag, htmx
from tests.factories import StakeholderFactory

from .in_place_cases import stakeholder_data, stakeholders_url

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _row_of(page: str, person) -> str:
    """The stakeholder's <tbody> cut from a page or an answer, its CSRF tokens blanked."""
    start = page.index(f'<tbody id="stakeholder-{person.pk}"')
    row = page[start : page.index("</tbody>", start) + len("</tbody>")]
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', row)


@pytest.fixture
def two(account, people):
    """Anna Berger, and Jens Albrecht (owned by the team member, contacted 10 days ago)."""
    boss = StakeholderFactory(key_account=account, name="Anna Berger")
    person = StakeholderFactory(
        key_account=account,
        name="Jens Albrecht",
        buying_role="buyer",
        influence="high",
        owner=people.team_member,
        notes="Prefers calls",
    )
    return boss, person


def _edit(account, person):
    return reverse("discovery:stakeholder_edit", args=[account.pk, person.pk])


def _saved_data(person, people, **changes):
    saved = {
        "name": person.name,
        "buying_role": person.buying_role,
        "influence": person.influence,
        "attitude": person.attitude,
        "owner": people.team_member.pk,
        "notes": person.notes,
        "revision": person.revision,
    }
    return stakeholder_data(**{**saved, **changes})


def test_a_save_in_place_answers_with_the_row_and_the_saved_note_only(
    client_for, people, account, two, django_assert_max_num_queries
):
    boss, person = two
    client = client_for(people.manager)
    row = f"stakeholder-{person.pk}"
    client.get(_edit(account, person), headers=htmx(row))  # the session read once before
    data = _saved_data(person, people, name="Jens Albrecht-Kühn", reports_to=boss.pk)
    # The session and the user (2), the account (1), the stakeholder with its links (1), the
    # reports-to person through its choices (1); the savepoint (2), the account locked for its
    # chart (1, PostgreSQL only), the stakeholder locked (1), the owner's team (1), the chart
    # for loops (1), the update, its history and the plan marked edited (3): 14 on PostgreSQL,
    # 13 on SQLite. Before the row swap: 30 on the demo data (finding 48), the owner and the
    # reports-to person each read four times, and the list drawn again.
    with django_assert_max_num_queries(14):
        response = client.post(_edit(account, person), data, headers=htmx(row))
    html = response.content.decode()
    assert response.status_code == 200
    block_only(html, row)
    assert '<section id="stakeholder-list"' not in html and "<caption" not in html
    assert f'id="stakeholder-{boss.pk}"' not in html  # no other row
    assert "Jens Albrecht-Kühn" in html and "plan-editor" not in html
    saved = (
        '<p id="saved-stakeholder-list" class="small text-success mb-1" data-hx-swap-oob="true">'
    )
    assert f"{saved}Jens Albrecht-Kühn saved.</p>" in html
    person.refresh_from_db()
    assert person.name == "Jens Albrecht-Kühn" and person.reports_to == boss
    assert person.revision == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_row_saved_in_place_is_the_row_of_a_fresh_full_page(
    client_for, people, account, two, language
):
    """Name, title and department, role, influence, attitude, owner, last contact, reports-to,
    the gaps (high influence: none once owned and contacted) and the row's buttons."""
    boss, person = two
    people.manager.language = language
    people.manager.save(update_fields=["language"])
    client = client_for(people.manager)
    row = f"stakeholder-{person.pk}"
    data = _saved_data(
        person,
        people,
        title="Head of procurement",
        department="Procurement",
        last_contact_on="2026-11-02",
        reports_to=boss.pk,
    )
    response = client.post(_edit(account, person), data, headers=htmx(row))
    assert response.status_code == 200
    fragment = _row_of(response.content.decode(), person)
    assert "Anna Berger" in fragment and ("2 Nov 2026" in fragment or "2 nov" in fragment)
    full = client.get(stakeholders_url(account)).content.decode()
    assert fragment == _row_of(full, person)


def test_edit_and_cancel_answer_with_the_row(client_for, people, account, two):
    boss, person = two
    client = client_for(people.manager)
    row = f"stakeholder-{person.pk}"
    page = stakeholders_url(account)
    full = client.get(page).content.decode()
    opened = client.get(_edit(account, person), headers=htmx(row, page))
    html = opened.content.decode()
    block_only(html, row)
    assert f'id="stakeholder-{boss.pk}"' not in html and "<caption" not in html
    assert 'value="Jens Albrecht"' in html and "autofocus" in field_tag(html, "name")
    # The form's own block is the row: its Cancel goes to the list page, aiming at the row.
    cancel = re.search(r'data-hx-get="([^"]*)" data-inplace-cancel', html).group(1)
    closed = client.get(cancel, headers=htmx(row, page)).content.decode()
    block_only(closed, row)
    assert _row_of(closed, person) == _row_of(full, person)


def test_an_invalid_save_in_the_row_keeps_what_was_typed_beside_the_saved_row(
    client_for, people, account, two
):
    _boss, person = two
    row = f"stakeholder-{person.pk}"
    data = _saved_data(person, people, name="", notes="Met at the trade fair")
    response = client_for(people.manager).post(_edit(account, person), data, headers=htmx(row))
    html = response.content.decode()
    block_only(html, row)
    assert "is-invalid" in html and "Met at the trade fair" in html
    # The row above the editor still shows the stakeholder as saved, not what was typed.
    assert "<strong>Jens Albrecht</strong>" in html and "Prefers calls" in html.split("<form")[0]


def test_a_stale_save_in_the_row_shows_both_versions(client_for, people, account, two):
    _boss, person = two
    row = f"stakeholder-{person.pk}"
    data = _saved_data(person, people, name="Jens Albrecht-Kühn")
    Stakeholder.objects.filter(pk=person.pk).update(name="Jens A.", revision=1)
    response = client_for(people.manager).post(_edit(account, person), data, headers=htmx(row))
    html = response.content.decode()
    assert response.status_code == 409
    block_only(html, row)
    assert "Edit conflict." in html and "Jens Albrecht-Kühn" in html and "Jens A." in html


def test_an_owner_kept_after_leaving_the_team_is_still_refused(client_for, people, account, two):
    """The owner sent back unchanged is taken as read with the stakeholder (no second read),
    so the service's own check of the team is what refuses them."""
    _boss, person = two
    Membership.objects.filter(user=people.team_member, key_account=account).delete()
    row = f"stakeholder-{person.pk}"
    response = client_for(people.manager).post(
        _edit(account, person), _saved_data(person, people, name="Jens"), headers=htmx(row)
    )
    html = response.content.decode()
    assert "is not on this account&#x27;s team" in html or "is not on this account's team" in html
    person.refresh_from_db()
    assert person.name == "Jens Albrecht"


def test_an_archived_manager_is_not_among_the_reports_to_choices(client_for, people, account, two):
    boss, person = two
    Stakeholder.objects.filter(pk=boss.pk).update(archived_at="2026-11-01T10:00:00Z")
    row = f"stakeholder-{person.pk}"
    response = client_for(people.manager).post(
        _edit(account, person), _saved_data(person, people, reports_to=boss.pk), headers=htmx(row)
    )
    html = response.content.decode()
    assert "Select a valid choice" in html
    person.refresh_from_db()
    assert person.reports_to is None


def test_a_row_of_another_account_is_404(client_for, people, account, other_account):
    stranger = StakeholderFactory(key_account=other_account, name="Eva Roth")
    client = client_for(people.manager)
    row = f"stakeholder-{stranger.pk}"
    assert client.get(stakeholders_url(account), headers=htmx(row)).status_code == 404
