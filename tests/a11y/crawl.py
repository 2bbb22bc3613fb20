"""Walk the pages a signed-in person reaches by following links from home, as the test client.

GET only, same site only. Each page gets a *type*: its URL pattern plus the query keys that
change what the page shows (`?section=swot`, `?edit=action-…`, `?add=…`), so that a check that
is too slow to run on every page (axe in a browser) can run on one page of each type.
"""

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

from django.urls import Resolver404, resolve

# Not pages of this app: Django's admin, static files, sign-out (a GET would end the session),
# the REST API (JSON for tokens, not pages; its docs are Swagger UI's own page, served as is).
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/logout/", "/api/")
# Downloads (PDF, CSV, calendar files) are not HTML and some cost a second to render.
SKIPPED_SUFFIXES = (".pdf", ".csv", ".ics", "/download/")
# Query keys whose value picks another form or section: a page type of its own.
VALUE_KEYS = {"section"}
# Query keys whose value may end in an object id: its kind (`action-12` → `action`) is the type.
KIND_KEYS = {"edit", "add"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def page_type(url: str, *, editors_only: bool = False) -> str | None:
    """`planning:plan?edit=action` for `/accounts/4/plan/?edit=action-12`. With `editors_only`,
    query keys that only filter, sort or page a list (`?sort=`, `?page=2`) are left out."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = []
    for key, value in sorted(parse_qsl(parts.query, keep_blank_values=True)):
        if key in VALUE_KEYS:
            keys.append(f"{key}={value}")
        elif key in KIND_KEYS:
            keys.append(f"{key}={value.split('-')[0]}")
        elif not editors_only:
            keys.append(key)
    return match.view_name + ("?" + "&".join(keys) if keys else "")


def normalise_link(href: str, base: str) -> str | None:
    href, _fragment = urldefrag(href)
    if not href or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # another site (or an absolute link to this one: the app writes none)
    if href.startswith("?"):
        path, query = urlsplit(base).path, parts.query
    elif href.startswith("/"):
        path, query = parts.path, parts.query
    else:
        return None
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return None
    query = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    return path + ("?" + query if query else "")


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # url -> html
    types: dict[str, str] = field(default_factory=dict)  # page type -> first url of it
    errors: list[str] = field(default_factory=list)


def crawl(client, *, start="/", per_type=2, limit=400) -> Crawl:
    """Breadth first from `start`; at most `per_type` pages of each type are opened."""
    result = Crawl()
    seen_per_type: dict[str, int] = {}
    queue = deque([start])
    queued = {start}
    while queue and len(result.pages) < limit:
        url = queue.popleft()
        kind = page_type(url)
        if kind is None:
            continue
        if seen_per_type.get(kind, 0) >= per_type:
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            result.errors.append(f"{url}: {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a download: CSV, PDF, calendar file
        seen_per_type[kind] = seen_per_type.get(kind, 0) + 1
        html = response.content.decode()
        result.pages[url] = html
        result.types.setdefault(kind, url)
        links = _Links()
        links.feed(html)
        for href in links.hrefs:
            target = normalise_link(href, url)
            if target and target not in queued:
                queued.add(target)
                queue.append(target)
    return result


# The customer workspace is reached by a personal link, not from home: the customer's crawl
# opens a fresh link of the demo's invited stakeholder and starts at the workspace.
WORKSPACE_START = "/workspace/"


def open_demo_workspace(client) -> str:
    """Open a new personal link of seed_demo's invited customer stakeholder in `client` (no
    login); returns where the customer's crawl starts."""
    from django.urls import reverse

    from workspace.models import Invitation
    from workspace.services import invitation_create

    invited = Invitation.objects.select_related("stakeholder", "key_account").first()
    assert invited is not None, "seed_demo invited no customer stakeholder"
    _invitation, token = invitation_create(
        account=invited.key_account, stakeholder=invited.stakeholder, acting_user=None, send=False
    )
    response = client.get(reverse("workspace:enter", args=[token]))
    assert response.status_code == 302, response.status_code
    return WORKSPACE_START
