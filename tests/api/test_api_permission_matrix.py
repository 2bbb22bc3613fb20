"""Every route of /api/v1/ × every role × every method it answers, with each role's own token,
against one table (the API's part of tests/security/access_table.py): outsiders 404, members
without the right 403, anonymous callers 401; a read-only token is refused every change (403);
objects of another account are 404 (no IDOR). A new route without an entry fails."""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import ApiToken
from tests.security.access_table import (
    ACCOUNT_EDIT,
    ACCOUNT_PROGRESS,
    ACCOUNT_SCHEDULE,
    ACCOUNT_VIEW,
    CANDIDATES_VIEW,
    OK,
    ROLES,
)
from tests.security.url_objects import build_kwargs, current_plan, workspace_token

pytestmark = pytest.mark.django_db

UNAUTHORISED = 401


def _api(rule):
    """A page rule, as the API answers it: anonymous callers get 401, not the log-in page; a
    browser holding a customer workspace link gets 404 (it sees nothing outside the workspace)."""
    return {**rule, "anonymous": UNAUTHORISED, "customer_link": 404}


TOKEN_HOLDERS = _api({role: OK for role in ROLES})
PUBLIC = {role: OK for role in ROLES} | {"customer_link": 404}
VIEW, EDIT = _api(ACCOUNT_VIEW), _api(ACCOUNT_EDIT)
SCHEDULE, PROGRESS = _api(ACCOUNT_SCHEDULE), _api(ACCOUNT_PROGRESS)
CANDIDATES = _api(CANDIDATES_VIEW)
CUSTOMER_EDIT = _api({role: 403 for role in ROLES} | {"programme_admin": OK})

# route name -> {method: rule}
API_TABLE = {
    "api_v1:root": {"GET": TOKEN_HOLDERS},
    "api_v1:schema": {"GET": PUBLIC},  # the API's shape, no data
    "api_v1:docs": {"GET": PUBLIC},
    "api_v1:key_account_list": {"GET": TOKEN_HOLDERS},  # each sees their own accounts
    "api_v1:key_account_detail": {"GET": VIEW},
    "api_v1:stakeholder_list": {"GET": VIEW, "POST": EDIT},
    "api_v1:stakeholder_detail": {"GET": VIEW, "PATCH": EDIT},
    "api_v1:opportunity_list": {"GET": VIEW, "POST": EDIT},
    "api_v1:opportunity_detail": {"GET": VIEW, "PATCH": EDIT},
    "api_v1:plan_detail": {"GET": VIEW},
    "api_v1:measurement_list": {"GET": VIEW, "POST": SCHEDULE},
    "api_v1:action_list": {"GET": TOKEN_HOLDERS},
    "api_v1:action_detail": {"GET": VIEW},
    # The matrix's action is the team member's own.
    "api_v1:action_progress": {"POST": PROGRESS},
    "api_v1:meeting_list": {"GET": VIEW},
    "api_v1:customer_list": {"GET": CANDIDATES, "POST": CUSTOMER_EDIT},
    "api_v1:customer_detail": {"GET": CANDIDATES, "PATCH": CUSTOMER_EDIT},
}


def _api_routes(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            full = ":".join(x for x in (namespace, entry.namespace) if x) or None
            yield from _api_routes(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name and namespace == "api_v1":
            yield f"{namespace}:{entry.name}", entry


ROUTES = dict(_api_routes())


def test_every_api_route_has_an_entry():
    assert ROUTES, "no /api/v1/ routes found"
    assert not sorted(set(ROUTES) - set(API_TABLE)), "API routes without an entry"
    assert not sorted(set(API_TABLE) - set(ROUTES)), "entries for routes that do not exist"


def _user(role, people):
    return None if role in ("anonymous", "customer_link") else {
        "no_role": people.outsider, **{r: getattr(people, r) for r in ROLES[:6]}
    }[role]  # fmt: skip


def _outcome(response):
    # 400 (empty input), 412/428 (no or stale revision): let in, input refused.
    if response.status_code < 400 or response.status_code in (400, 412, 428):
        return OK
    return response.status_code


def _call(client, method, url):
    if method == "GET":
        return client.get(url)
    send = client.post if method == "POST" else client.patch
    return send(url, json.dumps({}), content_type="application/json")


def _client(user, scope=ApiToken.Scope.READ_WRITE, token_for=None):
    return Client() if user is None else Client(
        HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}"
    )  # fmt: skip


@pytest.mark.parametrize("name", sorted(API_TABLE))
def test_api_route_answers_each_role_as_the_table_says(name, people, account, token_for):
    current_plan(account)  # the plan route reads the current plan
    failures = []
    for role in ROLES:
        url = reverse(name, kwargs=build_kwargs(name, ROUTES[name], account=account, people=people))
        client = _client(_user(role, people), token_for=token_for)
        if role == "customer_link":
            # A customer stakeholder of the account opens their personal link (no login).
            opened = client.get(reverse("workspace:enter", args=[workspace_token(account, people)]))
            assert opened.status_code == 302, opened
        for method, rule in API_TABLE[name].items():
            response = _call(client, method, url)
            got = _outcome(response)
            if got != rule[role]:
                failures.append(f"{method} {url} as {role}: got {got}, want {rule[role]}")
            if response.status_code >= 400 and name != "api_v1:docs" and role != "customer_link":
                body = response.json()
                if "detail" not in body:
                    failures.append(f"{method} {url} as {role}: error without detail: {body}")
    assert not failures, "\n".join(failures)


WRITES = sorted(
    (name, method) for name, rules in API_TABLE.items() for method in rules if method != "GET"
)


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_a_read_only_token_changes_nothing(name, method, people, account, token_for):
    url = reverse(name, kwargs=build_kwargs(name, ROUTES[name], account=account, people=people))
    for role in ("director", "manager", "coordinator", "team_member", "programme_admin"):
        client = _client(getattr(people, role), ApiToken.Scope.READ, token_for)
        response = _call(client, method, url)
        assert response.status_code == 403, (role, response.status_code)
        assert "read-only" in response.json()["detail"]


@pytest.mark.parametrize(
    "name", sorted(n for n in API_TABLE if "account_id" in ROUTES[n].pattern.converters)
)
def test_objects_of_another_account_are_404(name, people, account, other_account, token_for):
    theirs = build_kwargs(name, ROUTES[name], account=other_account, people=people)
    probes = [reverse(name, kwargs=theirs)]
    if set(theirs) - {"account_id"}:
        probes.append(reverse(name, kwargs={**theirs, "account_id": account.pk}))
    failures = []
    for url in probes:
        for role in ("director", "manager", "coordinator", "team_member"):
            client = _client(getattr(people, role), token_for=token_for)
            for method in API_TABLE[name]:
                response = _call(client, method, url)
                if response.status_code not in (403, 404) or (
                    url == probes[0] and response.status_code != 404
                ):
                    failures.append(f"{method} {url} as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)
