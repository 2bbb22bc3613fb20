"""common.compiled.CompiledOnce: a SELECT compiled once per process sends exactly the SQL and
parameters the ORM builds for the same arguments, and gives the same instances."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from common.compiled import CompiledOnce
from planning import selectors
from planning.models import AccountPlan, Action

from ..factories import ActionFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.django_db


def action_with_plan(pk, account_id):
    return (
        Action.objects.filter(pk=pk, plan__key_account=account_id, plan__is_current=True)
        .select_related("plan", "objective", "owner")
        .order_by("pk")[:1]
    )


def compiled():
    return CompiledOnce(Action, action_with_plan, params=lambda pk, account_id: (pk, account_id))


def test_the_cached_sql_is_what_the_orm_builds_for_each_call():
    first, second = ActionFactory(), ActionFactory()
    read = compiled()
    for action in (first, second, first):
        orm = action_with_plan(action.pk, action.plan.key_account_id).query
        built = orm.get_compiler(using="default").as_sql()
        assert read.sql(action.pk, action.plan.key_account_id) == (built[0], tuple(built[1]))


def test_the_instances_are_the_querysets_with_their_related_rows():
    owner = UserFactory()
    objective = ObjectiveFactory()
    action = ActionFactory(plan=objective.plan, objective=objective, owner=owner)
    other = ActionFactory()
    read = compiled()
    read(other.pk, other.plan.key_account_id)  # compiled with other arguments first
    [got] = read(action.pk, action.plan.key_account_id)
    [expected] = action_with_plan(action.pk, action.plan.key_account_id)
    fields = [field.attname for field in Action._meta.concrete_fields]
    assert [getattr(got, name) for name in fields] == [getattr(expected, name) for name in fields]
    with CaptureQueriesContext(connection) as queries:  # read with it: no query
        assert (got.plan.pk, got.objective.title, got.owner.pk) == (
            objective.plan.pk,
            objective.title,
            owner.pk,
        )
        assert got.plan.period == expected.plan.period
    assert len(queries) == 0
    assert not got._state.adding
    assert read(action.pk, action.plan.key_account_id + 1000) == []  # another account's: none


def test_parameters_that_are_not_the_statements_are_refused():
    action = ActionFactory()
    wrong = CompiledOnce(Action, action_with_plan, params=lambda pk, account_id: (account_id, pk))
    with pytest.raises(ImproperlyConfigured):
        wrong(action.pk, action.plan.key_account_id + 1)
    with pytest.raises(ValueError):  # None compiles to IS NULL: another statement
        compiled()(action.pk, None)


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_a_lock_runs_only_in_a_transaction():
    action = ActionFactory()
    locked = CompiledOnce(
        Action,
        lambda pk: Action.objects.select_for_update().filter(pk=pk),
        params=lambda pk: (pk,),
    )
    with transaction.atomic():
        assert locked(action.pk) == [action]
    with pytest.raises(TransactionManagementError):
        locked(action.pk)


def test_the_plan_item_read_is_the_orms():
    """planning.selectors.plan_item_to_edit reads through it: the same SQL as its queryset."""
    action = ActionFactory()
    account = action.plan.key_account
    item = selectors.plan_item_to_edit(
        account=account, model=Action, pk=action.pk, related=("owner",), approver=False
    )
    assert item == action and item.plan == action.plan and item.plan.key_account is account
    with CaptureQueriesContext(connection) as orm:  # the read as it was before
        Action.objects.filter(
            pk=action.pk, plan__key_account=account, plan__is_current=True
        ).select_related("plan", "owner").first()
    with CaptureQueriesContext(connection) as cached:
        selectors.plan_item_to_edit(
            account=account, model=Action, pk=action.pk, related=("owner",), approver=False
        )
    assert [q["sql"] for q in cached] == [q["sql"] for q in orm]


@pytest.mark.parametrize("with_owner", [False, True])
@pytest.mark.parametrize("account_loaded", [False, True])
def test_the_plan_lock_is_the_orms(account_loaded, with_owner):
    """planning.services.base._lock_plan locks through it: the same statement as `.get()` on
    the locked queryset, the same plan, its latest approval's number and the team check."""
    from django.db.models import Exists, OuterRef

    from accounts.models import Membership
    from planning.services import base

    action = ActionFactory()
    owner = UserFactory()
    plan = AccountPlan.objects.select_related("key_account__customer" if account_loaded else None)
    plan = (
        plan.get(pk=action.plan_id)
        if account_loaded
        else AccountPlan.objects.get(pk=action.plan_id)
    )
    with transaction.atomic():
        rows = base._plans_to_lock()  # noqa: SLF001
        if not account_loaded:
            rows = rows.select_related("key_account__customer")
        if with_owner:
            team = Membership.objects.filter(key_account=OuterRef("key_account_id"), user=owner.pk)
            rows = rows.annotate(owner_on_team=Exists(team))
        with CaptureQueriesContext(connection) as orm:
            expected = rows.get(pk=plan.pk)
        with CaptureQueriesContext(connection) as cached:
            locked = base._lock_plan(plan, owner=owner if with_owner else None)  # noqa: SLF001
    assert [q["sql"] for q in cached] == [q["sql"] for q in orm]
    assert locked == expected and locked.latest_approval_number is None
    assert locked.key_account.customer.name == plan.key_account.customer.name
    if with_owner:
        assert locked.owner_checked == (owner.pk, False)


