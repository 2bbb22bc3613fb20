"""What waits for one person's decision: the director's inbox on their home and the dashboard.

The accounts come from `accounts.permissions.decision_account_ids` (the one rule of who decides
for an account); each kind of decision is read from the stage that owns it. A fixed number of
queries however many accounts and items there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext

from accounts import permissions
from accounts.models import KeyAccount, Programme
from delivery.selectors import quotes_awaiting_approval
from planning.models import AccountPlan, Review
from planning.selectors import open_selection_proposals

ROWS_SHOWN = 5  # per kind, oldest first; the count covers them all


@dataclass
class DecisionKind:
    key: str
    title: str
    items: list = field(default_factory=list)
    count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.items)


@dataclass
class Decisions:
    kinds: list[DecisionKind]
    rule: str = permissions.DECISIONS_RULE
    quote_discount_limit: object = None

    @property
    def count(self) -> int:
        return sum(kind.count for kind in self.kinds)

    def kind(self, key: str) -> DecisionKind:
        return next(kind for kind in self.kinds if kind.key == key)


def _live_reviews(account_ids) -> Q:
    return Q(
        plan__is_current=True,
        plan__key_account_id__in=account_ids,
        plan__key_account__status=KeyAccount.Status.ACTIVE,
    )


def plans_to_approve(account_ids) -> list[AccountPlan]:
    return list(
        AccountPlan.objects.filter(
            is_current=True,
            status=AccountPlan.Status.SUBMITTED,
            key_account_id__in=account_ids,
            key_account__status=KeyAccount.Status.ACTIVE,
        )
        .select_related("key_account__customer", "updated_by")
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def escalated_reviews(account_ids) -> list[Review]:
    return list(
        Review.objects.filter(
            _live_reviews(account_ids), completed_at__isnull=True, escalated_at__isnull=False
        )
        .select_related("plan__key_account__customer")
        .order_by("due_on", "pk")
    )


def decisions_waiting(*, user) -> Decisions:
    """Everything waiting for `user`'s decision (see permissions.DECISIONS_RULE)."""
    account_ids = permissions.decision_account_ids(user)
    limit = Programme.current().quote_discount_limit_percent
    found = [
        (
            "plans",
            gettext("Plans waiting for your approval"),
            plans_to_approve(account_ids) if account_ids else [],
        ),
        (
            "quotes",
            gettext("Quote discounts waiting for your approval"),
            quotes_awaiting_approval(user=user, limit_percent=limit) if account_ids else [],
        ),
        (
            "reviews",
            gettext("Quarterly reviews escalated to you"),
            escalated_reviews(account_ids) if account_ids else [],
        ),
        (
            "proposals",
            gettext("Class changes and de-selections proposed to you"),
            open_selection_proposals(account_ids) if account_ids else [],
        ),
    ]
    return Decisions(
        kinds=[
            DecisionKind(key, title, items[:ROWS_SHOWN], len(items)) for key, title, items in found
        ],
        quote_discount_limit=limit,
    )
