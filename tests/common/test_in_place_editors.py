"""Every form edited in place (issue #19), played from the table of tests/common/in_place.py.

For each form: the htmx GET answers with its block alone and the form focused, and the same URL
without htmx with the whole page, the form open in it; a valid htmx save answers with the block
alone and announces itself (a bounded number of queries for the round trip); an invalid one
keeps the typed text with the errors in place; a save without JavaScript redirects and the page
shows the change; two writers get the conflict in place (409, both versions, the new revision in
the form so that a second save goes through knowingly); an editor's Cancel, as htmx sends it,
answers with the block alone, closed.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.common.in_place import (
    all_cases,
    announced_in,
    block_only,
    cancel_link,
    field_tag,
    htmx,
    target_of,
)

CASES = all_cases()
IDS = [case.name for case in CASES]


OPENED_BY_GET = [case for case in CASES if case.opens_by_get]
ALWAYS_OPEN = [case for case in CASES if not case.opens_by_get]


@pytest.mark.parametrize("case", OPENED_BY_GET, ids=[case.name for case in OPENED_BY_GET])
def test_htmx_get_answers_with_the_block_and_the_form_focused(case, client_for, people, account):
    url, obj, _page = case.make(account, people)
    client = client_for(getattr(people, case.user))
    response = client.get(url, headers=htmx(target_of(case, obj)))
    html = response.content.decode()
    assert response.status_code == 200
    block_only(html, target_of(case, obj))
    assert f'data-hx-post="{url}"' in html
    assert "autofocus" in field_tag(html, case.first_field)
    # Without JavaScript the same URL answers with the whole page, the form open in it.
    full = client.get(url).content.decode()
    assert "<html" in full and f'action="{url}#{case.block}"' in full


@pytest.mark.parametrize("case", ALWAYS_OPEN, ids=[case.name for case in ALWAYS_OPEN])
def test_a_form_always_open_is_on_its_page_posting_in_place(case, client_for, people, account):
    """Forms with no "open" step (an interview's idea, an opportunity's decision) are on the
    page as it loads, empty, posting to their URL in place and without JavaScript alike."""
    url, _obj, page = case.make(account, people)
    html = client_for(getattr(people, case.user)).get(page).content.decode()
    assert f'data-hx-post="{url}"' in html
    assert f'action="{url}#{case.block}"' in html
    assert f'name="{case.first_field}"' in html


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_valid_htmx_save_answers_with_the_block_and_announces_itself(
    case, client_for, people, account, django_assert_max_num_queries
):
    url, obj, _page = case.make(account, people)
    client = client_for(getattr(people, case.user))
    block = target_of(case, obj)
    client.get(url, headers=htmx(block))  # the session is read once before, as in use
    with django_assert_max_num_queries(case.round_trip_queries):
        response = client.post(url, case.valid(people, obj), headers=htmx(block))
    html = response.content.decode()
    assert response.status_code == 200, html[:2000]
    block_only(html, block)
    assert case.shown in html
    announced = json.loads(response["HX-Trigger"])["kam:announce"]
    assert announced_in(html, announced), html
    if case.announce:
        assert announced == case.announce
    assert 'role="alert"' not in html
    if case.opens_by_get:  # the form closed (an always-open one is there again, empty)
        assert "plan-editor" not in html


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_invalid_htmx_save_keeps_the_typed_text_and_shows_the_errors_in_place(
    case, client_for, people, account
):
    url, obj, _page = case.make(account, people)
    response = client_for(getattr(people, case.user)).post(
        url, case.invalid(people, obj), headers=htmx(target_of(case, obj))
    )
    html = response.content.decode()
    assert response.status_code in (200, 400)
    block_only(html, target_of(case, obj))
    assert "is-invalid" in html
    assert case.typed in html
    assert "autofocus" in html


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_without_javascript_a_save_redirects_and_the_page_shows_it(
    case, client_for, people, account
):
    url, obj, page = case.make(account, people)
    client = client_for(getattr(people, case.user))
    response = client.post(url, case.valid(people, obj))
    assert response.status_code == 302
    # A new interview opens on its own page; everything else shows on the page it was typed on.
    shown = client.get(response["Location"]).content.decode()
    assert case.shown in shown or case.shown in client.get(page).content.decode()
    assert "<html" in shown


@pytest.mark.parametrize("case", [c for c in CASES if c.model is not None], ids=lambda c: c.name)
def test_two_writers_get_the_conflict_in_place(case, client_for, people, account):
    url, obj, _page = case.make(account, people)
    data = case.valid(people, obj)
    case.other_writer(case, obj, client_for=client_for, people=people, url=url, data=data)
    client = client_for(getattr(people, case.user))
    response = client.post(url, data, headers=htmx(target_of(case, obj)))
    html = response.content.decode()
    assert response.status_code == 409
    block_only(html, target_of(case, obj))
    assert "Edit conflict." in html
    assert case.shown in html  # what this user typed is kept
    assert 'name="revision" value="1"' in html  # a second save replaces theirs knowingly
    again = client.post(url, {**data, "revision": "1"}, headers=htmx(target_of(case, obj)))
    assert again.status_code == 200


@pytest.mark.parametrize("case", OPENED_BY_GET, ids=[case.name for case in OPENED_BY_GET])
def test_cancel_answers_with_the_block_closed(case, client_for, people, account):
    """htmx sends Cancel's GET to the page's own URL with `HX-Target` naming the block: the page's
    read view answers with that block alone (a whole page would be swapped into it, menu and
    all), reading no more than the block with its editor open does; without JavaScript the same
    URL is the whole page. Both answers vary on htmx's headers (kam.middleware)."""
    url, obj, page = case.make(account, people)
    block = target_of(case, obj)
    client = client_for(getattr(people, case.user))
    with CaptureQueriesContext(connection) as opening:
        opened = client.get(url, headers=htmx(block, page)).content.decode()
    cancel = cancel_link(opened)
    assert cancel, "an editor opened by a link has a Cancel link that closes it"
    with CaptureQueriesContext(connection) as cancelling:
        response = client.get(cancel, headers=htmx(block, page))
    html = response.content.decode()
    assert response.status_code == 200
    block_only(html, block)
    assert f'data-hx-post="{url}"' not in html  # the editor is closed
    assert len(cancelling) <= len(opening), [q["sql"] for q in cancelling.captured_queries]
    full = client.get(cancel)
    assert "<html" in full.content.decode() and f'id="{block}"' in full.content.decode()
    # Both answers say what chose them: the browser's cache never gives the block as the page.
    for answer in (response, full):
        assert {"HX-Request", "HX-Target"} <= {v.strip() for v in answer["Vary"].split(",")}
