"""get_account_for_user's read is compiled once per process (bench/README.md, finding 43): it
sends exactly the statement the ORM's `.get(pk=)` builds, with the user's role or without, and
answers as before (404 for a missing or non-numeric id, the role remembered)."""

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts import permissions
from accounts.models import KeyAccount, Membership

from ..factories import KeyAccountFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def orm_statement(pk, user=None):
    """The statement as get_account_for_user built it with the ORM before (its `.get(pk=)`)."""
    rows = KeyAccount.objects.select_related("customer")
    if user is not None:
        role = Membership.objects.filter(user=user.pk, key_account=OuterRef("pk")).order_by()
        rows = rows.annotate(viewer_role=Subquery(role.values("role")[:1]))
    rows = rows.filter(pk=pk).order_by()[:MAX_GET_RESULTS]
    sql, params = rows.query.get_compiler(using="default").as_sql()
    return sql, tuple(params)


def test_it_sends_the_orms_statement_for_each_account_and_user():
    first, second = KeyAccountFactory(), KeyAccountFactory()
    manager, director = UserFactory(), UserFactory()
    MembershipFactory(user=manager, key_account=first, role="manager")
    MembershipFactory(user=director, key_account=second, role="director")
    for user, account in ((manager, first), (director, second), (manager, second)):
        with CaptureQueriesContext(connection) as queries:
            try:
                permissions.get_account_for_user(user, account.pk)
            except Http404:
                pass  # the manager does not see the second account
            permissions.forget_cached_roles(user)
        assert "accounts_keyaccount" in queries[0]["sql"]  # then the groups, for an outsider
        expected = orm_statement(account.pk, user)
        assert permissions._account_read(True).sql(account.pk, user.pk) == expected
    assert permissions._account_read(False).sql(first.pk) == orm_statement(first.pk)


def test_the_account_its_customer_and_the_role_in_one_statement():
    account = KeyAccountFactory()
    user = UserFactory()
    MembershipFactory(user=user, key_account=account, role="manager")
    with CaptureQueriesContext(connection) as queries:
        got = permissions.get_account_for_user(user, str(account.pk), permissions.EDIT)
        assert got.pk == account.pk and got.customer.name == account.customer.name
        assert permissions.role_on(user, account) == "manager"
    assert len(queries) == 1
    assert got.viewer_role == "manager" and not got._state.adding


def test_missing_or_non_numeric_ids_are_404_without_a_query():
    user = UserFactory()
    account = KeyAccountFactory()
    MembershipFactory(user=user, key_account=account, role="manager")
    with pytest.raises(Http404):
        permissions.get_account_for_user(user, account.pk + 1000)
    with CaptureQueriesContext(connection) as queries:
        for pk in ("abc", None, ""):
            with pytest.raises(Http404):
                permissions.get_account_for_user(user, pk)
    assert len(queries) == 0


def test_with_all_roles_read_it_reads_the_account_alone():
    account = KeyAccountFactory()
    user = UserFactory()
    MembershipFactory(user=user, key_account=account, role="director")
    assert permissions.roles_held(user) == {"director"}  # all roles read
    with CaptureQueriesContext(connection) as queries:
        got = permissions.get_account_for_user(user, account.pk, permissions.APPROVE)
    assert got.pk == account.pk and not hasattr(got, "viewer_role")
    assert len(queries) == 1 and "accounts_membership" not in queries[0]["sql"]


def test_the_statement_is_built_once_per_process(monkeypatch):
    account = KeyAccountFactory()
    user = UserFactory()
    MembershipFactory(user=user, key_account=account, role="manager")
    permissions.get_account_for_user(user, account.pk)  # compiled (now or before)
    permissions.forget_cached_roles(user)
    built = []
    original = KeyAccount.objects.select_related
    monkeypatch.setattr(
        KeyAccount.objects, "select_related", lambda *a: built.append(a) or original(*a)
    )
    assert permissions.get_account_for_user(user, account.pk).pk == account.pk
    assert built == []
