"""Every Discovery URL × every role × GET and POST, and objects of another account → 404."""

import pytest
from django.urls import get_resolver, reverse

from ._html_checks import page_problems
from .conftest import make_objects, url_kwargs

ROLES = ("director", "manager", "coordinator", "team_member", "executive", "outsider", None)
READ = {"director": 200, "manager": 200, "coordinator": 200, "team_member": 200,
        "executive": 200, "outsider": 404, None: "login"}  # fmt: skip
EDIT = {"director": "ok", "manager": "ok", "coordinator": 403, "team_member": 403,
        "executive": 403, "outsider": 404, None: "login"}  # fmt: skip
WRONG_METHOD = {role: 405 for role in ROLES} | {None: "login"}

# name: (GET rule, POST rule)
TABLE = {
    "profile": (READ, WRONG_METHOD),
    "section_edit": (EDIT, EDIT),
    "ratio_create": (EDIT, EDIT),
    "ratio_edit": (EDIT, EDIT),
    "ratio_delete": (WRONG_METHOD, EDIT),
    "competitor_create": (EDIT, EDIT),
    "competitor_edit": (EDIT, EDIT),
    "competitor_delete": (WRONG_METHOD, EDIT),
    "stakeholders": (READ, WRONG_METHOD),
    "stakeholder_map": (READ, WRONG_METHOD),
    "stakeholder_create": (EDIT, EDIT),
    "stakeholder_edit": (EDIT, EDIT),
    "stakeholder_archive": (WRONG_METHOD, EDIT),
    "stakeholder_restore": (WRONG_METHOD, EDIT),
    "interviews": (READ, WRONG_METHOD),
    "interview_create": (EDIT, EDIT),
    "interview_detail": (READ, WRONG_METHOD),
    "interview_edit": (EDIT, EDIT),
    "idea_add": (WRONG_METHOD, EDIT),
    "idea_delete": (WRONG_METHOD, EDIT),
    "relationship": (READ, WRONG_METHOD),
    "relationship_update": (WRONG_METHOD, EDIT),
    "profitability": (READ, WRONG_METHOD),
    "year_create": (EDIT, EDIT),
    "year_edit": (EDIT, EDIT),
    "year_delete": (WRONG_METHOD, EDIT),
    "lifetime_value_edit": (EDIT, EDIT),
}


def _patterns():
    resolver = get_resolver()
    (discovery,) = [p for p in resolver.url_patterns if getattr(p, "namespace", "") == "discovery"]
    return {p.name: p for p in discovery.url_patterns}


PATTERNS = _patterns()


def test_every_discovery_url_is_in_the_table():
    assert set(PATTERNS) - {"index"} == set(TABLE)


def _outcome(response):
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


def _matches(got, want) -> bool:
    if want == "ok":
        return got != "login" and got < 400
    return got == want


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_role_gets_what_the_table_says(name, client, people, account):
    failures = []
    for role in ROLES:
        # Fresh objects per role: a delete by one role must not hide what the next one gets.
        objects = make_objects(account, people.manager)
        kwargs = url_kwargs(PATTERNS[name].pattern.converters, account, objects)
        url = reverse(f"discovery:{name}", kwargs=kwargs)
        client.logout()
        if role:
            client.force_login(getattr(people, role))
        for method, rule in zip(("GET", "POST"), TABLE[name], strict=True):
            response = client.get(url) if method == "GET" else client.post(url, {})
            if not _matches(_outcome(response), rule[role]):
                failures.append(f"{method} {url} as {role}: {_outcome(response)} ≠ {rule[role]}")
            if method == "GET" and response.status_code == 200:
                problems = page_problems(response.content.decode())
                if problems:
                    failures.append(f"GET {url} as {role}: {problems}")
    assert not failures, "\n".join(failures)


OBJECT_URLS = sorted(
    n for n in TABLE if set(PATTERNS[n].pattern.converters) - {"account_id", "key"}
)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_objects_of_another_account_are_404_under_my_account(
    name, client, people, account, objects, other_objects
):
    """My account id in the URL, another account's object id: 404, never its data."""
    kwargs = url_kwargs(PATTERNS[name].pattern.converters, account, other_objects)
    kwargs["account_id"] = account.pk
    url = reverse(f"discovery:{name}", kwargs=kwargs)
    client.force_login(people.director)
    for method in ("GET", "POST"):
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code in (404, 405), f"{method} {url}: {response.status_code}"


def test_discovery_index_lists_only_visible_accounts(client_for, people, account, other_account):
    html = client_for(people.team_member).get(reverse("discovery:index")).content.decode()
    assert "Northwind Foods" in html and "Helios Retail" not in html
    html = client_for(people.executive).get(reverse("discovery:index")).content.decode()
    assert "Northwind Foods" in html and "Helios Retail" in html
    assert client_for(None).get(reverse("discovery:index")).status_code == 302