def test_the_plan_content_counts_read_through_it():
    """planning.selectors.plan_as_saved_with_content: the plan's fields and its counts, by hand:
    one objective with a live target (another with an archived one only), two actions with an
    owner (a cancelled one and one without an owner not counted), one engagement activity."""
    from django.utils import timezone

    from ..factories import EngagementActivityFactory, TargetFactory

    owner = UserFactory()
    objective = ObjectiveFactory()
    plan = objective.plan
    TargetFactory(objective=objective)
    TargetFactory(objective=ObjectiveFactory(plan=plan), archived_at=timezone.now())
    ActionFactory(plan=plan, owner=owner)
    ActionFactory(plan=plan, owner=owner)
    ActionFactory(plan=plan, owner=owner, status=Action.Status.CANCELLED)
    ActionFactory(plan=plan)
    EngagementActivityFactory(plan=plan)
    ActionFactory(owner=owner)  # another plan's
    for _ in range(2):  # compiled on the first call, sent again on the second
        saved, content = selectors.plan_as_saved_with_content(plan=plan, fields=("status",))
        assert saved == {
            "status": plan.status,
            "critical_success_factors": plan.critical_success_factors,
            "value_proposition": plan.value_proposition,
            "n_objectives_with_target": 1,
            "n_actions_with_owner": 2,
            "n_engagement": 1,
        }
        assert (content.objectives_with_target, content.actions_with_owner) == (1, 2)
        assert content.engagement_activities == 1 and content.value_proposition


@pytest.mark.parametrize("for_page", [False, True])
def test_the_current_plan_reads_are_the_orms(for_page):
    """planning.selectors.current_plan and current_plan_for_page read through it: the same
    statement as `.first()` on their querysets, the same plan with its account, customer and
    people, the page's facts by hand, and None for an account without a current plan."""
    from django.utils import timezone

    from planning.models import PlanVersion, Review

    from ..factories import AccountPlanFactory, KeyAccountFactory

    plan = AccountPlanFactory(approved_by=UserFactory(), updated_by=UserFactory())
    account = plan.key_account
    AccountPlanFactory(key_account=account, is_current=False, period="FY2020")
    for number in (1, 2):
        PlanVersion.objects.create(
            plan=plan, number=number, kind=PlanVersion.Kind.APPROVAL, snapshot={}
        )
    PlanVersion.objects.create(plan=plan, number=3, kind=PlanVersion.Kind.REVIEW, snapshot={})
    completed = timezone.now().replace(microsecond=0)
    today = completed.date()
    Review.objects.create(
        plan=plan, quarter="2026-Q3", opened_on=today, due_on=today, completed_at=completed
    )
    read = selectors.current_plan_for_page if for_page else selectors.current_plan
    orm = selectors._current_plan_for_page if for_page else selectors._current_plan  # noqa: SLF001
    for _ in range(2):  # compiled on the first call, sent again on the second
        with CaptureQueriesContext(connection) as cached:
            got = read(account=account)
        with CaptureQueriesContext(connection) as expected:
            orm(account.pk).first()
        assert [q["sql"] for q in cached] == [q["sql"] for q in expected]
    assert got == plan and got.is_current
    assert got.key_account == account and got.key_account.customer == account.customer
    assert (got.approved_by, got.updated_by) == (plan.approved_by, plan.updated_by)
    if for_page:
        assert got.page_latest_approval_number == 2  # the review snapshot (3) is not one
        assert got.page_completed_review_at == completed
    assert read(account=KeyAccountFactory()) is None


