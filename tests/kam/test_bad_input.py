"""Bad input answers a page, never a 500: NUL bytes in addresses (generated over the URL
conf), and a failed CSRF check (a page in the site's layout that satisfies the CSP)."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db


def _patterns(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(x for x in (namespace, entry.namespace) if x) or None
            yield from _patterns(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _sample_url(name, pattern) -> str | None:
    """The URL with a plausible value for each argument (the middleware answers before any
    view looks the object up)."""
    for sample in ("1", "x", "00000000-0000-0000-0000-000000000001"):
        try:
            kwargs = {arg: conv.to_python(sample) for arg, conv in _converters(pattern)}
            return reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001, S112 - try the next sample
            continue
    return None


def _converters(pattern):
    try:
        return list(pattern.pattern.converters.items())
    except AttributeError:
        return []


URLS = sorted(
    {url for name, pattern in _patterns() if (url := _sample_url(name, pattern)) is not None}
)


def test_the_url_conf_gives_many_urls():
    assert len(URLS) > 150


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "x" * 12)
    client.force_login(user)
    return client


def test_nul_in_path_or_query_is_400_never_500(client):
    """Every URL of the URL conf (admin included), with NUL in the query and in the path. One
    test rather than one per URL, and anonymous (the answer comes before any view or log-in
    check: 400, where today's code redirected to log in, or broke on PostgreSQL), so that it
    stays fast; the pages named in the issue are tried logged in below."""
    bad = {}
    for url in URLS:
        stem = url.rstrip("/")
        for address in (f"{url}?q=%00&page=1", f"{stem}%00/"):
            status = client.get(address).status_code
            if status not in (400, 404):
                bad[address] = status
    assert not bad, bad


def test_nul_pages_named_in_the_issue(superuser_client):
    for address in ("/calendar/%00.ics", "/accounts/?q=%00", "/strategy/customers/?q=%00"):
        response = superuser_client.get(address)
        assert response.status_code == 400, address
        page = response.content.decode()
        assert "This request could not be read" in page
        assert "NUL" in page


def test_anonymous_nul_gets_the_page_too(client):
    assert client.get("/calendar/%00.ics").status_code == 400
    assert client.get("/login/?next=%00").status_code == 400


# ---- CSRF failure ------------------------------------------------------------------------


class InlineCode(HTMLParser):
    """What a CSP without 'unsafe-inline' refuses: inline <script>, <style>, style="" and on…=."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name in names:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}=")


def test_a_post_without_csrf_token_gets_the_site_page_within_the_csp(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.programme_admin)
    response = client.post(reverse("strategy:programme_edit"), {"rationale": "Mine"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert "Your text is not lost" in page
    assert 'class="navbar' in page
    parser = InlineCode()
    parser.feed(page)
    assert parser.found == []
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


def test_an_anonymous_login_post_without_token_gets_it_too(db):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
