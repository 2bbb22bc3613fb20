"""The programme overview: key account share, classes × stages, manager workload and plans
waiting for approval."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, OuterRef, QuerySet, Sum, Window
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import (
    Classification,
    KeyAccount,
    Membership,
    Programme,
    RelationshipStage,
    Role,
    User,
)
from common.compiled import CompiledPerKey
from planning.models import AccountPlan
from planning.selectors import stored_action_counts
from strategy.selectors import key_account_share

from .base import SCOPES_KEPT, cached, person_with_role, scope_key

WORKLOAD_ROWS = 15
APPROVAL_ROWS = 10
WORKLOAD_RULE = _(
    "Per manager: the key accounts in view they manage, and the open and overdue actions of "
    "those accounts' current plans (whoever owns each action)."
)


def programme_overview(*, user, accounts: QuerySet[KeyAccount], today: date) -> dict:
    programme = Programme.current()
    # The strategy pages' figure, from its one home (one query).
    share = key_account_share(programme)
    customers, key_accounts = share["customers"], share["key_accounts"]
    return {
        "programme": programme,
        "customers": customers,
        "key_accounts": key_accounts,
        "limit": share["allowed"],
        "share": share["percent"] if customers else None,
        "over_limit": share["over_limit"],
        "over_by": key_accounts - share["allowed"],
        "grid": class_stage_grid(accounts=accounts),
        "workload": cached(
            "workload", accounts, today, lambda: manager_workload(accounts=accounts, today=today)
        ),
        "approvals": approvals_waiting(user=user, accounts=accounts),
    }


def class_stage_grid(*, accounts: QuerySet[KeyAccount]) -> dict:
    counts = {
        (row["classification"], row["relationship_stage"]): row["n"]
        for row in accounts.order_by()
        .values("classification", "relationship_stage")
        .annotate(n=Count("pk"))
    }
    stages = list(RelationshipStage.choices)
    rows = []
    for value, label in Classification.choices:
        cells = [counts.get((value, stage), 0) for stage, _ in stages]
        rows.append({"value": value, "label": label, "cells": cells, "total": sum(cells)})
    column_totals = [sum(r["cells"][i] for r in rows) for i in range(len(stages))]
    return {
        "stages": [label for _, label in stages],
        "rows": rows,
        "column_totals": column_totals,
        "total": sum(column_totals),
    }


def manager_workload(*, accounts: QuerySet[KeyAccount], today: date) -> dict:
    """See WORKLOAD_RULE. Two grouped queries and one for the names of the rows shown. The
    actions are summed from the counts stored on each current plan (one row per account, not
    every open action of the portfolio: bench/README.md, finding 29)."""
    scope = scope_key(accounts)
    managed = dict(
        _MANAGED.rows(
            scope,
            lambda _ids: (
                Membership.objects.filter(role=Role.MANAGER, key_account__in=accounts)
                .values_list("user_id")
                .annotate(n=Count("key_account", distinct=True))
                .order_by()
            ),
        )
    )

    def plans(_ids):
        counts = stored_action_counts(today=today)
        return (
            AccountPlan.objects.filter(
                is_current=True,
                key_account__in=accounts,
                key_account__memberships__role=Role.MANAGER,
            )
            .values("key_account__memberships__user_id")
            .annotate(open=Sum(counts["open_actions"]), overdue=Sum(counts["overdue_actions"]))
            .order_by()
        )

    plan_rows = _MANAGER_ACTIONS.rows((scope, today), plans)
    actions = {row["key_account__memberships__user_id"]: row for row in plan_rows}
    rows = [
        {
            "user_id": user_id,
            "accounts": n,
            "open": actions.get(user_id, {}).get("open", 0),
            "overdue": actions.get(user_id, {}).get("overdue", 0),
        }
        for user_id, n in managed.items()
    ]
    rows.sort(key=lambda r: (-r["overdue"], -r["open"], -r["accounts"], r["user_id"]))
    shown = rows[:WORKLOAD_ROWS]
    names = {u.pk: u for u in User.objects.filter(pk__in=[r["user_id"] for r in shown])}
    for row in shown:
        row["manager"] = names.get(row["user_id"])
    return {"rows": shown, "more": len(rows) - len(shown)}


# The workload's two grouped queries and the approvals, compiled once per account scope (its
# SQL and parameters), day and director (bench/README.md, finding 52).
_MANAGED = CompiledPerKey(maxsize=SCOPES_KEPT)
_MANAGER_ACTIONS = CompiledPerKey(maxsize=SCOPES_KEPT)
_APPROVALS = CompiledPerKey(maxsize=SCOPES_KEPT)


def approvals_waiting(*, user, accounts: QuerySet[KeyAccount]) -> dict:
    """Submitted plans on the accounts this user directs (for an executive who directs none:
    every submitted plan in view, so they can see what waits on which director)."""
    mine = permissions.is_director(user)

    def build(_ids):
        plans = AccountPlan.objects.filter(
            is_current=True, status=AccountPlan.Status.SUBMITTED, key_account__in=accounts
        )
        if mine:
            directed = Membership.objects.filter(user=user, role=Role.DIRECTOR)
            plans = plans.filter(key_account__in=directed.values("key_account_id"))
        return (
            plans.select_related("key_account__customer")
            # What the list shows: ~930 submitted plans (N=100) went through the window and
            # the sort with every text column of plan, account and customer (bench/README.md,
            # finding 45).
            .only("key_account__customer__name", "period", "submitted_at")
            .annotate(
                director_name=person_with_role(Role.DIRECTOR, OuterRef("key_account")),
                # How many wait in all: the window runs before the LIMIT (no COUNT query).
                waiting=Window(Count("pk")),
            )
            .order_by(F("submitted_at").asc(nulls_last=True), "pk")[:APPROVAL_ROWS]
        )

    # The director's own accounts are a parameter of the statement: theirs is its own key.
    shown = _APPROVALS.rows((scope_key(accounts), user.pk if mine else None, APPROVAL_ROWS), build)
    return {"mine": mine, "plans": shown, "count": shown[0].waiting if shown else 0}
