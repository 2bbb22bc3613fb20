"""Every URL × every role × GET and POST, against the one table in access_table.py.

Objects in URLs are built on the personas' account; the same URL is then tried with objects
of another account (no IDOR: 404 for everyone but those who may see that account).
Every HTML page that opens is also checked for basic accessibility (tests/html_checks.py).
"""

from contextlib import nullcontext

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.html_checks import page_problems
from tests.pdf_stub import UNRENDERED, pdf_layout_skipped

from .access_table import LOGIN, OK, ROLES, STATIC_KWARGS, TABLE
from .url_objects import FIXED, build_kwargs, workspace_token

SKIPPED_NAMESPACES = {
    "admin",  # Django's admin has its own staff-only permission system
    # The REST API answers tokens, not session cookies: tests/api/test_api_permission_matrix.py
    # walks every one of its routes × role × method with each role's token.
    "api_v1",
}


def _named_patterns(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full = ":".join(x for x in (namespace, ns) if x) or None
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _named_patterns(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


ALL_URLS = dict(_named_patterns())


def test_every_url_has_an_entry():
    missing = sorted(set(ALL_URLS) - set(TABLE))
    assert not missing, f"URLs with no entry in tests/security/access_table.py: {missing}"
    stale = sorted(set(TABLE) - set(ALL_URLS))
    assert not stale, f"entries for URLs that no longer exist: {stale}"


def _user_for(role, people):
    return {
        "director": people.director,
        "manager": people.manager,
        "coordinator": people.coordinator,
        "team_member": people.team_member,
        "executive": people.executive,
        "programme_admin": people.programme_admin,
        "no_role": people.outsider,
        "anonymous": None,
        "customer_link": None,
    }[role]


def _outcome(response) -> str | int:
    if response.status_code in (301, 302) and "/login/" in response.get("Location", ""):
        return LOGIN
    # 400 and 409 are "allowed in, but the (empty or stale) input was refused": access is
    # what is tested here.
    if response.status_code < 400 or response.status_code in (400, 409):
        return OK
    return response.status_code


def _url(name, pattern, account, people):
    kwargs = dict(STATIC_KWARGS.get(name, {}))
    kwargs.update(build_kwargs(name, pattern, account=account, people=people))
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(n for n in TABLE if n in ALL_URLS))
def test_url_answers_each_role_as_the_table_says(name, people, account, client):
    get_rule, post_rule = TABLE[name]
    failures = []
    # A PDF is laid out for real once, for the first role that gets it; for the other roles
    # the view runs whole (access, data, template) but WeasyPrint's layout is skipped.
    pdf_laid_out = False
    for role in ROLES:
        # Fresh objects for each role: a POST by one role may delete or change them.
        url = _url(name, ALL_URLS[name], account, people)
        user = _user_for(role, people)
        client.logout()
        if user is not None:
            client.force_login(user)
        if role == "customer_link":
            # A customer stakeholder of the account opens their personal link (no login).
            opened = client.get(reverse("workspace:enter", args=[workspace_token(account, people)]))
            assert opened.status_code == 302, opened
        for method, rule in (("GET", get_rule), ("POST", post_rule)):
            with pdf_layout_skipped() if pdf_laid_out else nullcontext():
                response = client.get(url) if method == "GET" else client.post(url, {})
            if response.get("Content-Type") == "application/pdf" and not pdf_laid_out:
                assert response.content.startswith(b"%PDF-"), f"{url} as {role}"
                assert response.content != UNRENDERED, f"{url} as {role}: not laid out"
                pdf_laid_out = True
            got = _outcome(response)
            if got != rule[role]:
                failures.append(f"{method} {url} as {role}: got {got}, want {rule[role]}")
            is_html = response.get("Content-Type", "").startswith("text/html")
            if method == "GET" and response.status_code == 200 and is_html:
                problems = page_problems(response.content.decode())
                if problems:
                    failures.append(f"GET {url} as {role}: page problems {problems}")
    assert not failures, "\n".join(failures)


# Arguments that name an account or something that lives under one (an interview idea, a
# mentoring session's step). Programme-level objects (criteria, candidate customers, roadmap
# items) are not tied to an account.
ACCOUNT_ARGUMENTS = {"account_id", "idea_id", "step_id"}


def _account_scoped(name):
    return bool(ACCOUNT_ARGUMENTS & set(ALL_URLS[name].pattern.converters))


@pytest.mark.parametrize("name", sorted(n for n in TABLE if n in ALL_URLS and _account_scoped(n)))
def test_objects_of_another_account_are_404(name, people, account, other_account, client):
    """No IDOR. The personas' roles are on `account`. Tried: (1) everything on
    `other_account`; (2) `account`'s id in the URL with objects of `other_account`."""
    pattern = ALL_URLS[name]
    theirs = build_kwargs(name, pattern, account=other_account, people=people)
    # 405 (wrong method) says nothing about the object. Under our own account id a 403 is
    # fine too: the role is refused before any object is looked up.
    probes = [(reverse(name, kwargs=theirs), {404, 405})]
    object_arguments = set(theirs) - {"account_id"} - set(FIXED)
    if "account_id" in theirs and object_arguments:
        mixed = reverse(name, kwargs={**theirs, "account_id": account.pk})
        probes.append((mixed, {403, 404, 405}))
    failures = []
    for url, refused in probes:
        for role in ("director", "manager", "coordinator", "team_member"):
            client.force_login(_user_for(role, people))
            for method in ("GET", "POST"):
                response = client.get(url) if method == "GET" else client.post(url, {})
                if response.status_code not in refused:
                    failures.append(f"{method} {url} as {role}: {response.status_code}, want 404")
    assert not failures, "\n".join(failures)