def test_the_columns_converters_are_worked_out_once_per_connection(monkeypatch):
    """Django works out each column's converters on every run; CompiledOnce keeps them for the
    connection they were worked out on (finding 43), and the values are still converted (on
    SQLite a date and a datetime come back as text without them)."""
    from django.db.models.sql.compiler import SQLCompiler

    action = ActionFactory()
    read = compiled()
    read(action.pk, action.plan.key_account_id)
    calls = []
    original = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler,
        "get_converters",
        lambda self, expressions: calls.append(1) or original(self, expressions),
    )
    [again] = read(action.pk, action.plan.key_account_id)
    assert calls == []
    [expected] = action_with_plan(action.pk, action.plan.key_account_id)
    assert calls  # the ORM's own run works them out
    for name in ("due_on", "created_at"):
        assert getattr(again, name) == getattr(expected, name)
        assert type(getattr(again, name)) is type(getattr(expected, name))
    assert again.plan.created_at == expected.plan.created_at
    # Another connection (another thread's): worked out again for it.
    read._converters["default"] = (object(), {})
    calls.clear()
    [other] = read(action.pk, action.plan.key_account_id)
    assert calls and other.due_on == expected.due_on and type(other.due_on) is type(expected.due_on)


# ---- CompiledPerKey: compiled once per key and number of ids --------------------------------


def _actions(ids):
    return Action.objects.filter(pk__in=ids, status="open").select_related("owner").order_by("pk")


def test_per_key_rows_are_the_orms_for_other_ids_of_the_same_length():
    from common.compiled import CompiledPerKey

    owner = UserFactory()
    first, second, third = (ActionFactory(owner=owner) for _ in range(3))
    read = CompiledPerKey()
    fields = [field.attname for field in Action._meta.concrete_fields]
    for ids in ([first.pk, second.pk], [third.pk, first.pk], [second.pk, third.pk + 1000]):
        got, expected = read.rows("open", _actions, ids), list(_actions(ids))
        assert [[getattr(a, name) for name in fields] for a in got] == [
            [getattr(a, name) for name in fields] for a in expected
        ]
        assert len(got) == len([pk for pk in ids if pk <= third.pk])
    with CaptureQueriesContext(connection) as queries:
        [action] = read.rows("open", _actions, [first.pk])  # another length: compiled anew
        assert action.owner.username == owner.username  # its related row came with it
    assert len(queries) == 1


def test_per_key_values_and_flat_lists_are_the_orms():
    from common.compiled import CompiledPerKey

    actions = [ActionFactory(title=f"Action {i}") for i in range(3)]
    ids = [a.pk for a in actions]
    read = CompiledPerKey()

    def titles(stand_ins):
        return (
            Action.objects.filter(pk__in=stand_ins).order_by("-pk").values_list("title", flat=True)
        )

    def dicts(stand_ins):
        return Action.objects.filter(pk__in=stand_ins).order_by("pk").values("pk", "title")

    assert read.rows("titles", titles, ids[:2]) == ["Action 1", "Action 0"]
    assert read.rows("titles", titles, ids[1:]) == ["Action 2", "Action 1"]
    assert read.rows("dicts", dicts, ids[1:]) == [
        {"pk": ids[1], "title": "Action 1"},
        {"pk": ids[2], "title": "Action 2"},
    ]
    # No ids: the key alone fixes the statement.
    assert read.rows("count", lambda _ids: Action.objects.order_by("pk").values_list("pk")) == [
        (pk,) for pk in ids
    ]


def test_per_key_keeps_the_keys_used_last_and_each_keys_own_statement():
    from common.compiled import CompiledPerKey

    open_one = ActionFactory(status="open")
    done_one = ActionFactory(status="done")
    read = CompiledPerKey(maxsize=1)

    def of_status(status):
        return lambda ids: Action.objects.filter(pk__in=ids, status=status)

    for _ in range(2):  # each key pushes the other out; each still answers with its own SQL
        assert read.rows("open", of_status("open"), [open_one.pk]) == [open_one]
        assert read.rows("done", of_status("done"), [done_one.pk]) == [done_one]
    assert len(read._compiled) == 1


def test_per_key_refuses_a_statement_that_does_not_read_each_id_once():
    from common.compiled import CompiledPerKey

    action = ActionFactory()
    with pytest.raises(ImproperlyConfigured):
        CompiledPerKey().rows("none", lambda _ids: Action.objects.filter(pk=action.pk), [1])
