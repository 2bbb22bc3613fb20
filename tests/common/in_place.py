"""The pages edited in place (common/inplace.py), as a table that
tests/common/test_in_place_editors.py plays: one `Case` per form, listed by each app
(`tests/<app>/in_place_cases.py`, gathered in `ALL_CASES`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape


def htmx(block, current=""):
    headers = {"HX-Request": "true", "HX-Target": block}
    if current:
        headers["HX-Current-URL"] = current
    return headers


def field_tag(page, name):
    return re.search(rf'<(input|select|textarea)[^>]*name="{name}"[^>]*>', page).group(0)


def cancel_link(html) -> str | None:
    """Where an editor's Cancel link sends htmx (common/_inplace_form.html), if it has one."""
    link = re.search(r"<a [^>]*data-inplace-cancel[^>]*>", html)
    return re.search(r'data-hx-get="([^"]*)"', link.group(0)).group(1) if link else None


def yesterday():
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def block_only(html, block):
    """The answer is the block alone (plus parts swapped out of band), no page chrome: a
    section, or one row of a list (its own <tbody>)."""
    assert "<html" not in html and "<nav" not in html, "a fragment carries no page chrome"
    assert re.match(rf'\s*<(section|tbody)[^>]*id="{block}"', html), html[:300]


def announced_in(html, announced) -> bool:
    """The block (or its saved note, swapped out of band) shows what the save announced."""
    pattern = rf'<p[^>]* class="small text-success mb-1"[^>]*>{re.escape(escape(announced))}</p>'
    return re.search(pattern, html) is not None


def target_of(case, obj) -> str:
    """The block an htmx request of the case names (`HX-Target`): its row's, for an editor
    opened in its row, else the case's block."""
    return case.row(obj) if case.row is not None and obj is not None else case.block


def bump_revision(case, obj, **_):
    """Someone else saved the row after this user's form was opened."""
    case.model.objects.filter(pk=obj.pk).update(revision=obj.revision + 1)


# The in-place round trip (the POST and the block it answers with) on the small accounts of the
# tests: a case whose save writes more (a meeting's attendees, history and timeline) says so.
ROUND_TRIP_QUERIES = 30


@dataclass
class Case:
    """One form edited in place. `make(account, people)` builds what it edits and returns
    (url, the object edited or None, the page the change then shows on)."""

    name: str  # the URL name
    block: str  # the id of the block the form belongs to (HX-Target)
    make: Callable
    valid: Callable  # (people, obj) -> form data that saves
    shown: str  # a text the block shows after the valid save
    invalid: Callable  # (people, obj) -> form data the form refuses
    typed: str  # a text typed in the invalid data, which must come back
    first_field: str  # the field that takes the focus when the form opens
    model: type | None = None  # what it edits (None: it only adds)
    announce: str = ""  # the announcement, when the case knows it exactly
    opens_by_get: bool = True  # False: the form is always open on its page
    # (case, obj, client_for=, people=, url=, data=) -> None: another writer saves first.
    other_writer: Callable = bump_revision
    user: str = "manager"  # the persona who edits (tests/conftest.py's `people`)
    round_trip_queries: int = ROUND_TRIP_QUERIES
    # obj -> the id of the row the editor opens in and a save in place answers with (a row of
    # `block` drawn by a partial of its own); None: the editor answers with `block`.
    row: Callable | None = None


def all_cases() -> list[Case]:
    from tests.delivery.in_place_cases import CASES as DELIVERY
    from tests.discovery.in_place_cases import CASES as DISCOVERY
    from tests.opportunities.in_place_cases import CASES as OPPORTUNITIES
    from tests.strategy.in_place_cases import CASES as STRATEGY

    return [*DISCOVERY, *OPPORTUNITIES, *STRATEGY, *DELIVERY]
